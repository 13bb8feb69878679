// The ingest work queue that cluster workers share, written once for both backends.
#include <chrono>
#include <ctime>

#include "core/error.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::value;

namespace {

// UTC, ISO 8601 to the second: sorts as text, the same on every backend.
std::string utc_now(int seconds_ago = 0) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) - seconds_ago;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

constexpr const char* kJobColumns =
    "id, media_path, COALESCE(title_id, 0), state, worker, attempts, options, message, submitted_at, started_at, "
    "heartbeat_at, finished_at, stage, progress, cancel_requested";

QueuedIngest read_job(const sql::Rows& r, size_t i) {
    QueuedIngest j;
    j.id = r.int64(i, 0);
    j.media_path = r.text(i, 1);
    j.title_id = r.int64(i, 2);
    j.state = job_state_from_string(r.text(i, 3));
    j.worker = r.text(i, 4);
    j.attempts = r.integer(i, 5);
    j.options = r.text(i, 6);
    j.message = r.text(i, 7);
    j.submitted_at = r.text(i, 8);
    j.started_at = r.text(i, 9);
    j.heartbeat_at = r.text(i, 10);
    j.finished_at = r.text(i, 11);
    j.stage = r.text(i, 12);
    j.progress = r.real(i, 13);
    j.cancel_requested = r.int64(i, 14) != 0;
    return j;
}

}  // namespace

int64_t Store::enqueue_ingest(const std::string& media_path, const std::string& options_json) {
    if (media_path.empty()) throw Error("an ingest job needs a media file path");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    const int64_t id = db.insert("INSERT INTO ingest_jobs (media_path, options, submitted_at) VALUES (?1, ?2, ?3)",
                                 {value(media_path), value(options_json), value(utc_now())});
    db.announce_change();
    tx.commit();
    return id;
}

std::optional<QueuedIngest> Store::claim_ingest_job(const std::string& worker) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    // PostgreSQL: rows another worker is claiming are skipped, not waited for. SQLite: the write transaction
    // already admits one worker at a time.
    const std::string lock = *db.lock_rows() ? std::string(db.lock_rows()) + " SKIP LOCKED" : "";
    auto r = db.query("SELECT id FROM ingest_jobs WHERE state = 'queued' ORDER BY id LIMIT 1" + lock);
    if (r.empty()) return std::nullopt;
    const int64_t id = r.int64(0, 0);
    const std::string now = utc_now();
    auto job = db.query(std::string("UPDATE ingest_jobs SET state = 'running', worker = ?2, attempts = attempts + 1, "
                                    "started_at = ?3, heartbeat_at = ?3, message = '', stage = '', progress = 0 WHERE id = ?1 "
                                    "RETURNING ") +
                            kJobColumns,
                        {value(id), value(worker), value(now)});
    db.announce_change();
    tx.commit();
    return read_job(job, 0);
}

bool Store::heartbeat_ingest_job(int64_t job_id) {
    auto r = sql().query("UPDATE ingest_jobs SET heartbeat_at = ?2 WHERE id = ?1 AND state = 'running' "
                         "RETURNING cancel_requested",
                         {value(job_id), value(utc_now())});
    return !r.empty() && r.int64(0, 0) != 0;
}

void Store::finish_ingest_job(int64_t job_id, JobState state, int64_t title_id, const std::string& message) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    auto r = db.query("UPDATE ingest_jobs SET state = ?2, title_id = ?3, message = ?4, finished_at = ?5 "
                      "WHERE id = ?1 RETURNING id",
                      {value(job_id), value(to_string(state)), sql::id_or_null(title_id), value(message),
                       value(utc_now())});
    if (r.empty()) throw Error("no ingest job " + std::to_string(job_id) + " in " + db.where());
    db.announce_change();
    tx.commit();
}

int Store::requeue_stale_ingest_jobs(int stale_s) { return requeue_stale_ingest_jobs(stale_s, 0); }

int Store::requeue_stale_ingest_jobs(int stale_s, int max_attempts) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    // A silent job somebody asked to stop is not worth running again: it ends as cancelled.
    auto cancelled = db.query("UPDATE ingest_jobs SET state = 'cancelled', finished_at = ?2, "
                              "message = 'cancelled; its worker went silent before it stopped' "
                              "WHERE state = 'running' AND heartbeat_at < ?1 AND cancel_requested <> 0 RETURNING id",
                              {value(utc_now(stale_s)), value(utc_now())});
    // Tried max_attempts times and its worker died every time: the file itself is the likely cause.
    sql::Rows given_up;
    if (max_attempts > 0)
        given_up = db.query("UPDATE ingest_jobs SET state = 'failed', finished_at = ?3, message = 'failed: its worker "
                            "went silent on each of ' || attempts || ' attempts (the file may crash or hang the "
                            "ingest; try it alone with frameline-cli ingest)' "
                            "WHERE state = 'running' AND heartbeat_at < ?1 AND attempts >= ?2 RETURNING id",
                            {value(utc_now(stale_s)), value(int64_t{max_attempts}), value(utc_now())});
    auto r = db.query("UPDATE ingest_jobs SET state = 'queued', worker = '', message = 'requeued: worker went silent' "
                      "WHERE state = 'running' AND heartbeat_at < ?1 RETURNING id",
                      {value(utc_now(stale_s))});
    if (!r.empty() || !cancelled.empty() || !given_up.empty()) db.announce_change();
    tx.commit();
    return static_cast<int>(r.size());
}

