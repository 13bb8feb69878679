#pragma once
// Parity of a converted model with the original runtime: the contract's pattern input ("frameline-pattern-v1",
// models/CONTRACT.md §3) through the TorchScript file, compared with the samples in reference.json (§4).
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/models/compute_device.h"
#include "core/models/model_manifest.h"
#include "core/models/tensor.h"

namespace frameline {

// The image pattern of `shape` [N, C, H, W]: pixel = round(255 * v(n,c,h,w)), x = pixel * scale[c] + offset[c].
Tensor pattern_image(const std::vector<int64_t>& shape, const std::vector<double>& scale,
                     const std::vector<double>& offset);
// The 8-bit pixels of the image pattern (before scale and offset), [N, C, H, W].
std::vector<uint8_t> pattern_pixels(const std::vector<int64_t>& shape);
// The audio pattern: `samples` float32 samples at `sample_rate`.
std::vector<float> pattern_audio(int samples = 16000, int sample_rate = 16000);

// Inputs of the manifest's shape filled with zeros, with `batch` items (image: [batch, C, H, W]; audio: samples
// and the zero streaming state). For warm-up runs.
std::vector<Tensor> zero_inputs_for(const ModelManifest& manifest, int64_t batch = 1);

struct ReferenceOutput {
    std::string name;
    std::vector<int64_t> shape;
    double max_abs = 0;
    std::vector<std::pair<int64_t, double>> samples;  // (flat index, value)
};

struct ReferenceData {
    std::filesystem::path path;
    std::string input;   // "frameline-pattern-v1"
    std::vector<int64_t> input_shape;
    std::string runtime;
    double rtol = 1e-4;
    std::vector<ReferenceOutput> outputs;
};

// Reads reference.json; throws frameline::Error naming the file and the field.
ReferenceData load_reference(const std::filesystem::path& file);

struct OutputParity {
    std::string name;
    std::vector<int64_t> shape;  // what the model gave
    size_t samples = 0;
    double worst_abs = 0;        // max |got - ref|
    // max |got - ref| / (|ref| + max_abs): the sample passes when this is <= rtol (the contract's test, divided).
    double worst_rel = 0;
    int64_t worst_index = -1;    // flat index of the worst sample
    bool pass = false;
    std::string message;         // one line when it fails
};

struct ParityResult {
    bool pass = false;
    std::string reason;          // one line when it fails
    double rtol = 0;
    std::vector<OutputParity> outputs;
};

// Compares outputs (in manifest order, matched by position to the reference's names) with the reference.
ParityResult compare_with_reference(const ReferenceData& ref, const std::vector<std::string>& names,
                                    const std::vector<Tensor>& outputs);

struct ReferenceCheck {
    ParityResult parity;
    std::string device;          // "cpu" / "cuda"
    double load_ms = 0;
    double warm_up_ms = 0;
    double run_ms = 0;           // one reference run (median of `runs`); for audio the whole stream
    int runs = 0;
    std::vector<std::string> warnings;  // LibTorch's, from loading and running the model
};

// Loads `model_file` on `device` (float32, even on CUDA), runs the pattern `runs` times, and compares the last run
// with the manifest's reference. Throws frameline::Error for a model or reference that cannot be read.
ReferenceCheck check_against_reference(const ModelManifest& manifest, const std::filesystem::path& model_file,
                                       const ComputeDevice& device, int runs = 3);

}  // namespace frameline
