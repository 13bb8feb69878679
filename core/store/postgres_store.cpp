#include "core/store/postgres_store.h"

#include <algorithm>

#include "core/error.h"
#include "core/store/postgres_connection.h"
#include "core/store/postgres_sql.h"
#include "core/store/marker_review.h"
#include "core/store/schema.h"

namespace frameline {

using pg::param;

namespace {

// Commits on success, rolls back when an exception leaves the scope: nothing is ever half-written.
class Transaction {
public:
    explicit Transaction(pg::Connection& db) : db_(db) { db_.exec("BEGIN"); }
    ~Transaction() {
        if (done_) return;
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // the connection is gone: the server rolls back by itself
        }
    }
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }

private:
    pg::Connection& db_;
    bool done_ = false;
};

constexpr const char* kTitleColumns =
    "t.id, t.name, t.status, t.status_message, t.created_at, COALESCE(m.path, ''), COALESCE(m.content_hash, ''), "
    "COALESCE(m.size_bytes, 0), t.duration_s, t.frame_count, t.fps, t.width, t.height, t.rotation_deg, "
    "(SELECT COUNT(*) FROM shots s WHERE s.title_id = t.id) "
    "FROM titles t LEFT JOIN media_files m ON m.title_id = t.id";

// Serialises migrations between processes (cluster workers may start together): pg_advisory_xact_lock's key.
constexpr int64_t kMigrationLock = 0x46524d4c;  // "FRML"
// try_lock_content's first key (the two-key advisory locks): "FLCL".
constexpr int64_t kContentLockClass = 0x464c434c;

// Multi-row INSERTs: one round trip per chunk instead of one per row (the server is often across a network).
void insert_rows(pg::Connection& db, const std::string& head, size_t columns,
                 const std::vector<std::vector<pg::Param>>& rows) {
    const size_t per_chunk = std::max<size_t>(1, 30000 / columns);  // PostgreSQL takes at most 65535 parameters
    for (size_t first = 0; first < rows.size(); first += per_chunk) {
        const size_t last = std::min(rows.size(), first + per_chunk);
        std::string sql = head + " VALUES ";
        std::vector<pg::Param> params;
        params.reserve((last - first) * columns);
        for (size_t r = first; r < last; ++r) {
            sql += r == first ? "(" : ",(";
            for (size_t c = 0; c < columns; ++c) {
                sql += (c ? ",$" : "$") + std::to_string(params.size() + 1);
                params.push_back(rows[r][c]);
            }
            sql += ")";
        }
        db.exec(sql, params);
    }
}

}  // namespace

// Every committed change is announced on this channel; open applications refresh when they hear it.
constexpr const char* kChangeChannel = "frameline_changes";

PostgresStore::PostgresStore(const std::string& url)
    : db_(std::make_unique<pg::Connection>(url)), sql_(std::make_unique<PostgresSql>(*db_)) {
    migrate();
    db_->exec(std::string("LISTEN ") + kChangeChannel);
}

void PostgresStore::notify_change() { db_->exec(std::string("NOTIFY ") + kChangeChannel); }

bool PostgresStore::changed_elsewhere() {
    std::lock_guard lock(sql_->mutex());
    return db_->take_notifications(kChangeChannel) > 0;
}

PostgresStore::~PostgresStore() = default;

sql::Connection& PostgresStore::sql() { return *sql_; }

std::string PostgresStore::url() const { return db_->display_url(); }

