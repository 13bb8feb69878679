#pragma once
// Distances between small frames, the detector's measuring tape. Allocation-free, vectorisable loops.
#include "core/media/image.h"

namespace frameline {

// Mean absolute difference of two planes of the same size (0..255).
double plane_difference(const Plane& a, const Plane& b);

// How different two frames look: mean absolute Y + U + V difference plus the earth mover's distance between their
// luma histograms (small under motion, large at a cut, smooth through a fade).
double frame_difference(const SmallFrame& a, const SmallFrame& b);

// How far `m` is from the blend (1 - w) * a + w * b, as a mean absolute Y + U + V difference. A frame inside a
// dissolve from a to b is close to such a blend; a frame of a pan or of either shot is not.
double blend_error(const SmallFrame& m, const SmallFrame& a, const SmallFrame& b, double w);

// Variance of the luma Laplacian: the picture's fine detail. Mixing two unrelated pictures halves it (a dissolve's
// middle frame); moving one picture (a pan, a zoom) does not.
double texture_energy(const Plane& y);

struct LumaStats {
    double mean = 0.0;
    double stddev = 0.0;
};
LumaStats luma_stats(const Plane& y);

}  // namespace frameline
