#include "core/analysis/media_embedder.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/embedding_metrics.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"

namespace frameline {

MediaEmbedder::MediaEmbedder(MediaEmbedderOptions options) : options_(options) {
    if (!(options_.visual_weight >= 0) || !(options_.audio_weight >= 0) ||
        options_.visual_weight + options_.audio_weight <= 0)
        throw Error("media embedder: weights must be >= 0 and not both 0");
}

std::vector<std::vector<float>> MediaEmbedder::shot_audio(const std::filesystem::path& media,
                                                          const std::vector<Shot>& shots, std::stop_token stop) const {
    std::vector<std::vector<float>> out(shots.size());
    if (shots.empty()) return out;
    AudioDecoder::Options o;
    o.sample_rate = options_.audio.sample_rate;
    o.block_samples = o.sample_rate / 2;
    std::optional<AudioDecoder> decoder = AudioDecoder::open_if_audio(media, o);
    if (!decoder) return out;
    // Shots in time order; one embedder at a time (shots do not overlap).
    std::vector<size_t> order(shots.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return shots[a].start_s < shots[b].start_s; });
    AudioEmbedder embedder(options_.audio);
    size_t k = 0;  // position in `order`
    const double rate = o.sample_rate;
    AudioBlock block;
    while (k < order.size() && decoder->next(block)) {
        if (stop.stop_requested()) throw Cancelled();
        size_t i = 0;
        const size_t n = block.samples.size();
        while (i < n && k < order.size()) {
            const Shot& s = shots[order[k]];
            const double t = block.pts_s + double(i) / rate;
            if (t >= s.end_s) {  // the shot is over
                out[order[k]] = embedder.finish();
                ++k;
                continue;
            }
            // samples of this block before the shot starts are skipped; those inside it go to its embedder
            const double start_in_block = (s.start_s - block.pts_s) * rate;
            const double end_in_block = (s.end_s - block.pts_s) * rate;
            const size_t first = size_t(std::clamp(std::ceil(start_in_block - 1e-6), double(i), double(n)));
            const size_t last = size_t(std::clamp(std::ceil(end_in_block - 1e-6), double(first), double(n)));
            if (last > first) embedder.add(block.samples.data() + first, last - first);
            i = last;
            if (last < n) {  // the shot ends inside this block
                out[order[k]] = embedder.finish();
                ++k;
            }
        }
    }
    if (k < order.size()) out[order[k]] = embedder.finish();  // audio ended inside (or before) this shot
    return out;
}

std::vector<float> MediaEmbedder::shot_embedding(const std::vector<const std::vector<float>*>& frames,
                                                 const std::vector<float>& audio, int visual_dims) const {
    const size_t dv = frames.empty() ? size_t(std::max(0, visual_dims)) : frames.front()->size();
    std::vector<float> visual(dv, 0.0f);
    for (const std::vector<float>* f : frames) {
        if (f->size() != dv)
            throw Error("media embedder: frame embeddings of " + std::to_string(dv) + " and " +
                        std::to_string(f->size()) + " values in one shot");
        for (size_t i = 0; i < dv; ++i) visual[i] += (*f)[i];
    }
    l2_normalise(visual);
    std::vector<float> out(dv + size_t(kAudioEmbeddingDims), 0.0f);
    for (size_t i = 0; i < dv; ++i) out[i] = float(options_.visual_weight * visual[i]);
    if (!audio.empty()) {
        if (audio.size() != size_t(kAudioEmbeddingDims))
            throw Error("media embedder: an audio embedding has " + std::to_string(audio.size()) + " values, not " +
                        std::to_string(kAudioEmbeddingDims));
        std::vector<float> a = audio;
        l2_normalise(a);
        for (size_t i = 0; i < a.size(); ++i) out[dv + i] = float(options_.audio_weight * a[i]);
    }
    l2_normalise(out);
    return out;
}

std::vector<float> MediaEmbedder::title_embedding(const std::vector<std::vector<float>>& shots,
                                                  const std::vector<double>& durations_s) const {
    if (shots.size() != durations_s.size())
        throw Error("media embedder: " + std::to_string(shots.size()) + " shots but " +
                    std::to_string(durations_s.size()) + " durations");
    std::vector<float> title;
    for (size_t s = 0; s < shots.size(); ++s) {
        if (title.empty()) title.assign(shots[s].size(), 0.0f);
        if (shots[s].size() != title.size())
            throw Error("media embedder: shot embeddings of " + std::to_string(title.size()) + " and " +
                        std::to_string(shots[s].size()) + " values in one title");
        const double w = std::isfinite(durations_s[s]) ? std::max(0.0, durations_s[s]) : 0.0;
        for (size_t i = 0; i < title.size(); ++i) title[i] += float(w * shots[s][i]);
    }
    l2_normalise(title);
    return title;
}

TitleEmbeddings MediaEmbedder::embed(const std::vector<Shot>& shots, std::vector<FrameVector> frames,
                                     std::vector<std::vector<float>> shot_audio) const {
    TitleEmbeddings t;
    t.frames = std::move(frames);
    t.shot_audio = std::move(shot_audio);
    t.shot_audio.resize(shots.size());
    for (const FrameVector& f : t.frames) {
        if (t.visual_dims == 0) t.visual_dims = int(f.vector.size());
        if (int(f.vector.size()) != t.visual_dims)
            throw Error("media embedder: frame " + std::to_string(f.frame_index) + " has a " +
                        std::to_string(f.vector.size()) + "-value embedding, others " + std::to_string(t.visual_dims));
    }
    std::vector<double> durations;
    for (size_t s = 0; s < shots.size(); ++s) {
        std::vector<const std::vector<float>*> mine;
        for (const FrameVector& f : t.frames)
            if (f.frame_index >= shots[s].start_frame && f.frame_index < shots[s].end_frame) mine.push_back(&f.vector);
        t.shots.push_back(shot_embedding(mine, t.shot_audio[s], t.visual_dims));
        t.shot_keys.push_back(shots[s].index);
        durations.push_back(shots[s].end_s - shots[s].start_s);
    }
    t.title = title_embedding(t.shots, durations);
    return t;
}

std::vector<EmbeddingRow> TitleEmbeddings::rows() const {
    std::vector<EmbeddingRow> r;
    for (const FrameVector& f : frames) r.push_back({"frame", f.frame_index, f.vector});
    for (size_t s = 0; s < shots.size(); ++s) r.push_back({"shot", s < shot_keys.size() ? shot_keys[s] : int64_t(s), shots[s]});
    if (!title.empty()) r.push_back({"title", 0, title});
    return r;
}

}  // namespace frameline
