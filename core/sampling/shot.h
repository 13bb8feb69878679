#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace frameline {

enum class Transition { None, Cut, Fade, Dissolve };

const char* to_string(Transition t);
std::optional<Transition> transition_from_string(const std::string& s);

// A boundary between two shots: `frame` is the first frame of the new shot. A gradual transition also has its span:
// the frames [span_start, span_end] (inclusive) over which the picture changes (for a fade, from the first frame of
// the fade-out to the last of the fade-in). For a cut, span_start == span_end == frame.
struct Boundary {
    int64_t frame = 0;
    double pts_s = 0.0;
    Transition kind = Transition::Cut;
    double score = 0.0;  // detector evidence (how different the shots are)
    int64_t span_start = 0;
    int64_t span_end = 0;
};

// A shot covers frames [start_frame, end_frame): end_frame is the first frame after it (the next shot's start).
struct Shot {
    int index = 0;
    int64_t start_frame = 0;
    int64_t end_frame = 0;
    double start_s = 0.0;
    double end_s = 0.0;
    Transition transition = Transition::None;  // how this shot begins; None for the first shot
    int64_t transition_start = 0;              // the frames of that transition (inclusive); equal for a cut
    int64_t transition_end = 0;
    int64_t frames() const { return end_frame - start_frame; }
};

}  // namespace frameline