int PostgresStore::schema_version() {
    std::lock_guard lock(sql_->mutex());
    auto r = db_->exec("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    return r.integer(0, 0);
}

void PostgresStore::migrate() {
    std::lock_guard lock(sql_->mutex());
    const auto& migrations = postgres_migrations();
    const int latest = migrations.back().version;
    Transaction tx(*db_);
    db_->exec("SELECT pg_advisory_xact_lock($1)", {param(kMigrationLock)});
    db_->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const int current = db_->exec("SELECT COALESCE(MAX(version), 0) FROM schema_version").integer(0, 0);
    if (current > latest)
        throw Error("database '" + db_->display_url() + "' has schema version " + std::to_string(current) +
                    ", newer than this Frameline understands (" + std::to_string(latest) + ") — update Frameline");
    for (const Migration& m : migrations) {
        if (m.version <= current) continue;
        db_->exec_script(m.sql);
        db_->exec("INSERT INTO schema_version (version) VALUES ($1)", {param(m.version)});
    }
    tx.commit();
}

std::vector<TitleRecord> PostgresStore::query_titles(const std::string& where, const std::string& arg) {
    std::lock_guard lock(sql_->mutex());
    const std::string sql = std::string("SELECT ") + kTitleColumns + " " + where + " ORDER BY t.id";
    auto r = arg.empty() ? db_->exec(sql) : db_->exec(sql, {param(arg)});
    std::vector<TitleRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
        TitleRecord t;
        t.id = r.int64(i, 0);
        t.name = r.text(i, 1);
        t.status = title_status_from_string(r.text(i, 2));
        t.status_message = r.text(i, 3);
        t.created_at = r.text(i, 4);
        t.media_path = r.text(i, 5);
        t.content_hash = r.text(i, 6);
        t.size_bytes = r.int64(i, 7);
        t.duration_s = r.real(i, 8);
        t.frame_count = r.int64(i, 9);
        t.fps = r.real(i, 10);
        t.width = r.integer(i, 11);
        t.height = r.integer(i, 12);
        t.rotation_deg = r.integer(i, 13);
        t.shot_count = r.integer(i, 14);
        out.push_back(t);
    }
    return out;
}

namespace {

// A session advisory lock in the two-key space (apart from the migrations' one-key lock), released on this
// connection when the object goes, or by the server when the connection ends.
class PostgresContentLock final : public Store::ContentLock {
public:
    PostgresContentLock(sql::Connection& db, int64_t key) : db_(db), key_(key) {}
    ~PostgresContentLock() override {
        try {
            std::lock_guard lock(db_.mutex());
            db_.exec("SELECT pg_advisory_unlock(CAST(?1 AS INTEGER), CAST(?2 AS INTEGER))",
                     {sql::value(kContentLockClass), sql::value(key_)});
        } catch (...) {  // the connection is gone: so is the lock
        }
    }

private:
    sql::Connection& db_;
    int64_t key_;
};

}  // namespace

std::unique_ptr<Store::ContentLock> PostgresStore::try_lock_content(const std::string& content_hash) {
    // PostgreSQL's int4: the key's 32 bits as a signed number.
    const int64_t key = static_cast<int32_t>(content_lock_key(content_hash));
    sql::Connection& db = sql();
    std::lock_guard lock(db.mutex());
    const sql::Rows r = db.query(
        "SELECT CASE WHEN pg_try_advisory_lock(CAST(?1 AS INTEGER), CAST(?2 AS INTEGER)) THEN 1 ELSE 0 END",
        {sql::value(kContentLockClass), sql::value(key)});
    if (r.int64(0, 0) != 1) return nullptr;
    return std::make_unique<PostgresContentLock>(db, key);
}

