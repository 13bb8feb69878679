#include "core/store/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <mutex>

#include "core/error.h"
#include "core/store/marker_review.h"
#include "core/store/schema.h"
#include "core/store/sqlite_statement.h"

namespace frameline {

using sqlite::Statement;

namespace {

// Commits on success, rolls back when an exception leaves the scope: nothing is ever half-written.
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) { sqlite::exec(db_, "BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
        sqlite::exec(db_, "COMMIT");
        done_ = true;
    }

private:
    sqlite3* db_;
    bool done_ = false;
};

constexpr const char* kTitleColumns =
    "t.id, t.name, t.status, t.status_message, t.created_at, COALESCE(m.path, ''), COALESCE(m.content_hash, ''), "
    "COALESCE(m.size_bytes, 0), t.duration_s, t.frame_count, t.fps, t.width, t.height, t.rotation_deg, "
    "(SELECT COUNT(*) FROM shots s WHERE s.title_id = t.id) "
    "FROM titles t LEFT JOIN media_files m ON m.title_id = t.id";

TitleRecord read_title(const Statement& q) {
    TitleRecord t;
    t.id = q.int64(0);
    t.name = q.text(1);
    t.status = title_status_from_string(q.text(2));
    t.status_message = q.text(3);
    t.created_at = q.text(4);
    t.media_path = q.text(5);
    t.content_hash = q.text(6);
    t.size_bytes = q.int64(7);
    t.duration_s = q.real(8);
    t.frame_count = q.int64(9);
    t.fps = q.real(10);
    t.width = q.integer(11);
    t.height = q.integer(12);
    t.rotation_deg = q.integer(13);
    t.shot_count = q.integer(14);
    return t;
}

// SQLite counts every allocation under one process-wide mutex (its memory statistics, on by default): with many
// threads each on its own connection (serve's pool, the GUI's read pool) that mutex is where they queue
// (bench_serve, 50 clients: a third of the server's time went to waking threads waiting on it). Frameline never reads
// those statistics. sqlite3_config only works before SQLite initialises: later (another part of the process opened a
// database first) it refuses, harmlessly.
void configure_sqlite_once() {
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& file, bool create_folder) : file_(file) {
    configure_sqlite_once();
    std::error_code ec;
    const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
    if (create_folder) std::filesystem::create_directories(folder, ec);
    if (!std::filesystem::is_directory(folder, ec))
        throw Error("cannot open database '" + file.string() + "': folder '" + folder.string() +
                    "' does not exist — check the path or create the folder");
    if (std::filesystem::is_directory(file, ec))
        throw Error("database '" + file.string() + "' is a folder — give a file path such as " +
                    (file / "frameline.db").string());
    int rc = sqlite3_open_v2(file.string().c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error("cannot open database '" + file.string() + "': " + why + " — check the path and permissions");
    }
    if (sqlite3_db_readonly(db_, "main") == 1) {  // SQLite falls back to read-only when it may not write
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error("database '" + file.string() + "' is read-only for this user — Frameline writes to it (and to " +
                    "its -wal and -shm files beside it): make the file and its folder writable, or copy it");
    }
    try {
        conn_ = std::make_unique<SqliteConnection>(db_);
        sqlite3_busy_timeout(db_, 10000);  // another writer (a second ingest) finishes its transaction first
        sqlite::exec(db_, "PRAGMA foreign_keys = ON");
        // WAL: the GUI keeps reading while an ingest writes.
        Statement(db_, "PRAGMA journal_mode = WAL").step();
        sqlite::exec(db_, "PRAGMA synchronous = NORMAL");
        migrate();
    } catch (...) {
        conn_.reset();
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteStore::~SqliteStore() {
    conn_.reset();  // its prepared statements first
    sqlite3_close(db_);
}

std::string SqliteStore::url() const { return "sqlite://" + std::filesystem::absolute(file_).string(); }

int SqliteStore::schema_version() {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(), "PRAGMA user_version");
    q.step();
    return q.integer(0);
}

void SqliteStore::migrate() {
    const auto& migrations = sqlite_migrations();
    const int latest = migrations.back().version;
    int current = schema_version();
    if (current > latest)
        throw Error("database '" + file_.string() + "' has schema version " + std::to_string(current) +
                    ", newer than this Frameline understands (" + std::to_string(latest) + ") — update Frameline");
    if (current == latest) return;
    Transaction tx(db_);
    current = schema_version();  // another process may have migrated while we waited for the lock
    for (const Migration& m : migrations) {
        if (m.version <= current) continue;
        sqlite::exec(db_, m.sql);
        sqlite::exec(db_, "PRAGMA user_version = " + std::to_string(m.version));
    }
    tx.commit();
}

std::vector<TitleRecord> SqliteStore::query_titles(const std::string& where, const std::string& arg) {
    std::lock_guard lock(conn_->mutex());
    const std::string sql = std::string("SELECT ") + kTitleColumns + " " + where + " ORDER BY t.id";
    Statement q(conn_->statements(), sql.c_str());
    if (!arg.empty()) q.bind(1, arg);
    std::vector<TitleRecord> out;
    while (q.step()) out.push_back(read_title(q));
    return out;
}

namespace {

// One byte of the lock file, locked by an open file description of its own: released when the descriptor closes,
// or when the process dies; and, unlike a process-wide fcntl lock, it excludes other threads of this process too.
class SqliteContentLock final : public Store::ContentLock {
public:
    explicit SqliteContentLock(int fd) : fd_(fd) {}
    ~SqliteContentLock() override {
        if (fd_ >= 0) ::close(fd_);
    }

private:
    int fd_;
};

}  // namespace

std::unique_ptr<Store::ContentLock> SqliteStore::try_lock_content(const std::string& content_hash) {
    // An in-memory database is this connection's alone: nobody else can ingest into it.
    if (file_.filename() == ":memory:") return std::make_unique<SqliteContentLock>(-1);
    const std::filesystem::path path = file_.string() + "-ingest.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        throw Error("cannot open '" + path.string() + "' (the ingest lock beside the database): " +
                    std::strerror(errno) + " — check that its folder is writable");
    struct flock region {};
    region.l_type = F_WRLCK;
    region.l_whence = SEEK_SET;
    region.l_start = static_cast<off_t>(content_lock_key(content_hash));
    region.l_len = 1;
    if (::fcntl(fd, F_OFD_SETLK, &region) == 0) return std::make_unique<SqliteContentLock>(fd);
    const int why = errno;
    ::close(fd);
    if (why == EAGAIN || why == EACCES) return nullptr;  // another ingest holds it
    throw Error("cannot lock '" + path.string() + "': " + std::strerror(why));
}

std::optional<TitleRecord> SqliteStore::find_title_by_hash(const std::string& content_hash) {
    auto rows = query_titles("WHERE m.content_hash = ?1", content_hash);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

int64_t SqliteStore::create_title(const NewTitle& t) {
    std::lock_guard lock(conn_->mutex());
    Transaction tx(db_);
    Statement title(conn_->statements(),
                    "INSERT INTO titles (name, duration_s, fps, width, height, rotation_deg) VALUES (?1,?2,?3,?4,?5,?6)");
    title.bind(1, t.name).bind(2, t.duration_s).bind(3, t.fps).bind(4, t.width).bind(5, t.height).bind(6, t.rotation_deg);
    title.run();
    const int64_t id = sqlite3_last_insert_rowid(db_);
    Statement media(conn_->statements(),
                    "INSERT INTO media_files (title_id, path, size_bytes, content_hash, container, video_codec) "
                    "VALUES (?1,?2,?3,?4,?5,?6)");
    media.bind(1, id).bind(2, t.media_path).bind(3, t.size_bytes).bind(4, t.content_hash).bind(5, t.container);
    media.bind(6, t.video_codec).run();
    tx.commit();
    return id;
}

void SqliteStore::save_analysis(int64_t title_id, const TitleAnalysis& a) {
    std::lock_guard lock(conn_->mutex());
    Transaction tx(db_);
    Statement(conn_->statements(), "DELETE FROM sampled_frames WHERE title_id = ?1").bind(1, title_id).run();
    Statement(conn_->statements(), "DELETE FROM shots WHERE title_id = ?1").bind(1, title_id).run();
    // A new run replaces the earlier run's proposals; people's decisions stay, and a new proposal that a decision
    // already covers (same kind, overlapping) is not added again.
    Statement(conn_->statements(), "DELETE FROM markers WHERE title_id = ?1 AND source IN ('sampling', 'ocr') AND status = 'proposed'")
        .bind(1, title_id)
        .run();
    const std::vector<MarkerRecord> decided = marker_records(title_id);
    Statement shot(conn_->statements(),
                   "INSERT INTO shots (title_id, shot_index, start_frame, end_frame, start_s, end_s, transition, "
                   "transition_start_frame, transition_end_frame) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    for (const Shot& s : a.shots) {
        shot.bind(1, title_id).bind(2, s.index).bind(3, s.start_frame).bind(4, s.end_frame).bind(5, s.start_s);
        shot.bind(6, s.end_s).bind(7, std::string(to_string(s.transition)));
        shot.bind(8, s.transition_start).bind(9, s.transition_end).run();
        shot.reset();
    }
    insert_frames("sampled_frames", title_id, a.frames);
    Statement(conn_->statements(),
              "INSERT INTO sampled_frames (title_id, shot_index, frame_index, pts_s, representative, brightness, "
              "contrast, sharpness, colourfulness, width, height, thumbnail_jpeg, kind, flags, motion, crop_x, crop_y, "
              "crop_width, crop_height) SELECT title_id, shot_index, frame_index, pts_s, representative, brightness, "
              "contrast, sharpness, colourfulness, width, height, thumbnail_jpeg, kind, flags, motion, crop_x, crop_y, "
              "crop_width, crop_height FROM staged_frames WHERE title_id = ?1 ORDER BY frame_index")
        .bind(1, title_id)
        .run();
    Statement(conn_->statements(), "DELETE FROM staged_frames WHERE title_id = ?1").bind(1, title_id).run();
    Statement marker(conn_->statements(),
                     "INSERT INTO markers (title_id, kind, start_frame, end_frame, start_s, end_s, confidence) "
                     "VALUES (?1,?2,?3,?4,?5,?6,?7)");
    for (const Marker& m : a.markers) {
        if (covered_by_decision(m, decided)) continue;
        marker.bind(1, title_id).bind(2, std::string(to_string(m.kind))).bind(3, m.start_frame).bind(4, m.end_frame);
        marker.bind(5, m.start_s).bind(6, m.end_s).bind(7, m.confidence).run();
        marker.reset();
    }
    Statement title(conn_->statements(),
                    "UPDATE titles SET status = 'ready', status_message = '', frame_count = ?2, duration_s = ?3, "
                    "fps = ?4 WHERE id = ?1");
    title.bind(1, title_id).bind(2, a.frame_count).bind(3, a.duration_s).bind(4, a.fps).run();
    if (sqlite3_changes(db_) != 1) throw Error("database '" + file_.string() + "': title " +
                                               std::to_string(title_id) + " no longer exists — ingest the file again");
    tx.commit();
}

void SqliteStore::insert_frames(const char* table, int64_t title_id,
                                const std::vector<TitleAnalysis::Frame>& frames) {
    const std::string sql = std::string("INSERT INTO ") + table +
                            " (title_id, shot_index, frame_index, pts_s, representative, brightness, contrast, sharpness, "
                            "colourfulness, width, height, thumbnail_jpeg, kind, flags, motion, crop_x, crop_y, "
                            "crop_width, crop_height) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
                            "?18,?19)";
    Statement frame(conn_->statements(), sql.c_str());
    for (const auto& f : frames) {
        const FrameRecord& r = f.record;
        frame.bind(1, title_id).bind(2, r.shot_index).bind(3, r.frame_index).bind(4, r.pts_s);
        frame.bind(5, r.kind == FrameKind::Representative ? 1 : 0).bind(6, r.metrics.brightness);
        frame.bind(7, r.metrics.contrast).bind(8, r.metrics.sharpness).bind(9, r.metrics.colourfulness);
        frame.bind(10, r.width).bind(11, r.height).bind(12, f.jpeg).bind(13, std::string(to_string(r.kind)));
        frame.bind(14, quality_flags_to_string(r.flags)).bind(15, r.motion).bind(16, r.active.x).bind(17, r.active.y);
        frame.bind(18, r.active.width).bind(19, r.active.height).run();
        frame.reset();
    }
}

void SqliteStore::stage_frames(int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames) {
    std::lock_guard lock(conn_->mutex());
    Transaction tx(db_);
    insert_frames("staged_frames", title_id, frames);
    tx.commit();
}

void SqliteStore::clear_staged_frames(int64_t title_id) {
    std::lock_guard lock(conn_->mutex());
    Statement(conn_->statements(), "DELETE FROM staged_frames WHERE title_id = ?1").bind(1, title_id).run();
}

void SqliteStore::set_title_status(int64_t title_id, TitleStatus status, const std::string& message) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(), "UPDATE titles SET status = ?2, status_message = ?3 WHERE id = ?1");
    q.bind(1, title_id).bind(2, std::string(to_string(status))).bind(3, message).run();
}

