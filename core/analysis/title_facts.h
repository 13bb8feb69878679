#pragma once
// Everything stored about one title that the analysis derives from: the shots and sampled frames, and the latest
// outputs of the model zoo (faces, objects, frame scores, speech, embeddings). Read once from the store; the
// analysers (tags, characters, chapters, artwork) are plain functions of it, so they are tested on facts built by
// hand as well as on real titles.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/media/image.h"
#include "core/store/annotation_records.h"
#include "core/store/records.h"

namespace frameline {

class Store;

struct TitleFacts {
    TitleRecord title;
    std::filesystem::path media;  // the title's file, for analysers that decode audio or frames again
    std::vector<Shot> shots;
    std::vector<FrameRecord> frames;  // sampled frames, by frame index
    std::vector<Marker> markers;      // technical cues people see (rejected ones left out)
    std::vector<Face> faces;
    std::vector<Detection> objects;
    std::vector<FrameScores> frame_scores;     // every model's
    std::vector<AudioSegment> audio_segments;  // speech (and whatever else a model found)
    // On-screen text (the "ocr" run's lines, by frame). ocr_frames: the frames the OCR pass read (its run's detail);
    // empty when OCR never ran on this title (then the artwork scorer falls back to its text proxy).
    std::vector<ScreenText> screen_text;
    std::vector<int64_t> ocr_frames;
    std::map<std::string, std::vector<Embedding>> embeddings;  // by model name: frame, shot and title vectors
    // The sampled frame's thumbnail (320 px wide), decoded; empty when there is none. Set by load_title_facts(); it
    // reads from that store, so it is valid while the store is open.
    std::function<RgbImage(int64_t frame_id)> thumbnail;

    // Helpers used by several analysers.
    const Shot* shot_at(int64_t frame_index) const;  // the shot holding the frame, or null
    double shot_duration_s(const Shot& s) const { return s.end_s - s.start_s; }
    std::vector<const FrameRecord*> frames_of(int shot_index) const;
    std::vector<const Face*> faces_in(int64_t frame_index) const;
};

// Reads the title's facts. Throws frameline::Error for an unknown title.
TitleFacts load_title_facts(Store& store, int64_t title_id);

}  // namespace frameline
