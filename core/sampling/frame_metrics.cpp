#include "core/sampling/frame_metrics.h"

#include <algorithm>
#include <cmath>

namespace frameline {

FrameMetrics measure_frame(const SmallFrame& frame) {
    FrameMetrics m;
    const Plane& y = frame.y;
    const size_t n = y.pixels.size();
    if (n == 0) return m;

    double sum = 0, sum_sq = 0;
    for (uint8_t p : y.pixels) {
        sum += p;
        sum_sq += static_cast<double>(p) * p;
    }
    m.brightness = sum / n;
    m.contrast = std::sqrt(std::max(0.0, sum_sq / n - m.brightness * m.brightness));

    // Variance of the 4-neighbour Laplacian: blur removes high frequencies, so it drops.
    double lap_sum = 0, lap_sq = 0;
    size_t lap_n = 0;
    for (int row = 1; row + 1 < y.height; ++row) {
        for (int col = 1; col + 1 < y.width; ++col) {
            double l = 4.0 * y.at(col, row) - y.at(col - 1, row) - y.at(col + 1, row) - y.at(col, row - 1) -
                       y.at(col, row + 1);
            lap_sum += l;
            lap_sq += l * l;
            ++lap_n;
        }
    }
    if (lap_n > 0) {
        double mean = lap_sum / lap_n;
        m.sharpness = lap_sq / lap_n - mean * mean;
    }

    // Colourfulness after Hasler & Suesstrunk, with the chroma planes standing in for the opponent channels.
    const size_t cn = std::min(frame.u.pixels.size(), frame.v.pixels.size());
    if (cn > 0) {
        double su = 0, sv = 0, su2 = 0, sv2 = 0;
        for (size_t i = 0; i < cn; ++i) {
            double u = frame.u.pixels[i] - 128.0, v = frame.v.pixels[i] - 128.0;
            su += u;
            sv += v;
            su2 += u * u;
            sv2 += v * v;
        }
        double mu = su / cn, mv = sv / cn;
        double var_u = std::max(0.0, su2 / cn - mu * mu), var_v = std::max(0.0, sv2 / cn - mv * mv);
        m.colourfulness = std::sqrt(var_u + var_v) + 0.3 * std::sqrt(mu * mu + mv * mv);
    }
    return m;
}

double representative_score(const FrameMetrics& m) {
    // Exposure: full credit in the mid range, falling to zero at black and at white.
    double exposure = 1.0;
    if (m.brightness < 40) exposure = std::max(0.0, (m.brightness - 16) / 24.0);
    if (m.brightness > 215) exposure = std::max(0.0, (240 - m.brightness) / 25.0);
    double contrast = std::min(1.0, m.contrast / 30.0);
    return std::log1p(m.sharpness) * (0.2 + 0.8 * exposure) * (0.3 + 0.7 * contrast) + 0.01 * m.colourfulness;
}

}  // namespace frameline