void SqliteStore::set_media_path(int64_t title_id, const std::string& path) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(), "UPDATE media_files SET path = ?2 WHERE title_id = ?1");
    q.bind(1, title_id).bind(2, path).run();
}

std::vector<TitleRecord> SqliteStore::titles() { return query_titles("", ""); }

std::optional<TitleRecord> SqliteStore::title(int64_t title_id) {
    auto rows = query_titles("WHERE t.id = ?1", std::to_string(title_id));
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<TitleRecord> SqliteStore::title_by_name(const std::string& name) {
    auto rows = query_titles("WHERE t.name = ?1", name);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Shot> SqliteStore::shots(int64_t title_id) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(),
                "SELECT shot_index, start_frame, end_frame, start_s, end_s, transition, transition_start_frame, "
                "transition_end_frame FROM shots "
                "WHERE title_id = ?1 ORDER BY shot_index");
    q.bind(1, title_id);
    std::vector<Shot> out;
    while (q.step()) {
        Shot s;
        s.index = q.integer(0);
        s.start_frame = q.int64(1);
        s.end_frame = q.int64(2);
        s.start_s = q.real(3);
        s.end_s = q.real(4);
        s.transition = transition_from_string(q.text(5)).value_or(Transition::Cut);
        s.transition_start = q.int64(6);
        s.transition_end = q.int64(7);
        out.push_back(s);
    }
    return out;
}

