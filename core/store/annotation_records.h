#pragma once
// What the model zoo and the analysis produce, as stored: every row belongs to a model run. Tags, characters,
// chapters and artwork candidates are proposals that people review (state + row version); faces and embeddings
// are the evidence behind them.
#include <cstdint>
#include <string>
#include <vector>

#include "core/store/records.h"

namespace frameline {

// One execution of a model (or of an analysis step) over a title. A new run of the same model replaces the
// earlier runs' unreviewed proposals in one transaction; reviewed ones stay.
struct ModelRun {
    int64_t id = 0;
    int64_t title_id = 0;
    std::string model;          // e.g. "faces", "objects", "analysis.tags"
    std::string model_version;  // e.g. the manifest's sha256 or "1.2"
    std::string status;         // done | superseded
    std::string created_at;
    std::string host;
    std::string detail;         // JSON: parameters, timings
};

// A vector for a frame (by frame index), a shot (by shot index), the title (key 0) or a face (by face id).
struct Embedding {
    int64_t id = 0;
    int64_t run_id = 0;
    std::string model;
    std::string entity;  // frame | shot | title | face
    int64_t entity_key = 0;
    std::vector<float> vector;
};

struct Face {
    int64_t id = 0;
    int64_t title_id = 0;
    int64_t run_id = 0;
    int64_t frame_index = 0;
    double x = 0, y = 0, width = 0, height = 0;  // fractions of the frame (0..1), top-left origin
    double score = 0;
    std::string landmarks = "[]";  // JSON [[x,y],...] in frame fractions
    std::string expression;
    double expression_score = 0;
    double age = 0;
    std::string gender;
    double gender_score = 0;
    std::vector<float> identity;  // the face-identity vector (empty when not computed)
    int64_t character_id = 0;     // 0: no character
};

// A labelled box in a sampled frame (an object detector's output).
struct Detection {
    int64_t id = 0;
    int64_t run_id = 0;
    int64_t frame_index = 0;
    std::string label;
    double score = 0;
    double x = 0, y = 0, width = 0, height = 0;  // fractions of the frame
};

// A classifier's probabilities for one sampled frame, e.g. {"Neutral":0.93,"Drawing":0.04,...}.
struct FrameScores {
    int64_t id = 0;
    int64_t run_id = 0;
    int64_t frame_index = 0;
    std::string model;
    std::string scores = "{}";  // JSON object label -> probability
};

// A stretch of the soundtrack: speech (voice activity), music, silence.
struct AudioSegment {
    int64_t id = 0;
    int64_t run_id = 0;
    std::string kind;
    double start_s = 0;
    double end_s = 0;
    double confidence = 0;
    double bpm = 0;  // music: tempo in beats per minute (aubio); 0 when not measured
};

// One recognised word with its time in the title (seconds on the decoder's timeline).
struct TranscriptWord {
    std::string word;
    double start_s = 0;
    double end_s = 0;
    double confidence = 0;  // 0..1 (a recogniser's posterior; 1 for subtitle text)
};

// A stretch of what is said: a recognised speech segment, or a subtitle cue (which takes precedence over
// recognition for its language). Words are empty for subtitle cues.
struct TranscriptSegment {
    int64_t id = 0;
    int64_t run_id = 0;
    std::string source;    // "speech" (recognised) | "subtitle" (embedded stream) | "sidecar" (.srt/.vtt file)
    std::string language;  // ISO 639-2/B as the container says ("eng", "fra"); "und" when unknown
    double start_s = 0;
    double end_s = 0;
    std::string text;
    std::vector<TranscriptWord> words;
};

// Text seen in a sampled frame (OCR): one line of words with its box.
struct ScreenText {
    int64_t id = 0;
    int64_t run_id = 0;
    int64_t frame_index = 0;
    double x = 0, y = 0, width = 0, height = 0;  // fractions of the frame
    std::string text;
    double confidence = 0;  // 0..1
};

// A text about a title (issue #8 item 5): its synopsis or description, from the file's metadata or entered by a
// person, or a review text attached to it. Facts, not model proposals: a new model run never touches them.
struct TitleText {
    int64_t id = 0;
    int64_t title_id = 0;
    std::string kind;              // "synopsis" | "description" | "review"
    std::string source = "human";  // "metadata" | "human" | the review file's name
    std::string language = "und";  // ISO 639-2/B ("eng"); "und" when unknown
    std::string text;
    std::string created_at;        // ISO 8601, UTC; empty on add = now
};

// Fields every reviewable proposal has.
struct Proposal {
    int64_t id = 0;
    int64_t title_id = 0;
    int64_t run_id = 0;             // 0: added by a person
    std::string source = "model";  // model | human
    ReviewState state = ReviewState::Proposed;
    int64_t version = 1;
    double confidence = 0;
    std::string evidence = "{}";   // JSON: the frames and scores behind it
};

struct Tag : Proposal {
    int shot_index = -1;  // -1: the whole title
    std::string category;  // object, people, shot_scale, expression, age, maturity, audio, pace, colour, mood, genre...
    std::string label;
};

struct Character : Proposal {
    std::string name;              // empty until a person names it
    double screen_time_s = 0;
    int64_t best_face_id = 0;
    std::vector<int64_t> face_ids;  // members (stored faces)
};

enum class ChapterKind { Scene, Chapter, KeyScene };
const char* to_string(ChapterKind k);
ChapterKind chapter_kind_from_string(const std::string& s);

struct Chapter : Proposal {
    ChapterKind kind = ChapterKind::Scene;
    int64_t start_frame = 0;
    int64_t end_frame = 0;  // inclusive
    double start_s = 0;
    double end_s = 0;       // the end of the last frame
    std::string label;
};

struct ArtworkCandidate : Proposal {
    int64_t frame_index = 0;
    double score = 0;
    std::string breakdown = "{}";  // JSON: sharpness, exposure, faces, composition, ...
    std::string crops = "{}";      // JSON: {"16:9": [x,y,w,h], "2:3": [...], ...} in frame fractions
    int rank = 0;                  // a person's order in the picked set (1 = first); 0: ordered by score
};

// Everything one run produced, saved in one transaction by Store::save_model_run().
struct ModelRunOutput {
    std::string model;
    std::string model_version;
    std::string host;
    std::string detail = "{}";
    std::vector<Embedding> embeddings;
    std::vector<Face> faces;
    std::vector<Detection> detections;
    std::vector<FrameScores> frame_scores;
    std::vector<AudioSegment> audio_segments;
    std::vector<Tag> tags;
    std::vector<Character> characters;  // face_ids name faces stored earlier (by another run)
    std::vector<Chapter> chapters;
    std::vector<ArtworkCandidate> artwork;
    std::vector<TranscriptSegment> transcript;
    std::vector<ScreenText> screen_text;
};

// A review of any proposal kind: tag, chapter, character or artwork (markers: Store::review_marker).
struct Review {
    std::string entity;  // tag | chapter | character | artwork | marker
    int64_t id = 0;
    int64_t expected_version = 0;
    std::string reviewer;
    ReviewAction action = ReviewAction::Accept;
    std::string label;             // Correct: the new label (a tag's or chapter's label, a character's name)
    int64_t start_frame = -1;      // Correct: a chapter's new range (inclusive)
    int64_t end_frame = -1;
    int64_t undo_event = 0;        // Undo
};

struct ReviewResult {
    bool applied = false;  // false: a conflict; state, version and snapshot are what is stored now
    int64_t event_id = 0;
    ReviewState state = ReviewState::Proposed;
    int64_t version = 0;
    std::string snapshot;  // JSON of the reviewed fields as stored now
    int64_t conflict_id = 0;  // a conflict on another row than the one reviewed (a merge's or move's target): its id
};

enum class JobState { Queued, Running, Done, Failed, Cancelled };
const char* to_string(JobState s);
JobState job_state_from_string(const std::string& s);

// A title waiting for, or going through, ingest on some machine (the cluster's work queue).
struct QueuedIngest {
    int64_t id = 0;
    std::string media_path;
    int64_t title_id = 0;
    JobState state = JobState::Queued;
    std::string worker;
    int attempts = 0;
    std::string options = "{}";
    std::string message;
    std::string submitted_at, started_at, heartbeat_at, finished_at;
    std::string stage;            // what a running job is doing now ("decode", "models", ...)
    double progress = 0;          // 0..1
    bool cancel_requested = false;  // a person asked a running job to stop
};

// How far review has come on one kind of proposal of a title: its rows by state.
struct ReviewCounts {
    int total = 0;  // every row, whatever its state
    int proposed = 0;
    int accepted = 0;
    int rejected = 0;
    int corrected = 0;
    // A person decided it (accepted, rejected or corrected): rejecting a wrong proposal is review work done too.
    int reviewed() const { return accepted + rejected + corrected; }
};

// One title as a review lead plans work over the whole library (Store::title_summaries, the Library view).
// Definitions, the same for both backends:
//  - tags: every tag row; reviewed = accepted + rejected + corrected, total = all rows (proposed included).
//  - characters: every cluster by state; characters_named counts the clusters that are not rejected (a merged-away
//    cluster is rejected) and have a name, characters_kept those not rejected: "named / kept".
//  - chapters, key_scenes, scenes: the chapters table split by kind, every state.
//  - artwork: every candidate; picked = accepted + corrected (artwork.accepted + artwork.corrected).
//  - last review: the newest review event of the title (any entity, undo included); empty when there is none.
struct TitleSummary {
    TitleRecord title;
    int64_t sampled_frames = 0;
    ReviewCounts tags;
    ReviewCounts characters;
    int characters_named = 0;
    int characters_kept = 0;
    ReviewCounts chapters;
    ReviewCounts key_scenes;
    ReviewCounts scenes;
    ReviewCounts artwork;
    int artwork_picked() const { return artwork.accepted + artwork.corrected; }
    std::string last_review_at;  // ISO 8601, UTC
    std::string last_reviewer;
};

}  // namespace frameline
