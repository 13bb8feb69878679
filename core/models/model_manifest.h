#pragma once
// A model's manifest (models/<name>/manifest.json; the shared contract: models/CONTRACT.md §1): what the model
// is, where its weights come from, and what its TorchScript input and outputs look like. No torch here.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace frameline {

struct ModelSource {
    std::string registry;  // "npm", "debian", ... (empty for a user's own file)
    std::string package;
    std::string version;
    std::vector<std::string> files;
    std::string licence;
    std::string homepage;
    // "package@version", or "" when the manifest names no package.
    std::string label() const { return package.empty() ? std::string() : package + "@" + version; }
};

struct ModelInput {
    std::string kind;             // image | audio | tokens
    std::vector<int64_t> shape;   // TorchScript input; for images NCHW float32
    bool fixed_batch = false;     // dim 0 may not vary
    // Image inputs:
    std::string colour = "rgb";   // rgb | bgr | grey
    std::vector<double> scale;    // per channel (expanded from a single number), x = pixel * scale + offset
    std::vector<double> offset;
    std::string resize = "stretch";  // stretch | letterbox
    // Audio inputs:
    int sample_rate = 0;
    int chunk_samples = 0;
    std::string json;             // the whole "input" object as JSON text, for fields a model's own code needs

    int channels() const { return shape.size() == 4 ? static_cast<int>(shape[1]) : 0; }
    int height() const { return shape.size() == 4 ? static_cast<int>(shape[2]) : 0; }
    int width() const { return shape.size() == 4 ? static_cast<int>(shape[3]) : 0; }
};

struct ModelOutput {
    std::string name;
    std::vector<int64_t> shape;
    std::string layout;  // "NHWC", "NCHW", "NC", ... as the original model has it; may be empty
    std::string description;
};

struct ModelManifest {
    std::filesystem::path path;  // the manifest file
    std::string sha256;          // of the manifest file's bytes (staleness of the converted file)
    std::string name;
    std::string task;
    std::string description;
    int revision = 0;
    ModelSource source;
    std::string format;  // tfjs-graph | onnx-silero | torchscript
    std::string file;    // for "torchscript": the user's file, relative to the manifest's folder
    ModelInput input;
    std::vector<ModelOutput> outputs;
    std::vector<std::string> labels;
    std::string reference;  // file name beside the manifest; may be empty (a user's model without one)

    std::filesystem::path folder() const { return path.parent_path(); }
    std::filesystem::path reference_path() const {
        return reference.empty() ? std::filesystem::path() : folder() / reference;
    }
};

// Reads and validates a manifest. Throws frameline::Error with one line naming the file and the field, e.g.
// "models/x/manifest.json: input.shape must have 4 dimensions; fix the manifest".
ModelManifest load_manifest(const std::filesystem::path& file);
// The same on text already read; `file` names it in messages and gives the folder (the name must equal it).
ModelManifest parse_manifest(const std::string& text, const std::filesystem::path& file);

// The tasks and formats the contract knows.
const std::vector<std::string>& known_model_tasks();
const std::vector<std::string>& known_model_formats();

}  // namespace frameline
