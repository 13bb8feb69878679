#include "core/sampling/shot_sampler.h"

#include <algorithm>
#include <cmath>

namespace frameline {

const char* to_string(FrameKind k) { return k == FrameKind::KeyFrame ? "key_frame" : "representative"; }

void ShotSampler::offer(FrameCandidate candidate) {
    if (candidates_.size() >= opt_.max_candidates && candidates_.size() >= 2) {
        // Full: the two closest neighbours become one, so the candidates stay spread evenly over any shot length
        // in bounded memory. The better picture stays, unless the other moves much more (a motion key frame).
        size_t k = 0;
        for (size_t i = 1; i + 1 < candidates_.size(); ++i)
            if (candidates_[i + 1].index - candidates_[i].index < candidates_[k + 1].index - candidates_[k].index) k = i;
        FrameCandidate& a = candidates_[k];
        FrameCandidate& b = candidates_[k + 1];
        bool keep_b = representative_score(b.quality) > representative_score(a.quality);
        if (b.motion > 2.0 * a.motion + 0.5) keep_b = true;
        else if (a.motion > 2.0 * b.motion + 0.5) keep_b = false;
        if (keep_b) a = std::move(b);
        candidates_.erase(candidates_.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    }
    candidates_.push_back(std::move(candidate));
}

std::vector<PickedFrame> ShotSampler::take(int64_t start, int64_t end, int64_t in_end, int64_t out_start, double fps) {
    // Away from the shot's edges too: the frames next to a cut are where a missed transition or a flash would be.
    const int64_t margin = std::min<int64_t>(static_cast<int64_t>(opt_.edge_margin_s * std::max(1.0, fps)),
                                             (end - start) / 10);
    in_end = std::max(in_end, start + margin - 1);
    out_start = std::min(out_start, end - margin);
    std::vector<FrameCandidate*> shot, inner;
    for (FrameCandidate& c : candidates_) {
        if (c.index < start || c.index >= end) continue;
        shot.push_back(&c);
        if (c.index > in_end && c.index < out_start) inner.push_back(&c);
    }
    if (inner.empty()) {
        inner = shot;
        for (FrameCandidate* c : inner) c->quality.flags |= kFlagInTransition;
    }
    std::vector<PickedFrame> picked;
    std::vector<bool> taken(inner.size(), false);
    if (!inner.empty()) {
        const double seconds = fps > 0 ? double(end - start) / fps : 0.0;
        const int wanted = std::clamp(static_cast<int>(std::lround(seconds / opt_.seconds_per_representative)), 1,
                                      opt_.max_representatives);
        // Motion key frames: local peaks of motion, well above the shot's usual motion, spaced apart.
        std::vector<bool> key(inner.size(), false);
        if (seconds >= opt_.key_frame_min_shot_s && inner.size() >= 3) {
            std::vector<double> motion;
            for (FrameCandidate* c : inner) motion.push_back(c->motion);
            std::vector<double> sorted = motion;
            std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
            const double floor = std::max(opt_.key_frame_min_motion, 2.0 * sorted[sorted.size() / 2]);
            std::vector<size_t> peaks;
            for (size_t k = 1; k + 1 < inner.size(); ++k)
                if (motion[k] >= floor && motion[k] > motion[k - 1] && motion[k] >= motion[k + 1]) peaks.push_back(k);
            std::sort(peaks.begin(), peaks.end(), [&](size_t a, size_t b) { return motion[a] > motion[b]; });
            const double gap = opt_.key_frame_min_gap_s * std::max(1.0, fps);
            std::vector<size_t> keys;
            for (size_t k : peaks) {
                if (static_cast<int>(keys.size()) >= opt_.max_key_frames) break;
                bool spaced = true;
                for (size_t other : keys) spaced &= std::abs(double(inner[k]->index - inner[other]->index)) >= gap;
                if (spaced) keys.push_back(k);
            }
            for (size_t k : keys) key[k] = true;
        }

        // The shot in equal parts of time, the best frame of each (not a key frame, when the part has another):
        // spread over the shot, each as good as its part allows.
        const int64_t first = inner.front()->index, span = inner.back()->index - first + 1;
        for (int g = 0; g < wanted; ++g) {
            const int64_t from = first + span * g / wanted, to = first + span * (g + 1) / wanted;
            int best = -1;
            for (size_t k = 0; k < inner.size(); ++k) {
                if (inner[k]->index < from || inner[k]->index >= to) continue;
                const bool better = best < 0 || (key[best] && !key[k]) ||
                                    (key[best] == key[k] && representative_score(inner[k]->quality) >
                                                                representative_score(inner[best]->quality));
                if (better) best = static_cast<int>(k);
            }
            if (best >= 0 && !key[static_cast<size_t>(best)]) taken[static_cast<size_t>(best)] = true;
        }
        for (size_t k = 0; k < inner.size(); ++k)
            if (key[k]) picked.push_back(PickedFrame{std::move(*inner[k]), FrameKind::KeyFrame});
        for (size_t k = 0; k < inner.size(); ++k)
            if (taken[k]) picked.push_back(PickedFrame{std::move(*inner[k]), FrameKind::Representative});
    }
    std::sort(picked.begin(), picked.end(),
              [](const PickedFrame& a, const PickedFrame& b) { return a.frame.index < b.frame.index; });
    while (!candidates_.empty() && candidates_.front().index < end) candidates_.pop_front();
    return picked;
}

}  // namespace frameline
