#pragma once
// One model of the zoo, found by name and loaded for the task-specific wrappers (ObjectDetector, FaceDetector,
// ...). Torch-free: the TorchModel hides LibTorch.
#include <string>
#include <vector>

#include "core/models/compute_device.h"
#include "core/models/model_manifest.h"
#include "core/models/model_zoo.h"
#include "core/models/torch_model.h"

namespace frameline {

struct ZooModel {
    ModelManifest manifest;
    TorchModel model;
};

// Finds `name` among the zoo's manifests (the user's folder may replace a shipped model) and loads its converted
// file on `device` with `options`, warmed up with `warm_up_batch` items of zeros (0: no warm-up). Throws
// frameline::Error with what to do when the model is missing, stale or broken ("...; run scripts/convert-models.sh").
ZooModel open_zoo_model(const std::string& name, const ComputeDevice& device, int warm_up_batch = 1,
                        TorchModelOptions options = {}, const ZooPaths& paths = default_zoo_paths());

// The index of the output called `name` in the manifest (outputs come back in manifest order); throws
// frameline::Error naming the manifest when there is none.
size_t output_index(const ModelManifest& manifest, const std::string& name);

}  // namespace frameline
