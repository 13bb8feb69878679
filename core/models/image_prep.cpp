#include "core/models/image_prep.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace frameline {
namespace {

// For one axis: each output sample's first source index and its normalised weights.
struct Taps {
    std::vector<int> first;
    std::vector<int> count;
    std::vector<float> weights;  // count[i] weights for output i, at offset i * max_taps
    int max_taps = 0;
};

// Triangle (bilinear) filter, widened by the shrink factor when shrinking, with pixel centres at i + 0.5 on both
// sides; taps outside the source are dropped and the rest renormalised (the edge pixel is repeated in effect).
Taps make_taps(int in_size, int out_size) {
    Taps t;
    const double scale = double(in_size) / out_size;  // source pixels per output pixel
    const double filter_scale = std::max(1.0, scale);
    const double support = filter_scale;  // triangle radius 1, widened
    t.max_taps = static_cast<int>(std::ceil(support)) * 2 + 1;
    t.first.resize(out_size);
    t.count.resize(out_size);
    t.weights.assign(size_t(out_size) * t.max_taps, 0.0f);
    for (int i = 0; i < out_size; ++i) {
        const double centre = (i + 0.5) * scale;
        const int lo = std::max(0, static_cast<int>(std::floor(centre - support)));
        const int hi = std::min(in_size, static_cast<int>(std::ceil(centre + support)));
        double total = 0;
        std::vector<double> w;
        for (int j = lo; j < hi; ++j) {
            const double x = std::abs((j + 0.5 - centre) / filter_scale);
            w.push_back(x < 1.0 ? 1.0 - x : 0.0);
            total += w.back();
        }
        // Trim zero weights at both ends so that the inner loops stay short.
        int a = 0, b = static_cast<int>(w.size());
        while (a < b && w[a] == 0.0) ++a;
        while (b > a && w[b - 1] == 0.0) --b;
        if (a == b || total <= 0) {  // cannot happen for sizes >= 1; keep the nearest pixel
            t.first[i] = std::clamp(static_cast<int>(centre), 0, in_size - 1);
            t.count[i] = 1;
            t.weights[size_t(i) * t.max_taps] = 1.0f;
            continue;
        }
        t.first[i] = lo + a;
        t.count[i] = std::min(b - a, t.max_taps);
        for (int k = 0; k < t.count[i]; ++k) t.weights[size_t(i) * t.max_taps + k] = static_cast<float>(w[a + k] / total);
    }
    return t;
}

}  // namespace

std::vector<float> resize_rgb(const RgbImage& image, int width, int height) {
    if (image.width <= 0 || image.height <= 0 || image.rgb.size() != size_t(image.width) * image.height * 3)
        throw Error("cannot resize an empty or malformed picture (" + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + ")");
    if (width <= 0 || height <= 0) throw Error("cannot resize a picture to " + std::to_string(width) + "x" + std::to_string(height));
    const int sw = image.width, sh = image.height;
    // Horizontal pass: sh rows of `width` float RGB pixels.
    const Taps tx = make_taps(sw, width);
    std::vector<float> rows(size_t(sh) * width * 3);
    for (int y = 0; y < sh; ++y) {
        const uint8_t* src = &image.rgb[size_t(y) * sw * 3];
        float* dst = &rows[size_t(y) * width * 3];
        for (int x = 0; x < width; ++x) {
            const float* w = &tx.weights[size_t(x) * tx.max_taps];
            const uint8_t* s = src + size_t(tx.first[x]) * 3;
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < tx.count[x]; ++k, s += 3) {
                r += w[k] * s[0];
                g += w[k] * s[1];
                b += w[k] * s[2];
            }
            dst[x * 3] = r, dst[x * 3 + 1] = g, dst[x * 3 + 2] = b;
        }
    }
    // Vertical pass.
    const Taps ty = make_taps(sh, height);
    std::vector<float> out(size_t(height) * width * 3, 0.0f);
    const size_t row_len = size_t(width) * 3;
    for (int y = 0; y < height; ++y) {
        float* dst = &out[size_t(y) * row_len];
        const float* w = &ty.weights[size_t(y) * ty.max_taps];
        for (int k = 0; k < ty.count[y]; ++k) {
            const float* src = &rows[size_t(ty.first[y] + k) * row_len];
            const float wk = w[k];
            for (size_t i = 0; i < row_len; ++i) dst[i] += wk * src[i];
        }
    }
    return out;
}

