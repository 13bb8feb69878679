#pragma once
// Quality of a sampled frame, measured on its thumbnail: exposure, contrast, sharpness, colourfulness, black bars,
// and a perceptual hash for near-duplicates. A frame that fails a check is flagged with the reason, never dropped,
// so a reviewer sees why it was not chosen.
#include <cstdint>
#include <string>

#include "core/media/image.h"
#include "core/sampling/frame_metrics.h"

namespace frameline {

enum QualityFlag : uint32_t {
    kFlagBlack = 1u << 0,
    kFlagWhite = 1u << 1,
    kFlagUnderexposed = 1u << 2,
    kFlagOverexposed = 1u << 3,
    kFlagLowContrast = 1u << 4,
    kFlagBlurry = 1u << 5,
    kFlagLetterboxed = 1u << 6,   // black bars above and below (information, not a fault)
    kFlagPillarboxed = 1u << 7,   // black bars left and right (information, not a fault)
    kFlagNearDuplicate = 1u << 8, // looks like an earlier sampled frame of the title
    kFlagInTransition = 1u << 9,  // inside a fade or dissolve (no frame outside it was available)
};

// "blurry,underexposed"; names as in QualityFlag without the prefix, snake_case.
std::string quality_flags_to_string(uint32_t flags);
uint32_t quality_flags_from_string(const std::string& text);

// The picture inside black bars, in the measured image's pixels.
struct CropRect {
    int x = 0, y = 0, width = 0, height = 0;
};

struct FrameQuality {
    FrameMetrics metrics;       // measured inside the crop
    double dark_share = 0.0;    // share of pixels at or near black
    double bright_share = 0.0;  // share of clipped white pixels
    CropRect active;            // the picture without bars
    uint32_t flags = 0;
    uint64_t dhash = 0;         // 64-bit difference hash of the active picture
};

FrameQuality assess_frame(const RgbImage& image);

// A frame a reviewer would want to see: detail, good exposure and contrast; flagged faults cost a lot.
double representative_score(const FrameQuality& q);

int hamming_distance(uint64_t a, uint64_t b);

}  // namespace frameline
