#pragma once
// Mood profiles (issue #9 item 2): scenes (shots) and titles nearest to a mood, or to a weighted mix of moods.
//
// Vocabulary: the moods the analysis derives (core/analysis/mood_rules.h: tense, calm, joyful, dark, sad,
// energetic; tst_mood_profile checks that the two lists agree), plus any other label people gave a mood tag (a
// correction to "eerie", a tag a reviewer added) in the titles searched.
//
// A profile is a vector over that vocabulary, one weight in 0..1 per mood, from the stored "mood" tags:
//   a tag's weight     a person's accepted or corrected tag 1 (a correction counts under its new label), a proposal
//                      its confidence, a rejected one 0 (as everywhere in scene search: people's decisions are facts)
//   shot               per mood, the shot's own tag; where the shot has no tag of that mood at all, the title-wide
//                      tag's weight x 0.5 (said of the whole title: weaker evidence for any one shot, as in
//                      scene_search.h). A person's rejection on the shot wins over the title's tag.
//   title              per mood, the title-wide tag (the analysis writes one for moods of >= 25 % of the duration);
//                      without one, the duration-weighted mean of the shots' own weights (a mood in 10 % of the
//                      title at confidence 0.8 gives 0.08). A rejected title-wide tag makes it 0.
// The query: "tense" or "tense:0.7,dark:0.3" (weights relative, > 0; a name without a weight weighs 1).
//
// Similarity: the cosine of the query with the profile extended by one "no mood" component, 1 - the profile's
// largest weight. Plain cosine ignores strength (a proposal of tense at 0.3 would equal an accepted tense); the
// extra component keeps strength in: for a one-mood query a profile of only that mood at weight w scores
// w / sqrt(w^2 + (1-w)^2): 1 for a person's acceptance, 0.71 at 0.5, 0.39 at 0.3; other moods beside it lower the
// score (tense 1 + joyful 1: 0.71), and a mix query prefers profiles in the same proportions. Range 0..1; a profile
// sharing no mood with the query scores 0 and is not a result.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/store/records.h"

namespace frameline {

class Store;

// The analysis's moods, in mood_rules() order.
const std::vector<std::string>& mood_vocabulary();

struct MoodWeight {
    std::string mood;  // lower case
    double weight = 0;  // normalised: a query's weights sum to 1
};

struct MoodQuery {
    std::vector<MoodWeight> moods;
    std::string text() const;  // "tense:0.70,dark:0.30"
};

// The vocabulary plus every mood label of a tag that is not rejected in these titles (every title when empty),
// lower case, vocabulary first, then the others sorted.
std::vector<std::string> known_moods(Store& store, const std::vector<int64_t>& title_ids = {});

// Parses "tense" or "tense:0.7, dark:0.3" (case and spaces do not matter). Throws frameline::Error, one line,
// for an empty query, a mood not in `known` (listing them), a weight that is not a positive finite number, or a
// mood given twice.
MoodQuery parse_mood_query(const std::string& text, const std::vector<std::string>& known);
// The same against known_moods(store, title_ids).
MoodQuery parse_mood_query(Store& store, const std::string& text, const std::vector<int64_t>& title_ids = {});

// Why a profile has a mood: one tag.
struct MoodEvidence {
    std::string mood;
    double weight = 0;  // what it contributes (title-wide ones on a shot: already halved)
    ReviewState state = ReviewState::Proposed;
    double confidence = 0;  // the tag's stored confidence
    bool title_wide = false;
    bool inherited = false;  // a title-wide tag counted on a shot (x0.5)
    int64_t tag_id = 0;
    int64_t frame = -1;  // the first frame the tag's evidence names, -1: none
};

struct MoodProfile {
    std::map<std::string, double> weights;  // mood -> 0..1; moods at 0 are left out
    std::vector<MoodEvidence> evidence;     // the tags behind the weights (rejected ones too, weight 0)
};

struct TitleMoodProfiles {
    int64_t title_id = 0;
    MoodProfile title;
    std::map<int, MoodProfile> shots;  // by Shot::index; every shot of the title
    // The shot's profile (an empty one for an unknown index).
    const MoodProfile& shot(int shot_index) const;
};

// Every shot's and the title's profile, from the title's stored mood tags.
TitleMoodProfiles mood_profiles(Store& store, int64_t title_id);

// The similarity above, 0..1.
double mood_similarity(const MoodQuery& query, const MoodProfile& profile);

// One profile against a query, as scene search shows it.
struct MoodMatch {
    double score = 0;   // mood_similarity
    std::string why;    // "mood tense 0.71 (proposed); mood dark 1.00 (accepted, title x0.5)"
    int64_t frame = -1;  // a frame the strongest matching tag's evidence names, -1: none
};
MoodMatch match_mood(const MoodQuery& query, const MoodProfile& profile);

struct MoodHit {
    int64_t title_id = 0;
    std::string title_name;
    int shot_index = -1;      // -1: the title
    int64_t frame_index = 0;  // a frame to show (the matching tag's evidence, else the shot's first sampled frame)
    int64_t frame_id = 0;     // its stored row; 0 when there is none
    double time_s = 0;
    double score = 0;
    std::map<std::string, double> profile;
    std::vector<MoodEvidence> evidence;  // the tags of the query's moods, strongest first
    std::string why;
};

struct MoodSearchOptions {
    int64_t title_id = 0;  // nearest_mood_scenes: 0 = every title
    int limit = 50;        // <= 0: all
};

// Shots by similarity to the query, best first (ties: title id, shot index); only shots scoring > 0.
// Throws frameline::Error for an unknown title.
std::vector<MoodHit> nearest_mood_scenes(Store& store, const MoodQuery& query, const MoodSearchOptions& options = {});
// Titles likewise (options.title_id ignored).
std::vector<MoodHit> nearest_mood_titles(Store& store, const MoodQuery& query, const MoodSearchOptions& options = {});

}  // namespace frameline
