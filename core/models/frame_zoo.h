#pragma once
// The zoo's per-frame models as one FrameModels set for the model pass (core/pipeline/model_pass.h): faces
// (BlazeFace) with expression, age, gender and an identity vector (emotion; faceres' descriptor, L2-normalised:
// the published mobilefacenet does not tell people apart), COCO objects (CenterNet)
// and maturity scores (NSFWJS), plus the image models users bring (user_models.h). Torch-free header; the models
// load when it is made.
#include <memory>
#include <string>
#include <vector>

#include "core/models/compute_device.h"
#include "core/pipeline/model_pass.h"

namespace frameline {

struct FrameZooOptions {
    // Frames per batch; 0: by device, 8 on the CPU (where larger batches gain nothing: bench_models) and 64 on
    // CUDA, where a batch of 8 leaves the GPU mostly idle between launches. On CUDA each model runs the whole batch
    // at once; on the CPU each at the batch it runs fastest per image (frame_zoo.cpp).
    int batch_size = 0;
    int picture_width = 640;  // frames are decoded at this width for the models (faces of 1/20 the width: 32 px)
    bool faces = true;
    bool objects = true;
    bool maturity = true;
    bool visual_embedding = true;  // visual_embedder.h: MobileNetV2 features + colour/layout, per frame
    bool user_models = true;
};

class FrameZoo final : public FrameModels {
public:
    // Throws frameline::Error naming the model and what to do when one is not converted.
    FrameZoo(const ComputeDevice& device, FrameZooOptions options = {});
    ~FrameZoo() override;

    std::string run_name() const override { return "zoo"; }
    // The zoo's manifests' names and revisions: a changed model makes a new run version.
    std::string run_version() const override;
    int batch_size() const override;
    int picture_width() const override;
    void analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out) override;
    // The Embedding rows' model name for the frames' visual vectors ("" when off).
    std::string visual_model() const;
    // Users' models that were not loaded, one line each (what is wrong, what to do).
    const std::vector<std::string>& skipped() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
