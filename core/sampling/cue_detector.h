#pragma once
// Technical cues of a title, found on the small analysis frames and stored as markers: black segments, colour bars,
// and likely opening and closing credits (long, low-motion stretches of light text on a dark background).
// Heuristics, labelled as such: a reviewer confirms them.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/media/image.h"

namespace frameline {

enum class CueKind { Black, ColourBars, OpeningCredits, ClosingCredits };
const char* to_string(CueKind k);
std::optional<CueKind> cue_kind_from_string(const char* s);

struct Marker {
    CueKind kind = CueKind::Black;
    int64_t start_frame = 0;  // inclusive
    int64_t end_frame = 0;    // inclusive
    double start_s = 0.0;
    double end_s = 0.0;       // end of the last frame
    double confidence = 0.0;  // share of the segment's frames that showed the cue
};

class CueDetector {
public:
    struct Options {
        double min_black_s = 0.4;
        double min_bars_s = 1.0;
        double min_credits_s = 8.0;
        double credits_gap_s = 1.5;      // text-like frames this close together form one segment (black and bars:
                                         // consecutive frames only)
        double opening_share = 0.25;     // opening credits start in the first quarter of the title ...
        double closing_share = 0.75;     // ... closing credits end in its last quarter
    };

    CueDetector();
    explicit CueDetector(Options options);

    // Frames in order; `motion` is the mean absolute luma change from the previous frame.
    void push(const SmallFrame& frame, double motion);
    // The markers, in time order. `end_s` is the end of the title.
    std::vector<Marker> finish(double end_s);

private:
    struct Run {
        int64_t start = -1, last = -1;
        double start_s = 0.0, last_s = 0.0;
        int64_t hits = 0;
    };
    void extend(Run& run, std::vector<Run>& done, bool hit, const SmallFrame& f, double max_gap_s);

    Options opt_;
    Run black_, bars_, text_;
    std::vector<Run> blacks_, bars_done_, texts_;
    double frame_s_ = 0.04;  // duration of the last frame, for end times
    double last_pts_s_ = 0.0;
};

}  // namespace frameline
