// Reviews of tags, chapters, characters and artwork candidates: one engine for every proposal table, written once
// for both backends. Each applied review is one transaction: the row changes only if it is still at the version
// the reviewer saw, and an append-only event keeps who, when, before and after.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/store/marker_review.h"
#include "core/store/screen_time.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using nlohmann::json;
using sql::Value;
using sql::value;

namespace {

struct Reviewable {
    const char* entity;
    const char* table;
    std::vector<std::string> fields;  // what the snapshot shows, and what Undo can restore
    const char* label_field;           // what Correct relabels (nullptr: nothing)
    bool has_range;                    // Correct can move start_frame/end_frame
};

const std::vector<Reviewable>& reviewables() {
    static const std::vector<Reviewable> kinds = {
        {"tag", "tags", {"category", "label"}, "label", false},
        {"chapter", "chapters", {"kind", "start_frame", "end_frame", "start_s", "end_s", "label"}, "label", true},
        {"character", "characters", {"name"}, "name", false},
        {"artwork", "artwork_candidates", {"frame_index", "score", "rank"}, nullptr, false},
    };
    return kinds;
}

const Reviewable& reviewable(const std::string& entity) {
    for (const Reviewable& k : reviewables())
        if (entity == k.entity) return k;
    throw Error("cannot review a '" + entity + "' — review a tag, chapter, character, artwork or marker");
}

json to_json(const Value& v) {
    if (auto* i = std::get_if<int64_t>(&v)) return *i;
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    return nullptr;
}

Value from_json(const json& j) {
    if (j.is_number_integer()) return value(j.get<int64_t>());
    if (j.is_number()) return value(j.get<double>());
    if (j.is_string()) return value(j.get<std::string>());
    return sql::Null{};
}

// A proposal row as the review engine sees it.
struct Row {
    int64_t title_id = 0;
    ReviewState state = ReviewState::Proposed;
    int64_t version = 0;
    json fields = json::object();

    json snapshot() const {
        json s = fields;
        s["state"] = to_string(state);
        s["version"] = version;
        return s;
    }
    ReviewResult result() const { return ReviewResult{false, 0, state, version, snapshot().dump(), 0}; }
};

std::string field_list(const Reviewable& k) {
    std::string out;
    for (const auto& f : k.fields) out += ", " + f;
    return out;
}

Row read_row(sql::Connection& db, const Reviewable& k, int64_t id) {
    auto r = db.query(std::string("SELECT title_id, status, version") + field_list(k) + " FROM " + k.table +
                          " WHERE id = ?1" + db.lock_rows(),
                      {value(id)});
    if (r.empty())
        throw Error("no " + std::string(k.entity) + " " + std::to_string(id) + " in " + db.where() +
                    " — list them with 'frameline-cli show TITLE --json'");
    Row row;
    row.title_id = r.int64(0, 0);
    row.state = review_state_from_string(r.text(0, 1));
    row.version = r.int64(0, 2);
    for (size_t f = 0; f < k.fields.size(); ++f) row.fields[k.fields[f]] = to_json(r.data[0][3 + f]);
    return row;
}

void write_row(sql::Connection& db, const Reviewable& k, int64_t id, int64_t expected_version, const Row& next) {
    std::string set = "status = ?1, version = ?2";
    std::vector<Value> params = {value(to_string(next.state)), value(next.version)};
    for (const auto& f : k.fields) {
        params.push_back(from_json(next.fields.at(f)));
        set += ", " + f + " = ?" + std::to_string(params.size());
    }
    params.push_back(value(id));
    params.push_back(value(expected_version));
    db.exec(std::string("UPDATE ") + k.table + " SET " + set + " WHERE id = ?" + std::to_string(params.size() - 1) +
                " AND version = ?" + std::to_string(params.size()),
            params);
}

int64_t log_event(sql::Connection& db, const std::string& reviewer, const char* entity, int64_t id, int64_t title_id,
                  const char* action, const json& before, const json& after, int64_t undoes) {
    if (reviewer.empty()) throw Error("a review needs a reviewer's name — set FRAMELINE_REVIEWER or pass --reviewer");
    return db.insert("INSERT INTO review_events (reviewer, entity, entity_id, title_id, action, before, after, undoes) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                     {value(reviewer), value(entity), value(id), value(title_id), value(action), value(before.dump()),
                      value(after.dump()), sql::id_or_null(undoes)});
}

