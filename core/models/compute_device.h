#pragma once
// Which device the model zoo runs on. LibTorch stays inside core/models/*.cpp.
#include <string>

namespace frameline {

struct ComputeDevice {
    std::string kind;   // "cpu" or "cuda"
    std::string name;   // human readable
    int threads = 0;    // intra-op threads on the CPU
};

// `want` is "auto", "cpu" or "cuda". Sets LibTorch's intra-op threads to `threads` (0 = all cores); LibTorch uses one
// thread by default. Throws frameline::Error for "cuda" when this LibTorch has no CUDA or no GPU is present.
ComputeDevice choose_compute_device(const std::string& want, int threads = 0);

std::string torch_version();
bool cuda_available();

}  // namespace frameline
