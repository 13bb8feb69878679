#pragma once
// A character's screen time after people moved faces (merge, split, move, and their undo), by the analysis' rule
// (core/analysis/characters.cpp): each shot's length shared over its sampled frames, counting the frames that show
// the character. Private to core/store.
#include <cstdint>

namespace frameline::sql {
class Connection;
}

namespace frameline {

// Recomputes characters.screen_time_s of `character_id` (of `title_id`) from its faces. A title without sampled
// frames keeps what was stored (nothing to recompute it from).
void refresh_screen_time(sql::Connection& db, int64_t title_id, int64_t character_id);

}  // namespace frameline