double title_fps(sql::Connection& db, int64_t title_id, int64_t* frame_count) {
    auto r = db.query("SELECT fps, frame_count FROM titles WHERE id = ?1", {value(title_id)});
    *frame_count = r.empty() ? 0 : r.int64(0, 1);
    return r.empty() ? 0.0 : r.real(0, 0);
}

// Correct: a new label and/or range.
void correct(sql::Connection& db, const Reviewable& k, const Review& rv, Row& next) {
    bool changed = false;
    if (!rv.label.empty()) {
        if (!k.label_field)
            throw Error(std::string("a ") + k.entity + " has no label to correct — accept or reject it instead");
        next.fields[k.label_field] = rv.label;
        changed = true;
    }
    if (rv.start_frame >= 0 || rv.end_frame >= 0) {
        if (!k.has_range) throw Error(std::string("a ") + k.entity + " has no frame range to move");
        int64_t frame_count = 0;
        const double fps = title_fps(db, next.title_id, &frame_count);
        if (rv.start_frame < 0 || rv.end_frame < rv.start_frame || (frame_count > 0 && rv.end_frame >= frame_count))
            throw Error(std::string(k.entity) + " " + std::to_string(rv.id) + ": the range " +
                        std::to_string(rv.start_frame) + "-" + std::to_string(rv.end_frame) +
                        " is empty or outside the title (" + std::to_string(frame_count) +
                        " frames) — give a start frame at or before the end frame");
        next.fields["start_frame"] = rv.start_frame;
        next.fields["end_frame"] = rv.end_frame;
        if (fps > 0) {
            next.fields["start_s"] = double(rv.start_frame) / fps;
            next.fields["end_s"] = double(rv.end_frame + 1) / fps;
        }
        changed = true;
    }
    if (!changed) throw Error("a correction needs a new label or a new range");
    next.state = ReviewState::Corrected;
}

// Undo: the state and fields the event's `before` snapshot had; faces go back to the characters they were in.
void undo(sql::Connection& db, const Reviewable& k, const Review& rv, Row& next) {
    auto e = db.query("SELECT before, after FROM review_events WHERE id = ?1 AND entity = ?2 AND entity_id = ?3",
                      {value(rv.undo_event), value(k.entity), value(rv.id)});
    if (e.empty())
        throw Error("no review event " + std::to_string(rv.undo_event) + " for " + k.entity + " " +
                    std::to_string(rv.id) + " — see them with 'frameline-cli review log TITLE'");
    const json before = json::parse(e.text(0, 0), nullptr, false);
    const json after = json::parse(e.text(0, 1), nullptr, false);
    if (!before.is_object() || !after.is_object())
        throw Error("review event " + std::to_string(rv.undo_event) + " has a damaged snapshot");
    const std::string state = before.value("state", "proposed");
    next.state = state == "absent" ? ReviewState::Rejected : review_state_from_string(state);
    for (const auto& f : k.fields)
        if (before.contains(f)) next.fields[f] = before[f];
    if (before.contains("faces"))
        for (const auto& [face, character] : before["faces"].items())
            db.exec("UPDATE faces SET character_id = ?1 WHERE id = ?2",
                    {sql::id_or_null(character.get<int64_t>()), value(int64_t(std::stoll(face)))});
    if (after.contains("split_into"))
        db.exec("UPDATE characters SET status = 'rejected', version = version + 1 WHERE id = ?1",
                {value(after["split_into"].get<int64_t>())});
    if (before.contains("faces")) {  // the faces went back: so does the screen time, on both sides
        const int64_t title_id = read_row(db, k, rv.id).title_id;
        refresh_screen_time(db, title_id, rv.id);
        for (const char* other : {"merged_into", "moved_to", "split_into"})
            if (after.contains(other)) refresh_screen_time(db, title_id, after[other].get<int64_t>());
    }
}

}  // namespace