Store::JobLease Store::renew_ingest_job(int64_t job_id, const std::string& worker) {
    auto r = sql().query("UPDATE ingest_jobs SET heartbeat_at = ?3 WHERE id = ?1 AND state = 'running' AND worker = ?2 "
                         "RETURNING cancel_requested",
                         {value(job_id), value(worker), value(utc_now())});
    if (r.empty()) return JobLease::Lost;
    return r.int64(0, 0) != 0 ? JobLease::CancelRequested : JobLease::Held;
}

bool Store::finish_held_ingest_job(int64_t job_id, const std::string& worker, JobState state, int64_t title_id,
                                   const std::string& message) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    auto r = db.query("UPDATE ingest_jobs SET state = ?3, title_id = ?4, message = ?5, finished_at = ?6, "
                      "progress = CASE WHEN ?3 = 'done' THEN 1 ELSE progress END "
                      "WHERE id = ?1 AND state = 'running' AND worker = ?2 RETURNING id",
                      {value(job_id), value(worker), value(to_string(state)), sql::id_or_null(title_id),
                       value(message), value(utc_now())});
    if (!r.empty()) db.announce_change();
    tx.commit();
    return !r.empty();
}

bool Store::release_ingest_job(int64_t job_id, const std::string& worker, const std::string& message) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    auto r = db.query("UPDATE ingest_jobs SET state = 'queued', worker = '', message = ?3, stage = '', progress = 0 "
                      "WHERE id = ?1 AND state = 'running' AND worker = ?2 RETURNING id",
                      {value(job_id), value(worker), value(message)});
    if (!r.empty()) db.announce_change();
    tx.commit();
    return !r.empty();
}

void Store::set_ingest_job_progress(int64_t job_id, const std::string& stage, double fraction) {
    // NaN and out-of-range fractions from a confused worker must not reach a progress bar.
    const double clamped = fraction >= 0 && fraction <= 1 ? fraction : (fraction > 1 ? 1.0 : 0.0);
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    // A progress report is a sign of life too: it doubles as the heartbeat.
    auto r = db.query("UPDATE ingest_jobs SET stage = ?2, progress = ?3, heartbeat_at = ?4 "
                      "WHERE id = ?1 AND state = 'running' RETURNING id",
                      {value(job_id), value(stage), value(clamped), value(utc_now())});
    if (!r.empty()) db.announce_change();  // the jobs panels of every window follow the bar
    tx.commit();
}

bool Store::cancel_ingest_job(int64_t job_id) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    auto r = db.query("SELECT state FROM ingest_jobs WHERE id = ?1" + std::string(db.lock_rows()), {value(job_id)});
    if (r.empty()) throw Error("no ingest job " + std::to_string(job_id) + " in " + db.where());
    const JobState state = job_state_from_string(r.text(0, 0));
    bool asked = false;
    if (state == JobState::Queued) {
        // Nobody works on it yet: it ends here, and no worker can claim it any more.
        db.exec("UPDATE ingest_jobs SET state = 'cancelled', cancel_requested = 1, finished_at = ?2, "
                "message = 'cancelled before it started' WHERE id = ?1",
                {value(job_id), value(utc_now())});
        asked = true;
    } else if (state == JobState::Running) {
        // Its worker stops at its next check (heartbeat_ingest_job answers true) and finishes it as cancelled.
        db.exec("UPDATE ingest_jobs SET cancel_requested = 1 WHERE id = ?1", {value(job_id)});
        asked = true;
    }
    if (asked) db.announce_change();
    tx.commit();
    return asked;
}

std::vector<QueuedIngest> Store::ingest_jobs() {
    auto r = sql().query(std::string("SELECT ") + kJobColumns + " FROM ingest_jobs ORDER BY id");
    std::vector<QueuedIngest> out;
    for (size_t i = 0; i < r.size(); ++i) out.push_back(read_job(r, i));
    return out;
}

}  // namespace frameline
