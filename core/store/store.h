#pragma once
// The shared database behind one interface. SQLite is the embedded default; the PostgreSQL backend plugs in here.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/store/annotation_records.h"
#include "core/store/records.h"
#include "core/store/tag_queue.h"

namespace frameline {

namespace sql {
class Connection;
}

class Store {
public:
    virtual ~Store() = default;

    virtual int schema_version() = 0;
    virtual std::string url() const = 0;

    // Titles
    // One ingest of a content at a time: a lock that no second ingest of the same content can take while this one
    // holds it, in any thread, process or node that uses this database. Released when the object goes, or when its
    // holder dies (a killed ingest leaves no lock behind). Null while another holds it. SQLite: an open-file-
    // description lock on one byte of "<file>-ingest.lock"; PostgreSQL: a session advisory lock on this connection.
    class ContentLock {
    public:
        virtual ~ContentLock() = default;
    };
    virtual std::unique_ptr<ContentLock> try_lock_content(const std::string& content_hash) = 0;
    virtual std::optional<TitleRecord> find_title_by_hash(const std::string& content_hash) = 0;
    // Creates a title and its media file with status Ingesting; returns the title id.
    virtual int64_t create_title(const NewTitle& title) = 0;
    // Frames of an analysis in progress, written as they come so that memory stays flat for long titles; nobody
    // sees them until save_analysis() moves them in. clear_staged_frames() drops leftovers of an interrupted one.
    virtual void stage_frames(int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames) = 0;
    virtual void clear_staged_frames(int64_t title_id) = 0;
    // Replaces the title's shots, frames (the staged ones and analysis.frames) and markers with the new analysis
    // and marks it Ready, atomically.
    virtual void save_analysis(int64_t title_id, const TitleAnalysis& analysis) = 0;
    virtual void set_title_status(int64_t title_id, TitleStatus status, const std::string& message) = 0;
    // The title's media file was found at another path (moved or renamed; same content hash).
    virtual void set_media_path(int64_t title_id, const std::string& path) = 0;
    virtual std::vector<TitleRecord> titles() = 0;
    // Every title with its review progress (title_summaries.cpp): titles() in the same order, plus a few GROUP BY
    // queries over the whole database (not one query per title). Definitions: TitleSummary.
    std::vector<TitleSummary> title_summaries();
    // The tag review queue a page at a time, its counts, and the sampled frames its evidence shows (tag_queue.cpp).
    std::vector<TagQueueRow> tag_queue(const TagQueueQuery& query);
    TagQueueStats tag_queue_stats(int64_t title_id);
    std::vector<FrameRef> frames_of_shots(int64_t title_id, const std::vector<int>& shot_indices);
    // The sampled frame nearest to each of `frame_indices`, in that order; empty when the title has none.
    std::vector<FrameRef> frames_nearest(int64_t title_id, const std::vector<int64_t>& frame_indices);
    // A sampled frame by its stored id (search's like:ID), with its title; nothing when there is no such row.
    std::optional<FrameRef> sampled_frame(int64_t frame_id);
    virtual std::optional<TitleRecord> title(int64_t title_id) = 0;
    // A title by id ("12") or by exact name. The same for every backend.
    std::optional<TitleRecord> find_title(const std::string& id_or_name);
    virtual std::optional<TitleRecord> title_by_name(const std::string& name) = 0;

    // Analysis results
    virtual std::vector<Shot> shots(int64_t title_id) = 0;
    virtual std::vector<FrameRecord> frames(int64_t title_id) = 0;
    virtual std::vector<uint8_t> thumbnail_jpeg(int64_t frame_id) = 0;
    // The cues people see: rejected ones left out, corrected ones with their corrected range.
    std::vector<Marker> markers(int64_t title_id);

    // Live updates: true when another connection (a reviewer elsewhere, an ingest, a cluster worker) committed
    // changes since the previous call; the first call answers false. Cheap: meant to be polled about once a second.
    // SQLite: PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY.
    virtual bool changed_elsewhere() = 0;

    // Review of technical cues. marker_records() lists all of them with state and version.
    virtual std::vector<MarkerRecord> marker_records(int64_t title_id) = 0;
    // Applies a review if the marker is still at request.expected_version, as one transaction with its event;
    // otherwise changes nothing and returns applied == false with the stored marker (a conflict, never a silent
    // overwrite). Throws frameline::Error for an unknown marker or event, or an impossible request.
    virtual ReviewOutcome review_marker(const ReviewRequest& request) = 0;
    virtual std::vector<ReviewEvent> review_events(int64_t title_id) = 0;
    // A later step refines the scan's cues (the OCR pass: credits confirmed by on-screen text). Replaces the title's
    // proposed markers of `kinds` (from the scan or an earlier refinement) with `markers`, stored with `source`
    // ("ocr"); markers people decided stay, and a new one that a decision covers is not added (marker_refinement.cpp).
    // One transaction. A new scan (save_analysis) drops proposed markers of both sources.
    void replace_proposed_markers(int64_t title_id, const std::vector<CueKind>& kinds,
                                  const std::vector<Marker>& markers, const std::string& source);

