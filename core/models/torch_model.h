#pragma once
// One TorchScript model, loaded on a compute device. Torch-free header: LibTorch stays in torch_model.cpp.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/models/compute_device.h"
#include "core/models/tensor.h"

namespace frameline {

struct TorchModelOptions {
    // On CUDA the module and its inputs run in float16 (outputs come back as float32). Parity checks turn it off.
    bool half_on_cuda = true;
    // Freeze the module and optimise it for inference (folds batch norms and constants, fuses convolutions with
    // their activations, pre-packs weights for oneDNN on the CPU): 1.5-3x faster per image here. A module that
    // cannot be frozen runs as loaded.
    bool optimize = true;
    // For a user's own file, what to do about a broken one; the zoo's files are re-made by the converter.
    std::string fix_hint = "run scripts/convert-models.sh --force";
    // When not empty: runs on these inputs (e.g. zeros of the input shape, see model_inputs_for) right after
    // loading, so that the first real batch does not pay for the JIT's profiling runs and the allocator's growth.
    std::vector<Tensor> warm_up_inputs;
    int warm_up_runs = 2;
    // Intra-op threads while this model runs (0: the device's, choose_compute_device's, on whatever thread runs it).
    // Tiny models fed one small chunk at a time (Silero VAD) run several times slower on two threads than on one:
    // the work per call is smaller than the cost of waking a second thread.
    int threads = 0;
};

class TorchModel {
public:
    // Throws frameline::Error naming the file and what to do: a missing file, or one that is not TorchScript
    // ("...: not a TorchScript file (corrupt or truncated?); run scripts/convert-models.sh --force").
    TorchModel(const std::filesystem::path& file, const ComputeDevice& device, TorchModelOptions options = {});
    ~TorchModel();
    TorchModel(TorchModel&&) noexcept;
    TorchModel& operator=(TorchModel&&) noexcept;

    // Runs forward(batch) and returns its outputs (a tuple's elements in order; a single tensor as one output), as
    // float32 on the host. Throws frameline::Error naming the file when the model rejects the input.
    // Not for concurrent use from several threads (BatchRunner gives a model one inference thread).
    std::vector<Tensor> run(const Tensor& batch);
    // forward(inputs...) for models that take more than one tensor (e.g. audio with a streaming state).
    std::vector<Tensor> run(const std::vector<Tensor>& inputs);

    const std::filesystem::path& file() const;
    const ComputeDevice& device() const;
    bool half() const;
    bool optimized() const;      // frozen and optimised for inference (see TorchModelOptions::optimize)
    // The distinct LibTorch warnings the runs raised (not printed: stderr belongs to the program), e.g. a
    // converted graph's deprecated op. At most 16.
    const std::vector<std::string>& warnings() const;
    double load_ms() const;      // reading and moving the module to the device
    double warm_up_ms() const;   // the warm-up runs (0 without warm_up_shape)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
