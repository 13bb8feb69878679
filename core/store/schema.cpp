#include "core/store/schema.h"

namespace frameline {

namespace {

// The tables whose rows the full-text index mirrors (text_index.cpp); model_runs: a run superseded hides its
// transcript and on-screen text; shots: the times of shot tags.
const char* const kTextIndexSources[] = {"tags",        "characters", "chapters", "title_texts",
                                         "transcript_segments", "screen_text", "model_runs", "shots"};

std::string sqlite_text_index_triggers() {
    std::string out;
    const char* const events[][2] = {{"INSERT", "new"}, {"UPDATE", "new"}, {"DELETE", "old"}};
    for (const char* table : kTextIndexSources)
        for (const auto& e : events)
            out += std::string("CREATE TRIGGER ") + table + "_text_index_" + e[0] + " AFTER " + e[0] + " ON " + table +
                   "\nBEGIN INSERT INTO text_index_stale (title_id) VALUES (" + e[1] + ".title_id) ON CONFLICT (title_id)"
                   " DO UPDATE SET generation = generation + 1; END;\n";
    return out;
}

// Statement-level triggers with transition tables: one upsert per statement, not one per row (a model run
// inserts thousands of rows).
std::string postgres_text_index_triggers() {
    std::string out;
    const char* const events[][3] = {
        {"INSERT", "NEW TABLE AS new_rows", "new"}, {"UPDATE", "NEW TABLE AS new_rows", "new"},
        {"DELETE", "OLD TABLE AS old_rows", "old"}};
    for (const char* table : kTextIndexSources)
        for (const auto& e : events)
            out += std::string("CREATE TRIGGER ") + table + "_text_index_" + e[0] + " AFTER " + e[0] + " ON " + table +
                   " REFERENCING " + e[1] + " FOR EACH STATEMENT EXECUTE FUNCTION text_index_mark_" + e[2] + "();\n";
    return out;
}

}  // namespace

const std::vector<Migration>& sqlite_migrations() {
    static const std::vector<Migration> migrations = {
        {1, "titles, media files, shots, sampled frames", R"sql(
CREATE TABLE titles (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'ingesting'
                   CHECK (status IN ('ingesting', 'ready', 'failed', 'cancelled')),
    status_message TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    duration_s     REAL NOT NULL DEFAULT 0,
    frame_count    INTEGER NOT NULL DEFAULT 0,
    fps            REAL NOT NULL DEFAULT 0,
    width          INTEGER NOT NULL DEFAULT 0,
    height         INTEGER NOT NULL DEFAULT 0,
    rotation_deg   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE media_files (
    id           INTEGER PRIMARY KEY,
    title_id     INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    path         TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    container    TEXT NOT NULL DEFAULT '',
    video_codec  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX media_files_title ON media_files(title_id);
CREATE TABLE shots (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    shot_index  INTEGER NOT NULL,
    start_frame INTEGER NOT NULL,
    end_frame   INTEGER NOT NULL,
    start_s     REAL NOT NULL,
    end_s       REAL NOT NULL,
    transition  TEXT NOT NULL CHECK (transition IN ('none', 'cut', 'fade', 'dissolve')),
    UNIQUE (title_id, shot_index),
    CHECK (end_frame > start_frame)
);
CREATE TABLE sampled_frames (
    id             INTEGER PRIMARY KEY,
    title_id       INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    shot_index     INTEGER NOT NULL,
    frame_index    INTEGER NOT NULL,
    pts_s          REAL NOT NULL,
    representative INTEGER NOT NULL DEFAULT 0,
    brightness     REAL NOT NULL DEFAULT 0,
    contrast       REAL NOT NULL DEFAULT 0,
    sharpness      REAL NOT NULL DEFAULT 0,
    colourfulness  REAL NOT NULL DEFAULT 0,
    width          INTEGER NOT NULL DEFAULT 0,
    height         INTEGER NOT NULL DEFAULT 0,
    thumbnail_jpeg BLOB,
    UNIQUE (title_id, frame_index)
);
)sql"},
        {2, "transition spans, frame kinds and quality flags, markers", R"sql(
ALTER TABLE shots ADD COLUMN transition_start_frame INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shots ADD COLUMN transition_end_frame INTEGER NOT NULL DEFAULT 0;
UPDATE shots SET transition_start_frame = start_frame, transition_end_frame = start_frame;
ALTER TABLE sampled_frames ADD COLUMN kind TEXT NOT NULL DEFAULT 'representative'
    CHECK (kind IN ('representative', 'key_frame'));
ALTER TABLE sampled_frames ADD COLUMN flags TEXT NOT NULL DEFAULT '';
ALTER TABLE sampled_frames ADD COLUMN motion REAL NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_x INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_y INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_height INTEGER NOT NULL DEFAULT 0;
CREATE TABLE markers (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    start_frame INTEGER NOT NULL,
    end_frame   INTEGER NOT NULL,
    start_s     REAL NOT NULL,
    end_s       REAL NOT NULL,
    confidence  REAL NOT NULL DEFAULT 0,
    source      TEXT NOT NULL DEFAULT 'sampling',
    CHECK (end_frame >= start_frame)
);
CREATE INDEX markers_title ON markers(title_id);
-- Frames of an ingest in progress (same columns); moved into sampled_frames when the analysis is saved.
CREATE TABLE staged_frames AS SELECT * FROM sampled_frames WHERE 0;
CREATE INDEX staged_frames_title ON staged_frames(title_id);
)sql"},
        {3, "review states and versions of markers, the append-only review log", R"sql(
ALTER TABLE markers ADD COLUMN status TEXT NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected'));
ALTER TABLE markers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE review_events (
    id        INTEGER PRIMARY KEY,
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    title_id  INTEGER REFERENCES titles(id) ON DELETE CASCADE,
    action    TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'correct', 'add', 'undo')),
    before    TEXT NOT NULL,
    after     TEXT NOT NULL,
    undoes    INTEGER REFERENCES review_events(id)
);
CREATE INDEX review_events_title ON review_events(title_id);
CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events WHEN (SELECT COUNT(*) FROM titles WHERE id = OLD.title_id) > 0
BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
)sql"},
        {4, "model runs, embeddings, faces, characters, tags, chapters, artwork candidates, ingest jobs", R"sql(
CREATE TABLE model_runs (
    id            INTEGER PRIMARY KEY,
    title_id      INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    model         TEXT NOT NULL,
    model_version TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'superseded')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    host          TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX model_runs_title ON model_runs(title_id, model);
CREATE TABLE embeddings (
    id         INTEGER PRIMARY KEY,
    title_id   INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id     INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('frame', 'shot', 'title', 'face')),
    entity_key INTEGER NOT NULL,
    dims       INTEGER NOT NULL CHECK (dims > 0),
    vector     BLOB NOT NULL,
    UNIQUE (title_id, model, entity, entity_key)
);
CREATE TABLE characters (
    id            INTEGER PRIMARY KEY,
    title_id      INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id        INTEGER REFERENCES model_runs(id) ON DELETE SET NULL,
    name          TEXT NOT NULL DEFAULT '',
    screen_time_s REAL NOT NULL DEFAULT 0,
    best_face_id  INTEGER NOT NULL DEFAULT 0,
    confidence  REAL NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX characters_title ON characters(title_id);
CREATE TABLE faces (
    id               INTEGER PRIMARY KEY,
    title_id         INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id           INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index      INTEGER NOT NULL,
    x                REAL NOT NULL,
    y                REAL NOT NULL,
    width            REAL NOT NULL,
    height           REAL NOT NULL,
    score            REAL NOT NULL DEFAULT 0,
    landmarks        TEXT NOT NULL DEFAULT '[]',
    expression       TEXT NOT NULL DEFAULT '',
    expression_score REAL NOT NULL DEFAULT 0,
    age              REAL NOT NULL DEFAULT 0,
    gender           TEXT NOT NULL DEFAULT '',
    gender_score     REAL NOT NULL DEFAULT 0,
    identity         BLOB,
    character_id     INTEGER REFERENCES characters(id) ON DELETE SET NULL
);
CREATE INDEX faces_title ON faces(title_id, frame_index);
CREATE INDEX faces_character ON faces(character_id);
CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      INTEGER REFERENCES model_runs(id) ON DELETE SET NULL,
    shot_index  INTEGER,
    category    TEXT NOT NULL,
    label       TEXT NOT NULL,
    confidence  REAL NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tags_title ON tags(title_id, category);
CREATE TABLE chapters (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      INTEGER REFERENCES model_runs(id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('scene', 'chapter', 'key_scene')),
    start_frame INTEGER NOT NULL,
    end_frame   INTEGER NOT NULL,
    start_s     REAL NOT NULL,
    end_s       REAL NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    confidence  REAL NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK (end_frame >= start_frame)
);
CREATE INDEX chapters_title ON chapters(title_id, start_frame);
CREATE TABLE artwork_candidates (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      INTEGER REFERENCES model_runs(id) ON DELETE SET NULL,
    frame_index INTEGER NOT NULL,
    score       REAL NOT NULL DEFAULT 0,
    breakdown   TEXT NOT NULL DEFAULT '{}',
    crops       TEXT NOT NULL DEFAULT '{}',
    confidence  REAL NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX artwork_title ON artwork_candidates(title_id);
CREATE TABLE ingest_jobs (
    id           INTEGER PRIMARY KEY,
    media_path   TEXT NOT NULL,
    title_id     INTEGER REFERENCES titles(id) ON DELETE SET NULL,
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    worker       TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    options      TEXT NOT NULL DEFAULT '{}',
    message      TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    started_at   TEXT NOT NULL DEFAULT '',
    heartbeat_at TEXT NOT NULL DEFAULT '',
    finished_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ingest_jobs_state ON ingest_jobs(state, id);
)sql"},
        {5, "object detections, per-frame class scores, audio segments", R"sql(
CREATE TABLE detections (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index INTEGER NOT NULL,
    label       TEXT NOT NULL,
    score       REAL NOT NULL,
    x           REAL NOT NULL,
    y           REAL NOT NULL,
    width       REAL NOT NULL,
    height      REAL NOT NULL
);
CREATE INDEX detections_title ON detections(title_id, frame_index);
CREATE TABLE frame_scores (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index INTEGER NOT NULL,
    model       TEXT NOT NULL,
    scores      TEXT NOT NULL,
    UNIQUE (title_id, model, frame_index)
);
CREATE TABLE audio_segments (
    id         INTEGER PRIMARY KEY,
    title_id   INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id     INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    start_s    REAL NOT NULL,
    end_s      REAL NOT NULL,
    confidence REAL NOT NULL DEFAULT 0,
    CHECK (end_s >= start_s)
);
CREATE INDEX audio_segments_title ON audio_segments(title_id, start_s);
)sql"},
        {6, "artwork order chosen by people; ingest job progress and cancel requests", R"sql(
ALTER TABLE artwork_candidates ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE ingest_jobs ADD COLUMN progress REAL NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
)sql"},
        {7, "transcripts, on-screen text, music tempo, title texts (synopsis, description, reviews)", R"sql(
ALTER TABLE audio_segments ADD COLUMN bpm REAL NOT NULL DEFAULT 0;
-- What is said: one row per recognised speech segment or subtitle cue. `text` is what full-text search indexes;
-- `words` is JSON [["word", start_s, end_s, confidence], ...] (empty for subtitle cues), read with the segment.
CREATE TABLE transcript_segments (
    id       INTEGER PRIMARY KEY,
    title_id INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id   INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    source   TEXT NOT NULL CHECK (source IN ('speech', 'subtitle', 'sidecar')),
    language TEXT NOT NULL DEFAULT 'und',
    start_s  REAL NOT NULL,
    end_s    REAL NOT NULL,
    text     TEXT NOT NULL,
    words    TEXT NOT NULL DEFAULT '[]',
    CHECK (end_s >= start_s)
);
CREATE INDEX transcript_segments_title ON transcript_segments(title_id, start_s);
-- What is written on screen: one line of text in a sampled frame (OCR), its box in frame fractions.
CREATE TABLE screen_text (
    id          INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index INTEGER NOT NULL,
    x           REAL NOT NULL,
    y           REAL NOT NULL,
    width       REAL NOT NULL,
    height      REAL NOT NULL,
    text        TEXT NOT NULL,
    confidence  REAL NOT NULL DEFAULT 0
);
CREATE INDEX screen_text_title ON screen_text(title_id, frame_index);
-- Texts about a title: its synopsis or description (file metadata or a person) and review texts. Facts, not runs.
CREATE TABLE title_texts (
    id         INTEGER PRIMARY KEY,
    title_id   INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('synopsis', 'description', 'review')),
    source     TEXT NOT NULL DEFAULT 'human',
    language   TEXT NOT NULL DEFAULT 'und',
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX title_texts_title ON title_texts(title_id, kind);
)sql"},
        {8, "full-text index of titles' text (tags, characters, chapters, title texts, transcripts, on-screen text)",
         std::string(R"sql(
-- One row per searchable span of text, rebuilt per title from the rows it mirrors (core/store/text_index.cpp).
-- `words` is the text as scene search splits it (lower-case words, space-separated); FTS5 indexes it.
CREATE TABLE text_spans (
    id        INTEGER PRIMARY KEY,
    title_id  INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    field     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    start_s   REAL NOT NULL,
    end_s     REAL NOT NULL,
    text      TEXT NOT NULL,
    words     TEXT NOT NULL
);
CREATE INDEX text_spans_title ON text_spans(title_id);
CREATE VIRTUAL TABLE text_spans_fts USING fts5(words, content='text_spans', content_rowid='id', tokenize='ascii');
CREATE TRIGGER text_spans_fts_insert AFTER INSERT ON text_spans
BEGIN INSERT INTO text_spans_fts (rowid, words) VALUES (new.id, new.words); END;
CREATE TRIGGER text_spans_fts_delete AFTER DELETE ON text_spans
BEGIN INSERT INTO text_spans_fts (text_spans_fts, rowid, words) VALUES ('delete', old.id, old.words); END;
-- Titles whose spans are out of date: the triggers below mark them in the transaction of the change; `generation`
-- counts changes, so that a rebuild that read older rows does not clear a newer mark.
CREATE TABLE text_index_stale (title_id INTEGER PRIMARY KEY, generation INTEGER NOT NULL DEFAULT 1);
INSERT INTO text_index_stale (title_id) SELECT id FROM titles;
)sql") + sqlite_text_index_triggers()},
    };
    return migrations;
}

const std::vector<Migration>& postgres_migrations() {
    static const std::vector<Migration> migrations = {
        {1, "titles, media files, shots, sampled frames", R"sql(
CREATE TABLE titles (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'ingesting'
                   CHECK (status IN ('ingesting', 'ready', 'failed', 'cancelled')),
    status_message TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    duration_s     DOUBLE PRECISION NOT NULL DEFAULT 0,
    frame_count    BIGINT NOT NULL DEFAULT 0,
    fps            DOUBLE PRECISION NOT NULL DEFAULT 0,
    width          INTEGER NOT NULL DEFAULT 0,
    height         INTEGER NOT NULL DEFAULT 0,
    rotation_deg   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE media_files (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id     BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    path         TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    container    TEXT NOT NULL DEFAULT '',
    video_codec  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX media_files_title ON media_files(title_id);
CREATE TABLE shots (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    shot_index  INTEGER NOT NULL,
    start_frame BIGINT NOT NULL,
    end_frame   BIGINT NOT NULL,
    start_s     DOUBLE PRECISION NOT NULL,
    end_s       DOUBLE PRECISION NOT NULL,
    transition  TEXT NOT NULL CHECK (transition IN ('none', 'cut', 'fade', 'dissolve')),
    UNIQUE (title_id, shot_index),
    CHECK (end_frame > start_frame)
);
CREATE TABLE sampled_frames (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id       BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    shot_index     INTEGER NOT NULL,
    frame_index    BIGINT NOT NULL,
    pts_s          DOUBLE PRECISION NOT NULL,
    representative INTEGER NOT NULL DEFAULT 0,
    brightness     DOUBLE PRECISION NOT NULL DEFAULT 0,
    contrast       DOUBLE PRECISION NOT NULL DEFAULT 0,
    sharpness      DOUBLE PRECISION NOT NULL DEFAULT 0,
    colourfulness  DOUBLE PRECISION NOT NULL DEFAULT 0,
    width          INTEGER NOT NULL DEFAULT 0,
    height         INTEGER NOT NULL DEFAULT 0,
    thumbnail_jpeg BYTEA,
    UNIQUE (title_id, frame_index)
);
)sql"},
        {2, "transition spans, frame kinds and quality flags, markers", R"sql(
ALTER TABLE shots ADD COLUMN transition_start_frame BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shots ADD COLUMN transition_end_frame BIGINT NOT NULL DEFAULT 0;
UPDATE shots SET transition_start_frame = start_frame, transition_end_frame = start_frame;
ALTER TABLE sampled_frames ADD COLUMN kind TEXT NOT NULL DEFAULT 'representative'
    CHECK (kind IN ('representative', 'key_frame'));
ALTER TABLE sampled_frames ADD COLUMN flags TEXT NOT NULL DEFAULT '';
ALTER TABLE sampled_frames ADD COLUMN motion DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_x INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_y INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sampled_frames ADD COLUMN crop_height INTEGER NOT NULL DEFAULT 0;
CREATE TABLE markers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    start_frame BIGINT NOT NULL,
    end_frame   BIGINT NOT NULL,
    start_s     DOUBLE PRECISION NOT NULL,
    end_s       DOUBLE PRECISION NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    source      TEXT NOT NULL DEFAULT 'sampling',
    CHECK (end_frame >= start_frame)
);
CREATE INDEX markers_title ON markers(title_id);
-- Frames of an ingest in progress; moved into sampled_frames when the analysis is saved.
CREATE TABLE staged_frames (LIKE sampled_frames INCLUDING DEFAULTS INCLUDING IDENTITY);
CREATE INDEX staged_frames_title ON staged_frames(title_id);
)sql"},
        {3, "review states and versions of markers, the append-only review log", R"sql(
ALTER TABLE markers ADD COLUMN status TEXT NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected'));
ALTER TABLE markers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE TABLE review_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    title_id  BIGINT REFERENCES titles(id) ON DELETE CASCADE,
    action    TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'correct', 'add', 'undo')),
    before    TEXT NOT NULL,
    after     TEXT NOT NULL,
    undoes    BIGINT REFERENCES review_events(id)
);
CREATE INDEX review_events_title ON review_events(title_id);
CREATE FUNCTION review_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'review events are append-only'; END $$;
CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
    FOR EACH ROW EXECUTE FUNCTION review_events_append_only();
)sql"},
        {4, "model runs, embeddings, faces, characters, tags, chapters, artwork candidates, ingest jobs", R"sql(
CREATE TABLE model_runs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id      BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    model         TEXT NOT NULL,
    model_version TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'superseded')),
    created_at    TEXT NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    host          TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX model_runs_title ON model_runs(title_id, model);
CREATE TABLE embeddings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id   BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id     BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('frame', 'shot', 'title', 'face')),
    entity_key BIGINT NOT NULL,
    dims       INTEGER NOT NULL CHECK (dims > 0),
    vector     BYTEA NOT NULL,
    UNIQUE (title_id, model, entity, entity_key)
);
CREATE TABLE characters (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id      BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id        BIGINT REFERENCES model_runs(id) ON DELETE SET NULL,
    name          TEXT NOT NULL DEFAULT '',
    screen_time_s DOUBLE PRECISION NOT NULL DEFAULT 0,
    best_face_id  BIGINT NOT NULL DEFAULT 0,
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX characters_title ON characters(title_id);
CREATE TABLE faces (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id         BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id           BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index      BIGINT NOT NULL,
    x                DOUBLE PRECISION NOT NULL,
    y                DOUBLE PRECISION NOT NULL,
    width            DOUBLE PRECISION NOT NULL,
    height           DOUBLE PRECISION NOT NULL,
    score            DOUBLE PRECISION NOT NULL DEFAULT 0,
    landmarks        TEXT NOT NULL DEFAULT '[]',
    expression       TEXT NOT NULL DEFAULT '',
    expression_score DOUBLE PRECISION NOT NULL DEFAULT 0,
    age              DOUBLE PRECISION NOT NULL DEFAULT 0,
    gender           TEXT NOT NULL DEFAULT '',
    gender_score     DOUBLE PRECISION NOT NULL DEFAULT 0,
    identity         BYTEA,
    character_id     BIGINT REFERENCES characters(id) ON DELETE SET NULL
);
CREATE INDEX faces_title ON faces(title_id, frame_index);
CREATE INDEX faces_character ON faces(character_id);
CREATE TABLE tags (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      BIGINT REFERENCES model_runs(id) ON DELETE SET NULL,
    shot_index  INTEGER,
    category    TEXT NOT NULL,
    label       TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX tags_title ON tags(title_id, category);
CREATE TABLE chapters (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      BIGINT REFERENCES model_runs(id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('scene', 'chapter', 'key_scene')),
    start_frame BIGINT NOT NULL,
    end_frame   BIGINT NOT NULL,
    start_s     DOUBLE PRECISION NOT NULL,
    end_s       DOUBLE PRECISION NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     BIGINT NOT NULL DEFAULT 1,
    CHECK (end_frame >= start_frame)
);
CREATE INDEX chapters_title ON chapters(title_id, start_frame);
CREATE TABLE artwork_candidates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      BIGINT REFERENCES model_runs(id) ON DELETE SET NULL,
    frame_index BIGINT NOT NULL,
    score       DOUBLE PRECISION NOT NULL DEFAULT 0,
    breakdown   TEXT NOT NULL DEFAULT '{}',
    crops       TEXT NOT NULL DEFAULT '{}',
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'human')),
    status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'corrected')),
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX artwork_title ON artwork_candidates(title_id);
CREATE TABLE ingest_jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    media_path   TEXT NOT NULL,
    title_id     BIGINT REFERENCES titles(id) ON DELETE SET NULL,
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    worker       TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    options      TEXT NOT NULL DEFAULT '{}',
    message      TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    started_at   TEXT NOT NULL DEFAULT '',
    heartbeat_at TEXT NOT NULL DEFAULT '',
    finished_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ingest_jobs_state ON ingest_jobs(state, id);
)sql"},
        {5, "object detections, per-frame class scores, audio segments", R"sql(
CREATE TABLE detections (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index BIGINT NOT NULL,
    label       TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    x           DOUBLE PRECISION NOT NULL,
    y           DOUBLE PRECISION NOT NULL,
    width       DOUBLE PRECISION NOT NULL,
    height      DOUBLE PRECISION NOT NULL
);
CREATE INDEX detections_title ON detections(title_id, frame_index);
CREATE TABLE frame_scores (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index BIGINT NOT NULL,
    model       TEXT NOT NULL,
    scores      TEXT NOT NULL,
    UNIQUE (title_id, model, frame_index)
);
CREATE TABLE audio_segments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id   BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id     BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    start_s    DOUBLE PRECISION NOT NULL,
    end_s      DOUBLE PRECISION NOT NULL,
    confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    CHECK (end_s >= start_s)
);
CREATE INDEX audio_segments_title ON audio_segments(title_id, start_s);
)sql"},
        {6, "artwork order chosen by people; ingest job progress and cancel requests", R"sql(
ALTER TABLE artwork_candidates ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE ingest_jobs ADD COLUMN progress DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
)sql"},
        {7, "transcripts, on-screen text, music tempo, title texts (synopsis, description, reviews)", R"sql(
ALTER TABLE audio_segments ADD COLUMN bpm DOUBLE PRECISION NOT NULL DEFAULT 0;
-- See the SQLite migration 7 for what each table holds.
CREATE TABLE transcript_segments (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id   BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    source   TEXT NOT NULL CHECK (source IN ('speech', 'subtitle', 'sidecar')),
    language TEXT NOT NULL DEFAULT 'und',
    start_s  DOUBLE PRECISION NOT NULL,
    end_s    DOUBLE PRECISION NOT NULL,
    text     TEXT NOT NULL,
    words    TEXT NOT NULL DEFAULT '[]',
    CHECK (end_s >= start_s)
);
CREATE INDEX transcript_segments_title ON transcript_segments(title_id, start_s);
CREATE TABLE screen_text (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    run_id      BIGINT NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
    frame_index BIGINT NOT NULL,
    x           DOUBLE PRECISION NOT NULL,
    y           DOUBLE PRECISION NOT NULL,
    width       DOUBLE PRECISION NOT NULL,
    height      DOUBLE PRECISION NOT NULL,
    text        TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX screen_text_title ON screen_text(title_id, frame_index);
CREATE TABLE title_texts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id   BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('synopsis', 'description', 'review')),
    source     TEXT NOT NULL DEFAULT 'human',
    language   TEXT NOT NULL DEFAULT 'und',
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX title_texts_title ON title_texts(title_id, kind);
)sql"},
        {8, "full-text index of titles' text (tags, characters, chapters, title texts, transcripts, on-screen text)",
         std::string(R"sql(
-- See the SQLite migration 8. `lexemes` holds `words` as they are (array_to_tsvector: no parser, no stemming, so
-- any language and scene search's own word split); queries are prefix tsqueries ('word':*).
CREATE TABLE text_spans (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id  BIGINT NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    field     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    start_s   DOUBLE PRECISION NOT NULL,
    end_s     DOUBLE PRECISION NOT NULL,
    text      TEXT NOT NULL,
    words     TEXT NOT NULL,
    lexemes   tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(words, ' '))) STORED
);
CREATE INDEX text_spans_title ON text_spans(title_id);
-- fastupdate off: rows go straight into the index; with a pending list every query scans the rows added since the
-- last vacuum, and a rebuild adds many.
CREATE INDEX text_spans_lexemes ON text_spans USING GIN (lexemes) WITH (fastupdate = off);
CREATE TABLE text_index_stale (title_id BIGINT PRIMARY KEY, generation BIGINT NOT NULL DEFAULT 1);
INSERT INTO text_index_stale (title_id) SELECT id FROM titles;
CREATE FUNCTION text_index_mark_new() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO text_index_stale (title_id) SELECT DISTINCT title_id FROM new_rows
    ON CONFLICT (title_id) DO UPDATE SET generation = text_index_stale.generation + 1;
    RETURN NULL;
END $fn$;
CREATE FUNCTION text_index_mark_old() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO text_index_stale (title_id) SELECT DISTINCT title_id FROM old_rows
    ON CONFLICT (title_id) DO UPDATE SET generation = text_index_stale.generation + 1;
    RETURN NULL;
END $fn$;
)sql") + postgres_text_index_triggers()},
    };
    return migrations;
}

}  // namespace frameline