ImagePrep image_prep_for(const ModelManifest& m) {
    if (m.input.kind != "image")
        throw Error(m.path.string() + ": input.kind is '" + m.input.kind + "', not an image model");
    ImagePrep p;
    p.width = m.input.width();
    p.height = m.input.height();
    p.channels = m.input.channels();
    p.colour = m.input.colour;
    p.scale = m.input.scale;
    p.offset = m.input.offset;
    p.letterbox = m.input.resize == "letterbox";
    return p;
}

LetterboxTransform fit_transform(int sw, int sh, const ImagePrep& prep) {
    LetterboxTransform t;
    t.source_width = sw;
    t.source_height = sh;
    t.input_width = prep.width;
    t.input_height = prep.height;
    if (!prep.letterbox) {
        t.content_width = prep.width;
        t.content_height = prep.height;
    } else {
        const double s = std::min(double(prep.width) / sw, double(prep.height) / sh);
        t.content_width = std::clamp(static_cast<int>(std::lround(sw * s)), 1, prep.width);
        t.content_height = std::clamp(static_cast<int>(std::lround(sh * s)), 1, prep.height);
        t.pad_x = (prep.width - t.content_width) / 2;
        t.pad_y = (prep.height - t.content_height) / 2;
    }
    t.scale_x = double(t.content_width) / sw;
    t.scale_y = double(t.content_height) / sh;
    return t;
}

LetterboxTransform write_image_input(const RgbImage& image, const ImagePrep& prep, Tensor& batch, int64_t index) {
    const int W = prep.width, H = prep.height, C = prep.channels;
    if (batch.shape.size() != 4 || batch.shape[1] != C || batch.shape[2] != H || batch.shape[3] != W ||
        index < 0 || index >= batch.shape[0])
        throw Error("model input batch of shape " + shape_string(batch.shape) + " cannot take item " +
                    std::to_string(index) + " of [" + std::to_string(C) + ", " + std::to_string(H) + ", " +
                    std::to_string(W) + "]");
    if (int(prep.scale.size()) != C || int(prep.offset.size()) != C)
        throw Error("image preparation needs one scale and offset per channel (" + std::to_string(C) + ")");
    const LetterboxTransform t = fit_transform(image.width, image.height, prep);
    const std::vector<float> rgb = resize_rgb(image, t.content_width, t.content_height);
    float* item = batch.item(index);
    const size_t plane = size_t(W) * H;
    const int px = static_cast<int>(t.pad_x), py = static_cast<int>(t.pad_y);
    for (int c = 0; c < C; ++c) {
        const float scale = static_cast<float>(prep.scale[c]), offset = static_cast<float>(prep.offset[c]);
        float* dst = item + c * plane;
        if (prep.letterbox) std::fill(dst, dst + plane, static_cast<float>(prep.pad_pixel * prep.scale[c] + prep.offset[c]));
        // Which picture channel feeds model channel c; -1 = luma.
        const int src_c = prep.colour == "grey" ? -1 : prep.colour == "bgr" ? 2 - c : c;
        for (int y = 0; y < t.content_height; ++y) {
            const float* s = &rgb[size_t(y) * t.content_width * 3];
            float* d = dst + size_t(y + py) * W + px;
            if (src_c >= 0) {
                for (int x = 0; x < t.content_width; ++x) d[x] = s[x * 3 + src_c] * scale + offset;
            } else {
                for (int x = 0; x < t.content_width; ++x) {
                    const float luma = 0.299f * s[x * 3] + 0.587f * s[x * 3 + 1] + 0.114f * s[x * 3 + 2];
                    d[x] = luma * scale + offset;
                }
            }
        }
    }
    return t;
}

Tensor prepare_images(const std::vector<RgbImage>& images, const ImagePrep& prep,
                      std::vector<LetterboxTransform>* transforms) {
    Tensor batch({static_cast<int64_t>(images.size()), prep.channels, prep.height, prep.width});
    if (transforms) transforms->clear();
    for (size_t i = 0; i < images.size(); ++i) {
        LetterboxTransform t = write_image_input(images[i], prep, batch, static_cast<int64_t>(i));
        if (transforms) transforms->push_back(t);
    }
    return batch;
}

}  // namespace frameline
