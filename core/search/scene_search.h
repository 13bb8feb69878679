#pragma once
// Scene search (issue #7, item 6): finds the shots of one title or of every title by text, by an example frame
// ("more like this") or by mood. Brute force over the store's rows; a vector index (FAISS, issue #9) can take over
// the "like" part behind the same interface.
//
// What matches, per shot:
//   text   each word of the query must start a word of some field that belongs to the shot (case-insensitive):
//          tag labels and categories (on the shot, or on the title: worth half), character names (shots where one
//          of the character's faces is), chapter labels (shots that overlap the chapter), and every extra text
//          source (transcripts, on-screen text: see TextSource). Score: the mean over words of the best field's
//          weight x confidence (people's accepted or corrected proposals count as confidence 1, rejected ones not
//          at all).
//   mood   a "mood" tag with that label (case-insensitive) on the shot, or on the title (worth half).
//   like   the cosine of the shot's sampled frames' embeddings (entity "frame") with the example frame's, the best
//          frame of the shot; only vectors of the same embedding model are compared.
// A shot must match every criterion given; its score is the mean of their scores (a cosine below 0 counts 0).
// Each result shows one frame of the shot: the best "like" frame, else the frame named by the matching tag's
// evidence, else the shot's first sampled frame.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace frameline {

class Store;

struct SceneQuery {
    int64_t title_id = 0;  // 0: every title
    std::string text;
    std::string mood;
    int64_t like_title_id = 0;  // with like_frame >= 0: "more like this" frame
    int64_t like_frame = -1;    // a sampled frame's index in like_title_id
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
    explicit SceneSearch(Store& store) : store_(store) {}

    void add_text_source(TextSource source) { text_sources_.push_back(std::move(source)); }

    // Best first. Throws frameline::Error for an empty query, an unknown title, an example frame that is not a
    // sampled frame of its title or has no embedding (naming it, and what to do).
    std::vector<SceneHit> search(const SceneQuery& query);

private:
    Store& store_;
    std::vector<TextSource> text_sources_;
};

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
