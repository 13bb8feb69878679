#include "core/models/face_analyser.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"
#include "core/models/face_align.h"
#include "core/models/image_prep.h"
#include "core/models/zoo_model.h"

namespace frameline {

double age_from_bins(const float* p, int n) {
    if (n <= 0) return 0;
    const int i = static_cast<int>(std::max_element(p, p + n) - p);
    const double below = i > 0 ? p[i - 1] : -1.0, above = i + 1 < n ? p[i + 1] : -1.0;
    // human: round(p[i-1] > p[i+1] ? 10 i - 100 p[i-1] : 10 i + 100 p[i+1]) / 10
    const double tenths = below > above ? 10.0 * i - 100.0 * below : 10.0 * i + 100.0 * std::max(0.0, above);
    return std::round(tenths) / 10.0;
}

double cosine_similarity(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.empty() || a.size() != b.size()) return 0;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

namespace {
struct Model {
    ZooModel zoo;
    int size = 0;  // square input
    ImagePrep prep;
    std::vector<double> grey_weights;  // colour "grey" only
};

Model open(const std::string& name, const ComputeDevice& device) {
    Model m{open_zoo_model(name, device), 0, {}, {}};
    m.prep = image_prep_for(m.zoo.manifest);
    if (m.prep.width != m.prep.height)
        throw Error(m.zoo.manifest.path.string() + ": face models need a square input; fix the manifest");
    m.size = m.prep.width;
    if (m.prep.colour == "grey") {
        m.grey_weights = {0.2989, 0.587, 0.114};
        const auto in = nlohmann::json::parse(m.zoo.manifest.input.json, nullptr, false);
        if (in.is_object() && in.contains("grey_weights") && in["grey_weights"].is_array() &&
            in["grey_weights"].size() == 3)
            m.grey_weights = in["grey_weights"].get<std::vector<double>>();
    }
    return m;
}

// Item `index` of `batch` from an aligned crop of exactly the model's size.
void write_crop(const Model& m, const RgbImage& crop, Tensor& batch, int64_t index) {
    const size_t plane = size_t(m.size) * m.size;
    float* dst = batch.item(index);
    const ImagePrep& p = m.prep;
    for (size_t i = 0; i < plane; ++i) {
        const uint8_t* px = &crop.rgb[i * 3];
        if (p.colour == "grey") {
            const double g = m.grey_weights[0] * px[0] + m.grey_weights[1] * px[1] + m.grey_weights[2] * px[2];
            for (int c = 0; c < p.channels; ++c) dst[c * plane + i] = float(g * p.scale[size_t(c)] + p.offset[size_t(c)]);
        } else {
            for (int c = 0; c < p.channels; ++c) {
                const int src = p.colour == "bgr" ? 2 - c : c;
                dst[c * plane + i] = float(px[src] * p.scale[size_t(c)] + p.offset[size_t(c)]);
            }
        }
    }
}
}  // namespace

struct FaceAnalyser::Impl {
    FaceAnalyserOptions options;
    std::optional<Model> emotion, faceres, mobilefacenet;

    // Runs `m` over all crops in batches; `take(face, outputs, item)` reads item `item` of the outputs.
    template <class Take>
    void run(Model& m, const std::vector<std::pair<const RgbImage*, FaceAlignment>>& faces, Take take) {
        const size_t step = size_t(std::max(1, options.max_batch));
        for (size_t start = 0; start < faces.size(); start += step) {
            const size_t count = std::min(step, faces.size() - start);
            Tensor batch({int64_t(count), m.prep.channels, m.size, m.size});
            for (size_t j = 0; j < count; ++j)
                write_crop(m, warp_face(*faces[start + j].first, faces[start + j].second, m.size), batch, int64_t(j));
            const std::vector<Tensor> out = m.zoo.model.run(batch);
            for (size_t j = 0; j < count; ++j) take(start + j, out, int64_t(j));
        }
    }
};

FaceAnalyser::FaceAnalyser(const ComputeDevice& device, FaceAnalyserOptions options)
    : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.options = options;
    if (options.expression) d.emotion = open("emotion", device);
    if (options.attributes) d.faceres = open("faceres", device);
    if (options.identity) d.mobilefacenet = open("mobilefacenet", device);
}
FaceAnalyser::~FaceAnalyser() = default;
FaceAnalyser::FaceAnalyser(FaceAnalyser&&) noexcept = default;
FaceAnalyser& FaceAnalyser::operator=(FaceAnalyser&&) noexcept = default;
const FaceAnalyserOptions& FaceAnalyser::options() const { return impl_->options; }

