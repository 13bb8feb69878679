#pragma once
// Quality flags of a sampled frame (core/sampling/frame_quality.h) as reviewers read them, and which of them count
// as faults. Letterboxed and pillarboxed describe the picture, they are not faults: such frames are not dimmed or
// hidden, only their active picture is outlined.
#include <QString>
#include <QStringList>
#include <cstdint>

#include "core/sampling/frame_quality.h"

namespace frameline::ui {

inline constexpr uint32_t kInformationalFlags = kFlagLetterboxed | kFlagPillarboxed;

// A frame with a fault (black, blurry, near-duplicate, ...): de-emphasised in the grid, hidden on request.
inline bool has_fault_flags(uint32_t flags) { return (flags & ~kInformationalFlags) != 0; }
inline bool has_black_bars(uint32_t flags) { return (flags & kInformationalFlags) != 0; }

// Short words in the core's order, for a line under a thumbnail: {"blurry", "underexposed"}.
QStringList flag_words(uint32_t flags);
// One sentence per flag, for tooltips: "blurry: little fine detail (low sharpness)".
QStringList flag_descriptions(uint32_t flags);

}  // namespace frameline::ui