    // Model runs (model_runs.cpp). Saves everything one run of `output.model` produced, in one transaction: the
    // earlier runs of that model on this title become "superseded", their unreviewed proposals, faces and
    // embeddings go, every reviewed proposal stays, and a new proposal that a person's decision already covers
    // (the same tag, a chapter mostly inside a decided one of the same kind, the same artwork frame) is not added again.
    // Returns the run's id. Throws frameline::Error (nothing written) for an unknown title or a bad row.
    int64_t save_model_run(int64_t title_id, const ModelRunOutput& output);
    std::vector<ModelRun> model_runs(int64_t title_id);
    // `model` "" = every model's; `entity` "" = frames, shots, the title and faces alike.
    std::vector<Embedding> embeddings(int64_t title_id, const std::string& model, const std::string& entity = "");
    // One embedding set (model, entity) over every title, in one aggregate query (embedding_sets.cpp): the vector
    // index's staleness check. Any add, replacement by a new model run or deletion changes it.
    struct EmbeddingSetState { int64_t count = 0; int64_t max_id = 0; int64_t run_id_sum = 0; };
    EmbeddingSetState embedding_set_state(const std::string& model, const std::string& entity);
    std::vector<Face> faces(int64_t title_id);
    // Faces by id, in the order asked, without their identity vectors: what a gallery page shows.
    std::vector<Face> faces_by_id(const std::vector<int64_t>& face_ids);
    std::vector<Detection> detections(int64_t title_id);
    std::vector<FrameScores> frame_scores(int64_t title_id, const std::string& model = "");
    std::vector<AudioSegment> audio_segments(int64_t title_id, const std::string& kind = "");
    // What is said (every current run's segments: "transcript", "subtitles", ...), by start_s, with their words.
    // Consumers choose between sources (a subtitle of a language takes precedence over recognised speech).
    std::vector<TranscriptSegment> transcript(int64_t title_id);
    // What is written on screen (OCR lines of current runs), by frame_index, then top to bottom, left to right.
    std::vector<ScreenText> screen_text(int64_t title_id);
    // Proposals in every state, with state and version; callers leave rejected ones out where people expect that.
    std::vector<Tag> tags(int64_t title_id);
    std::vector<Character> characters(int64_t title_id);
    std::vector<Chapter> chapters(int64_t title_id);
    std::vector<ArtworkCandidate> artwork_candidates(int64_t title_id);

    // Reviews of tags, chapters, characters, artwork candidates and technical cues ("marker": review_marker's
    // rules, answered in this shape) (review.cpp), with the same optimistic
    // concurrency as review_marker(): a stale expected_version changes nothing and answers applied == false with
    // what is stored now. Each applied review is one transaction with its review event.
    ReviewResult review(const Review& review);
    // A person's own proposal (source "human", state accepted), logged as an "add" event. Returns the new id.
    // `event_id`, when given, receives the "add" event's id (what an undo takes back).
    int64_t add_tag(const std::string& reviewer, const Tag& tag, int64_t* event_id = nullptr);
    int64_t add_chapter(const std::string& reviewer, const Chapter& chapter, int64_t* event_id = nullptr);
    // Moves every face of `from` into `into`; `from` is rejected. Both versions are checked.
    ReviewResult merge_characters(const std::string& reviewer, int64_t into_id, int64_t into_version,
                                  int64_t from_id, int64_t from_version);
    // Moves `face_ids` (members of `id`) into a new character made by a person; result.snapshot names it.
    ReviewResult split_character(const std::string& reviewer, int64_t id, int64_t version,
                                 const std::vector<int64_t>& face_ids);
    // Moves `face_ids` (members of `from_id`) into the existing character `into_id`; both versions are checked.
    // The event is on `from_id`, so Review Undo of it puts the faces back (character_edits.cpp).
    ReviewResult move_faces(const std::string& reviewer, int64_t from_id, int64_t from_version, int64_t into_id,
                            int64_t into_version, const std::vector<int64_t>& face_ids);
    // A person's place for an artwork candidate in the picked order (1 = first; 0 = back to ordering by score),
    // logged as a "correct" event that Undo can take back (artwork_edits.cpp).
    ReviewResult rank_artwork(const std::string& reviewer, int64_t id, int64_t version, int rank);

