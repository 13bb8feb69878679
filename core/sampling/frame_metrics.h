#pragma once

namespace frameline {

// Measures of one frame's picture (see frame_quality.h for how they are taken and judged).
struct FrameMetrics {
    double brightness = 0.0;    // mean luma, 0..255
    double contrast = 0.0;      // standard deviation of luma
    double sharpness = 0.0;     // variance of the Laplacian of luma (higher is sharper)
    double colourfulness = 0.0; // Hasler and Suesstrunk's measure
};

}  // namespace frameline