std::vector<FrameRecord> SqliteStore::frames(int64_t title_id) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(),
                "SELECT id, title_id, shot_index, frame_index, pts_s, representative, brightness, contrast, sharpness, "
                "colourfulness, width, height, kind, flags, motion, crop_x, crop_y, crop_width, crop_height "
                "FROM sampled_frames WHERE title_id = ?1 ORDER BY frame_index");
    q.bind(1, title_id);
    std::vector<FrameRecord> out;
    while (q.step()) {
        FrameRecord f;
        f.id = q.int64(0);
        f.title_id = q.int64(1);
        f.shot_index = q.integer(2);
        f.frame_index = q.int64(3);
        f.pts_s = q.real(4);
        f.representative = q.integer(5) != 0;
        f.metrics.brightness = q.real(6);
        f.metrics.contrast = q.real(7);
        f.metrics.sharpness = q.real(8);
        f.metrics.colourfulness = q.real(9);
        f.width = q.integer(10);
        f.height = q.integer(11);
        f.kind = q.text(12) == "key_frame" ? FrameKind::KeyFrame : FrameKind::Representative;
        f.flags = quality_flags_from_string(q.text(13));
        f.motion = q.real(14);
        f.active = CropRect{q.integer(15), q.integer(16), q.integer(17), q.integer(18)};
        out.push_back(f);
    }
    return out;
}

