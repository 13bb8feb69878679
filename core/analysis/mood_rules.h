#pragma once
// Mood (per shot and title) and genre hints (title) as a documented rule set, not a model: every rule is a small table
// of conditions on measured features, each with its threshold, its weight and why it is there, so a reviewer who
// disagrees with "tense" can see which measures made it so.
//
// How a rule is scored: a condition is known when its feature was measured (a shot without faces has no expression
// shares; a title without audio has no loudness). score = (weight of conditions met) / (weight of known conditions).
// A rule fires when
//   - every condition marked `required` is known and met,
//   - the known conditions carry at least `min_known` of the rule's total weight (no verdict from scraps), and
//   - score >= `min_score`.
// Its confidence is score x (known weight / total weight) x `cap`: fewer measures, less confidence; `cap` < 1 for
// rules that are only hints (genres).
//
// Features (names are the keys of RuleInputs):
//   happy_share, tension_share, sad_share   share of clearly expressive faces (expression score >= 0.6, face at
//                                           least 5 % of the frame height) showing happy; angry, fear, surprise or
//                                           disgust; sad. Unknown without such faces.
//   cuts_per_minute                         around the shot (its neighbours, see tags.h), or over the title
//   motion                                  mean absolute luma change per frame (sampler's FrameRecord::motion, 0-255)
//   loudness_lufs                           integrated EBU R128 loudness of the shot or title
//   mean_luma, dark_share, cct_k, colourfulness   colour_style.h measures of the thumbnails
//   music_share, speech_share               audio_character.h shares
//   Title level only (genres): face_shot_share (shots with a face), low_key_share (shots that are low-key),
//   mood_<name>_share (duration share of shots with that mood), drawing_score (share of nsfw-scored
//                                           frames whose "Drawing" probability is >= 0.8).
#include <map>
#include <string>
#include <vector>

namespace frameline {

using RuleInputs = std::map<std::string, double>;

struct RuleCondition {
    std::string feature;
    bool at_least = true;  // true: feature >= threshold; false: feature <= threshold
    double threshold = 0;
    double weight = 1;
    bool required = false;
    std::string why;
};

struct Rule {
    std::string label;
    std::vector<RuleCondition> conditions;
    double min_score = 0.6;
    double min_known = 0.5;  // share of the total weight that must be known
    double cap = 1.0;
};

struct ConditionOutcome {
    const RuleCondition* condition = nullptr;
    bool known = false;
    bool met = false;
    double value = 0;
};

struct RuleResult {
    std::string label;
    bool fired = false;
    double score = 0;        // met / known weight
    double known_share = 0;  // known / total weight
    double confidence = 0;   // score x known_share x cap when fired, else 0
    std::vector<ConditionOutcome> outcomes;
    std::string reason;  // when not fired: why not (one line)
};

// Thresholds shared by the mood and genre tables (and used by tags.cpp for the pace and loudness labels).
inline constexpr double kFastCutsPerMinute = 20.0;  // average shot length 3 s or less: fast cutting (action, trailers)
inline constexpr double kSlowCutsPerMinute = 8.0;   // average shot length 7.5 s or more: long takes
inline constexpr double kHighMotion = 4.0;          // mean |luma change| per frame; panning crowds, fights
inline constexpr double kLowMotion = 1.5;           // static camera, little movement (dialogue is ~0.5-1)
inline constexpr double kLoudLufs = -20.0;          // 3+ LU over the -23 LUFS broadcast target
inline constexpr double kQuietLufs = -35.0;         // 8+ LU under the -27 LUFS dialogue-normalised streaming level

// The tables (mood_rules.cpp shows them as data).
const std::vector<Rule>& mood_rules();   // tense, calm, joyful, dark, sad, energetic
const std::vector<Rule>& genre_rules();  // action, drama, horror/thriller, documentary, comedy, music, animation

RuleResult evaluate_rule(const Rule& rule, const RuleInputs& inputs);
// Every rule evaluated; fired ones first, by confidence.
std::vector<RuleResult> evaluate_rules(const std::vector<Rule>& rules, const RuleInputs& inputs);

// The condition as text, e.g. "cuts_per_minute >= 20 (w 1.5)".
std::string describe(const RuleCondition& c);

}  // namespace frameline
