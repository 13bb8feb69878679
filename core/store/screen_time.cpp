#include "core/store/screen_time.h"

#include "core/store/sql.h"

namespace frameline {

void refresh_screen_time(sql::Connection& db, int64_t title_id, int64_t character_id) {
    db.exec("UPDATE characters SET screen_time_s = COALESCE(("
            "  SELECT SUM(w.k * (s.end_s - s.start_s) / n.n) FROM"
            "   (SELECT f.shot_index AS shot_index, COUNT(DISTINCT fa.frame_index) AS k"
            "      FROM faces fa JOIN sampled_frames f ON f.title_id = fa.title_id AND f.frame_index = fa.frame_index"
            "     WHERE fa.character_id = ?1 GROUP BY f.shot_index) w"
            "   JOIN (SELECT shot_index, COUNT(*) AS n FROM sampled_frames WHERE title_id = ?2 GROUP BY shot_index) n"
            "     ON n.shot_index = w.shot_index"
            "   JOIN shots s ON s.title_id = ?2 AND s.shot_index = w.shot_index), 0) "
            "WHERE id = ?1 AND EXISTS (SELECT 1 FROM sampled_frames WHERE title_id = ?2)",
            {sql::value(character_id), sql::value(title_id)});
}

}  // namespace frameline