std::optional<TitleRecord> PostgresStore::find_title_by_hash(const std::string& content_hash) {
    auto rows = query_titles("WHERE m.content_hash = $1", content_hash);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

int64_t PostgresStore::create_title(const NewTitle& t) {
    std::lock_guard lock(sql_->mutex());
    Transaction tx(*db_);
    const int64_t id = db_->exec("INSERT INTO titles (name, duration_s, fps, width, height, rotation_deg) "
                                 "VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
                                 {param(t.name), param(t.duration_s), param(t.fps), param(t.width), param(t.height),
                                  param(t.rotation_deg)})
                           .int64(0, 0);
    db_->exec("INSERT INTO media_files (title_id, path, size_bytes, content_hash, container, video_codec) "
              "VALUES ($1,$2,$3,$4,$5,$6)",
              {param(id), param(t.media_path), param(t.size_bytes), param(t.content_hash), param(t.container),
               param(t.video_codec)});
    notify_change();  // delivered on commit, not at all on rollback
    tx.commit();
    return id;
}

void PostgresStore::insert_frames(const char* table, int64_t title_id,
                                  const std::vector<TitleAnalysis::Frame>& frames) {
    const std::string head = std::string("INSERT INTO ") + table +
                             " (title_id, shot_index, frame_index, pts_s, representative, brightness, contrast, "
                             "sharpness, colourfulness, width, height, thumbnail_jpeg, kind, flags, motion, crop_x, "
                             "crop_y, crop_width, crop_height)";
    std::vector<std::vector<pg::Param>> rows;
    for (const auto& f : frames) {
        const FrameRecord& r = f.record;
        rows.push_back({param(title_id), param(r.shot_index), param(r.frame_index), param(r.pts_s),
                        param(r.kind == FrameKind::Representative ? 1 : 0), param(r.metrics.brightness),
                        param(r.metrics.contrast), param(r.metrics.sharpness), param(r.metrics.colourfulness),
                        param(r.width), param(r.height), param(f.jpeg), param(std::string(to_string(r.kind))),
                        param(quality_flags_to_string(r.flags)), param(r.motion), param(r.active.x),
                        param(r.active.y), param(r.active.width), param(r.active.height)});
    }
    insert_rows(*db_, head, 19, rows);
}

void PostgresStore::stage_frames(int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames) {
    std::lock_guard lock(sql_->mutex());
    Transaction tx(*db_);
    insert_frames("staged_frames", title_id, frames);
    tx.commit();
}

void PostgresStore::clear_staged_frames(int64_t title_id) {
    std::lock_guard lock(sql_->mutex());
    db_->exec("DELETE FROM staged_frames WHERE title_id = $1", {param(title_id)});
}

void PostgresStore::save_analysis(int64_t title_id, const TitleAnalysis& a) {
    std::lock_guard lock(sql_->mutex());
    Transaction tx(*db_);
    db_->exec("DELETE FROM sampled_frames WHERE title_id = $1", {param(title_id)});
    db_->exec("DELETE FROM shots WHERE title_id = $1", {param(title_id)});
    // A new run replaces the earlier run's proposals; people's decisions stay (see SqliteStore::save_analysis).
    db_->exec("DELETE FROM markers WHERE title_id = $1 AND source IN ('sampling', 'ocr') AND status = 'proposed'",
              {param(title_id)});
    const std::vector<MarkerRecord> decided = marker_records(title_id);
    std::vector<std::vector<pg::Param>> shot_rows;
    for (const Shot& s : a.shots)
        shot_rows.push_back({param(title_id), param(s.index), param(s.start_frame), param(s.end_frame),
                             param(s.start_s), param(s.end_s), param(std::string(to_string(s.transition))),
                             param(s.transition_start), param(s.transition_end)});
    insert_rows(*db_,
                "INSERT INTO shots (title_id, shot_index, start_frame, end_frame, start_s, end_s, transition, "
                "transition_start_frame, transition_end_frame)",
                9, shot_rows);
    insert_frames("sampled_frames", title_id, a.frames);
    db_->exec("INSERT INTO sampled_frames (title_id, shot_index, frame_index, pts_s, representative, brightness, "
              "contrast, sharpness, colourfulness, width, height, thumbnail_jpeg, kind, flags, motion, crop_x, crop_y, "
              "crop_width, crop_height) SELECT title_id, shot_index, frame_index, pts_s, representative, brightness, "
              "contrast, sharpness, colourfulness, width, height, thumbnail_jpeg, kind, flags, motion, crop_x, crop_y, "
              "crop_width, crop_height FROM staged_frames WHERE title_id = $1 ORDER BY frame_index",
              {param(title_id)});
    db_->exec("DELETE FROM staged_frames WHERE title_id = $1", {param(title_id)});
    for (const Marker& m : a.markers)
        if (!covered_by_decision(m, decided))
        db_->exec("INSERT INTO markers (title_id, kind, start_frame, end_frame, start_s, end_s, confidence) "
                  "VALUES ($1,$2,$3,$4,$5,$6,$7)",
                  {param(title_id), param(std::string(to_string(m.kind))), param(m.start_frame), param(m.end_frame),
                   param(m.start_s), param(m.end_s), param(m.confidence)});
    auto updated = db_->exec("UPDATE titles SET status = 'ready', status_message = '', frame_count = $2, "
                             "duration_s = $3, fps = $4 WHERE id = $1 RETURNING id",
                             {param(title_id), param(a.frame_count), param(a.duration_s), param(a.fps)});
    if (updated.rows() != 1)
        throw Error("database '" + db_->display_url() + "': title " + std::to_string(title_id) +
                    " no longer exists — ingest the file again");
    notify_change();
    tx.commit();
}

void PostgresStore::set_title_status(int64_t title_id, TitleStatus status, const std::string& message) {
    std::lock_guard lock(sql_->mutex());
    Transaction tx(*db_);
    db_->exec("UPDATE titles SET status = $2, status_message = $3 WHERE id = $1",
              {param(title_id), param(std::string(to_string(status))), param(message)});
    notify_change();
    tx.commit();
}

void PostgresStore::set_media_path(int64_t title_id, const std::string& path) {
    std::lock_guard lock(sql_->mutex());
    Transaction tx(*db_);
    db_->exec("UPDATE media_files SET path = $2 WHERE title_id = $1", {param(title_id), param(path)});
    notify_change();
    tx.commit();
}

std::vector<TitleRecord> PostgresStore::titles() { return query_titles("", ""); }

std::optional<TitleRecord> PostgresStore::title(int64_t title_id) {
    auto rows = query_titles("WHERE t.id = $1", std::to_string(title_id));
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<TitleRecord> PostgresStore::title_by_name(const std::string& name) {
    auto rows = query_titles("WHERE t.name = $1", name);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Shot> PostgresStore::shots(int64_t title_id) {
    std::lock_guard lock(sql_->mutex());
    auto r = db_->exec("SELECT shot_index, start_frame, end_frame, start_s, end_s, transition, transition_start_frame, "
                       "transition_end_frame FROM shots WHERE title_id = $1 ORDER BY shot_index",
                       {param(title_id)});
    std::vector<Shot> out;
    for (int i = 0; i < r.rows(); ++i) {
        Shot s;
        s.index = r.integer(i, 0);
        s.start_frame = r.int64(i, 1);
        s.end_frame = r.int64(i, 2);
        s.start_s = r.real(i, 3);
        s.end_s = r.real(i, 4);
        s.transition = transition_from_string(r.text(i, 5)).value_or(Transition::Cut);
        s.transition_start = r.int64(i, 6);
        s.transition_end = r.int64(i, 7);
        out.push_back(s);
    }
    return out;
}

std::vector<FrameRecord> PostgresStore::frames(int64_t title_id) {
    std::lock_guard lock(sql_->mutex());
    auto r = db_->exec("SELECT id, title_id, shot_index, frame_index, pts_s, representative, brightness, contrast, "
                       "sharpness, colourfulness, width, height, kind, flags, motion, crop_x, crop_y, crop_width, "
                       "crop_height FROM sampled_frames WHERE title_id = $1 ORDER BY frame_index",
                       {param(title_id)});
    std::vector<FrameRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
        FrameRecord f;
        f.id = r.int64(i, 0);
        f.title_id = r.int64(i, 1);
        f.shot_index = r.integer(i, 2);
        f.frame_index = r.int64(i, 3);
        f.pts_s = r.real(i, 4);
        f.representative = r.integer(i, 5) != 0;
        f.metrics.brightness = r.real(i, 6);
        f.metrics.contrast = r.real(i, 7);
        f.metrics.sharpness = r.real(i, 8);
        f.metrics.colourfulness = r.real(i, 9);
        f.width = r.integer(i, 10);
        f.height = r.integer(i, 11);
        f.kind = r.text(i, 12) == "key_frame" ? FrameKind::KeyFrame : FrameKind::Representative;
        f.flags = quality_flags_from_string(r.text(i, 13));
        f.motion = r.real(i, 14);
        f.active = CropRect{r.integer(i, 15), r.integer(i, 16), r.integer(i, 17), r.integer(i, 18)};
        out.push_back(f);
    }
    return out;
}

std::vector<uint8_t> PostgresStore::thumbnail_jpeg(int64_t frame_id) {
    std::lock_guard lock(sql_->mutex());
    auto r = db_->exec("SELECT thumbnail_jpeg FROM sampled_frames WHERE id = $1", {param(frame_id)});
    return r.rows() > 0 && !r.null(0, 0) ? r.bytes(0, 0) : std::vector<uint8_t>();
}

static MarkerRecord read_marker(const pg::Result& r, int i) {
    return MarkerRecord{r.int64(i, 0), r.int64(i, 1),
                        Marker{cue_kind_from_string(r.text(i, 2).c_str()).value_or(CueKind::Black), r.int64(i, 3),
                               r.int64(i, 4), r.real(i, 5), r.real(i, 6), r.real(i, 7)},
                        review_state_from_string(r.text(i, 8)), r.int64(i, 9)};
}

std::vector<MarkerRecord> PostgresStore::marker_records(int64_t title_id) {
    std::lock_guard lock(sql_->mutex());
    auto r = db_->exec("SELECT id, title_id, kind, start_frame, end_frame, start_s, end_s, confidence, status, version "
                       "FROM markers WHERE title_id = $1 ORDER BY start_frame, kind, id",
                       {param(title_id)});
    std::vector<MarkerRecord> out;
    for (int i = 0; i < r.rows(); ++i)
        if (cue_kind_from_string(r.text(i, 2).c_str())) out.push_back(read_marker(r, i));  // skip newer kinds
    return out;
}

ReviewOutcome PostgresStore::review_marker(const ReviewRequest& request) {
    std::lock_guard lock(sql_->mutex());
    Transaction tx(*db_);
    // FOR UPDATE: a second reviewer's transaction waits here, then sees the new version and gets its conflict.
    auto row = db_->exec("SELECT id, title_id, kind, start_frame, end_frame, start_s, end_s, confidence, status, "
                         "version FROM markers WHERE id = $1 FOR UPDATE",
                         {param(request.marker_id)});
    if (row.rows() == 0)
        throw Error("no marker " + std::to_string(request.marker_id) + " in " + db_->display_url() +
                    " — list them with 'frameline-cli show TITLE --json'");
    ReviewOutcome out;
    out.current = read_marker(row, 0);
    if (out.current.version != request.expected_version) return out;  // a conflict: someone else got there first

    MarkerRecord next;
    if (request.action == ReviewAction::Undo) {
        auto e = db_->exec("SELECT before FROM review_events WHERE id = $1 AND entity = 'marker' AND entity_id = $2",
                           {param(request.undo_event), param(request.marker_id)});
        if (e.rows() == 0)
            throw Error("no review event " + std::to_string(request.undo_event) + " for marker " +
                        std::to_string(request.marker_id) + " — see them with 'frameline-cli review log'");
        next = restored_marker(out.current, e.text(0, 0));
    } else {
        next = reviewed_marker(out.current, request);
    }
    db_->exec("UPDATE markers SET status = $3, start_frame = $4, end_frame = $5, start_s = $6, end_s = $7, "
              "version = $8 WHERE id = $1 AND version = $2",
              {param(request.marker_id), param(request.expected_version), param(std::string(to_string(next.state))),
               param(next.marker.start_frame), param(next.marker.end_frame), param(next.marker.start_s),
               param(next.marker.end_s), param(next.version)});
    out.event_id = db_->exec("INSERT INTO review_events (reviewer, entity, entity_id, title_id, action, before, "
                             "after, undoes) VALUES ($1, 'marker', $2, $3, $4, $5, $6, NULLIF($7::bigint, 0)) "
                             "RETURNING id",
                             {param(request.reviewer), param(request.marker_id), param(out.current.title_id),
                              param(std::string(to_string(request.action))), param(marker_snapshot(out.current)),
                              param(marker_snapshot(next)), param(request.undo_event)})
                       .int64(0, 0);
    notify_change();
    tx.commit();
    out.applied = true;
    out.current = next;
    return out;
}

std::vector<ReviewEvent> PostgresStore::review_events(int64_t title_id) {
    std::lock_guard lock(sql_->mutex());
    auto r = db_->exec("SELECT id, reviewer, at, entity, entity_id, COALESCE(title_id, 0), action, before, after, "
                       "COALESCE(undoes, 0) FROM review_events WHERE title_id = $1 ORDER BY id",
                       {param(title_id)});
    std::vector<ReviewEvent> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(ReviewEvent{r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.int64(i, 4),
                                  r.int64(i, 5), r.text(i, 6), r.text(i, 7), r.text(i, 8), r.int64(i, 9)});
    return out;
}

}  // namespace frameline
