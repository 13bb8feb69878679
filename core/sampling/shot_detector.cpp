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
        else if (stats.stddev <= opt_.blank_stddev) e.flat = 3;  // a blank frame of any one colour
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

// A fade's ramp: the nearer frame is the farther one mixed with the flat frame (scaled towards black or white), in
// the proportion their luma says. A cut into another picture is no such mix, and ends the ramp.
bool ShotDetector::ramp_step(int64_t nearer, int64_t farther, const SmallFrame& flat_frame, int flat) const {
    const Entry& n = at(nearer);
    const Entry& f = at(farther);
    if (f.flat) return false;
    const double flat_luma = luma_stats(flat_frame.y).mean;
    const double dist_n = std::abs(n.luma - flat_luma), dist_f = std::abs(f.luma - flat_luma);
    if (dist_f <= dist_n + 0.5) return false;
    const double w = 1.0 - dist_n / dist_f;
    return blend_error(n.frame, f.frame, flat_frame, w) <= 0.25 * frame_difference(f.frame, flat_frame) + 3.0;
}

int64_t ShotDetector::fade_out_start(int64_t run_start) const {
    const Entry& flat = at(run_start);
    int64_t j = run_start;
    while (has(j - 1) && j - 1 > run_start - kHistory && ramp_step(j, j - 1, flat.frame, flat.flat)) --j;
    return j;
}

int64_t ShotDetector::fade_in_end(int64_t first_picture) const {
    const Entry& flat = at(first_picture - 1);
    int64_t j = first_picture;
    while (has(j + 1) && j + 1 < first_picture + kLookahead && ramp_step(j, j + 1, flat.frame, flat.flat)) ++j;
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
    if (seen_picture_) {
        // Picture, flat, picture: a fade (or a cut through black or white when neither side ramps).
        c.boundary.span_start = has(run_start) ? fade_out_start(run_start) : run_start;
        // ... unless it is a flash (or a dropped black frame): a few flat frames with at most short ramps, and
        // nearly the same picture on both sides.
        const int64_t before = c.boundary.span_start - 1, after = c.boundary.span_end + 1;
        if (i - run_start <= 4 && c.boundary.span_end - c.boundary.span_start <= 8 && has(before) && has(after) &&
            frame_difference(at(before).frame, at(after).frame) <
                opt_.flash_similarity * frame_difference(at(before).frame, at(run_start).frame))
            return;
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
    dissolve_span(i - best_h - 1, i + best_h + 1, c.boundary);
    c.quality = 1.0 - best_ratio;
    add_candidate(c);
}

// Where inside the window [a, b] the picture goes from a's shot to b's: each frame's mix weight, its projection
// onto b - a (luma), is 0 before the dissolve and 1 after it.
void ShotDetector::dissolve_span(int64_t a, int64_t b, Boundary& out) const {
    const auto& pa = at(a).frame.y.pixels;
    const auto& pb = at(b).frame.y.pixels;
    double norm = 0;
    for (size_t p = 0; p < pa.size(); ++p) norm += double(pb[p] - pa[p]) * (pb[p] - pa[p]);
    if (norm <= 0) return;
    int64_t first = -1, last = -1, middle = -1;
    for (int64_t k = a + 1; k < b; ++k) {
        const auto& pk = at(k).frame.y.pixels;
        double dot = 0;
        for (size_t p = 0; p < pa.size(); ++p) dot += double(pk[p] - pa[p]) * (pb[p] - pa[p]);
        const double alpha = dot / norm;
        if (alpha > 0.08 && first < 0) first = k;
        if (alpha < 0.92) last = k;
        if (alpha >= 0.5 && middle < 0) middle = k;
    }
    if (first < 0 || last < first || middle < 0) return;
    out.span_start = first;
    out.span_end = last;
    out.frame = middle;
    out.pts_s = at(middle).pts_s;
}

void ShotDetector::add_candidate(Candidate c) {
    // Overlapping candidates describe one transition: the stronger kind wins (a fade's ramps contain cut-like
    // steps and blends; a dissolve's middle may look like a cut); successive dissolve centres merge into one span.
    auto it = pending_.begin();
    while (it != pending_.end()) {
        const bool same_kind = it->boundary.kind == c.boundary.kind;
        const int gap = !same_kind ? 2 : c.boundary.kind == Transition::Cut ? opt_.min_shot_frames : 1;
        if (!overlaps(it->boundary, c.boundary, gap)) {
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
                // The middle of the union; its time is interpolated (the frame may have left the ring).
                const Boundary& x = p.boundary;
                const Boundary& y = c.boundary;
                merged.boundary.frame = (merged.boundary.span_start + merged.boundary.span_end + 1) / 2;
                if (x.frame != y.frame)
                    merged.boundary.pts_s = x.pts_s + (y.pts_s - x.pts_s) * double(merged.boundary.frame - x.frame) /
                                                          double(y.frame - x.frame);
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
