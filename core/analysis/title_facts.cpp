#include "core/analysis/title_facts.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/media/jpeg.h"
#include "core/store/store.h"

namespace frameline {

const Shot* TitleFacts::shot_at(int64_t frame_index) const {
    // Shots are [start_frame, end_frame) and sorted.
    auto it = std::upper_bound(shots.begin(), shots.end(), frame_index,
                               [](int64_t f, const Shot& s) { return f < s.start_frame; });
    if (it == shots.begin()) return nullptr;
    --it;
    return frame_index < it->end_frame ? &*it : nullptr;
}

std::vector<const FrameRecord*> TitleFacts::frames_of(int shot_index) const {
    std::vector<const FrameRecord*> out;
    for (const FrameRecord& f : frames)
        if (f.shot_index == shot_index) out.push_back(&f);
    return out;
}

std::vector<const Face*> TitleFacts::faces_in(int64_t frame_index) const {
    std::vector<const Face*> out;
    for (const Face& f : faces)
        if (f.frame_index == frame_index) out.push_back(&f);
    return out;
}

TitleFacts load_title_facts(Store& store, int64_t title_id) {
    auto title = store.title(title_id);
    if (!title) throw Error("no title " + std::to_string(title_id) + " in " + store.url());
    TitleFacts facts;
    facts.title = *title;
    facts.media = title->media_path;
    facts.shots = store.shots(title_id);
    facts.frames = store.frames(title_id);
    facts.markers = store.markers(title_id);
    facts.faces = store.faces(title_id);
    facts.objects = store.detections(title_id);
    facts.frame_scores = store.frame_scores(title_id);
    facts.audio_segments = store.audio_segments(title_id);
    facts.screen_text = store.screen_text(title_id);
    for (const ModelRun& run : store.model_runs(title_id)) {
        if (run.model != "ocr" || run.status != "done") continue;
        const nlohmann::json detail = nlohmann::json::parse(run.detail, nullptr, false);
        if (detail.is_object() && detail.contains("read_frames") && detail["read_frames"].is_array())
            for (const auto& f : detail["read_frames"])
                if (f.is_number_integer()) facts.ocr_frames.push_back(f.get<int64_t>());
    }
    std::sort(facts.ocr_frames.begin(), facts.ocr_frames.end());
    for (Embedding& e : store.embeddings(title_id, "")) facts.embeddings[e.model].push_back(std::move(e));
    facts.thumbnail = [&store](int64_t frame_id) {
        const std::vector<uint8_t> jpeg = store.thumbnail_jpeg(frame_id);
        return jpeg.empty() ? RgbImage{} : decode_jpeg(jpeg);
    };
    return facts;
}

}  // namespace frameline