ReviewResult Store::review(const Review& rv) {
    if (rv.entity == "marker") {  // technical cues keep their own table and rules (review_marker)
        ReviewRequest request;
        request.marker_id = rv.id;
        request.expected_version = rv.expected_version;
        request.reviewer = rv.reviewer;
        request.action = rv.action;
        request.start_frame = rv.start_frame;
        request.end_frame = rv.end_frame;
        request.undo_event = rv.undo_event;
        const ReviewOutcome outcome = review_marker(request);
        ReviewResult out;
        out.applied = outcome.applied;
        out.event_id = outcome.event_id;
        out.state = outcome.current.state;
        out.version = outcome.current.version;
        out.snapshot = marker_snapshot(outcome.current);
        return out;
    }
    const Reviewable& k = reviewable(rv.entity);
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    const Row current = read_row(db, k, rv.id);
    if (current.version != rv.expected_version) return current.result();  // a conflict: someone got there first
    Row next = current;
    switch (rv.action) {
        case ReviewAction::Accept: next.state = ReviewState::Accepted; break;
        case ReviewAction::Reject: next.state = ReviewState::Rejected; break;
        case ReviewAction::Correct: correct(db, k, rv, next); break;
        case ReviewAction::Undo: undo(db, k, rv, next); break;
    }
    next.version = current.version + 1;
    write_row(db, k, rv.id, rv.expected_version, next);
    ReviewResult out = next.result();
    out.event_id = log_event(db, rv.reviewer, k.entity, rv.id, current.title_id, to_string(rv.action),
                             current.snapshot(), next.snapshot(), rv.action == ReviewAction::Undo ? rv.undo_event : 0);
    db.announce_change();
    tx.commit();
    out.applied = true;
    return out;
}

int64_t Store::add_tag(const std::string& reviewer, const Tag& tag, int64_t* event_id) {
    if (tag.category.empty() || tag.label.empty()) throw Error("a tag needs a category and a label");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    const int64_t id = db.insert(
        "INSERT INTO tags (title_id, shot_index, category, label, confidence, evidence, source, status) "
        "VALUES (?1, ?2, ?3, ?4, 1, ?5, 'human', 'accepted')",
        {value(tag.title_id), tag.shot_index >= 0 ? value(tag.shot_index) : Value(sql::Null{}), value(tag.category),
         value(tag.label), value(tag.evidence)});
    const int64_t event = log_event(db, reviewer, "tag", id, tag.title_id, "add", json{{"state", "absent"}},
              read_row(db, reviewable("tag"), id).snapshot(), 0);
    db.announce_change();
    tx.commit();
    if (event_id) *event_id = event;
    return id;
}

int64_t Store::add_chapter(const std::string& reviewer, const Chapter& c, int64_t* event_id) {
    if (c.start_frame < 0 || c.end_frame < c.start_frame)
        throw Error("a chapter needs a start frame at or before its end frame (got " + std::to_string(c.start_frame) +
                    "-" + std::to_string(c.end_frame) + ")");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    int64_t frame_count = 0;
    const double fps = title_fps(db, c.title_id, &frame_count);
    if (fps <= 0) throw Error("no title " + std::to_string(c.title_id) + " with a known frame rate in " + db.where());
    const int64_t id = db.insert(
        "INSERT INTO chapters (title_id, kind, start_frame, end_frame, start_s, end_s, label, confidence, evidence, "
        "source, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, 'human', 'accepted')",
        {value(c.title_id), value(to_string(c.kind)), value(c.start_frame), value(c.end_frame),
         value(double(c.start_frame) / fps), value(double(c.end_frame + 1) / fps), value(c.label), value(c.evidence)});
    const int64_t event = log_event(db, reviewer, "chapter", id, c.title_id, "add", json{{"state", "absent"}},
              read_row(db, reviewable("chapter"), id).snapshot(), 0);
    db.announce_change();
    tx.commit();
    if (event_id) *event_id = event;
    return id;
}