// A row of "SELECT id, title_id, kind, start_frame, end_frame, start_s, end_s, confidence, status, version".
static MarkerRecord read_marker(const Statement& q, CueKind kind) {
    return MarkerRecord{q.int64(0), q.int64(1), Marker{kind, q.int64(3), q.int64(4), q.real(5), q.real(6), q.real(7)},
                        review_state_from_string(q.text(8)), q.int64(9)};
}

std::vector<MarkerRecord> SqliteStore::marker_records(int64_t title_id) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(),
                "SELECT id, title_id, kind, start_frame, end_frame, start_s, end_s, confidence, status, version "
                "FROM markers WHERE title_id = ?1 ORDER BY start_frame, kind, id");
    q.bind(1, title_id);
    std::vector<MarkerRecord> out;
    while (q.step()) {
        const auto kind = cue_kind_from_string(q.text(2).c_str());
        if (!kind) continue;  // a kind a newer Frameline wrote
        out.push_back(read_marker(q, *kind));
    }
    return out;
}

ReviewOutcome SqliteStore::review_marker(const ReviewRequest& request) {
    std::lock_guard lock(conn_->mutex());
    Transaction tx(db_);  // BEGIN IMMEDIATE: the read below and the write are one step for every other writer
    Statement q(conn_->statements(),
                "SELECT id, title_id, kind, start_frame, end_frame, start_s, end_s, confidence, status, version "
                "FROM markers WHERE id = ?1");
    q.bind(1, request.marker_id);
    if (!q.step())
        throw Error("no marker " + std::to_string(request.marker_id) + " in " + url() +
                    " — list them with 'frameline-cli show TITLE --json'");
    ReviewOutcome out;
    out.current = read_marker(q, cue_kind_from_string(q.text(2).c_str()).value_or(CueKind::Black));
    if (out.current.version != request.expected_version) return out;  // a conflict: someone else got there first

    MarkerRecord next;
    if (request.action == ReviewAction::Undo) {
        Statement e(conn_->statements(), "SELECT before FROM review_events WHERE id = ?1 AND entity = 'marker' AND entity_id = ?2");
        e.bind(1, request.undo_event).bind(2, request.marker_id);
        if (!e.step())
            throw Error("no review event " + std::to_string(request.undo_event) + " for marker " +
                        std::to_string(request.marker_id) + " — see them with 'frameline-cli review log'");
        next = restored_marker(out.current, e.text(0));
    } else {
        next = reviewed_marker(out.current, request);
    }
    Statement u(conn_->statements(),
                "UPDATE markers SET status = ?3, start_frame = ?4, end_frame = ?5, start_s = ?6, end_s = ?7, "
                "version = ?8 WHERE id = ?1 AND version = ?2");
    u.bind(1, request.marker_id).bind(2, request.expected_version).bind(3, std::string(to_string(next.state)));
    u.bind(4, next.marker.start_frame).bind(5, next.marker.end_frame).bind(6, next.marker.start_s);
    u.bind(7, next.marker.end_s).bind(8, next.version).run();
    Statement ev(conn_->statements(),
                 "INSERT INTO review_events (reviewer, entity, entity_id, title_id, action, before, after, undoes) "
                 "VALUES (?1, 'marker', ?2, ?3, ?4, ?5, ?6, NULLIF(?7, 0))");
    ev.bind(1, request.reviewer).bind(2, request.marker_id).bind(3, out.current.title_id);
    ev.bind(4, std::string(to_string(request.action))).bind(5, marker_snapshot(out.current));
    ev.bind(6, marker_snapshot(next)).bind(7, request.undo_event).run();
    out.event_id = sqlite3_last_insert_rowid(db_);
    tx.commit();
    out.applied = true;
    out.current = next;
    return out;
}