    // Texts about a title (title_texts.cpp): synopsis, description, reviews. Not model output: kept across runs.
    // add_title_text() checks kind ("synopsis" | "description" | "review"), a non-empty text and the title, and
    // returns the new id; empty language reads "und", empty source "human", empty created_at now. title_texts()
    // lists synopses, then descriptions, then reviews, each oldest first. delete_title_text() throws
    // frameline::Error for an unknown id. Each change is one transaction, announced to other connections.
    int64_t add_title_text(const TitleText& text);
    std::vector<TitleText> title_texts(int64_t title_id);
    void delete_title_text(int64_t id);

    // Full-text index (text_index.cpp, issue #9 item 3): one row per searchable span of text (tag, character name,
    // chapter label, title text, transcript segment, on-screen line) with SQLite FTS5 / a PostgreSQL tsvector + GIN
    // index over it. Triggers mark a title stale in the transaction of any change to the rows it mirrors; the
    // index is rebuilt for stale titles before a query (refresh_text_index). Words are scene search's: runs of ASCII
    // letters and digits and non-ASCII bytes, ASCII case-insensitive; a query word matches a word it starts.
    struct TextMatch {
        int64_t title_id = 0;
        std::string field;  // "tag", "character", "chapter", "scene", "key_scene", "synopsis", "transcript", ...
        double start_s = 0, end_s = 0;
        std::string text;
        double rank = 0;  // higher is better (BM25 in SQLite, ts_rank in PostgreSQL)
    };
    // Spans where every word of `text` starts a word of the span, best first; title_id 0 = every title. Any input
    // is taken as words (quotes, '*', AND, ... are not query syntax); no words: nothing.
    std::vector<TextMatch> search_text(const std::string& text, int64_t title_id = 0, int limit = 50);
    // The titles (ascending ids) where every word of `text` starts a word of some span of the title: scene search's
    // candidates. No words: every title.
    std::vector<int64_t> titles_matching_text(const std::string& text);
    // Rebuilds the spans of stale titles; returns how many were rebuilt. search_text() calls it.
    int refresh_text_index();

    // The ingest work queue (ingest_jobs.cpp), shared by cluster workers.
    int64_t enqueue_ingest(const std::string& media_path, const std::string& options_json = "{}");
    // Atomically takes the oldest queued job for `worker` (no two workers get the same job), or nothing.
    std::optional<QueuedIngest> claim_ingest_job(const std::string& worker);
    // A running job's worker is alive. Answers true when a person asked the job to stop (cancel_ingest_job): the
    // worker then stops and finishes it as Cancelled.
    bool heartbeat_ingest_job(int64_t job_id);
    void finish_ingest_job(int64_t job_id, JobState state, int64_t title_id, const std::string& message);
    // Running jobs whose worker has been silent for `stale_s` go back to the queue (a node died).
    int requeue_stale_ingest_jobs(int stale_s);
    std::vector<QueuedIngest> ingest_jobs();
    // A running job's stage and fraction done (0..1), written by the worker with its heartbeat.
    void set_ingest_job_progress(int64_t job_id, const std::string& stage, double fraction);
    // A queued job is cancelled at once; a running one is asked to stop (its worker sees cancel_requested at the
    // next heartbeat). Returns false when the job had already ended.
    bool cancel_ingest_job(int64_t job_id);
    // Cluster workers (issue #11, app/cli/command_worker.cpp): the same steps, checked against the worker holding
    // the job, so a worker that lost it (silent too long: requeued, maybe claimed by another) neither keeps it alive
    // nor ends it. renew_ingest_job is the heartbeat; release_ingest_job puts a running job back in the queue (the
    // worker was told to stop: scancel, preemption, time limit). Both answer what became of the job.
    enum class JobLease { Held, CancelRequested, Lost };
    JobLease renew_ingest_job(int64_t job_id, const std::string& worker);
    bool finish_held_ingest_job(int64_t job_id, const std::string& worker, JobState state, int64_t title_id,
                                const std::string& message);
    bool release_ingest_job(int64_t job_id, const std::string& worker, const std::string& message);
    // As requeue_stale_ingest_jobs(stale_s), but a job already tried `max_attempts` times ends as failed instead of
    // queued: a file that kills its worker every time must not take the whole cluster down one node at a time.
    int requeue_stale_ingest_jobs(int stale_s, int max_attempts);

protected:
    // The backend's connection, for the repositories written once for both databases.
    virtual sql::Connection& sql() = 0;
    // try_lock_content's key: the first 32 bits of the content hash (hex). Two contents that share it only wait for
    // each other.
    static uint32_t content_lock_key(const std::string& content_hash);
};

// Opens (creating and migrating as needed) the database named by `url`: `sqlite:///abs/path.db`, a plain path,
// or `postgresql://...`. Throws frameline::Error naming the database and what to do.
std::unique_ptr<Store> open_store(const std::string& url);

// The default database: $XDG_DATA_HOME/frameline/frameline.db (~/.local/share/frameline/frameline.db).
std::string default_database_url();

}  // namespace frameline

namespace frameline {
std::string sqlite_version();
}  // namespace frameline
