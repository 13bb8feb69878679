// `frameline-cli models list|verify|bench`: the model zoo, where each file is, parity with the original runtime,
// and how fast each model runs here.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>

#include <unistd.h>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/models/compute_device.h"
#include "core/models/model_zoo.h"
#include "core/models/reference_check.h"
#include "core/models/torch_model.h"

namespace frameline::cli {
namespace {

using json = nlohmann::ordered_json;

double round_to(double v, double unit) { return std::round(v / unit) * unit; }

json entry_json(const ModelEntry& e) {
    json j{{"name", e.name}, {"origin", e.origin}};
    if (e.manifest) {
        const ModelManifest& m = *e.manifest;
        j["task"] = m.task;
        j["description"] = m.description;
        j["source"] = m.source.label();
        j["licence"] = m.source.licence;
        j["format"] = m.format;
        j["revision"] = m.revision;
    }
    j["manifest"] = e.manifest_path.string();
    j["file"] = e.model_file.string();
    j["state"] = to_string(e.state);
    if (!e.converted_at.empty()) j["converted_at"] = e.converted_at;
    if (!e.message.empty()) j["message"] = e.message;
    return j;
}

json device_json(const ComputeDevice& d) {
    return json{{"kind", d.kind}, {"name", d.name}, {"threads", d.threads}, {"torch", torch_version()}};
}

// The entries named on the command line (all when none); an unknown name is a failure naming the known ones.
std::vector<ModelEntry> select_models(const std::vector<std::string>& names) {
    std::vector<ModelEntry> all = discover_models();
    if (names.empty()) return all;
    std::vector<ModelEntry> out;
    for (const std::string& n : names) {
        auto it = std::find_if(all.begin(), all.end(), [&](const ModelEntry& e) { return e.name == n; });
        if (it == all.end()) {
            std::string known;
            for (const auto& e : all) known += (known.empty() ? "" : ", ") + e.name;
            throw Error("no model named '" + n + "' (known: " + (known.empty() ? "none" : known) +
                        "; see frameline-cli models list)");
        }
        out.push_back(*it);
    }
    return out;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void add_models_command(CLI::App& app, int& exit_code) {
    struct Args {
        bool json = false;
        std::vector<std::string> names;
        std::string device = "auto";
        int threads = 0;
        int runs = 3;
        std::vector<int> batches{1, 8};
        bool no_optimize = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* models = app.add_subcommand("models", "The model zoo: list the models, check them against reference outputs");
    models->require_subcommand(1);

    CLI::App* list = models->add_subcommand("list", "Each model: task, source, licence, manifest, converted file, state");
    list->add_flag("--json", args->json, "print one JSON document on stdout");
    list->callback([args, &exit_code] {
        const ZooPaths paths = default_zoo_paths();
        const std::vector<ModelEntry> entries = discover_models(paths);
        json dirs = json::array();
        for (const auto& [dir, origin] : paths.manifest_dirs) dirs.push_back({{"path", dir.string()}, {"origin", origin}});
        json list = json::array();
        for (const ModelEntry& e : entries) list.push_back(entry_json(e));
        if (args->json) {
            print_json({{"manifest_dirs", dirs}, {"converted_dir", paths.converted_dir.string()}, {"models", list}});
        } else {
            if (entries.empty())
                std::printf("no models: no manifests in %s or %s\n", paths.manifest_dirs[0].first.c_str(),
                            paths.manifest_dirs[1].first.c_str());
            for (const ModelEntry& e : entries) {
                const std::string task = e.manifest ? e.manifest->task : "?";
                const std::string source = e.manifest ? e.manifest->source.label() : "";
                std::printf("%-20s %-8s %-17s %-36s %s\n", e.name.c_str(), to_string(e.state), task.c_str(),
                            source.c_str(), e.model_file.c_str());
                if (!e.message.empty()) std::printf("%20s %s\n", "", e.message.c_str());
            }
        }
        exit_code = kExitOk;
    });

    CLI::App* verify = models->add_subcommand(
        "verify", "Run each model on the reference pattern and compare with the original runtime's outputs");
    verify->add_option("NAME", args->names, "models to check (default: all)");
    verify->add_flag("--json", args->json, "print one JSON document on stdout");
    verify->add_option("--device", args->device, "where models run")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    verify->add_option("--threads", args->threads, "CPU threads (0 = one per core)")->check(CLI::NonNegativeNumber);
    verify->add_option("--runs", args->runs, "timed runs per model (the median is reported)")->check(CLI::PositiveNumber);
    verify->callback([args, &exit_code] {
        const ComputeDevice device = choose_compute_device(args->device, args->threads);
        const std::vector<ModelEntry> entries = select_models(args->names);
        json results = json::array();
        std::vector<std::string> failures;
        int passed = 0, unchecked = 0;
        for (const ModelEntry& e : entries) {
            json r{{"name", e.name}, {"state", to_string(e.state)}, {"file", e.model_file.string()}};
            std::string failure;
            if (e.state != ModelState::ready) {
                failure = e.message;
            } else if (e.manifest->reference.empty()) {
                r["status"] = "unchecked";
                r["reason"] = "the manifest names no reference outputs";
                ++unchecked;
            } else {
                try {
                    if (isatty(STDERR_FILENO))  // progress only for people; scripts read one line of stderr
                        std::fprintf(stderr, "checking %s on %s ...\n", e.name.c_str(), device.kind.c_str());
                    const ReferenceCheck c = check_against_reference(*e.manifest, e.model_file, device, args->runs);
                    r["load_ms"] = round_to(c.load_ms, 0.1);
                    r["warm_up_ms"] = round_to(c.warm_up_ms, 0.1);
                    r["run_ms"] = round_to(c.run_ms, 0.01);
                    r["rtol"] = c.parity.rtol;
                    json outs = json::array();
                    for (const OutputParity& o : c.parity.outputs) {
                        json jo{{"name", o.name}, {"shape", o.shape}, {"samples", o.samples},
                                {"worst_abs", o.worst_abs}, {"worst_rel", o.worst_rel}, {"pass", o.pass}};
                        if (!o.message.empty()) jo["message"] = o.message;
                        outs.push_back(jo);
                    }
                    r["outputs"] = outs;
                    if (!c.warnings.empty()) r["warnings"] = c.warnings;
                    if (!c.parity.pass) failure = c.parity.reason;
                    if (!args->json) {
                        for (const OutputParity& o : c.parity.outputs)
                            std::printf("%-20s %-14s %s  worst abs %.3g  rel %.3g (rtol %.0e)\n", e.name.c_str(),
                                        o.name.c_str(), o.pass ? "pass" : "FAIL", o.worst_abs, o.worst_rel, c.parity.rtol);
                        std::printf("%-20s load %.0f ms, warm-up %.0f ms, run %.1f ms\n", e.name.c_str(), c.load_ms,
                                    c.warm_up_ms, c.run_ms);
                        for (const std::string& w : c.warnings)
                            std::printf("%-20s LibTorch warning: %s\n", e.name.c_str(), w.c_str());
                    }
                } catch (const Error& err) {
                    failure = err.what();
                }
            }
            if (!r.contains("status")) r["status"] = failure.empty() ? "pass" : "fail";
            r["pass"] = failure.empty();
            if (!failure.empty()) {
                r["reason"] = failure;
                failures.push_back(e.name + ": " + failure);
                if (!args->json) std::printf("%-20s FAIL: %s\n", e.name.c_str(), failure.c_str());
            } else if (r["status"] == "pass") {
                ++passed;
            }
            results.push_back(r);
        }
        if (args->json)
            print_json({{"device", device_json(device)},
                        {"models", results},
                        {"passed", passed},
                        {"failed", failures.size()},
                        {"unchecked", unchecked}});
        if (!failures.empty()) {
            std::cerr << "frameline-cli: models verify: " << failures.size() << " of " << entries.size()
                      << " failed; " << failures.front() << std::endl;
            exit_code = kExitFailure;
        } else if (entries.empty()) {
            std::cerr << "frameline-cli: models verify: no models found (frameline-cli models list)" << std::endl;
            exit_code = kExitFailure;
        } else {
            exit_code = kExitOk;
        }
    });

    CLI::App* bench = models->add_subcommand("bench", "Time each ready model per item at a few batch sizes");
    bench->add_option("NAME", args->names, "models to time (default: all ready ones)");
    bench->add_flag("--json", args->json, "print one JSON document on stdout");
    bench->add_option("--device", args->device, "where models run")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    bench->add_option("--threads", args->threads, "CPU threads (0 = one per core)")->check(CLI::NonNegativeNumber);
    bench->add_option("--runs", args->runs, "timed runs per batch size (the median is reported)")->check(CLI::PositiveNumber);
    bench->add_option("--batch", args->batches, "batch sizes")->delimiter(',')->check(CLI::PositiveNumber);
    bench->add_flag("--no-optimize", args->no_optimize, "run the modules as loaded (not frozen and optimised)");
    bench->callback([args, &exit_code] {
        const ComputeDevice device = choose_compute_device(args->device, args->threads);
        json results = json::array();
        std::vector<std::string> failures;
        for (const ModelEntry& e : select_models(args->names)) {
            if (e.state != ModelState::ready) {
                if (!args->names.empty()) failures.push_back(e.name + ": " + e.message);
                continue;
            }
            const ModelManifest& m = *e.manifest;
            json r{{"name", e.name}, {"input", m.input.kind}};
            try {
                TorchModelOptions options;
                options.warm_up_inputs = zero_inputs_for(m, 1);
                options.optimize = !args->no_optimize;
                TorchModel model(e.model_file, device, options);
                r["optimized"] = model.optimized();
                r["half"] = model.half();
                r["load_ms"] = round_to(model.load_ms(), 0.1);
                r["warm_up_ms"] = round_to(model.warm_up_ms(), 0.1);
                json per = json::array();
                for (int b : args->batches) {
                    if (m.input.fixed_batch && b != m.input.shape[0]) continue;
                    std::vector<Tensor> in = zero_inputs_for(m, b);
                    if (m.input.kind == "image")
                        in[0] = pattern_image(in[0].shape, m.input.scale, m.input.offset);
                    // This batch size's first runs: the JIT profiles and specialises per shape, the allocator grows.
                    model.run(in);
                    model.run(in);
                    std::vector<double> t;
                    for (int i = 0; i < args->runs; ++i) {
                        const auto t0 = std::chrono::steady_clock::now();
                        model.run(in);
                        t.push_back(ms_since(t0));
                    }
                    std::sort(t.begin(), t.end());
                    // The median is the typical run; the minimum is what the model costs when nothing else runs
                    // (on a shared machine the only stable number).
                    const double med = t[t.size() / 2], best = t.front();
                    per.push_back({{"batch", b},
                                   {"batch_ms", round_to(med, 0.01)},
                                   {"per_item_ms", round_to(med / b, 0.01)},
                                   {"min_batch_ms", round_to(best, 0.01)},
                                   {"min_per_item_ms", round_to(best / b, 0.01)}});
                    if (!args->json)
                        std::printf("%-20s batch %2d: %9.2f ms per batch, %8.2f ms per item (min %.2f per item)\n",
                                    e.name.c_str(), b, med, med / b, best / b);
                }
                r["batches"] = per;
                if (!model.warnings().empty()) r["warnings"] = model.warnings();
                if (!args->json)
                    std::printf("%-20s load %.0f ms, warm-up %.0f ms\n", e.name.c_str(), model.load_ms(), model.warm_up_ms());
            } catch (const Error& err) {
                r["error"] = err.what();
                failures.push_back(e.name + ": " + err.what());
            }
            results.push_back(r);
        }
        if (args->json) print_json({{"device", device_json(device)}, {"runs", args->runs}, {"models", results}});
        if (!failures.empty()) {
            std::cerr << "frameline-cli: models bench: " << failures.front() << std::endl;
            exit_code = kExitFailure;
        } else {
            exit_code = kExitOk;
        }
    });
}

}  // namespace frameline::cli
