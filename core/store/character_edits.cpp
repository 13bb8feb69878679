// Moving faces between two existing characters (a reviewer drags faces from one face cluster onto another).
// Written like merge_characters / split_character in review.cpp: both rows' versions are checked, everything is one
// transaction, and the event sits on the character the faces left, with before["faces"] naming where each face
// was, so that Review Undo of that event puts them back.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/store/screen_time.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using nlohmann::json;
using sql::value;

namespace {

struct CharacterRow {
    int64_t id = 0;
    int64_t title_id = 0;
    ReviewState state = ReviewState::Proposed;
    int64_t version = 0;
    json name;  // null while nobody named it: Undo writes back exactly what was there

    // The same shape as review.cpp's snapshots of a character ({"name", "state", "version"}), so Undo reads it.
    json snapshot() const { return json{{"name", name}, {"state", to_string(state)}, {"version", version}}; }
    ReviewResult result() const { return ReviewResult{false, 0, state, version, snapshot().dump(), 0}; }
};

CharacterRow read_character(sql::Connection& db, int64_t id) {
    auto r = db.query(std::string("SELECT title_id, status, version, name FROM characters WHERE id = ?1") +
                          db.lock_rows(),
                      {value(id)});
    if (r.empty())
        throw Error("no character " + std::to_string(id) + " in " + db.where() +
                    " — list them with 'frameline-cli show TITLE --json'");
    CharacterRow row;
    row.id = id;
    row.title_id = r.int64(0, 0);
    row.state = review_state_from_string(r.text(0, 1));
    row.version = r.int64(0, 2);
    row.name = r.null(0, 3) ? json(nullptr) : json(r.text(0, 3));
    return row;
}

}  // namespace

ReviewResult Store::move_faces(const std::string& reviewer, int64_t from_id, int64_t from_version, int64_t into_id,
                               int64_t into_version, const std::vector<int64_t>& face_ids) {
    if (face_ids.empty()) throw Error("moving faces needs the faces to move — select one or more");
    if (from_id == into_id)
        throw Error("the faces already belong to character " + std::to_string(into_id) + " — pick another character");
    if (reviewer.empty()) throw Error("a review needs a reviewer's name — set FRAMELINE_REVIEWER or pass --reviewer");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    const CharacterRow from = read_character(db, from_id);
    const CharacterRow into = read_character(db, into_id);
    if (from.title_id != into.title_id)
        throw Error("characters " + std::to_string(from_id) + " and " + std::to_string(into_id) +
                    " belong to different titles");
    if (from.version != from_version) return from.result();  // a conflict: someone changed it first
    if (into.version != into_version) {
        ReviewResult theirs = into.result();
        theirs.conflict_id = into_id;
        return theirs;
    }

    // Every face must still be a member of `from` (a stale gallery, or a face someone moved meanwhile).
    json faces = json::object();
    for (int64_t face : face_ids) {
        auto f = db.query("SELECT character_id FROM faces WHERE id = ?1", {value(face)});
        if (f.empty() || f.null(0, 0) || f.int64(0, 0) != from_id)
            throw Error("face " + std::to_string(face) + " is not in character " + std::to_string(from_id) +
                        " — reload the characters and select the faces again");
        faces[std::to_string(face)] = from_id;
    }
    for (int64_t face : face_ids)
        db.exec("UPDATE faces SET character_id = ?1 WHERE id = ?2", {value(into_id), value(face)});
    db.exec("UPDATE characters SET version = version + 1 WHERE id = ?1", {value(into_id)});
    db.exec("UPDATE characters SET version = version + 1 WHERE id = ?1 AND version = ?2",
            {value(from_id), value(from_version)});
    refresh_screen_time(db, from.title_id, from_id);
    refresh_screen_time(db, from.title_id, into_id);

    json before = from.snapshot();
    before["faces"] = faces;
    CharacterRow next = from;
    next.version = from.version + 1;
    json after = next.snapshot();
    after["moved_to"] = into_id;
    after["moved_faces"] = face_ids;
    const int64_t event = db.insert(
        "INSERT INTO review_events (reviewer, entity, entity_id, title_id, action, before, after, undoes) "
        "VALUES (?1, 'character', ?2, ?3, 'correct', ?4, ?5, NULL)",
        {value(reviewer), value(from_id), value(from.title_id), value(before.dump()), value(after.dump())});
    db.announce_change();
    tx.commit();
    ReviewResult out = next.result();
    out.applied = true;
    out.event_id = event;
    out.snapshot = after.dump();
    return out;
}

}  // namespace frameline
