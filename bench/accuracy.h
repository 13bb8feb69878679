#pragma once
// Scoring shot boundaries against ground truth (scripts/make-transition-bench.sh writes NAME.truth.json), shared by
// the accuracy harness, the peer benchmark and the accuracy test. No Qt, no FFmpeg: plain data and arithmetic.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/sampling/shot.h"

namespace frameline::bench {

// A transition in the truth: for a cut start == end == frame (the first frame of the new shot); for a gradual one
// [start, end] are the mixed frames (inclusive) and frame is its middle.
struct TruthTransition {
    std::string kind;  // "cut", "dissolve", "fade"
    int64_t start = 0;
    int64_t end = 0;
    int64_t frame = 0;
    bool gradual() const { return kind != "cut"; }
};

// Frames inside one shot where something cut-like happens (a flash, a pan): a boundary on [start, end + 1] is a
// false one caused by the event (end + 1: where the picture returns after a flash).
struct TruthEvent {
    std::string kind;  // "flash", "pan"
    int64_t start = 0;
    int64_t end = 0;
};

struct Truth {
    int64_t frames = 0;
    std::vector<TruthTransition> transitions;
    std::vector<TruthEvent> no_cut_events;
};

// Throws std::runtime_error with the file name when the file is missing or malformed.
Truth load_truth(const std::filesystem::path& path);

// What a detector reported: Frameline's Boundary, or a peer's cut frame (span_start == span_end == frame).
struct Detection {
    int64_t frame = 0;
    int64_t span_start = 0;
    int64_t span_end = 0;
    Transition kind = Transition::Cut;
};
std::vector<Detection> detections_from(const std::vector<Boundary>& boundaries);
std::vector<Detection> detections_from_frames(const std::vector<int64_t>& cut_frames);

// One-to-one matching at a frame tolerance. A cut matches a detection whose frame is within +-tolerance; a gradual
// transition matches one whose frame or span overlaps [start - tolerance, end + tolerance]. Pairs are taken
// greedily, closest first (distance between the detection's frame and the transition's frame).
struct Match {
    std::vector<int> truth_to_detection;  // -1 when missed
    std::vector<int> detection_to_truth;  // -1 when false
};
Match match(const Truth& truth, const std::vector<Detection>& detections, int tolerance);

// Counts that add up across clips.
struct Score {
    int cuts = 0, cuts_found = 0;          // hard cuts in the truth, and matched
    int gradual = 0, gradual_found = 0;    // dissolves + fades
    int dissolves = 0, dissolves_found = 0;
    int fades = 0, fades_found = 0;
    int detections = 0;
    int false_detections = 0;              // matched to no transition
    int on_flash = 0, on_pan = 0;          // false detections inside a flash or pan event (the worst kind)
    int kind_right = 0, kind_checked = 0;  // matched transitions whose reported kind is right (cut/dissolve/fade)
    void add(const Score& o);
    // Hard-cut precision: a detection not matched to a gradual transition is an attempted cut, so
    // precision = cuts_found / (cuts_found + false_detections).
    double cut_precision() const;
    double cut_recall() const;
    double cut_f1() const;
    double gradual_recall() const;
};
Score score(const Truth& truth, const std::vector<Detection>& detections, const Match& m);

// One line per missed transition and false detection, e.g. "missed dissolve 74-93 (20 frames)".
std::vector<std::string> explain(const Truth& truth, const std::vector<Detection>& detections, const Match& m);

std::string describe(const std::vector<Detection>& detections);  // "30 60(dissolve 52-68) ..."

}  // namespace frameline::bench
