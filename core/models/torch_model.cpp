#include "core/models/torch_model.h"

#include <ATen/Parallel.h>
#include <torch/script.h>
#include <torch/version.h>

#include <chrono>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace frameline {
namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// c10::Error messages run over many lines (a TorchScript traceback, a C++ backtrace); people need the line that
// says what went wrong: the interpreter's "RuntimeError: ..." when there is one, else the first line.
std::string short_reason(const std::string& s) {
    std::string best;
    std::istringstream lines(s);
    for (std::string line; std::getline(lines, line);) {
        const auto pos = line.find("Error: ");
        if (pos != std::string::npos && pos < 40) best = line;  // the last one wins: the innermost cause
    }
    if (best.empty()) best = s.substr(0, s.find('\n'));
    while (!best.empty() && (best.back() == ' ' || best.back() == '\r')) best.pop_back();
    if (best.size() > 300) best = best.substr(0, 300) + "...";
    return best;
}

std::string reason_of(const std::exception& e) {
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return short_reason(c10->what_without_backtrace());
    return short_reason(e.what());
}

void flatten_outputs(const c10::IValue& v, std::vector<at::Tensor>& out, const std::string& file) {
    if (v.isTensor()) {
        out.push_back(v.toTensor());
    } else if (v.isTuple()) {
        for (const auto& e : v.toTupleRef().elements()) flatten_outputs(e, out, file);
    } else if (v.isTensorList()) {
        for (const at::Tensor& t : v.toTensorVector()) out.push_back(t);
    } else if (v.isList()) {
        for (const auto& e : v.toListRef()) flatten_outputs(e, out, file);
    } else {
        throw Error(file + ": forward() returned a " + v.tagKind() +
                    ", expected a tensor or a tuple of tensors; run scripts/convert-models.sh --force");
    }
}

// LibTorch prints its warnings (TORCH_WARN) on stderr through glog, once per call; frameline-cli's stderr must
// carry only its one-line error. Each model keeps the distinct warnings its runs raised instead (warnings()).
// One set of sources for Debian's LibTorch 1.13 (CI) and torch 2.x's CUDA LibTorch (the GPU machine): 2.0 made a
// warning one object and moved the handler's guard.
class CollectWarnings : public c10::WarningHandler {
public:
    explicit CollectWarnings(std::vector<std::string>& into) : into_(into) {}
#if TORCH_VERSION_MAJOR >= 2
    void process(const c10::Warning& warning) override { keep(warning.msg()); }
#else
    void process(const c10::SourceLocation&, const std::string& msg, const bool) override { keep(msg); }
#endif

private:
    void keep(const std::string& msg) {
        std::string line = msg.substr(0, msg.find('\n'));
        if (into_.size() < 16 && std::find(into_.begin(), into_.end(), line) == into_.end()) into_.push_back(line);
    }
    std::vector<std::string>& into_;
};
#if TORCH_VERSION_MAJOR >= 2
using WarningHandlerGuard = c10::WarningUtils::WarningHandlerGuard;
#else
using WarningHandlerGuard = c10::Warning::WarningHandlerGuard;
#endif

}  // namespace

struct TorchModel::Impl {
    std::filesystem::path file;
    ComputeDevice device;
    torch::Device torch_device{torch::kCPU};
    bool half = false;
    bool optimized = false;
    int threads = 0;  // TorchModelOptions::threads
    torch::jit::Module module;
    double load_ms = 0;
    double warm_up_ms = 0;
    std::vector<std::string> warnings;
    // CUDA: one page-locked host buffer per input. A copy from pageable memory goes through a driver bounce buffer
    // and blocks; from page-locked memory it is one DMA, queued on the stream ahead of the forward pass.
    std::vector<at::Tensor> pinned;

