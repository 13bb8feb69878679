#include "core/sampling/frame_difference.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace frameline {
namespace {

// Earth mover's distance between 64-bin luma histograms, in luma levels.
double histogram_distance(const Plane& a, const Plane& b) {
    std::array<int, 64> ha{}, hb{};
    for (uint8_t p : a.pixels) ++ha[p >> 2];
    for (uint8_t p : b.pixels) ++hb[p >> 2];
    const double na = static_cast<double>(std::max<size_t>(1, a.pixels.size()));
    const double nb = static_cast<double>(std::max<size_t>(1, b.pixels.size()));
    double cdf_a = 0, cdf_b = 0, d = 0;
    for (int i = 0; i < 64; ++i) {
        cdf_a += ha[i] / na;
        cdf_b += hb[i] / nb;
        d += std::abs(cdf_a - cdf_b);
    }
    return d * 4.0;
}

double plane_blend_error(const Plane& m, const Plane& a, const Plane& b, int w256) {
    const size_t n = std::min({m.pixels.size(), a.pixels.size(), b.pixels.size()});
    if (n == 0) return 0.0;
    const uint8_t* pm = m.pixels.data();
    const uint8_t* pa = a.pixels.data();
    const uint8_t* pb = b.pixels.data();
    long long sum = 0;
    for (size_t i = 0; i < n; ++i) {
        const int blend = (pa[i] * (256 - w256) + pb[i] * w256) >> 8;
        sum += std::abs(pm[i] - blend);
    }
    return static_cast<double>(sum) / static_cast<double>(n);
}

}  // namespace

double plane_difference(const Plane& a, const Plane& b) {
    const size_t n = std::min(a.pixels.size(), b.pixels.size());
    if (n == 0) return 0.0;
    const uint8_t* pa = a.pixels.data();
    const uint8_t* pb = b.pixels.data();
    long long sum = 0;
    for (size_t i = 0; i < n; ++i) sum += std::abs(pa[i] - pb[i]);
    return static_cast<double>(sum) / static_cast<double>(n);
}

double frame_difference(const SmallFrame& a, const SmallFrame& b) {
    return plane_difference(a.y, b.y) + plane_difference(a.u, b.u) + plane_difference(a.v, b.v) +
           histogram_distance(a.y, b.y);
}

double blend_error(const SmallFrame& m, const SmallFrame& a, const SmallFrame& b, double w) {
    const int w256 = static_cast<int>(std::lround(std::clamp(w, 0.0, 1.0) * 256));
    return plane_blend_error(m.y, a.y, b.y, w256) + plane_blend_error(m.u, a.u, b.u, w256) +
           plane_blend_error(m.v, a.v, b.v, w256);
}

double texture_energy(const Plane& y) {
    if (y.width < 3 || y.height < 3) return 0.0;
    long long sum = 0, sum_sq = 0;
    const uint8_t* p = y.pixels.data();
    const int w = y.width;
    for (int row = 1; row + 1 < y.height; ++row) {
        const uint8_t* r = p + static_cast<size_t>(row) * w;
        for (int col = 1; col + 1 < w; ++col) {
            const int l = 4 * r[col] - r[col - 1] - r[col + 1] - r[col - w] - r[col + w];
            sum += l;
            sum_sq += l * l;
        }
    }
    const double n = static_cast<double>(w - 2) * (y.height - 2);
    const double mean = static_cast<double>(sum) / n;
    return static_cast<double>(sum_sq) / n - mean * mean;
}

LumaStats luma_stats(const Plane& y) {
    LumaStats s;
    if (y.pixels.empty()) return s;
    long long sum = 0, sum_sq = 0;
    for (uint8_t p : y.pixels) {
        sum += p;
        sum_sq += p * p;
    }
    const double n = static_cast<double>(y.pixels.size());
    s.mean = static_cast<double>(sum) / n;
    s.stddev = std::sqrt(std::max(0.0, static_cast<double>(sum_sq) / n - s.mean * s.mean));
    return s;
}

}  // namespace frameline
