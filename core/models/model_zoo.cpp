#include "core/models/model_zoo.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"

#ifndef FRAMELINE_MODELS_DIR
#define FRAMELINE_MODELS_DIR "models"
#endif
// Where an installed program's manifests are, relative to its own folder (bin/ -> share/frameline/models: the
// install rules of packaging/CMakeLists.txt).
#ifndef FRAMELINE_INSTALLED_MODELS_DIR
#define FRAMELINE_INSTALLED_MODELS_DIR "../share/frameline/models"
#endif

namespace frameline {
namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

// $XDG_x or ~/fallback (the XDG base directory rules: an unset or empty variable means the default).
fs::path xdg_dir(const char* var, const char* home_fallback) {
    const std::string v = env(var);
    if (!v.empty() && fs::path(v).is_absolute()) return v;
    const std::string home = env("HOME");
    return fs::path(home.empty() ? "/tmp" : home) / home_fallback;
}

const char* kConvert = "run scripts/convert-models.sh";

}  // namespace

const char* to_string(ModelState s) {
    switch (s) {
        case ModelState::ready: return "ready";
        case ModelState::missing: return "missing";
        case ModelState::stale: return "stale";
        case ModelState::error: return "error";
    }
    return "error";
}

fs::path repo_models_dir() {
    const std::string v = env("FRAMELINE_MODELS_DIR");
    if (!v.empty()) return v;
    // An installed program (the .deb: /usr/bin/frameline-cli and /usr/share/frameline/models) reads the manifests
    // installed beside it, wherever the tree was unpacked, and never the source tree it was built from, which may
    // be gone or newer. A program in the build tree has no such folder and reads the source tree's (compiled in).
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = (exe.parent_path() / FRAMELINE_INSTALLED_MODELS_DIR).lexically_normal();
        if (fs::is_directory(installed, ec)) return installed;
    }
    return fs::path(FRAMELINE_MODELS_DIR);
}
fs::path user_models_dir() { return xdg_dir("XDG_DATA_HOME", ".local/share") / "frameline" / "models"; }
fs::path converted_models_dir() { return xdg_dir("XDG_CACHE_HOME", ".cache") / "frameline" / "models"; }

ZooPaths default_zoo_paths() {
    ZooPaths p;
    p.manifest_dirs = {{repo_models_dir(), "repo"}, {user_models_dir(), "user"}};
    p.converted_dir = converted_models_dir();
    return p;
}

ModelEntry locate_model(const ModelManifest& m, const std::string& origin, const fs::path& converted_dir) {
    ModelEntry e;
    e.name = m.name;
    e.origin = origin;
    e.manifest_path = m.path;
    e.manifest = m;
    std::error_code ec;
    if (m.format == "torchscript") {
        // A user's own TorchScript file beside its manifest: nothing to convert, nothing to go stale.
        e.model_file = m.folder() / m.file;
        if (fs::is_regular_file(e.model_file, ec)) {
            e.state = ModelState::ready;
        } else {
            e.state = ModelState::missing;
            e.message = e.model_file.string() + " not found; put the TorchScript file named by \"file\" beside " +
                        m.path.string();
        }
        return e;
    }
    e.model_file = converted_dir / (m.name + ".pt");
    e.stamp_file = converted_dir / (m.name + ".json");
    if (!fs::is_regular_file(e.model_file, ec)) {
        e.state = ModelState::missing;
        e.message = "not converted (no " + e.model_file.string() + "); " + kConvert;
        return e;
    }
    std::ifstream in(e.stamp_file, std::ios::binary);
    if (!in) {
        e.state = ModelState::stale;
        e.message = e.stamp_file.string() + " is missing, so the file's origin is unknown; " + kConvert + " --force";
        return e;
    }
    std::ostringstream text;
    text << in.rdbuf();
    nlohmann::json stamp = nlohmann::json::parse(text.str(), nullptr, false);
    if (stamp.is_discarded() || !stamp.is_object() || !stamp.contains("manifest_sha256") ||
        !stamp["manifest_sha256"].is_string()) {
        e.state = ModelState::error;
        e.message = e.stamp_file.string() + ": not a conversion stamp (no \"manifest_sha256\"); " + kConvert + " --force";
        return e;
    }
    if (stamp.contains("converted_at") && stamp["converted_at"].is_string())
        e.converted_at = stamp["converted_at"].get<std::string>();
    if (stamp["manifest_sha256"].get<std::string>() != m.sha256) {
        e.state = ModelState::stale;
        e.message = "converted from another version of " + m.path.string() + "; " + kConvert;
        return e;
    }
    e.state = ModelState::ready;
    return e;
}

std::vector<ModelEntry> discover_models(const ZooPaths& paths) {
    std::vector<ModelEntry> out;
    std::map<std::string, fs::path> seen;
    for (const auto& [dir, origin] : paths.manifest_dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<fs::path> manifests;
        for (const auto& d : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
            const fs::path manifest = d.path() / "manifest.json";
            if (d.is_directory(ec) && fs::exists(manifest, ec)) manifests.push_back(manifest);
        }
        std::sort(manifests.begin(), manifests.end());
        for (const fs::path& manifest : manifests) {
            ModelEntry e;
            try {
                e = locate_model(load_manifest(manifest), origin, paths.converted_dir);
            } catch (const Error& err) {
                e.name = manifest.parent_path().filename().string();
                e.origin = origin;
                e.manifest_path = manifest;
                e.state = ModelState::error;
                e.message = err.what();
            }
            if (auto it = seen.find(e.name); it != seen.end()) {
                e.state = ModelState::error;
                e.message = manifest.string() + ": a model named '" + e.name + "' is already defined by " +
                            it->second.string() + "; rename the folder and its \"name\"";
            } else {
                seen.emplace(e.name, manifest);
            }
            out.push_back(std::move(e));
        }
    }
    return out;
}

}  // namespace frameline