namespace {

json face_assignments(sql::Connection& db, int64_t character_id, const std::vector<int64_t>* only) {
    json faces = json::object();
    auto r = db.query("SELECT id FROM faces WHERE character_id = ?1 ORDER BY id", {value(character_id)});
    for (size_t i = 0; i < r.size(); ++i)
        if (!only || std::find(only->begin(), only->end(), r.int64(i, 0)) != only->end())
            faces[std::to_string(r.int64(i, 0))] = character_id;
    return faces;
}

}  // namespace

ReviewResult Store::merge_characters(const std::string& reviewer, int64_t into_id, int64_t into_version,
                                     int64_t from_id, int64_t from_version) {
    if (into_id == from_id) throw Error("cannot merge character " + std::to_string(into_id) + " into itself");
    const Reviewable& k = reviewable("character");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    const Row into = read_row(db, k, into_id);
    const Row from = read_row(db, k, from_id);
    if (into.title_id != from.title_id)
        throw Error("characters " + std::to_string(into_id) + " and " + std::to_string(from_id) +
                    " belong to different titles");
    if (into.version != into_version) {
        ReviewResult theirs = into.result();
        theirs.conflict_id = into_id;
        return theirs;
    }
    if (from.version != from_version) return from.result();
    json before = from.snapshot();
    before["faces"] = face_assignments(db, from_id, nullptr);
    db.exec("UPDATE faces SET character_id = ?1 WHERE character_id = ?2", {value(into_id), value(from_id)});
    db.exec("UPDATE characters SET version = version + 1 WHERE id = ?1", {value(into_id)});
    refresh_screen_time(db, into.title_id, into_id);
    refresh_screen_time(db, into.title_id, from_id);
    Row next = from;
    next.state = ReviewState::Rejected;
    next.version = from.version + 1;
    write_row(db, k, from_id, from_version, next);
    json after = next.snapshot();
    after["merged_into"] = into_id;
    ReviewResult out = next.result();
    out.snapshot = after.dump();
    out.event_id = log_event(db, reviewer, "character", from_id, from.title_id, "correct", before, after, 0);
    db.announce_change();
    tx.commit();
    out.applied = true;
    return out;
}

ReviewResult Store::split_character(const std::string& reviewer, int64_t id, int64_t version,
                                    const std::vector<int64_t>& face_ids) {
    if (face_ids.empty()) throw Error("a split needs the faces to move");
    const Reviewable& k = reviewable("character");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    const Row current = read_row(db, k, id);
    if (current.version != version) return current.result();
    json before = current.snapshot();
    before["faces"] = face_assignments(db, id, &face_ids);
    if (before["faces"].size() != face_ids.size())
        throw Error("character " + std::to_string(id) + " does not hold all of the faces to split off — reload it");
    const int64_t split = db.insert("INSERT INTO characters (title_id, confidence, source, status) "
                                    "VALUES (?1, 1, 'human', 'accepted')",
                                    {value(current.title_id)});
    for (int64_t face : face_ids)
        db.exec("UPDATE faces SET character_id = ?1 WHERE id = ?2", {value(split), value(face)});
    refresh_screen_time(db, current.title_id, id);
    refresh_screen_time(db, current.title_id, split);
    Row next = current;
    next.version = current.version + 1;
    write_row(db, k, id, version, next);
    json after = next.snapshot();
    after["split_into"] = split;
    ReviewResult out = next.result();
    out.snapshot = after.dump();
    out.event_id = log_event(db, reviewer, "character", id, current.title_id, "correct", before, after, 0);
    db.announce_change();
    tx.commit();
    out.applied = true;
    return out;
}

}  // namespace frameline
