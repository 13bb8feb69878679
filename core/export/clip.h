#pragma once
// Clip exports by what people call them: a shot, a scene or a chapter of a stored title, or a frame range.
// Resolves them to the title's media file and an inclusive frame range for core/media/clip_export.h.
#include <cstdint>
#include <string>

#include "core/store/records.h"

namespace frameline {

class Store;

struct ClipSelection {
    enum class Kind { Shot, Chapter, Scene, Frames };
    Kind kind = Kind::Frames;
    int64_t id = 0;           // shot index (Shot), chapter row id (Chapter, Scene)
    int64_t start_frame = 0;  // Frames: inclusive range
    int64_t end_frame = 0;
};

struct ResolvedClip {
    TitleRecord title;
    std::string what;         // "shot 2", "scene 14 'Harbour'", "frames 10-99": for messages and reports
    int64_t start_frame = 0;
    int64_t end_frame = 0;    // inclusive
};

// Parses "A-B" (inclusive, from 0). Throws frameline::Error with what to type instead.
ClipSelection parse_frame_range(const std::string& text);

// Looks the selection up in the store. Throws frameline::Error naming the title and the missing shot or chapter,
// and how to list what exists.
ResolvedClip resolve_clip(Store& store, const std::string& title_id_or_name, const ClipSelection& selection);

}  // namespace frameline
