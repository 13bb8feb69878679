// A person's order of the artwork candidates (the picked set's ranking). Written once for both backends, like the
// reviews in review.cpp: the row changes only at the version the reviewer saw, in one transaction with a "correct"
// event whose before/after snapshots carry "rank", so Review Undo (review.cpp restores the artwork's fields, rank
// among them) puts the old place back.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using nlohmann::json;
using sql::value;

ReviewResult Store::rank_artwork(const std::string& reviewer, int64_t id, int64_t version, int rank) {
    if (rank < 0)
        throw Error("artwork candidate " + std::to_string(id) + ": rank " + std::to_string(rank) +
                    " is negative — give 1 for the first place, or 0 to order it by score again");
    if (reviewer.empty()) throw Error("a review needs a reviewer's name — set FRAMELINE_REVIEWER or pass --reviewer");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    auto r = db.query(std::string("SELECT title_id, status, version, frame_index, score, rank FROM artwork_candidates "
                                  "WHERE id = ?1") +
                          db.lock_rows(),
                      {value(id)});
    if (r.empty())
        throw Error("no artwork candidate " + std::to_string(id) + " in " + db.where() +
                    " — list them with 'frameline-cli artwork TITLE --json'");
    const int64_t title_id = r.int64(0, 0);
    const ReviewState state = review_state_from_string(r.text(0, 1));
    const int64_t stored_version = r.int64(0, 2);
    // The same snapshot shape as review.cpp's (its fields, then state and version), so Undo reads it alike.
    json before{{"frame_index", r.int64(0, 3)}, {"score", r.real(0, 4)}, {"rank", r.int64(0, 5)},
                {"state", to_string(state)}, {"version", stored_version}};
    if (stored_version != version)  // a conflict: someone got there first; nothing changes
        return ReviewResult{false, 0, state, stored_version, before.dump()};
    json after = before;
    after["rank"] = rank;
    after["version"] = stored_version + 1;
    db.exec("UPDATE artwork_candidates SET rank = ?1, version = ?2 WHERE id = ?3 AND version = ?4",
            {value(rank), value(stored_version + 1), value(id), value(version)});
    ReviewResult out{true, 0, state, stored_version + 1, after.dump()};
    out.event_id = db.insert("INSERT INTO review_events (reviewer, entity, entity_id, title_id, action, before, after, "
                             "undoes) VALUES (?1, 'artwork', ?2, ?3, 'correct', ?4, ?5, NULL)",
                             {value(reviewer), value(id), value(title_id), value(before.dump()), value(after.dump())});
    db.announce_change();
    tx.commit();
    return out;
}

}  // namespace frameline
