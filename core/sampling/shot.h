#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace frameline {

enum class Transition { None, Cut, Fade, Dissolve };

const char* to_string(Transition t);
std::optional<Transition> transition_from_string(const std::string& s);

// A boundary between two shots: `frame` is the first frame of the new shot.
struct Boundary {
    int64_t frame = 0;
    double pts_s = 0.0;
    Transition kind = Transition::Cut;
    double score = 0.0;  // detector evidence (how different the shots are)
};

// A shot covers frames [start_frame, end_frame): end_frame is the first frame after it (the next shot's start).
struct Shot {
    int index = 0;
    int64_t start_frame = 0;
    int64_t end_frame = 0;
    double start_s = 0.0;
    double end_s = 0.0;
    Transition transition = Transition::None;  // how this shot begins; None for the first shot
    int64_t frames() const { return end_frame - start_frame; }
};

}  // namespace frameline
