#pragma once
// Models users bring: a folder with a manifest.json and a TorchScript file in the user's models folder
// (${XDG_DATA_HOME:-~/.local/share}/frameline/models/<name>/), picked up without recompiling. Torch-free header.
//   task "image_embedding": runs on every sampled frame; its output (one vector per image) is stored as the
//                           frame's embedding under the model's name, L2-normalised.
//   task "classifier":      runs on every sampled frame; softmax (or the probabilities it gives) over "labels",
//                           stored as the frame's scores under the model's name.
//   task "text_embedding":  turns a query into the space of the image encoder it names in "pairs_with" (search).
// Text input (input.kind "tokens", shape [1, T]): the text's UTF-8 bytes, each + 1 (0 pads), truncated to T, as
// float32 token ids (tokenizer "bytes"); a model with another vocabulary bakes its tokenizer into the TorchScript.
#include <memory>
#include <string>
#include <vector>

#include "core/models/compute_device.h"
#include "core/models/model_zoo.h"
#include "core/pipeline/model_pass.h"

namespace frameline {

class UserFrameModels {
public:
    // Loads every ready user model with an image task. A model that is not ready or does not load is skipped
    // with a line in skipped() (what is wrong and what to do), so one broken folder does not stop an ingest.
    explicit UserFrameModels(const ComputeDevice& device, const ZooPaths& paths = default_zoo_paths());
    ~UserFrameModels();
    UserFrameModels(UserFrameModels&&) noexcept;
    UserFrameModels& operator=(UserFrameModels&&) noexcept;

    bool empty() const;
    const std::vector<std::string>& skipped() const;
    std::string version() const;  // "name@revision,..."
    // Appends the models' embeddings and frame scores for `batch` to `out`.
    void analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Token ids for the "bytes" tokenizer: the text's UTF-8 bytes + 1, padded with 0 to `length`.
std::vector<float> byte_tokens(const std::string& text, int length);

class TextEncoder {
public:
    // Loads the user's text_embedding model `name`; throws frameline::Error naming it and what to do.
    TextEncoder(const std::string& name, const ComputeDevice& device, const ZooPaths& paths = default_zoo_paths());
    ~TextEncoder();
    TextEncoder(TextEncoder&&) noexcept;
    TextEncoder& operator=(TextEncoder&&) noexcept;

    // The image encoder whose space the vectors live in (the manifest's "pairs_with").
    const std::string& pairs_with() const;
    // A unit-length vector for `text`.
    std::vector<float> encode(const std::string& text);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
