#include "core/models/zoo_model.h"

#include "core/error.h"
#include "core/models/reference_check.h"

namespace frameline {

ZooModel open_zoo_model(const std::string& name, const ComputeDevice& device, int warm_up_batch,
                        TorchModelOptions options, const ZooPaths& paths) {
    for (const ModelEntry& e : discover_models(paths)) {
        if (e.name != name) continue;
        if (e.state != ModelState::ready || !e.manifest)
            throw Error("model '" + name + "' is " + to_string(e.state) + ": " + e.message);
        if (warm_up_batch > 0) options.warm_up_inputs = zero_inputs_for(*e.manifest, warm_up_batch);
        return ZooModel{*e.manifest, TorchModel(e.model_file, device, std::move(options))};
    }
    throw Error("model '" + name + "' has no manifest in the zoo (models/" + name +
                "/manifest.json); run scripts/convert-models.sh from a complete checkout");
}

size_t output_index(const ModelManifest& manifest, const std::string& name) {
    for (size_t i = 0; i < manifest.outputs.size(); ++i)
        if (manifest.outputs[i].name == name) return i;
    throw Error(manifest.path.string() + ": no output named '" + name + "'; fix the manifest");
}

}  // namespace frameline
