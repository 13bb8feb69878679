#include "core/store/schema.h"

namespace frameline {

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
    };
    return migrations;
}

}  // namespace frameline
