#pragma once
// Chooses each shot's representative frame from thumbnails taken at a fixed stride while decoding.
#include <deque>
#include <optional>

#include "core/media/image.h"
#include "core/sampling/frame_metrics.h"

namespace frameline {

struct FrameCandidate {
    int64_t index = 0;
    double pts_s = 0.0;
    FrameMetrics metrics;
    RgbImage thumbnail;
};

class RepresentativePicker {
public:
    // Holds at most `max_candidates`; when full, every other one is dropped so memory stays flat for long shots.
    explicit RepresentativePicker(size_t max_candidates = 32) : max_(max_candidates) {}

    void offer(FrameCandidate candidate);
    // The best candidate of the shot [start, end); candidates before `end` are released. Prefers frames away from
    // the shot's edges (transitions), falls back to any frame of the shot.
    std::optional<FrameCandidate> take_best(int64_t start, int64_t end);

private:
    std::deque<FrameCandidate> candidates_;
    size_t max_;
};

}  // namespace frameline
