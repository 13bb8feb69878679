#pragma once
// Scene search (issue #7, item 6): finds the shots of one title or of every title by text, by an example frame
// ("more like this": a frame, a shot, an image's vector) or by mood. Text, mood and filters are matched over the
// store's rows; the "like" part uses the vector index (issue #9, like_index.h).
//
// What matches, per shot:
//   text   each word of the query must start a word of some field that belongs to the shot (case-insensitive):
//          tag labels and categories (on the shot, or on the title: worth half), character names (shots where one
//          of the character's faces is), chapter labels (shots that overlap the chapter), and every extra text
//          source (transcripts, on-screen text: see TextSource). Score: the mean over words of the best field's
//          weight x confidence (people's accepted or corrected proposals count as confidence 1, rejected ones not
//          at all).
//   mood   "tense" or a mix "tense:0.7,dark:0.3": the similarity of the shot's mood profile (its mood tags, the
//          title's worth half; people's decisions as facts) with the query, 0..1 (mood_profile.h). An unknown mood is
//          an error that lists the known ones.
//   like   the cosine of the shot's sampled frames' embeddings (entity "frame") with the example frame's (or an
//          image's vector), the best frame of the shot; only vectors of the same embedding model are compared.
//          Like a shot: the cosine of the shot embeddings (picture and sound), with each part's cosine as evidence.
//          The vectors come from a FAISS index per embedding set (like_index.h, cached beside the database): a
//          "like" search with no other criterion takes its candidates from the index (the best frames or shots,
//          widened until `limit` shots are found) instead of reading every embedding row; with other criteria the
//          shots that pass them are scored from the index's stored vectors. The example itself is the first hit.
// A shot must match every criterion given; its score is the mean of their scores (a cosine below 0 counts 0).
// Each result shows one frame of the shot: the best "like" frame, else the frame named by the matching tag's
// evidence, else the shot's first sampled frame.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/store/records.h"

namespace frameline {

class Store;
class LikeIndexes;

struct SceneQuery {
    int64_t title_id = 0;  // 0: every title
    std::string text;
    std::string mood;
    int64_t like_title_id = 0;  // with like_frame >= 0: "more like this" frame; with like_shot >= 0: shot
    int64_t like_frame = -1;    // a sampled frame's index in like_title_id
    // "More like this" shot: a shot index of like_title_id, compared by the shot embeddings the ingest stores
    // ("media:" + the frame model, entity "shot": picture and sound, media_embedder.h).
    int like_shot = -1;
    // "More like this" picture given as a vector of the frame model (an image file's embedding, computed by the
    // caller with the ingest's visual embedder); `like_what` names it in results ("image cat.jpg").
    std::vector<float> like_vector;
    std::string like_what;
    // The embedding model compared for "like"; "" = the example title's first model whose name starts with
    // "visual" (the ingest stores e.g. "visual:nsfw-mobilenetv2-gap-p0.5+colour0.5/r2").
    std::string embedding_model;
    // Filters (query_syntax.h's tag: and character:): a shot must have each tag (label or category:label, not
    // rejected; a title-wide tag counts half) and show each character (by name). Each is a criterion scored by the
    // tag's weight, or 1 for a character.
    std::vector<std::string> tags;
    std::vector<std::string> characters;
    int limit = 50;
};

struct SceneHit {
    int64_t title_id = 0;
    std::string title_name;
    int shot_index = 0;
    int64_t frame_index = 0;  // the frame shown for the shot
    int64_t frame_id = 0;     // its stored row (thumbnail); 0 when the shot has no sampled frame
    double time_s = 0;        // the frame's time
    double score = 0;         // 0..1
    std::string why;          // what matched: "tag object:car (0.91); like frame 12 (cosine 0.97)"
};

// Text that belongs to a stretch of a title, from a source other than the proposals: a transcript line, on-screen
// text. `field` names it in results ("transcript", "on-screen text").
struct TextSpan {
    std::string field;
    std::string text;
    double start_s = 0;
    double end_s = 0;
    double confidence = 1;
};
// Where transcripts and OCR plug in once the store has them: a function giving a title's spans.
using TextSource = std::function<std::vector<TextSpan>(Store&, int64_t title_id)>;

class SceneSearch {
public:
    // "Like" searches use the process's indexes for this database (like_index.h: shared_like_indexes), so that a
    // SceneSearch per query (the GUI, the API server) still opens each index once; or the set given.
    explicit SceneSearch(Store& store);
    SceneSearch(Store& store, std::shared_ptr<LikeIndexes> indexes);

    void add_text_source(TextSource source) { text_sources_.push_back(std::move(source)); }

    // Best first. Throws frameline::Error for an empty query, an unknown title, an example frame that is not a
    // sampled frame of its title or has no embedding (naming it, and what to do).
    std::vector<SceneHit> search(const SceneQuery& query);

private:
    Store& store_;
    std::vector<TextSource> text_sources_;
    std::shared_ptr<LikeIndexes> indexes_;
};

// "More like this" for a whole title: the nearest titles by their title embeddings ("media:" + the frame model,
// entity "title"), best first, the title itself left out. Evidence: the most similar shot pairs (the example's
// longest shots, each with its nearest shot of the other title).
struct ShotPair {
    int shot = 0;        // the example title's shot
    int other_shot = 0;  // the similar title's shot
    double other_start_s = 0;
    double cosine = 0;
};
struct TitleHit {
    int64_t title_id = 0;
    std::string title_name;
    double score = 0;  // cosine of the title embeddings (a value below 0 counts 0)
    std::string why;   // "title cosine 0.91; shot 3 ~ shot 12 (0.95); ..."
    std::vector<ShotPair> pairs;
};
// Throws frameline::Error for an unknown title or one without title embeddings (naming it, and what to do).
std::vector<TitleHit> similar_titles(Store& store, LikeIndexes& indexes, int64_t title_id, int limit = 10,
                                     const std::string& frame_model = "", int evidence_pairs = 3);

// The frame model ("visual...") of a title's stored frame embeddings; title 0: of the first title that has one.
// Throws frameline::Error when there is none (saying to ingest with the model zoo).
std::string visual_frame_model(Store& store, int64_t title_id = 0);

// "TITLE:SHOT" (title id or name, shot index) as the CLI takes it. Throws frameline::Error for anything else.
void parse_like_shot(Store& store, const std::string& text, int64_t* title_id, int* shot_index);

// The titles a search covers: the one with id `title_id`, or every title for 0. Throws frameline::Error for an
// unknown id (naming it, and how to list them).
std::vector<TitleRecord> titles_to_search(Store& store, int64_t title_id);

// "TITLE:FRAME" (title id or name, frame index) as the CLI takes it. Throws frameline::Error for anything else.
void parse_like_frame(Store& store, const std::string& text, int64_t* title_id, int64_t* frame_index);

// A query in the one syntax (query_syntax.h) as a SceneQuery; like:ID looked up in the store. Throws
// frameline::Error for a malformed query or a frame id the store does not have.
SceneQuery scene_query_from_text(Store& store, const std::string& query);

// The same in place, for a query whose other fields a form already set (the GUI's mood box, the CLI's --mood and
// --like-frame): `query.text` is parsed; its words stay in text, its tag:/character: filters are added, its mood:
// and like: fill those fields. Throws frameline::Error as above, or when the text's mood or example frame differs
// from the one already set.
void expand_query_text(Store& store, SceneQuery& query);

}  // namespace frameline
