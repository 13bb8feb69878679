#include "core/sampling/frame_quality.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>
#include <vector>

namespace frameline {
namespace {

constexpr struct {
    QualityFlag flag;
    const char* name;
} kFlagNames[] = {
    {kFlagBlack, "black"},         {kFlagWhite, "white"},           {kFlagUnderexposed, "underexposed"},
    {kFlagOverexposed, "overexposed"}, {kFlagLowContrast, "low_contrast"}, {kFlagBlurry, "blurry"},
    {kFlagLetterboxed, "letterboxed"}, {kFlagPillarboxed, "pillarboxed"}, {kFlagNearDuplicate, "near_duplicate"},
    {kFlagInTransition, "in_transition"},
};

// Thresholds, on 8-bit luma of a ~320 px wide thumbnail.
constexpr double kBarLuma = 28.0;        // a bar row or column: mean at most this ...
constexpr double kBarSpread = 8.0;       // ... and spread at most this
constexpr double kMinBarShare = 0.04;    // bars on both sides together cover at least this share to count
constexpr double kBlackLuma = 24.0, kWhiteLuma = 230.0, kFlatContrast = 12.0;
constexpr double kUnderLuma = 50.0, kOverLuma = 210.0;
constexpr double kLowContrast = 18.0;
constexpr double kBlurrySharpness = 60.0;  // Laplacian variance; sharp footage measures several hundred
constexpr double kMinBlurSlope = 1.5;      // mean |central difference| per pixel of a picture with edges

std::vector<uint8_t> to_luma(const RgbImage& img) {
    std::vector<uint8_t> y(static_cast<size_t>(img.width) * img.height);
    const uint8_t* p = img.rgb.data();
    for (size_t i = 0; i < y.size(); ++i, p += 3) y[i] = static_cast<uint8_t>((77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8);
    return y;
}

struct LineStats {
    double mean, spread;
};
LineStats line_stats(const uint8_t* first, int count, int step) {
    double sum = 0, sum_sq = 0;
    for (int k = 0; k < count; ++k) {
        const double v = first[static_cast<ptrdiff_t>(k) * step];
        sum += v;
        sum_sq += v * v;
    }
    const double mean = sum / count;
    return {mean, std::sqrt(std::max(0.0, sum_sq / count - mean * mean))};
}
bool is_bar(LineStats s) { return s.mean <= kBarLuma && s.spread <= kBarSpread; }

CropRect find_active(const std::vector<uint8_t>& y, int w, int h) {
    int top = 0, bottom = 0, left = 0, right = 0;
    while (top < h / 2 && is_bar(line_stats(&y[static_cast<size_t>(top) * w], w, 1))) ++top;
    while (bottom < h / 2 && is_bar(line_stats(&y[static_cast<size_t>(h - 1 - bottom) * w], w, 1))) ++bottom;
    while (left < w / 2 && is_bar(line_stats(&y[left], h, w))) ++left;
    while (right < w / 2 && is_bar(line_stats(&y[w - 1 - right], h, w))) ++right;
    // Bars on one side only are dark picture content, not bars; a black frame is all "bars".
    if (top + bottom < kMinBarShare * h || std::min(top, bottom) < 0.4 * std::max(top, bottom)) top = bottom = 0;
    if (left + right < kMinBarShare * w || std::min(left, right) < 0.4 * std::max(left, right)) left = right = 0;
    if (top + bottom > 0.8 * h) top = bottom = 0;
    if (left + right > 0.8 * w) left = right = 0;
    return CropRect{left, top, w - left - right, h - top - bottom};
}

uint64_t difference_hash(const std::vector<uint8_t>& y, int w, const CropRect& r) {
    // 9 x 8 box averages; each bit says whether a cell is brighter than its right neighbour.
    double cells[8][9];
    for (int cy = 0; cy < 8; ++cy)
        for (int cx = 0; cx < 9; ++cx) {
            const int x0 = r.x + cx * r.width / 9, x1 = std::max(x0 + 1, r.x + (cx + 1) * r.width / 9);
            const int y0 = r.y + cy * r.height / 8, y1 = std::max(y0 + 1, r.y + (cy + 1) * r.height / 8);
            double sum = 0;
            for (int yy = y0; yy < y1; ++yy)
                for (int xx = x0; xx < x1; ++xx) sum += y[static_cast<size_t>(yy) * w + xx];
            cells[cy][cx] = sum / ((x1 - x0) * (y1 - y0));
        }
    uint64_t hash = 0;
    for (int cy = 0; cy < 8; ++cy)
        for (int cx = 0; cx < 8; ++cx) hash = (hash << 1) | (cells[cy][cx] > cells[cy][cx + 1] ? 1u : 0u);
    return hash;
}

}  // namespace

std::string quality_flags_to_string(uint32_t flags) {
    std::string out;
    for (const auto& f : kFlagNames)
        if (flags & f.flag) out += (out.empty() ? "" : ",") + std::string(f.name);
    return out;
}

uint32_t quality_flags_from_string(const std::string& text) {
    uint32_t flags = 0;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        for (const auto& f : kFlagNames)
            if (item == f.name) flags |= f.flag;
    return flags;
}

int hamming_distance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

FrameQuality assess_frame(const RgbImage& img) {
    FrameQuality q;
    if (img.empty() || img.width < 8 || img.height < 8) return q;
    const int w = img.width, h = img.height;
    const std::vector<uint8_t> y = to_luma(img);
    q.active = find_active(y, w, h);
    const CropRect& r = q.active;
    if (r.y > 0) q.flags |= kFlagLetterboxed;
    if (r.x > 0) q.flags |= kFlagPillarboxed;

    double sum = 0, sum_sq = 0, lap_sum = 0, lap_sq = 0, rg_sum = 0, rg_sq = 0, yb_sum = 0, yb_sq = 0, slope = 0;
    size_t n = 0, lap_n = 0, dark = 0, bright = 0;
    for (int row = r.y; row < r.y + r.height; ++row) {
        for (int col = r.x; col < r.x + r.width; ++col) {
            const size_t i = static_cast<size_t>(row) * w + col;
            const double v = y[i];
            sum += v;
            sum_sq += v * v;
            dark += v <= 20;
            bright += v >= 250;
            const uint8_t* p = &img.rgb[i * 3];
            const double rg = double(p[0]) - p[1], yb = 0.5 * (double(p[0]) + p[1]) - p[2];
            rg_sum += rg;
            rg_sq += rg * rg;
            yb_sum += yb;
            yb_sq += yb * yb;
            ++n;
            if (row > r.y && row + 1 < r.y + r.height && col > r.x && col + 1 < r.x + r.width) {
                const double l = 4 * v - y[i - 1] - y[i + 1] - y[i - w] - y[i + w];
                lap_sum += l;
                lap_sq += l * l;
                slope += std::abs(double(y[i + 1]) - y[i - 1]) + std::abs(double(y[i + w]) - y[i - w]);
                ++lap_n;
            }
        }
    }
    if (n == 0) return q;
    FrameMetrics& m = q.metrics;
    m.brightness = sum / n;
    m.contrast = std::sqrt(std::max(0.0, sum_sq / n - m.brightness * m.brightness));
    if (lap_n > 0) m.sharpness = lap_sq / lap_n - (lap_sum / lap_n) * (lap_sum / lap_n);
    const double rg_mean = rg_sum / n, yb_mean = yb_sum / n;
    const double rg_var = std::max(0.0, rg_sq / n - rg_mean * rg_mean), yb_var = std::max(0.0, yb_sq / n - yb_mean * yb_mean);
    m.colourfulness = std::sqrt(rg_var + yb_var) + 0.3 * std::sqrt(rg_mean * rg_mean + yb_mean * yb_mean);
    q.dark_share = double(dark) / n;
    q.bright_share = double(bright) / n;

    if (m.brightness <= kBlackLuma && m.contrast <= kFlatContrast) q.flags |= kFlagBlack;
    else if (m.brightness >= kWhiteLuma && m.contrast <= kFlatContrast) q.flags |= kFlagWhite;
    else {
        if (m.brightness < kUnderLuma || q.dark_share > 0.5) q.flags |= kFlagUnderexposed;
        if (m.brightness > kOverLuma || q.bright_share > 0.25) q.flags |= kFlagOverexposed;
        if (m.contrast < kLowContrast) q.flags |= kFlagLowContrast;
    }
    // Blur: edges are there (the picture has slopes) but they are soft (little second derivative). A smooth
    // gradient or a flat sky has neither, and is not blurred.
    const double mean_slope = lap_n > 0 ? slope / (2.0 * lap_n) : 0.0;
    if (m.sharpness < kBlurrySharpness && mean_slope >= kMinBlurSlope && !(q.flags & (kFlagBlack | kFlagWhite)))
        q.flags |= kFlagBlurry;
    q.dhash = difference_hash(y, w, r);
    return q;
}

double representative_score(const FrameQuality& q) {
    const FrameMetrics& m = q.metrics;
    double score = std::log1p(m.sharpness) * std::min(1.0, 0.3 + m.contrast / 45.0) + 0.01 * m.colourfulness;
    // Exposure: best in the mid range.
    score *= 1.0 - std::min(0.6, std::abs(m.brightness - 120.0) / 250.0);
    constexpr uint32_t kFaults = kFlagBlack | kFlagWhite | kFlagUnderexposed | kFlagOverexposed | kFlagLowContrast |
                                 kFlagBlurry | kFlagNearDuplicate | kFlagInTransition;
    const int faults = std::popcount(q.flags & kFaults);
    return score / (1.0 + 2.0 * faults);
}

}  // namespace frameline
