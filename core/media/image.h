#pragma once
// Plain pixel buffers passed between media, sampling and store.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace frameline {

// One 8-bit plane, tightly packed (stride == width).
struct Plane {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels;
    uint8_t at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

// Interleaved RGB, 8 bits per channel, tightly packed.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
    bool empty() const { return rgb.empty(); }
};

// A decoded frame reduced for analysis: full-range-agnostic YUV 4:4:4 at a small width, straight from the
// decoder's planes (no RGB conversion), plus its position in the title.
struct SmallFrame {
    int64_t index = 0;   // 0-based, in the order the decoder outputs frames (presentation order)
    double pts_s = 0.0;  // presentation time from the start of the file
    Plane y, u, v;
};

}  // namespace frameline
