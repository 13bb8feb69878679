#pragma once
// The ingest step for what a title's file says about its words: its embedded text subtitles and the .srt/.vtt files
// next to it, stored as the "subtitles" model run (transcript segments of source "subtitle" and "sidecar"), and the
// synopsis or description its container carries, stored as title texts (source "metadata").
#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

namespace frameline {

class Store;

struct SubtitleStepResult {
    int64_t run_id = 0;
    int cues = 0;                       // segments stored, all tracks and files together
    int metadata_texts = 0;             // synopses and descriptions newly stored
    std::string detail;                 // JSON, as stored with the run: tracks, sidecars, the audio track chosen
    std::vector<std::string> warnings;  // one line each: skipped cues, unreadable sidecars, bitmap tracks
};

// Reads and stores; a title without subtitles gets a run with no segments ("none" known, not "not looked at").
// Damaged subtitles are warnings, never a failure of the ingest. Throws frameline::Error when the store refuses,
// frameline::Cancelled when `stop` is requested.
SubtitleStepResult run_subtitle_step(Store& store, int64_t title_id, const std::filesystem::path& media,
                                     std::stop_token stop = {});

}  // namespace frameline
