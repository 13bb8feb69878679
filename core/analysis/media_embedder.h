#pragma once
// Frame -> shot -> title embeddings, as the seed's MediaEmbedder did it: a visual embedding per sampled frame
// (core/models/visual_embedder.h, computed by the caller: this library has no torch), an audio embedding per shot
// (audio_embedding.h, decoded here), combined into one vector per shot and one per title.
//
//   shot  = L2norm( concat( w_v * L2norm(mean of the shot's frame embeddings), w_a * audio embedding ) )
//   title = L2norm( sum over shots of duration_s * shot )
//
// Weights: w_v = 0.8, w_a = 0.6 (w_v^2 + w_a^2 = 1, so a shot with both parts has them at 64 % / 36 % of its squared
// length, and the cosine of two shots is 0.64 cos(visual) + 0.36 cos(audio)). Picture leads because "more like
// this" is asked about what a shot shows, and the visual part is a learned feature while the audio part is a
// model-free spectrum and loudness summary; audio still separates shots that look alike but sound different
// (dialogue vs music over the same set-up). A missing part (no sampled frame, no audio stream, a shot before the
// audio starts) is zeros, so every vector of a run has the same layout and dimension: Dv + kAudioEmbeddingDims.
#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "core/analysis/audio_embedding.h"
#include "core/sampling/shot.h"

namespace frameline {

struct MediaEmbedderOptions {
    double visual_weight = 0.8;
    double audio_weight = 0.6;
    LogMelOptions audio;  // 16 kHz, 64 bands, 25 ms / 10 ms
};

struct FrameVector {
    int64_t frame_index = 0;     // in decoder output order (DESIGN.md)
    std::vector<float> vector;   // the visual embedding of that frame (L2-normalised)
};

// What a model run stores: an Embedding row (core/store/annotation_records.h) per entry.
struct EmbeddingRow {
    std::string entity;       // "frame" (key: frame index), "shot" (key: shot index), "title" (key: 0)
    int64_t entity_key = 0;
    std::vector<float> vector;
};

struct TitleEmbeddings {
    int visual_dims = 0;
    std::vector<FrameVector> frames;               // as given
    std::vector<std::vector<float>> shot_audio;    // per shot; empty where the shot has no audio
    std::vector<std::vector<float>> shots;         // per shot, visual_dims + kAudioEmbeddingDims values
    std::vector<int64_t> shot_keys;                // Shot::index of each
    std::vector<float> title;
    std::vector<EmbeddingRow> rows() const;        // frames, then shots, then the title
};

class MediaEmbedder {
public:
    explicit MediaEmbedder(MediaEmbedderOptions options = {});
    const MediaEmbedderOptions& options() const { return options_; }

    // Audio embedding of each shot of `media`, decoding its audio once (16 kHz mono, streamed: flat memory for any
    // length). A sample at time t belongs to the shot with start_s <= t < end_s. A file without audio gives empty
    // vectors; throws frameline::Error when the audio cannot be decoded at all, Cancelled when `stop` is requested.
    std::vector<std::vector<float>> shot_audio(const std::filesystem::path& media, const std::vector<Shot>& shots,
                                               std::stop_token stop = {}) const;

    // One shot from its frames' visual embeddings (may be empty) and its audio embedding (may be empty).
    // `visual_dims` fixes the visual part's size when there are no frames.
    std::vector<float> shot_embedding(const std::vector<const std::vector<float>*>& frames,
                                      const std::vector<float>& audio, int visual_dims) const;
    // Duration-weighted mean of shot embeddings, L2-normalised (zero-length or zero shots count for nothing).
    std::vector<float> title_embedding(const std::vector<std::vector<float>>& shots,
                                       const std::vector<double>& durations_s) const;

    // Everything for one title: frames go to the shot whose [start_frame, end_frame) holds them; `shot_audio` as
    // shot_audio() returns it (or empty: no audio). Throws frameline::Error when frame vectors differ in size.
    TitleEmbeddings embed(const std::vector<Shot>& shots, std::vector<FrameVector> frames,
                          std::vector<std::vector<float>> shot_audio) const;

private:
    MediaEmbedderOptions options_;
};

}  // namespace frameline
