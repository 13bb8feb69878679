#include "core/models/user_models.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <optional>

#include "core/error.h"
#include "core/models/image_prep.h"
#include "core/models/torch_model.h"

namespace frameline {

namespace {

void normalise(std::vector<float>& v) {
    double sum = 0;
    for (float x : v) sum += double(x) * x;
    if (sum <= 0) return;
    const float inv = float(1.0 / std::sqrt(sum));
    for (float& x : v) x *= inv;
}

// Probabilities from a classifier's outputs: a softmax unless they already are probabilities.
std::vector<double> probabilities(const float* values, size_t n) {
    bool already = true;
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
        already = already && values[i] >= 0 && values[i] <= 1;
        total += values[i];
    }
    std::vector<double> p(n);
    if (already && std::abs(total - 1.0) < 1e-3) {
        for (size_t i = 0; i < n; ++i) p[i] = values[i];
        return p;
    }
    double top = values[0];
    for (size_t i = 1; i < n; ++i) top = std::max<double>(top, values[i]);
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += p[i] = std::exp(double(values[i]) - top);
    for (double& x : p) x /= sum;
    return p;
}

struct LoadedModel {
    ModelManifest manifest;
    ImagePrep prep;
    TorchModel model;
};

}  // namespace

struct UserFrameModels::Impl {
    std::vector<LoadedModel> models;
    std::vector<std::string> skipped;
    std::string version;
};

UserFrameModels::UserFrameModels(const ComputeDevice& device, const ZooPaths& paths) : impl_(std::make_unique<Impl>()) {
    for (const ModelEntry& e : discover_models(paths)) {
        if (e.origin != "user" || !e.manifest) {
            if (e.origin == "user") impl_->skipped.push_back(e.name + ": " + e.message);
            continue;
        }
        const ModelManifest& m = *e.manifest;
        if (m.task != "image_embedding" && m.task != "classifier") continue;
        if (e.state != ModelState::ready) {
            impl_->skipped.push_back(e.name + ": " + e.message);
            continue;
        }
        try {
            TorchModelOptions options;
            options.fix_hint = "replace " + e.model_file.string() + " with a working TorchScript export";
            LoadedModel loaded{m, image_prep_for(m), TorchModel(e.model_file, device, options)};
            if (m.task == "classifier" && m.labels.empty())
                throw Error(m.path.string() + ": a classifier needs \"labels\"; fix the manifest");
            impl_->version += (impl_->version.empty() ? "" : ",") + m.name + "@" + std::to_string(m.revision);
            impl_->models.push_back(std::move(loaded));
        } catch (const Error& error) {
            impl_->skipped.push_back(e.name + ": " + error.what());
        }
    }
}

UserFrameModels::~UserFrameModels() = default;
UserFrameModels::UserFrameModels(UserFrameModels&&) noexcept = default;
UserFrameModels& UserFrameModels::operator=(UserFrameModels&&) noexcept = default;

bool UserFrameModels::empty() const { return impl_->models.empty(); }
const std::vector<std::string>& UserFrameModels::skipped() const { return impl_->skipped; }
std::string UserFrameModels::version() const { return impl_->version; }

