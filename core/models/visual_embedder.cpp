#include "core/models/visual_embedder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "core/models/image_prep.h"
#include "core/models/zoo_model.h"

namespace frameline {

const char* to_string(VisualBackbone b) {
    return b == VisualBackbone::mobilenet_v2 ? "mobilenet_v2" : "mobilenet_v3";
}

namespace {
double unit_norm(std::vector<float>& v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    n = std::sqrt(n);
    if (n > 0)
        for (float& x : v) x = float(x / n);
    return n;
}

const std::array<float, 256>& srgb_to_linear() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const double c = i / 255.0;
            t[size_t(i)] = float(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
        }
        return t;
    }();
    return table;
}

double lab_f(double t) { return t > 0.008856451679 ? std::cbrt(t) : 7.787037037 * t + 16.0 / 116.0; }
}  // namespace

std::vector<float> colour_layout_descriptor(const RgbImage& img) {
    std::vector<float> out(size_t(kColourLayoutDims), 0.0f);
    if (img.empty() || img.width <= 0 || img.height <= 0) return out;
    constexpr int kHue = 8, kSat = 3, kVal = 3, kGrid = 4;
    std::array<double, kHue * kSat * kVal> hist{};
    std::array<double, kGrid * kGrid * 3> lab{};
    std::array<double, kGrid * kGrid> cell_count{};
    const auto& lin = srgb_to_linear();
    // about 160 samples across: the descriptor is coarse, the picture may be large
    const int step = std::max(1, std::min(img.width, img.height) / 90);
    double samples = 0;
    for (int y = step / 2; y < img.height; y += step)
        for (int x = step / 2; x < img.width; x += step) {
            const uint8_t* p = &img.rgb[(size_t(y) * img.width + x) * 3];
            const int r = p[0], g = p[1], b = p[2];
            const int mx = std::max({r, g, b}), mn = std::min({r, g, b});
            const double v = mx / 255.0, s = mx > 0 ? double(mx - mn) / mx : 0.0;
            double h = 0;  // 0..6
            if (mx != mn) {
                const double d = mx - mn;
                if (mx == r) h = std::fmod((g - b) / d + 6.0, 6.0);
                else if (mx == g) h = (b - r) / d + 2.0;
                else h = (r - g) / d + 4.0;
            }
            const int hb = std::min(kHue - 1, int(h / 6.0 * kHue));
            const int sb = s < 0.25 ? 0 : s < 0.6 ? 1 : 2;
            const int vb = v < 0.3 ? 0 : v < 0.7 ? 1 : 2;
            hist[size_t((hb * kSat + sb) * kVal + vb)] += 1.0;
            // CIE Lab (D65)
            const double R = lin[size_t(r)], G = lin[size_t(g)], B = lin[size_t(b)];
            const double X = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
            const double Y = 0.2126729 * R + 0.7151522 * G + 0.0721750 * B;
            const double Z = (0.0193339 * R + 0.1191920 * G + 0.9503041 * B) / 1.08883;
            const double fx = lab_f(X), fy = lab_f(Y), fz = lab_f(Z);
            const double L = 116.0 * fy - 16.0, A = 500.0 * (fx - fy), Bb = 200.0 * (fy - fz);
            const int cx = std::min(kGrid - 1, x * kGrid / img.width), cy = std::min(kGrid - 1, y * kGrid / img.height);
            const size_t c = size_t(cy * kGrid + cx);
            lab[c * 3 + 0] += L;
            lab[c * 3 + 1] += A;
            lab[c * 3 + 2] += Bb;
            cell_count[c] += 1.0;
            samples += 1.0;
        }
    // Hellinger: square roots of the shares make the histogram a unit vector whose dot product is the Bhattacharyya
    // coefficient; the Lab grid, centred on mid grey, scaled so a cell spans about -1..1, over sqrt(16) cells.
    std::vector<float> h(hist.size()), g(lab.size());
    for (size_t i = 0; i < hist.size(); ++i) h[i] = float(std::sqrt(hist[i] / samples));
    for (size_t c = 0; c < cell_count.size(); ++c) {
        const double n = std::max(1.0, cell_count[c]);
        g[c * 3 + 0] = float((lab[c * 3 + 0] / n - 50.0) / 50.0 / kGrid);
        g[c * 3 + 1] = float(lab[c * 3 + 1] / n / 50.0 / kGrid);
        g[c * 3 + 2] = float(lab[c * 3 + 2] / n / 50.0 / kGrid);
    }
    std::copy(h.begin(), h.end(), out.begin());
    std::copy(g.begin(), g.end(), out.begin() + std::ptrdiff_t(h.size()));
    unit_norm(out);
    return out;
}

std::vector<float> combine_visual(const std::vector<float>& backbone, const std::vector<float>& colour_layout,
                                  double power, double colour_weight) {
    std::vector<float> b(backbone.size());
    for (size_t i = 0; i < b.size(); ++i) {
        const double x = backbone[i];
        b[i] = float(power == 1.0 ? x : std::copysign(std::pow(std::abs(x), power), x));
    }
    unit_norm(b);
    if (colour_weight <= 0) return b;
    std::vector<float> c = colour_layout;
    unit_norm(c);
    b.reserve(b.size() + c.size());
    for (float x : c) b.push_back(float(colour_weight * x));
    unit_norm(b);
    return b;
}

// ---------------------------------------------------------------------------------------------------------------

struct VisualEmbedder::Impl {
    VisualEmbedderOptions options;
    ZooModel zoo;
    ImagePrep prep;
    size_t out = 0;          // index of the features output
    int backbone_dims = 0;
};

