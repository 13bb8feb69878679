#include "core/models/frame_zoo.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

#include "core/models/face_analyser.h"
#include "core/models/face_detector.h"
#include "core/models/maturity_classifier.h"
#include "core/models/model_zoo.h"
#include "core/models/object_detector.h"
#include "core/models/user_models.h"
#include "core/models/visual_embedder.h"

namespace frameline {

struct FrameZoo::Impl {
    FrameZooOptions options;
    std::string version;
    std::optional<FaceDetector> face_detector;
    std::optional<FaceAnalyser> face_analyser;
    std::optional<ObjectDetector> object_detector;
    std::optional<MaturityClassifier> maturity;
    std::optional<VisualEmbedder> visual;
    std::optional<UserFrameModels> user;
    std::vector<std::string> skipped;
};

FrameZoo::FrameZoo(const ComputeDevice& device, FrameZooOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = options;
    const bool cuda = device.kind == "cuda";
    if (impl_->options.batch_size <= 0) impl_->options.batch_size = cuda ? 64 : 8;
    // Each model's own batch. On CUDA the zoo's whole batch: the models' defaults (8 frames) would cut it up again
    // and leave the GPU idle between launches. On the CPU the size `models bench` measures fastest per image: nsfw
    // 1 (9.9 ms an image, against 16 ms at 4 and 20 ms at 8), the others their defaults (8 +- 15 %).
    const int gpu_batch = impl_->options.batch_size;
    if (options.faces) {
        FaceDetectorOptions detector;
        if (cuda) detector.max_batch = gpu_batch;
        impl_->face_detector.emplace(device, detector);
        // Identity comes from faceres' 1024-d descriptor: the published mobilefacenet gives nearly the same vector
        // for every face (cosine 0.999 between different people, tst_face_analysis), faceres separates them (0.96
        // for the same face moved and scaled, 0.33 for another person).
        FaceAnalyserOptions analyser;
        analyser.identity = false;
        if (cuda) analyser.max_batch = gpu_batch;
        impl_->face_analyser.emplace(device, analyser);
    }
    if (options.objects) impl_->object_detector.emplace(device);  // CenterNet's graph takes one image per run
    if (options.maturity) impl_->maturity.emplace(device, MaturityClassifier::Options{cuda ? gpu_batch : 1});
    if (options.visual_embedding) {
        VisualEmbedderOptions visual;
        if (cuda) visual.max_batch = gpu_batch;
        impl_->visual.emplace(device, visual);
    }
    for (const ModelEntry& e : discover_models())
        if (e.manifest && e.origin == "repo" && e.manifest->task != "voice_activity")
            impl_->version += (impl_->version.empty() ? "" : ",") + e.name + "@" + std::to_string(e.manifest->revision);
    if (options.user_models) {
        impl_->user.emplace(device);
        impl_->skipped = impl_->user->skipped();
        if (!impl_->user->empty()) impl_->version += ",user:" + impl_->user->version();
    }
}

const std::vector<std::string>& FrameZoo::skipped() const { return impl_->skipped; }

std::string FrameZoo::visual_model() const { return impl_->visual ? impl_->visual->model_name() : std::string(); }

FrameZoo::~FrameZoo() = default;

std::string FrameZoo::run_version() const { return impl_->version; }
int FrameZoo::batch_size() const { return impl_->options.batch_size; }
int FrameZoo::picture_width() const { return impl_->options.picture_width; }

void FrameZoo::analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out) {
    std::vector<RgbImage> frames;
    frames.reserve(batch.size());
    for (const SampledPicture& p : batch) frames.push_back(p.rgb);

    if (impl_->face_detector) {
        const auto detections = impl_->face_detector->detect(frames);
        const auto analyses = impl_->face_analyser->analyse(frames, detections);
        for (size_t i = 0; i < batch.size(); ++i)
            for (size_t k = 0; k < detections[i].size(); ++k) {
                const FaceDetection& d = detections[i][k];
                const FaceAnalysis& a = analyses[i][k];
                Face f;
                f.frame_index = batch[i].frame_index;
                f.x = d.box.x;
                f.y = d.box.y;
                f.width = d.box.width;
                f.height = d.box.height;
                f.score = d.score;
                nlohmann::json points = nlohmann::json::array();
                for (const FramePoint& p : d.keypoints) points.push_back({p.x, p.y});
                f.landmarks = points.dump();
                f.expression = a.expression;
                f.expression_score = a.expression_score;
                f.age = a.age;
                f.gender = a.gender;
                f.gender_score = a.gender_score;
                f.identity = a.descriptor;
                double norm = 0;
                for (float v : f.identity) norm += double(v) * v;
                if (norm > 0)
                    for (float& v : f.identity) v = float(v / std::sqrt(norm));
                if (f.width > 0 && f.height > 0) out.faces.push_back(std::move(f));
            }
    }
    if (impl_->object_detector) {
        const auto objects = impl_->object_detector->detect(frames);
        for (size_t i = 0; i < batch.size(); ++i)
            for (const ObjectDetection& o : objects[i])
                if (o.box.width > 0 && o.box.height > 0)
                    out.detections.push_back(Detection{0, 0, batch[i].frame_index, o.label, o.score, o.box.x,
                                                       o.box.y, o.box.width, o.box.height});
    }
    if (impl_->maturity) {
        const auto scores = impl_->maturity->classify(frames);
        for (size_t i = 0; i < batch.size(); ++i) {
            nlohmann::json j = nlohmann::json::object();
            for (const auto& [label, p] : scores[i].classes) j[label] = p;
            out.frame_scores.push_back(FrameScores{0, 0, batch[i].frame_index, "nsfw", j.dump()});
        }
    }
    if (impl_->visual) {
        auto vectors = impl_->visual->embed(frames);
        for (size_t i = 0; i < batch.size(); ++i) {
            if (vectors[i].empty()) continue;
            Embedding e;
            e.model = impl_->visual->model_name();
            e.entity = "frame";
            e.entity_key = batch[i].frame_index;
            e.vector = std::move(vectors[i]);
            out.embeddings.push_back(std::move(e));
        }
    }
    if (impl_->user && !impl_->user->empty()) impl_->user->analyse(batch, out);
}

}  // namespace frameline