void UserFrameModels::analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out) {
    std::vector<RgbImage> images;
    for (const SampledPicture& p : batch) images.push_back(p.rgb);
    for (LoadedModel& m : impl_->models) {
        std::vector<Tensor> outputs;
        if (m.manifest.input.fixed_batch) {  // one at a time
            std::vector<Tensor> parts;
            for (const RgbImage& image : images) parts.push_back(m.model.run(prepare_images({image}, m.prep)).at(0));
            outputs.push_back(concat_batch(parts));
        } else {
            outputs = m.model.run(prepare_images(images, m.prep));
        }
        const Tensor& first = outputs.at(0);
        if (first.shape.empty() || first.dim(0) != static_cast<int64_t>(batch.size()))
            throw Error(m.manifest.path.string() + ": the model gave " + shape_string(first.shape) + " for " +
                        std::to_string(batch.size()) + " pictures; it must give one row per picture");
        const size_t n = first.item_size();
        for (size_t i = 0; i < batch.size(); ++i) {
            const float* row = first.item(static_cast<int64_t>(i));
            if (m.manifest.task == "image_embedding") {
                Embedding e;
                e.model = m.manifest.name;
                e.entity = "frame";
                e.entity_key = batch[i].frame_index;
                e.vector.assign(row, row + n);
                normalise(e.vector);
                out.embeddings.push_back(std::move(e));
            } else {
                if (n != m.manifest.labels.size())
                    throw Error(m.manifest.path.string() + ": " + std::to_string(n) + " outputs but " +
                                std::to_string(m.manifest.labels.size()) + " labels; fix the manifest");
                const std::vector<double> p = probabilities(row, n);
                nlohmann::json scores = nlohmann::json::object();
                for (size_t k = 0; k < n; ++k) scores[m.manifest.labels[k]] = p[k];
                out.frame_scores.push_back(FrameScores{0, 0, batch[i].frame_index, m.manifest.name, scores.dump()});
            }
        }
    }
}

std::vector<float> byte_tokens(const std::string& text, int length) {
    std::vector<float> ids(static_cast<size_t>(std::max(0, length)), 0.0f);
    for (size_t i = 0; i < text.size() && i < ids.size(); ++i) ids[i] = float(static_cast<unsigned char>(text[i]) + 1);
    return ids;
}

struct TextEncoder::Impl {
    ModelManifest manifest;
    std::string pairs_with;
    int length = 0;
    std::optional<TorchModel> model;
};

TextEncoder::TextEncoder(const std::string& name, const ComputeDevice& device, const ZooPaths& paths)
    : impl_(std::make_unique<Impl>()) {
    for (const ModelEntry& e : discover_models(paths)) {
        if (e.name != name) continue;
        if (!e.manifest || e.state != ModelState::ready) throw Error("text model '" + name + "': " + e.message);
        const ModelManifest& m = *e.manifest;
        if (m.task != "text_embedding" || m.input.kind != "tokens" || m.input.shape.size() != 2)
            throw Error(m.path.string() + ": not a text_embedding model with a [1, T] tokens input; fix the manifest");
        const auto input = nlohmann::json::parse(m.input.json, nullptr, false);
        const std::string tokenizer = input.is_object() ? input.value("tokenizer", "bytes") : "bytes";
        if (tokenizer != "bytes")
            throw Error(m.path.string() + ": tokenizer '" + tokenizer + "' is not known (only \"bytes\"); bake the " +
                        "model's own tokenizer into its TorchScript and use \"bytes\"");
        const auto whole = nlohmann::json::parse(std::ifstream(m.path), nullptr, false);
        impl_->pairs_with = whole.is_object() ? whole.value("pairs_with", "") : "";
        impl_->manifest = m;
        impl_->length = static_cast<int>(m.input.shape[1]);
        TorchModelOptions options;
        options.fix_hint = "replace " + e.model_file.string() + " with a working TorchScript export";
        impl_->model.emplace(e.model_file, device, options);
        return;
    }
    throw Error("no text model '" + name + "' in " + user_models_dir().string() +
                " — add a folder with its manifest.json and TorchScript file");
}

TextEncoder::~TextEncoder() = default;
TextEncoder::TextEncoder(TextEncoder&&) noexcept = default;
TextEncoder& TextEncoder::operator=(TextEncoder&&) noexcept = default;

const std::string& TextEncoder::pairs_with() const { return impl_->pairs_with; }

std::vector<float> TextEncoder::encode(const std::string& text) {
    Tensor tokens({1, impl_->length}, byte_tokens(text, impl_->length));
    const Tensor out = impl_->model->run(tokens).at(0);
    std::vector<float> v(out.data.begin(), out.data.begin() + static_cast<long>(out.item_size()));
    normalise(v);
    return v;
}

}  // namespace frameline
