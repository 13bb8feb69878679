#include "core/sampling/representative_picker.h"

namespace frameline {

void RepresentativePicker::offer(FrameCandidate candidate) {
    if (candidates_.size() >= max_) {
        // Keep every other candidate: the stride doubles, memory stays flat.
        std::deque<FrameCandidate> kept;
        for (size_t i = 0; i < candidates_.size(); i += 2) kept.push_back(std::move(candidates_[i]));
        candidates_ = std::move(kept);
    }
    candidates_.push_back(std::move(candidate));
}

std::optional<FrameCandidate> RepresentativePicker::take_best(int64_t start, int64_t end) {
    const int64_t margin = (end - start) * 15 / 100;
    int best_inner = -1, best_any = -1;
    double inner_score = 0, any_score = 0;
    for (size_t i = 0; i < candidates_.size(); ++i) {
        const FrameCandidate& c = candidates_[i];
        if (c.index < start || c.index >= end) continue;
        double s = representative_score(c.metrics);
        if (best_any < 0 || s > any_score) { best_any = static_cast<int>(i); any_score = s; }
        bool inner = c.index >= start + margin && c.index < end - margin;
        if (inner && (best_inner < 0 || s > inner_score)) { best_inner = static_cast<int>(i); inner_score = s; }
    }
    int chosen = best_inner >= 0 ? best_inner : best_any;
    std::optional<FrameCandidate> result;
    if (chosen >= 0) result = std::move(candidates_[chosen]);
    while (!candidates_.empty() && candidates_.front().index < end) candidates_.pop_front();
    return result;
}

}  // namespace frameline
