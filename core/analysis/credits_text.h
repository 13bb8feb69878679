#pragma once
// Opening and closing credits confirmed, extended or found with on-screen text (issue #8 item 4). The scan's
// CueDetector proposes credits from pictures alone (long, low-motion stretches of light text on a dark background,
// core/sampling/cue_detector.h); it cannot read, so it misses credits over a picture or on a light background and
// cannot tell a dark, quiet scene from a card. The OCR pass reads the sampled frames; this rule turns what it read
// into credits markers.
//
// The rule (every threshold in CreditsTextOptions):
//   1. A read frame is a *credits frame* when it shows a line with a credit role ("Directed by", "Music", "Cast",
//      "Producer", ... see is_credit_role()), or at least `min_lines_with_name` lines of which one looks like a
//      person's name (two to four words, each capitalised or all capitals: "Jane Doe", "JOHN SMITH"; see
//      looks_like_name()). Many lines alone do not make credits: a computer screen in a film shows many lines
//      ("NATALYA", "OFFLINE", "> Send Spike" on goldeneye) and no names.
//   2. Credits frames in frame order form a *stretch*; a read frame with a picture and no credits text ends it, as
//      does a gap longer than `max_gap_s`. Black frames and frames not read (the pass skipped them) do not end it.
//      A stretch covers the shots of its first and last credits frames, but never reaches a read non-credits frame.
//   3. A stretch that overlaps a visual credits marker *confirms* it: the marker grows to cover both ranges
//      (extended) and its confidence is the larger of the two.
//      A stretch without a visual marker becomes a new marker when it has at least `min_frames` credits frames (or
//      one credits frame with `dense_lines` lines: a roll), at least one of them names a credit role (capitalised
//      two-word lines alone are not enough: "NATALYA OFFLINE" on a computer screen looks like a name), and starts in the first `opening_share` of the title (opening
//      credits) or ends in the last `1 - closing_share` (closing credits), as CueDetector decides it.
//      Its confidence is the share of its read non-black frames that are credits frames.
//   4. A visual marker whose read non-black frames show no text at all is *contradicted*: it stays (a stylised font
//      can defeat OCR) with its confidence lowered to `contradicted_confidence`. A visual marker without read frames
//      stays as it was.
// The step refines the markers as they stand: a second OCR run starts from the first one's markers (the rule is
// idempotent on them); a new scan (ingest --force) brings back the scan's own.
#include <cstdint>
#include <string>
#include <vector>

#include "core/sampling/cue_detector.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct CreditsTextOptions {
    int min_lines_with_name = 2;
    double max_gap_s = 12.0;       // sampled frames are sparse (one per 4 s of shot by default)
    int min_frames = 2;
    int dense_lines = 6;
    double opening_share = 0.25;   // CueDetector::Options' values
    double closing_share = 0.75;
    double contradicted_confidence = 0.3;  // at most this for a credits marker whose read frames show no text
};

// A sampled frame as the OCR pass saw it.
struct ReadFrame {
    int64_t frame_index = 0;
    double pts_s = 0;
    bool read = false;   // false: the pass skipped it (no text-likeness) — unknown, not "no text"
    bool black = false;  // a black frame (between cards): neither text nor picture
    std::vector<std::string> lines;
};

struct CreditsDecision {
    Marker marker;
    std::string how;  // "confirmed" | "extended" | "found" | "contradicted" | "unchanged"
    int credits_frames = 0;
    int read_frames = 0;
};

// Shots as [start_frame, end_frame) with times, in order (the store's shots).
struct ShotSpan {
    int64_t start_frame = 0, end_frame = 0;
    double start_s = 0, end_s = 0;
};

// The credits markers after the rule: every visual marker (confirmed, extended, contradicted or unchanged) and the
// new ones, in time order. `visual` are the scan's credits markers (other kinds are ignored); `frames` every sampled
// frame in frame order; `duration_s` the title's length.
std::vector<CreditsDecision> refine_credits(const std::vector<Marker>& visual, const std::vector<ReadFrame>& frames,
                                            const std::vector<ShotSpan>& shots, double duration_s,
                                            const CreditsTextOptions& options = {});

// Credits-frame tests of rule 1, for tests and for the evidence.
bool is_credit_role(const std::string& line);
bool looks_like_name(const std::string& line);
bool is_credits_frame(const std::vector<std::string>& lines, const CreditsTextOptions& options = {});

}  // namespace frameline