std::vector<ReviewEvent> SqliteStore::review_events(int64_t title_id) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(),
                "SELECT id, reviewer, at, entity, entity_id, COALESCE(title_id, 0), action, before, after, "
                "COALESCE(undoes, 0) FROM review_events WHERE title_id = ?1 ORDER BY id");
    q.bind(1, title_id);
    std::vector<ReviewEvent> out;
    while (q.step())
        out.push_back(ReviewEvent{q.int64(0), q.text(1), q.text(2), q.text(3), q.int64(4), q.int64(5), q.text(6),
                                  q.text(7), q.text(8), q.int64(9)});
    return out;
}

bool SqliteStore::changed_elsewhere() {
    std::lock_guard lock(conn_->mutex());
    // data_version changes when another connection commits, not for this connection's own writes.
    Statement q(conn_->statements(), "PRAGMA data_version");
    q.step();
    const int64_t now = q.int64(0);
    const bool changed = data_version_ >= 0 && now != data_version_;
    data_version_ = now;
    return changed;
}

std::vector<uint8_t> SqliteStore::thumbnail_jpeg(int64_t frame_id) {
    std::lock_guard lock(conn_->mutex());
    Statement q(conn_->statements(), "SELECT thumbnail_jpeg FROM sampled_frames WHERE id = ?1");
    q.bind(1, frame_id);
    return q.step() ? q.blob(0) : std::vector<uint8_t>();
}

}  // namespace frameline

namespace frameline {
std::string sqlite_version() { return sqlite3_libversion(); }
}  // namespace frameline
