#include "core/sampling/shot_detector.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/sampling/frame_difference.h"

namespace frameline {
namespace {

constexpr int kCapacity = ShotDetector::kHistory + ShotDetector::kLookahead + 1;
// Half-widths of the windows a dissolve's middle frame is tested in: dissolves of ~8 to ~40 frames.
constexpr int kDissolveHalfWidths[] = {5, 10, 16};
// How long a candidate stays open to merging with a later, overlapping one.
constexpr int64_t kSettleFrames = 48;

int rank(Transition t) {
    switch (t) {
        case Transition::Fade: return 3;
        case Transition::Dissolve: return 2;
        case Transition::Cut: return 1;
        case Transition::None: break;
    }
    return 0;
}

bool overlaps(const Boundary& a, const Boundary& b, int min_gap) {
    return a.span_start <= b.span_end + min_gap && b.span_start <= a.span_end + min_gap;
}

}  // namespace

ShotDetector::ShotDetector() : ShotDetector(Options{}) {}
ShotDetector::ShotDetector(Options options) : opt_(options), ring_(kCapacity) {}

bool ShotDetector::has(int64_t index) const {
    return index >= 0 && index <= newest_ && ring_[static_cast<size_t>(index % kCapacity)].index == index;
}
ShotDetector::Entry& ShotDetector::at(int64_t index) { return ring_[static_cast<size_t>(index % kCapacity)]; }
const ShotDetector::Entry& ShotDetector::at(int64_t index) const {
    return ring_[static_cast<size_t>(index % kCapacity)];
}

void ShotDetector::push(const SmallFrame& frame) {
    const int64_t i = frame.index;
    Entry& e = at(i);
    e.index = i;
    e.pts_s = frame.pts_s;
    e.frame.index = i;
    e.frame.pts_s = frame.pts_s;
    e.frame.y = frame.y;  // copy-assignment reuses the entry's buffers
    e.frame.u = frame.u;
    e.frame.v = frame.v;
    newest_ = i;
    e.diff = has(i - 1) ? frame_difference(at(i - 1).frame, e.frame) : 0.0;
    const LumaStats stats = luma_stats(e.frame.y);
    e.texture = texture_energy(e.frame.y);
    e.luma = stats.mean;
    e.stddev = stats.stddev;
    e.flat = 0;
    if (stats.stddev <= opt_.flat_stddev) {
        if (stats.mean <= opt_.black_luma) e.flat = 1;
        else if (stats.mean >= opt_.white_luma) e.flat = 2;
    }
    while (next_decide_ + kLookahead <= newest_) decide(next_decide_++);
}

void ShotDetector::finish() {
    while (next_decide_ <= newest_) decide(next_decide_++);
    settle(std::numeric_limits<int64_t>::max());
}

std::vector<Boundary> ShotDetector::take_boundaries() {
    std::vector<Boundary> out;
    out.swap(out_);
    return out;
}

void ShotDetector::decide(int64_t i) {
    if (!has(i)) return;
    const Entry& e = at(i);
    if (e.flat) {
        if (flat_run_start_ < 0) flat_run_start_ = i;
    } else if (flat_run_start_ >= 0) {
        decide_flat_run_end(i);
        flat_run_start_ = -1;
        seen_picture_ = true;
    } else {
        seen_picture_ = true;
        test_cut(i);
        test_dissolve(i);
    }
    settle(i - kSettleFrames);
}

// Distance of a frame from the flat picture of the run (black or white): grows as a fade leaves it.
static double distance_from_flat(double luma, double stddev, int flat) {
    return (flat == 2 ? 255.0 - luma : luma) + stddev;
}

int64_t ShotDetector::fade_out_start(int64_t run_start) const {
    const int flat = at(run_start).flat;
    int64_t j = run_start;
    while (has(j - 1) && !at(j - 1).flat && j - 1 > run_start - kHistory && at(j).diff < 4 * opt_.min_cut_score) {
        const Entry& before = at(j - 1);
        const Entry& after = at(j);
        if (distance_from_flat(before.luma, before.stddev, flat) <= distance_from_flat(after.luma, after.stddev, flat) + 0.5)
            break;
        --j;
    }
    return j;
}

int64_t ShotDetector::fade_in_end(int64_t first_picture) const {
    const int flat = at(first_picture - 1).flat;
    int64_t j = first_picture;
    // Steps of a ramp can be large (a short fade); only a cut-sized one ends it.
    while (has(j + 1) && !at(j + 1).flat && j + 1 < first_picture + kLookahead &&
           at(j + 1).diff < 4 * opt_.min_cut_score) {
        const Entry& now = at(j);
        const Entry& next = at(j + 1);
        if (distance_from_flat(next.luma, next.stddev, flat) <= distance_from_flat(now.luma, now.stddev, flat) + 0.5)
            break;
        ++j;
    }
    return j;
}

void ShotDetector::decide_flat_run_end(int64_t i) {
    const int64_t run_start = flat_run_start_;
    const Entry& e = at(i);
    Candidate c;
    c.boundary.frame = i;
    c.boundary.pts_s = e.pts_s;
    c.boundary.score = e.diff;
    c.boundary.span_end = has(i - 1) ? fade_in_end(i) : i;
    if (seen_picture_ && i - run_start <= 4 && has(run_start - 1) && has(run_start)) {
        // A flash (or a dropped black frame): nearly the same picture on both sides of a few flat frames.
        const SmallFrame& before = at(run_start - 1).frame;
        if (frame_difference(before, e.frame) < opt_.flash_similarity * frame_difference(before, at(run_start).frame))
            return;
    }
    if (seen_picture_) {
        // Picture, flat, picture: a fade (or a cut through black or white when neither side ramps).
        c.boundary.span_start = has(run_start) ? fade_out_start(run_start) : run_start;
        const bool gradual = c.boundary.span_start < run_start || c.boundary.span_end > i;
        c.boundary.kind = gradual ? Transition::Fade : Transition::Cut;
    } else {
        // Flat frames at the very start are a shot of their own (a leader) when they last.
        if (run_start != 0 || i - run_start < opt_.min_shot_frames) return;
        c.boundary.span_start = i;
        c.boundary.kind = c.boundary.span_end > i ? Transition::Fade : Transition::Cut;
    }
    c.quality = std::numeric_limits<double>::max();
    add_candidate(c);
}

void ShotDetector::test_cut(int64_t i) {
    if (!has(i - 1) || at(i - 1).flat) return;
    const Entry& e = at(i);
    const double score = e.diff;
    if (score < opt_.min_cut_score) return;

    // A cut stands out against its neighbours; motion and pans raise them all alike.
    double neighbours = 0;
    int n = 0;
    for (int k = 1; k <= opt_.window; ++k) {
        if (has(i - k)) { neighbours += at(i - k).diff; ++n; }
        if (has(i + k)) { neighbours += at(i + k).diff; ++n; }
    }
    const double level = std::max(1.0, n > 0 ? neighbours / n : 0.0);
    if (score < opt_.cut_ratio * level) return;

    // A flash, explosion or lightning returns to the picture before it within a few frames: neither its start (a
    // picture after it matches the one before) nor its end (this picture matches one before the spike) is a cut.
    const double similar = opt_.flash_similarity * score;
    const SmallFrame& before = at(i - 1).frame;
    for (int k = 1; k <= 3; ++k)
        if (has(i + k) && frame_difference(before, at(i + k).frame) < similar) return;
    for (int k = 2; k <= 4; ++k)
        if (has(i - k) && !at(i - k).flat && frame_difference(at(i - k).frame, e.frame) < similar) return;

    Candidate c;
    c.boundary = Boundary{i, e.pts_s, Transition::Cut, score, i, i};
    c.quality = score;
    add_candidate(c);
}

void ShotDetector::test_dissolve(int64_t i) {
    const Entry& e = at(i);
    double best_ratio = opt_.dissolve_blend_ratio, best_change = 0;
    int best_h = 0;
    for (int h : kDissolveHalfWidths) {
        const int64_t a = i - h - 1, b = i + h + 1;
        if (!has(a) || !has(b)) continue;
        const Entry& ea = at(a);
        const Entry& eb = at(b);
        // Both ends must be pictures (a fade to black is the flat-run logic's) ...
        if (std::min(ea.stddev, eb.stddev) <= 1.5 * opt_.flat_stddev) continue;
        // ... and the middle frame must have lost detail as a mix of two pictures does (about half of its ends'
        // mean, as the Laplacian's variance adds with weights 1/4 + 1/4), which a moving picture doesn't; nor may it
        // be one of the ends (a flat picture next to a detailed one).
        const double ends_texture = 0.5 * (ea.texture + eb.texture);
        if (e.texture > opt_.dissolve_texture_dip * ends_texture || e.texture < 0.15 * ends_texture) continue;
        const SmallFrame& A = ea.frame;
        const SmallFrame& B = eb.frame;
        const double change = frame_difference(A, B);
        if (change < opt_.dissolve_min_change) continue;
        // Gradual: no single step carries most of the change (that would be a cut inside the window).
        double biggest_step = 0;
        for (int64_t k = a + 1; k <= b; ++k) biggest_step = std::max(biggest_step, at(k).diff);
        if (biggest_step > 0.5 * change) continue;
        // The middle frame is the half-way blend of the two shots, and the quarter frames the quarter blends.
        const double ratio = blend_error(e.frame, A, B, 0.5) / change;
        if (ratio >= best_ratio) continue;
        const int q = std::max(1, h / 2);
        const double w = static_cast<double>(q) / (2.0 * h + 2.0);
        const double q1 = blend_error(at(i - q).frame, A, B, 0.5 - w) / change;
        const double q3 = blend_error(at(i + q).frame, A, B, 0.5 + w) / change;
        if (std::max(q1, q3) >= 1.5 * opt_.dissolve_blend_ratio) continue;
        best_ratio = ratio;
        best_change = change;
        best_h = h;
    }
    if (best_h == 0) return;
    Candidate c;
    c.boundary = Boundary{i, e.pts_s, Transition::Dissolve, best_change, i - best_h, i + best_h};
    c.quality = 1.0 - best_ratio;
    add_candidate(c);
}

void ShotDetector::add_candidate(Candidate c) {
    // Overlapping candidates describe one transition: the stronger kind wins (a fade's ramps contain cut-like
    // steps and blends; a dissolve's middle may look like a cut); successive dissolve centres merge into one span.
    auto it = pending_.begin();
    while (it != pending_.end()) {
        const bool same_kind = it->boundary.kind == c.boundary.kind;
        if (!overlaps(it->boundary, c.boundary, same_kind ? opt_.min_shot_frames : 2)) {
            ++it;
            continue;
        }
        const Candidate& p = *it;
        const int rp = rank(p.boundary.kind), rc = rank(c.boundary.kind);
        if (rp == rc && c.boundary.kind != Transition::Cut) {
            // Same gradual transition seen from several frames: one span, its middle as the new shot's start.
            Candidate merged = p.quality >= c.quality ? p : c;
            merged.boundary.span_start = std::min(p.boundary.span_start, c.boundary.span_start);
            merged.boundary.span_end = std::max(p.boundary.span_end, c.boundary.span_end);
            if (c.boundary.kind == Transition::Dissolve) {
                merged.boundary.frame = (merged.boundary.span_start + merged.boundary.span_end + 1) / 2;
                if (has(merged.boundary.frame)) merged.boundary.pts_s = at(merged.boundary.frame).pts_s;
            }
            c = merged;
        } else if (rp > rc || (rp == rc && p.quality >= c.quality)) {
            c = p;
        }
        it = pending_.erase(it);
    }
    pending_.push_back(c);
    std::sort(pending_.begin(), pending_.end(),
              [](const Candidate& a, const Candidate& b) { return a.boundary.frame < b.boundary.frame; });
}

void ShotDetector::settle(int64_t before) {
    auto it = pending_.begin();
    while (it != pending_.end() && it->boundary.span_end < before) {
        report(it->boundary);
        it = pending_.erase(it);
    }
}

void ShotDetector::report(Boundary b) {
    if (b.frame - last_boundary_ < opt_.min_shot_frames) return;
    if (b.span_end < b.span_start) b.span_start = b.span_end = b.frame;
    last_boundary_ = b.frame;
    out_.push_back(b);
}

}  // namespace frameline
