#include "core/models/reference_check.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"
#include "core/models/torch_model.h"

namespace frameline {
namespace {

using nlohmann::json;

// The streaming layout of an audio model (manifest "input": chunk_samples, context_samples, state_shape).
struct AudioSpec {
    int chunk = 0;
    int context = 0;
    std::vector<int64_t> state_shape;  // empty: forward(x) without a state
};

AudioSpec audio_spec(const ModelManifest& m) {
    AudioSpec a;
    a.chunk = m.input.chunk_samples;
    const json in = json::parse(m.input.json, nullptr, false);
    if (in.is_object()) {
        if (in.contains("context_samples") && in["context_samples"].is_number_integer())
            a.context = in["context_samples"].get<int>();
        if (in.contains("state_shape") && in["state_shape"].is_array())
            for (const json& d : in["state_shape"])
                if (d.is_number_integer()) a.state_shape.push_back(d.get<int64_t>());
    }
    if (a.chunk <= 0 || a.context < 0) throw Error(m.path.string() + ": input.chunk_samples must be positive; fix the manifest");
    return a;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

std::vector<uint8_t> pattern_pixels(const std::vector<int64_t>& shape) {
    if (shape.size() != 4) throw Error("the image pattern needs a shape [N, C, H, W], got " + shape_string(shape));
    const int64_t N = shape[0], C = shape[1], H = shape[2], W = shape[3];
    std::vector<uint8_t> out(element_count(shape));
    size_t i = 0;
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t h = 0; h < H; ++h)
                for (int64_t w = 0; w < W; ++w) {
                    const double v = 0.5 + 0.5 * std::sin(0.37 * double(c + 1) + 0.113 * double(h) + 0.071 * double(w) +
                                                          1.3 * double(n)) *
                                               std::cos(0.029 * double(h) - 0.047 * double(w));
                    out[i++] = static_cast<uint8_t>(std::floor(255.0 * v + 0.5));  // v >= 0: round half away from 0
                }
    return out;
}

Tensor pattern_image(const std::vector<int64_t>& shape, const std::vector<double>& scale,
                     const std::vector<double>& offset) {
    const std::vector<uint8_t> pixels = pattern_pixels(shape);
    const int64_t C = shape[1];
    if (int64_t(scale.size()) != C || int64_t(offset.size()) != C)
        throw Error("the image pattern needs one scale and offset per channel (" + std::to_string(C) + ")");
    Tensor t(shape);
    const size_t plane = size_t(shape[2]) * size_t(shape[3]);
    for (size_t i = 0; i < pixels.size(); ++i) {
        const size_t c = (i / plane) % size_t(C);
        t.data[i] = static_cast<float>(double(pixels[i]) * scale[c] + offset[c]);  // computed in double
    }
    return t;
}

std::vector<float> pattern_audio(int samples, int sample_rate) {
    std::vector<float> x(static_cast<size_t>(std::max(0, samples)));
    const double two_pi = 2.0 * M_PI;
    for (size_t t = 0; t < x.size(); ++t) {
        const double s = double(t) / sample_rate;
        x[t] = static_cast<float>(0.3 * std::sin(two_pi * 180 * s) * (0.5 + 0.5 * std::sin(two_pi * 2.5 * s)) +
                                  0.05 * std::sin(two_pi * 1234 * s));
    }
    return x;
}

std::vector<Tensor> zero_inputs_for(const ModelManifest& m, int64_t batch) {
    if (m.input.kind == "image") {
        std::vector<int64_t> shape = m.input.shape;
        shape[0] = m.input.fixed_batch ? m.input.shape[0] : batch;
        return {Tensor(shape)};
    }
    if (m.input.kind == "audio") {
        const AudioSpec a = audio_spec(m);
        std::vector<Tensor> in{Tensor({batch, a.context + a.chunk})};
        if (!a.state_shape.empty()) {
            std::vector<int64_t> s = a.state_shape;
            if (s.size() >= 2) s[1] = batch;  // [layers, batch, hidden]
            in.emplace_back(s);
        }
        return in;
    }
    std::vector<int64_t> shape = m.input.shape;
    for (int64_t& d : shape)
        if (d < 0) d = 1;
    shape[0] = batch;
    return {Tensor(shape)};
}

ReferenceData load_reference(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file.string() + ": no reference outputs; record them (models/README.md) or remove \"reference\"");
    std::ostringstream text;
    text << in.rdbuf();
    auto fail = [&](const std::string& what) -> void {
        throw Error(file.string() + ": " + what + "; re-record the reference outputs");
    };
    const json doc = json::parse(text.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) fail("not a JSON object");
    ReferenceData r;
    r.path = file;
    try {
        r.input = doc.value("input", std::string());
        r.runtime = doc.value("runtime", std::string());
        r.rtol = doc.value("rtol", 1e-4);
        if (doc.contains("input_shape")) r.input_shape = doc["input_shape"].get<std::vector<int64_t>>();
        if (!doc.contains("outputs") || !doc["outputs"].is_array() || doc["outputs"].empty())
            fail("outputs must be a non-empty array");
        for (const json& o : doc["outputs"]) {
            ReferenceOutput out;
            out.name = o.at("name").get<std::string>();
            out.shape = o.at("shape").get<std::vector<int64_t>>();
            out.max_abs = o.at("max_abs").get<double>();
            for (const json& s : o.at("samples")) out.samples.emplace_back(s.at(0).get<int64_t>(), s.at(1).get<double>());
            r.outputs.push_back(std::move(out));
        }
    } catch (const json::exception& e) {
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
        fail("malformed (" + what + ")");
    }
    if (r.input != "frameline-pattern-v1") fail("input is '" + r.input + "', this runtime knows frameline-pattern-v1");
    if (!(r.rtol > 0)) fail("rtol must be positive");
    return r;
}

ParityResult compare_with_reference(const ReferenceData& ref, const std::vector<std::string>& names,
                                    const std::vector<Tensor>& outputs) {
    ParityResult result;
    result.rtol = ref.rtol;
    result.pass = true;
    for (const ReferenceOutput& r : ref.outputs) {
        OutputParity p;
        p.name = r.name;
        const auto it = std::find(names.begin(), names.end(), r.name);
        const size_t k = static_cast<size_t>(it - names.begin());
        if (it == names.end() || k >= outputs.size()) {
            p.message = "output '" + r.name + "' of the reference is not among the model's " +
                        std::to_string(outputs.size()) + " outputs";
        } else {
            const Tensor& got = outputs[k];
            p.shape = got.shape;
            if (got.size() != element_count(r.shape)) {
                p.message = "output '" + r.name + "' has shape " + shape_string(got.shape) + ", the reference " +
                            shape_string(r.shape);
            } else {
                p.pass = true;
                p.samples = r.samples.size();
                for (const auto& [index, want] : r.samples) {
                    if (index < 0 || size_t(index) >= got.size()) {
                        p.pass = false;
                        p.message = "output '" + r.name + "': sample index " + std::to_string(index) + " out of range";
                        break;
                    }
                    const double v = got.data[size_t(index)];
                    const double diff = std::isfinite(v) ? std::abs(v - want) : INFINITY;
                    const double rel = diff / (std::abs(want) + r.max_abs + 1e-30);
                    if (diff > p.worst_abs || std::isnan(diff)) p.worst_abs = diff;
                    if (rel > p.worst_rel || std::isinf(rel)) {
                        p.worst_rel = rel;
                        p.worst_index = index;
                    }
                    if (!(diff <= ref.rtol * std::abs(want) + ref.rtol * r.max_abs)) p.pass = false;
                }
                if (!p.pass && p.message.empty()) {
                    const double got_v = got.data[size_t(p.worst_index)];
                    double want_v = 0;
                    for (const auto& [i, w] : r.samples)
                        if (i == p.worst_index) want_v = w;
                    std::ostringstream m;
                    m.precision(6);
                    m << "output '" << r.name << "' differs at index " << p.worst_index << ": got " << got_v
                      << ", reference " << want_v << " (relative error " << p.worst_rel << " > rtol " << ref.rtol << ")";
                    p.message = m.str();
                }
            }
        }
        if (!p.pass) {
            result.pass = false;
            if (result.reason.empty()) result.reason = p.message;
        }
        result.outputs.push_back(std::move(p));
    }
    return result;
}

ReferenceCheck check_against_reference(const ModelManifest& m, const std::filesystem::path& model_file,
                                       const ComputeDevice& device, int runs) {
    if (m.reference.empty())
        throw Error(m.path.string() + ": names no \"reference\"; nothing to check the model against");
    const ReferenceData ref = load_reference(m.reference_path());
    std::vector<std::string> names;
    for (const ModelOutput& o : m.outputs) names.push_back(o.name);

    ReferenceCheck check;
    check.device = device.kind;
    check.runs = std::max(1, runs);
    TorchModelOptions options;
    options.half_on_cuda = false;  // parity is a float32 question
    options.warm_up_inputs = zero_inputs_for(m, 1);
    options.warm_up_runs = 2;  // the profiling executor's first run profiles, the second optimises
    if (m.format == "torchscript") options.fix_hint = "replace it with a working TorchScript file";
    TorchModel model(model_file, device, options);
    check.load_ms = model.load_ms();
    check.warm_up_ms = model.warm_up_ms();

    std::function<std::vector<Tensor>()> run_once;
    if (m.input.kind == "image") {
        std::vector<int64_t> shape = ref.input_shape.size() == 4 ? ref.input_shape : m.input.shape;
        shape[0] = 1;
        const Tensor x = pattern_image(shape, m.input.scale, m.input.offset);
        run_once = [&model, x] { return model.run(x); };
    } else if (m.input.kind == "audio") {
        const AudioSpec a = audio_spec(m);
        const std::vector<float> signal = pattern_audio(16000, m.input.sample_rate);
        size_t state_out = 1;  // which output feeds the next chunk's state: the one named "state", else the second
        for (size_t i = 0; i < names.size(); ++i)
            if (names[i] == "state") state_out = i;
        run_once = [&model, a, signal, state_out] {
            const int64_t chunks = (int64_t(signal.size()) + a.chunk - 1) / a.chunk;
            std::vector<float> padded(size_t(chunks * a.chunk + a.context), 0.0f);
            std::copy(signal.begin(), signal.end(), padded.begin() + a.context);
            Tensor state(a.state_shape.empty() ? std::vector<int64_t>{0} : a.state_shape);
            std::vector<Tensor> stacked;
            for (int64_t c = 0; c < chunks; ++c) {
                const auto first = padded.begin() + c * a.chunk;
                std::vector<Tensor> in{Tensor({1, a.context + a.chunk}, std::vector<float>(first, first + a.context + a.chunk))};
                if (!a.state_shape.empty()) in.push_back(state);
                std::vector<Tensor> out = model.run(in);
                if (stacked.empty()) stacked.resize(out.size());
                for (size_t k = 0; k < out.size() && k < stacked.size(); ++k) {
                    // Outputs stacked along a new leading dimension, one row per chunk (contract §4, audio).
                    std::vector<int64_t> shape{c + 1};
                    shape.insert(shape.end(), out[k].shape.begin(), out[k].shape.end());
                    stacked[k].shape = shape;
                    stacked[k].data.insert(stacked[k].data.end(), out[k].data.begin(), out[k].data.end());
                }
                if (!a.state_shape.empty()) {
                    if (state_out >= out.size() || out[state_out].shape != a.state_shape)
                        throw Error("the model's state output does not have the manifest's input.state_shape " +
                                    shape_string(a.state_shape));
                    state = out[state_out];
                }
            }
            return stacked;
        };
    } else {
        throw Error(m.path.string() + ": no reference input is defined for " + m.input.kind +
                    " models (frameline-pattern-v1 covers image and audio)");
    }

    std::vector<double> times;
    std::vector<Tensor> outputs;
    for (int i = 0; i < check.runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        outputs = run_once();
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    check.run_ms = median(times);
    check.parity = compare_with_reference(ref, names, outputs);
    check.warnings = model.warnings();
    return check;
}

}  // namespace frameline