std::vector<std::vector<FaceAnalysis>> FaceAnalyser::analyse(const std::vector<RgbImage>& frames,
                                                             const std::vector<std::vector<FaceDetection>>& faces) {
    Impl& d = *impl_;
    if (faces.size() != frames.size())
        throw Error("face analysis: " + std::to_string(faces.size()) + " face lists for " +
                    std::to_string(frames.size()) + " frames");
    std::vector<std::vector<FaceAnalysis>> out(frames.size());
    std::vector<std::pair<const RgbImage*, FaceAlignment>> all;
    std::vector<FaceAnalysis*> results;
    for (size_t f = 0; f < frames.size(); ++f) {
        out[f].resize(frames[f].empty() ? 0 : faces[f].size());
        for (size_t i = 0; i < out[f].size(); ++i) {
            all.emplace_back(&frames[f], face_alignment(frames[f].width, frames[f].height, faces[f][i], d.options.margin));
            results.push_back(&out[f][i]);
        }
    }
    if (all.empty()) return out;

    if (d.emotion) {
        const std::vector<std::string>& labels = d.emotion->zoo.manifest.labels;
        d.run(*d.emotion, all, [&](size_t face, const std::vector<Tensor>& o, int64_t item) {
            const Tensor& t = o.at(0);
            FaceAnalysis& r = *results[face];
            r.expressions.clear();
            for (size_t k = 0; k < t.item_size(); ++k)
                r.expressions.emplace_back(k < labels.size() ? labels[k] : std::to_string(k), t.item(item)[k]);
            std::stable_sort(r.expressions.begin(), r.expressions.end(),
                             [](const auto& a, const auto& b) { return a.second > b.second; });
            if (!r.expressions.empty()) std::tie(r.expression, r.expression_score) = r.expressions.front();
        });
    }
    if (d.faceres) {
        const size_t gi = output_index(d.faceres->zoo.manifest, "gender");
        const size_t ai = output_index(d.faceres->zoo.manifest, "age");
        const size_t di = output_index(d.faceres->zoo.manifest, "descriptor");
        d.run(*d.faceres, all, [&](size_t face, const std::vector<Tensor>& o, int64_t item) {
            FaceAnalysis& r = *results[face];
            const double p = o.at(gi).item(item)[0];
            r.male_probability = p;
            r.gender_score = std::min(1.0, 2.0 * std::abs(p - 0.5));
            r.gender = r.gender_score > d.options.min_gender_confidence ? (p <= 0.5 ? "female" : "male") : "unknown";
            r.age = age_from_bins(o.at(ai).item(item), int(o.at(ai).item_size()));
            r.descriptor.assign(o.at(di).item(item), o.at(di).item(item) + o.at(di).item_size());
        });
    }
    if (d.mobilefacenet) {
        d.run(*d.mobilefacenet, all, [&](size_t face, const std::vector<Tensor>& o, int64_t item) {
            const Tensor& t = o.at(0);
            FaceAnalysis& r = *results[face];
            r.identity.assign(t.item(item), t.item(item) + t.item_size());
            // The graph normalises already; do it again so half precision on CUDA stays unit length.
            double n = 0;
            for (float v : r.identity) n += double(v) * v;
            if (n > 0)
                for (float& v : r.identity) v = float(v / std::sqrt(n));
        });
    }
    return out;
}

std::vector<FaceAnalysis> FaceAnalyser::analyse(const RgbImage& frame, const std::vector<FaceDetection>& faces) {
    return analyse(std::vector<RgbImage>{frame}, std::vector<std::vector<FaceDetection>>{faces}).front();
}

}  // namespace frameline