    at::Tensor to_device(const at::Tensor& host, size_t input) {
        if (pinned.size() <= input) pinned.resize(input + 1);
        at::Tensor& buffer = pinned[input];
        if (!buffer.defined() || buffer.numel() < host.numel())
            buffer = at::empty({host.numel()}, at::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
        at::Tensor staged = buffer.narrow(0, 0, host.numel()).view(host.sizes());
        staged.copy_(host);
        // Safe to refill on the next run: run() copies the outputs back, which waits for this stream's work.
        return staged.to(torch_device, half ? torch::kHalf : torch::kFloat32, /*non_blocking=*/true);
    }
};

TorchModel::TorchModel(const std::filesystem::path& file, const ComputeDevice& device, TorchModelOptions options)
    : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.file = file;
    d.device = device;
    d.torch_device = device.kind == "cuda" ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    d.half = device.kind == "cuda" && options.half_on_cuda;
    d.threads = options.threads;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error(file.string() + ": no such model file; run scripts/convert-models.sh");
    {
        std::ifstream probe(file, std::ios::binary);
        if (!probe) throw Error(file.string() + ": cannot read the model file (permissions?)");
    }
    const auto t0 = std::chrono::steady_clock::now();
    try {
        d.module = torch::jit::load(file.string(), d.torch_device);
    } catch (const std::exception& e) {
        throw Error(file.string() + ": not a TorchScript file (corrupt or truncated?); " + options.fix_hint + " (" +
                    reason_of(e) + ")");
    }
    d.module.eval();
    if (d.half) d.module.to(torch::kHalf);  // before freezing: frozen weights are constants .to() cannot reach
    if (options.optimize) {
        try {
            torch::jit::Module frozen = torch::jit::freeze(d.module);
            d.module = torch::jit::optimize_for_inference(frozen);
            d.optimized = true;
        } catch (const std::exception&) {
            // Some scripted modules cannot be frozen (e.g. they mutate attributes); they still run as loaded.
        }
    }
    d.load_ms = ms_since(t0);

    if (!options.warm_up_inputs.empty()) {
        const auto t1 = std::chrono::steady_clock::now();
        for (int i = 0; i < std::max(1, options.warm_up_runs); ++i) run(options.warm_up_inputs);
        d.warm_up_ms = ms_since(t1);
    }
}

TorchModel::~TorchModel() = default;
TorchModel::TorchModel(TorchModel&&) noexcept = default;
TorchModel& TorchModel::operator=(TorchModel&&) noexcept = default;

std::vector<Tensor> TorchModel::run(const Tensor& batch) { return run(std::vector<Tensor>{batch}); }

std::vector<Tensor> TorchModel::run(const std::vector<Tensor>& inputs) {
    Impl& d = *impl_;
    std::string shapes;
    for (const Tensor& t : inputs) {
        shapes += (shapes.empty() ? "" : ", ") + shape_string(t.shape);
        if (t.data.size() != element_count(t.shape))
            throw Error(d.file.string() + ": an input of shape " + shape_string(t.shape) + " holds " +
                        std::to_string(t.data.size()) + " values");
    }
    // at::set_num_threads is per calling thread with Debian's OpenMP build: set for this call, then put back. The
    // model's own count, else the device's (choose_compute_device's --threads): a model may run on a thread other
    // than the one that chose the device (the ingest's model stage), and a new thread starts with OpenMP's default.
    struct ThreadsGuard {
        int before = at::get_num_threads();
        explicit ThreadsGuard(int threads) {
            if (threads > 0 && threads != before) at::set_num_threads(threads);
        }
        ~ThreadsGuard() {
            if (at::get_num_threads() != before) at::set_num_threads(before);
        }
    } threads_guard(d.threads > 0 ? d.threads : d.device.threads);
    c10::InferenceMode inference;
    CollectWarnings collect(d.warnings);
    WarningHandlerGuard quiet(&collect);
    std::vector<at::Tensor> outs;
    try {
        std::vector<c10::IValue> args;
        args.reserve(inputs.size());
        for (size_t i = 0; i < inputs.size(); ++i) {
            const Tensor& t = inputs[i];
            // from_blob does not copy; to_device()/clone() do (and the module never sees the caller's buffer).
            at::Tensor x = torch::from_blob(const_cast<float*>(t.data.data()), t.shape, torch::kFloat32);
            if (d.torch_device.is_cuda())
                x = d.to_device(x, i);
            else
                x = x.clone();  // a module may write to its input in place
            args.emplace_back(std::move(x));
        }
        c10::IValue result = d.module.forward(std::move(args));
        flatten_outputs(result, outs, d.file.string());
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(d.file.string() + ": the model rejected an input of shape " + shapes + " (" +
                    reason_of(e) + ")");
    }
    std::vector<Tensor> result;
    result.reserve(outs.size());
    for (const at::Tensor& o : outs) {
        at::Tensor t = o.to(torch::kCPU, torch::kFloat32).contiguous();
        Tensor r;
        r.shape.assign(t.sizes().begin(), t.sizes().end());
        const float* p = t.data_ptr<float>();
        r.data.assign(p, p + t.numel());
        result.push_back(std::move(r));
    }
    return result;
}

const std::filesystem::path& TorchModel::file() const { return impl_->file; }
const ComputeDevice& TorchModel::device() const { return impl_->device; }
bool TorchModel::half() const { return impl_->half; }
bool TorchModel::optimized() const { return impl_->optimized; }
const std::vector<std::string>& TorchModel::warnings() const { return impl_->warnings; }
double TorchModel::load_ms() const { return impl_->load_ms; }
double TorchModel::warm_up_ms() const { return impl_->warm_up_ms; }

}  // namespace frameline
