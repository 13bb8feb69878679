#include "core/sampling/shot_detector.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace frameline {
namespace {

double mean_abs_diff(const Plane& a, const Plane& b) {
    const size_t n = std::min(a.pixels.size(), b.pixels.size());
    if (n == 0) return 0.0;
    long long sum = 0;
    for (size_t i = 0; i < n; ++i) sum += std::abs(static_cast<int>(a.pixels[i]) - static_cast<int>(b.pixels[i]));
    return static_cast<double>(sum) / static_cast<double>(n);
}

// Earth mover's distance between the luma histograms, in luma levels: how far brightness mass moved. Small under
// motion (the same things, elsewhere), large at a cut, and smooth for a fade (unlike a bin-by-bin distance).
double histogram_distance(const Plane& a, const Plane& b) {
    std::array<int, 64> ha{}, hb{};
    for (uint8_t p : a.pixels) ++ha[p >> 2];
    for (uint8_t p : b.pixels) ++hb[p >> 2];
    const double na = std::max<size_t>(1, a.pixels.size()), nb = std::max<size_t>(1, b.pixels.size());
    double cdf_a = 0, cdf_b = 0, d = 0;
    for (int i = 0; i < 64; ++i) {
        cdf_a += ha[i] / na;
        cdf_b += hb[i] / nb;
        d += std::abs(cdf_a - cdf_b);
    }
    return d * 4.0;
}

double mean_luma(const Plane& y) {
    double sum = 0;
    for (uint8_t p : y.pixels) sum += p;
    return y.pixels.empty() ? 0.0 : sum / static_cast<double>(y.pixels.size());
}

double luma_stddev(const Plane& y, double mean) {
    double sum = 0;
    for (uint8_t p : y.pixels) sum += (p - mean) * (p - mean);
    return y.pixels.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(y.pixels.size()));
}

}  // namespace

ShotDetector::ShotDetector() : ShotDetector(Options{}) {}
ShotDetector::ShotDetector(Options options) : opt_(options) {}

double ShotDetector::difference(const SmallFrame& a, const SmallFrame& b) {
    // Pixel term (any change of content, chroma as much as luma: a cut between two scenes of equal brightness
    // changes only colour) plus a luma histogram term (changes little under motion, much at a cut).
    const double pixels = mean_abs_diff(a.y, b.y) + mean_abs_diff(a.u, b.u) + mean_abs_diff(a.v, b.v);
    return pixels + histogram_distance(a.y, b.y);
}

void ShotDetector::push(const SmallFrame& frame) {
    Entry e;
    e.index = frame.index;
    e.pts_s = frame.pts_s;
    e.luma = mean_luma(frame.y);
    e.black = e.luma <= opt_.black_luma && luma_stddev(frame.y, e.luma) <= 12.0;
    e.score = recent_.empty() ? 0.0 : difference(recent_.back().frame, frame);
    e.frame = frame;
    recent_.push_back(std::move(e));

    // Entry i is decided once `lookahead` later frames exist; `window` decided ones stay for the ratio test.
    const size_t lookahead = static_cast<size_t>(std::max(opt_.window, 2));
    while (next_ + lookahead < recent_.size()) decide(next_++);
    while (next_ > static_cast<size_t>(opt_.window) + 1) {
        recent_.pop_front();
        --next_;
    }
}

void ShotDetector::finish() {
    while (next_ < recent_.size()) decide(next_++);
    recent_.clear();
    next_ = 0;
}

std::vector<Boundary> ShotDetector::take_boundaries() {
    std::vector<Boundary> out;
    out.swap(out_);
    return out;
}

void ShotDetector::report(Boundary b) {
    if (b.frame - last_boundary_ < opt_.min_shot_frames) return;
    if (b.span_end < b.span_start || b.span_end == 0) b.span_start = b.span_end = b.frame;
    last_boundary_ = b.frame;
    out_.push_back(b);
}

void ShotDetector::decide(size_t i) {
    const Entry& e = recent_[i];
    decided_until_ = e.index + 1;

    // Fades: a run of black frames between content ends at the first frame of the next shot.
    if (e.black) {
        if (black_run_start_ < 0) black_run_start_ = e.index;
        return;
    }
    if (black_run_start_ >= 0) {
        const int64_t run_start = black_run_start_;
        black_run_start_ = -1;
        // Content, black, content: a fade (or a cut through black). Black at the very start is a shot of its own
        // when it lasts: a title's leader.
        if (seen_content_) {
            report(Boundary{e.index, e.pts_s, Transition::Fade, e.score});
            return;
        }
        seen_content_ = true;
        const bool abrupt = e.score >= opt_.min_cut_score;
        if (run_start == 0) report(Boundary{e.index, e.pts_s, abrupt ? Transition::Cut : Transition::Fade, e.score});
        return;
    }
    seen_content_ = true;
    if (i == 0 || recent_[i - 1].black) return;

    // Hard cut: a spike well above its neighbours' level.
    if (e.score < opt_.min_cut_score) return;
    double neighbours = 0;
    int n = 0;
    for (int k = 1; k <= opt_.window; ++k) {
        if (i >= static_cast<size_t>(k)) { neighbours += recent_[i - k].score; ++n; }
        if (i + k < recent_.size()) { neighbours += recent_[i + k].score; ++n; }
    }
    const double level = std::max(1.0, n > 0 ? neighbours / n : 0.0);
    if (e.score < opt_.ratio * level) return;

    // A flash (or explosion) returns to the picture before it within a frame or two: neither its start (the
    // picture after it matches the one before) nor its end (this picture matches one before the flash) is a cut.
    const double similar = opt_.flash_similarity * e.score;
    const SmallFrame& before = recent_[i - 1].frame;
    for (size_t k = 1; k <= 2 && i + k < recent_.size(); ++k)
        if (difference(before, recent_[i + k].frame) < similar) return;
    for (size_t k = 2; k <= 3 && k <= i; ++k)
        if (difference(recent_[i - k].frame, e.frame) < similar) return;

    report(Boundary{e.index, e.pts_s, Transition::Cut, e.score});
}

}  // namespace frameline
