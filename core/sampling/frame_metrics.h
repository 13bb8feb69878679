#pragma once
#include "core/media/image.h"

namespace frameline {

// Cheap quality measures of one frame, computed on its small analysis planes.
struct FrameMetrics {
    double brightness = 0.0;    // mean luma, 0..255
    double contrast = 0.0;      // standard deviation of luma
    double sharpness = 0.0;     // variance of the Laplacian of luma (higher is sharper)
    double colourfulness = 0.0; // Hasler-Suesstrunk-style measure on chroma
};

FrameMetrics measure_frame(const SmallFrame& frame);

// A frame a reviewer would want to see: not black or blown out, with detail. Higher is better.
double representative_score(const FrameMetrics& m);

}  // namespace frameline
