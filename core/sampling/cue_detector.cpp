#include "core/sampling/cue_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/sampling/frame_difference.h"

namespace frameline {
namespace {

bool is_black(const SmallFrame& f) {
    const LumaStats s = luma_stats(f.y);
    return s.mean <= 24.0 && s.stddev <= 12.0;
}

// SMPTE-style bars: in the upper part, columns are constant top to bottom, several sharp colour steps run across,
// and the colours are saturated.
bool is_colour_bars(const SmallFrame& f, double motion) {
    if (motion > 1.5) return false;
    const int w = f.y.width, h = f.y.height * 3 / 5;
    if (w < 16 || h < 4) return false;
    double vertical = 0, saturation = 0;
    for (int row = 0; row + 1 < h; ++row)
        for (int col = 0; col < w; ++col) vertical += std::abs(f.y.at(col, row) - f.y.at(col, row + 1));
    vertical /= double(w) * (h - 1);
    std::vector<double> cy(w, 0), cu(w, 0), cv(w, 0);
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col) {
            cy[col] += f.y.at(col, row);
            cu[col] += f.u.at(col, row);
            cv[col] += f.v.at(col, row);
            saturation += std::abs(f.u.at(col, row) - 128) + std::abs(f.v.at(col, row) - 128);
        }
    saturation /= double(w) * h;
    int steps = 0;
    for (int col = 1; col < w; ++col) {
        const double d = (std::abs(cy[col] - cy[col - 1]) + std::abs(cu[col] - cu[col - 1]) +
                          std::abs(cv[col] - cv[col - 1])) / h;
        steps += d > 25.0;
    }
    return vertical < 4.0 && steps >= 4 && saturation > 30.0;
}

// Credits: mostly dark, a small share of light, colourless pixels (text), little motion (cards or a slow roll).
bool is_text_on_dark(const SmallFrame& f, double motion) {
    if (motion > 8.0) return false;
    size_t dark = 0, light = 0;
    double saturation = 0;
    const size_t n = f.y.pixels.size();
    for (size_t i = 0; i < n; ++i) {
        const uint8_t y = f.y.pixels[i];
        dark += y < 50;
        light += y > 120;
        saturation += std::abs(f.u.pixels[i] - 128) + std::abs(f.v.pixels[i] - 128);
    }
    const double dark_share = double(dark) / n, light_share = double(light) / n;
    return dark_share > 0.7 && light_share > 0.005 && light_share < 0.25 && saturation / n < 12.0;
}

}  // namespace

const char* to_string(CueKind k) {
    switch (k) {
        case CueKind::Black: return "black";
        case CueKind::ColourBars: return "colour_bars";
        case CueKind::OpeningCredits: return "opening_credits";
        case CueKind::ClosingCredits: return "closing_credits";
    }
    return "black";
}

std::optional<CueKind> cue_kind_from_string(const char* s) {
    for (CueKind k : {CueKind::Black, CueKind::ColourBars, CueKind::OpeningCredits, CueKind::ClosingCredits})
        if (std::strcmp(s, to_string(k)) == 0) return k;
    return std::nullopt;
}

CueDetector::CueDetector() : CueDetector(Options{}) {}
CueDetector::CueDetector(Options options) : opt_(options) {}

void CueDetector::extend(Run& run, std::vector<Run>& done, bool hit, const SmallFrame& f, double max_gap_s) {
    if (hit) {
        if (run.start >= 0 && f.pts_s - run.last_s > max_gap_s + 1.5 * frame_s_) {
            done.push_back(run);
            run = Run{};
        }
        if (run.start < 0) {
            run.start = f.index;
            run.start_s = f.pts_s;
        }
        run.last = f.index;
        run.last_s = f.pts_s;
        ++run.hits;
    } else if (run.start >= 0 && f.pts_s - run.last_s > max_gap_s + 1.5 * frame_s_) {
        done.push_back(run);
        run = Run{};
    }
}

void CueDetector::push(const SmallFrame& f, double motion) {
    if (f.pts_s > last_pts_s_) frame_s_ = std::clamp(f.pts_s - last_pts_s_, 0.001, 0.5);
    last_pts_s_ = f.pts_s;
    const bool black = is_black(f);
    extend(black_, blacks_, black, f, 0.0);
    extend(bars_, bars_done_, !black && is_colour_bars(f, motion), f, 0.0);
    extend(text_, texts_, !black && is_text_on_dark(f, motion), f, opt_.credits_gap_s);
}

std::vector<Marker> CueDetector::finish(double end_s) {
    for (auto [run, done] : {std::pair{&black_, &blacks_}, std::pair{&bars_, &bars_done_}, std::pair{&text_, &texts_}})
        if (run->start >= 0) done->push_back(*run);
    black_ = bars_ = text_ = Run{};

    std::vector<Marker> out;
    auto add = [&](CueKind kind, const Run& r) {
        const double frames = double(r.last - r.start + 1);
        out.push_back(Marker{kind, r.start, r.last, r.start_s, r.last_s + frame_s_, r.hits / frames});
    };
    for (const Run& r : blacks_)
        if (r.last_s + frame_s_ - r.start_s >= opt_.min_black_s) add(CueKind::Black, r);
    for (const Run& r : bars_done_)
        if (r.last_s + frame_s_ - r.start_s >= opt_.min_bars_s) add(CueKind::ColourBars, r);
    for (const Run& r : texts_) {
        // Long text-on-dark stretches at the ends of a title are its credits; elsewhere they are left alone.
        if (r.last_s + frame_s_ - r.start_s < opt_.min_credits_s) continue;
        if (r.start_s <= opt_.opening_share * end_s) add(CueKind::OpeningCredits, r);
        else if (r.last_s + frame_s_ >= opt_.closing_share * end_s) add(CueKind::ClosingCredits, r);
    }
    std::sort(out.begin(), out.end(), [](const Marker& a, const Marker& b) { return a.start_frame < b.start_frame; });
    blacks_.clear();
    bars_done_.clear();
    texts_.clear();
    return out;
}

}  // namespace frameline
