#pragma once
// The model zoo: the manifests Frameline knows (the repo's models/ and the user's own folder) and, for each, where
// its converted TorchScript file is and whether it is usable. No torch here: nothing is loaded.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/models/model_manifest.h"

namespace frameline {

enum class ModelState {
    ready,    // the TorchScript file is there and was made from this manifest
    missing,  // not converted yet (or a user's file is not where the manifest says)
    stale,    // converted from another revision of the manifest
    error,    // the manifest or the converted file's stamp is broken
};
const char* to_string(ModelState s);

struct ModelEntry {
    std::string name;                    // the manifest's name, or its folder's when the manifest is broken
    std::string origin;                  // "repo" or "user"
    std::filesystem::path manifest_path;
    std::optional<ModelManifest> manifest;  // absent when the manifest could not be read
    std::filesystem::path model_file;    // the converted .pt (or the user's own file)
    std::filesystem::path stamp_file;    // <name>.json beside a converted .pt; empty for a user's own file
    std::string converted_at;            // from the stamp, when there is one
    ModelState state = ModelState::missing;
    std::string message;                 // one line: why it is not ready and what to do; empty when ready
};

struct ZooPaths {
    std::vector<std::pair<std::filesystem::path, std::string>> manifest_dirs;  // (folder, origin), searched in order
    std::filesystem::path converted_dir;  // where converted .pt files live
};

// $FRAMELINE_MODELS_DIR, else the installed share/frameline/models beside the binary (../share/frameline/models),
// else the source tree's models/ (compiled in).
std::filesystem::path repo_models_dir();
// ${XDG_DATA_HOME:-~/.local/share}/frameline/models: models users bring (a folder with manifest.json + file).
std::filesystem::path user_models_dir();
// ${XDG_CACHE_HOME:-~/.cache}/frameline/models: the converter's output.
std::filesystem::path converted_models_dir();
// The three above, read from the environment now.
ZooPaths default_zoo_paths();

// Every models/<name>/manifest.json under the folders, sorted by name within each folder; a name found twice is
// reported as an error on the later entry. Never throws for a broken manifest: that entry's state is error.
std::vector<ModelEntry> discover_models(const ZooPaths& paths = default_zoo_paths());

// The state of one manifest (already parsed) against the converted folder.
ModelEntry locate_model(const ModelManifest& manifest, const std::string& origin, const std::filesystem::path& converted_dir);

}  // namespace frameline