namespace {
const char* zoo_name(VisualBackbone b) { return b == VisualBackbone::mobilenet_v2 ? "nsfw" : "centernet"; }
const char* output_name(VisualBackbone b) { return b == VisualBackbone::mobilenet_v2 ? "features" : "backbone"; }
}  // namespace

VisualEmbedder::VisualEmbedder(const ComputeDevice& device, VisualEmbedderOptions options)
    : impl_(std::make_unique<Impl>(Impl{options, open_zoo_model(zoo_name(options.backbone), device), {}, 0, 0})) {
    Impl& d = *impl_;
    d.options.max_batch = std::max(1, options.max_batch);
    if (!(d.options.power > 0) || !(d.options.colour_weight >= 0))
        throw Error("visual embedder: power must be > 0 and colour_weight >= 0");
    d.prep = image_prep_for(d.zoo.manifest);
    d.out = output_index(d.zoo.manifest, output_name(options.backbone));  // throws for an old manifest
    const std::vector<int64_t>& shape = d.zoo.manifest.outputs[d.out].shape;
    d.backbone_dims = shape.empty() ? 0 : int(shape.back());  // NC: C; NHWC: C
    if (d.backbone_dims <= 0)
        throw Error("visual embedder: " + d.zoo.manifest.path.string() + ": output '" +
                    output_name(options.backbone) + "' has no channel count");
}
VisualEmbedder::~VisualEmbedder() = default;
VisualEmbedder::VisualEmbedder(VisualEmbedder&&) noexcept = default;
VisualEmbedder& VisualEmbedder::operator=(VisualEmbedder&&) noexcept = default;
const VisualEmbedderOptions& VisualEmbedder::options() const { return impl_->options; }
int VisualEmbedder::backbone_dimensions() const { return impl_->backbone_dims; }
int VisualEmbedder::dimensions() const {
    return impl_->backbone_dims + (impl_->options.colour_weight > 0 ? kColourLayoutDims : 0);
}

std::string VisualEmbedder::model_name() const {
    const VisualEmbedderOptions& o = impl_->options;
    char buf[160];
    std::snprintf(buf, sizeof buf, "visual:%s-gap-p%g%s/r%d",
                  o.backbone == VisualBackbone::mobilenet_v2 ? "nsfw-mobilenetv2" : "centernet-mobilenetv3", o.power,
                  o.colour_weight > 0 ? ("+colour" + std::to_string(o.colour_weight).substr(0, 4)).c_str() : "",
                  impl_->zoo.manifest.revision);
    return buf;
}

std::vector<VisualParts> VisualEmbedder::parts(const std::vector<RgbImage>& frames) {
    Impl& d = *impl_;
    std::vector<VisualParts> out(frames.size());
    std::vector<size_t> usable;
    for (size_t i = 0; i < frames.size(); ++i)
        if (!frames[i].empty() && frames[i].width > 0 && frames[i].height > 0) usable.push_back(i);
    const size_t batch_max = d.zoo.manifest.input.fixed_batch ? 1 : size_t(d.options.max_batch);
    const size_t dims = size_t(d.backbone_dims);
    for (size_t start = 0; start < usable.size(); start += batch_max) {
        const size_t count = std::min(usable.size() - start, batch_max);
        Tensor batch({int64_t(count), d.prep.channels, d.prep.height, d.prep.width});
        for (size_t j = 0; j < count; ++j) write_image_input(frames[usable[start + j]], d.prep, batch, int64_t(j));
        const std::vector<Tensor> outputs = d.zoo.model.run(batch);
        if (d.out >= outputs.size())
            throw Error("visual embedder: " + d.zoo.model.file().string() + " returns " +
                        std::to_string(outputs.size()) + " outputs, not the features; run scripts/convert-models.sh");
        const Tensor& f = outputs[d.out];
        if (f.item_size() % dims != 0 || f.shape.empty() || f.shape[0] != int64_t(count))
            throw Error("visual embedder: features of shape " + shape_string(f.shape) + " from " +
                        d.zoo.model.file().string() + "; expected " + std::to_string(dims) + " channels");
        const size_t positions = f.item_size() / dims;  // 1 for pooled features, H*W for a map (NHWC)
        for (size_t j = 0; j < count; ++j) {
            std::vector<double> sum(dims, 0.0);
            const float* p = f.item(int64_t(j));
            for (size_t q = 0; q < positions; ++q)
                for (size_t c = 0; c < dims; ++c) sum[c] += p[q * dims + c];
            std::vector<float>& b = out[usable[start + j]].backbone;
            b.resize(dims);
            for (size_t c = 0; c < dims; ++c) b[c] = float(sum[c] / double(positions));
        }
    }
    for (size_t i : usable) out[i].colour_layout = colour_layout_descriptor(frames[i]);
    return out;
}

std::vector<std::vector<float>> VisualEmbedder::embed(const std::vector<RgbImage>& frames) {
    const std::vector<VisualParts> p = parts(frames);
    std::vector<std::vector<float>> out(frames.size());
    for (size_t i = 0; i < p.size(); ++i)
        if (!p[i].backbone.empty())
            out[i] = combine_visual(p[i].backbone, p[i].colour_layout, impl_->options.power, impl_->options.colour_weight);
    return out;
}

std::vector<float> VisualEmbedder::embed(const RgbImage& frame) { return embed(std::vector<RgbImage>{frame}).front(); }

}  // namespace frameline
