#include "core/models/compute_device.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <thread>

#include "core/error.h"

namespace frameline {

std::string torch_version() { return TORCH_VERSION; }

bool cuda_available() { return torch::cuda::is_available(); }

ComputeDevice choose_compute_device(const std::string& want, int threads) {
    if (want != "auto" && want != "cpu" && want != "cuda")
        throw Error("unknown device '" + want + "' — use auto, cpu or cuda");
    ComputeDevice d;
    // LibTorch uses one intra-op thread by default here; give it the cores we were given.
    d.threads = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(d.threads);
    const bool cuda = cuda_available();
    if (want == "cuda" && !cuda)
        throw Error("--device cuda: this LibTorch " + torch_version() +
                    " has no usable CUDA device — use --device cpu, or build against a CUDA LibTorch");
    if (cuda && want != "cpu") {
        d.kind = "cuda";
        d.name = "CUDA device 0 of " + std::to_string(torch::cuda::device_count());
    } else {
        d.kind = "cpu";
        d.name = "CPU, " + std::to_string(d.threads) + " threads";
    }
    return d;
}

}  // namespace frameline
