#include "core/analysis/mood_rules.h"

#include <algorithm>
#include <cstdio>

namespace frameline {

namespace {
constexpr bool AtLeast = true, AtMost = false;
constexpr bool Required = true;
}  // namespace

// Each row: feature, direction, threshold, weight, required, why.
const std::vector<Rule>& mood_rules() {
    static const std::vector<Rule> rules = {
        {"tense",
         {
             {"tension_share", AtLeast, 0.3, 2.0, false, "fear, anger, surprise or disgust on faces: the clearest sign"},
             {"happy_share", AtMost, 0.2, 1.0, false, "smiles contradict tension"},
             {"cuts_per_minute", AtLeast, kFastCutsPerMinute, 1.0, false, "rapid cutting raises arousal"},
             {"motion", AtLeast, kHighMotion, 1.0, false, "agitated camera or action"},
             {"dark_share", AtLeast, 0.5, 1.0, false, "shadowy (low-key) lighting of suspense"},
             {"loudness_lufs", AtLeast, kLoudLufs, 0.5, false, "loud stings and effects (weak: tension is often quiet)"},
         },
         // 60 % known: without faces (or without colour) fast and loud alone is energy, not tension
         0.6, 0.6, 1.0},
        {"calm",
         {
             {"cuts_per_minute", AtMost, kSlowCutsPerMinute, 2.0, false, "long takes"},
             {"motion", AtMost, kLowMotion, 1.5, false, "still picture"},
             {"loudness_lufs", AtMost, -28.0, 1.0, false, "soft soundtrack"},
             {"tension_share", AtMost, 0.1, 1.0, false, "no tense faces"},
             {"dark_share", AtMost, 0.5, 0.5, false, "not in shadow (dark and still reads as ominous, not calm)"},
         },
         0.7, 0.5, 1.0},
        {"joyful",
         {
             {"happy_share", AtLeast, 0.4, 3.0, Required, "smiling faces: without them colour alone is not joy"},
             {"tension_share", AtMost, 0.15, 1.0, false, "few tense faces"},
             {"mean_luma", AtLeast, 100.0, 1.0, false, "bright lighting"},
             {"colourfulness", AtLeast, 33.0, 1.0, false, "vivid colour (H&S moderately colourful and up)"},
             {"cct_k", AtMost, 5500.0, 0.5, false, "warm light"},
             {"music_share", AtLeast, 0.3, 0.5, false, "music"},
         },
         0.65, 0.5, 1.0},
        {"dark",
         {
             {"dark_share", AtLeast, 0.5, 2.0, Required, "low-key: half the picture in shadow tones"},
             {"mean_luma", AtMost, 60.0, 1.0, false, "dim overall"},
             {"colourfulness", AtMost, 25.0, 1.0, false, "desaturated"},
             {"cct_k", AtLeast, 7000.0, 0.5, false, "cold light"},
             {"happy_share", AtMost, 0.2, 0.5, false, "few smiles"},
         },
         0.6, 0.5, 1.0},
        {"sad",
         {
             {"sad_share", AtLeast, 0.3, 3.0, Required, "sad faces"},
             {"cuts_per_minute", AtMost, 12.0, 1.0, false, "lingering shots"},
             {"colourfulness", AtMost, 33.0, 1.0, false, "subdued colour"},
             {"loudness_lufs", AtMost, -25.0, 0.5, false, "quiet"},
         },
         0.6, 0.5, 1.0},
        {"energetic",
         {
             {"cuts_per_minute", AtLeast, kFastCutsPerMinute, 1.5, false, "fast cutting"},
             {"motion", AtLeast, kHighMotion, 1.5, false, "lots of movement"},
             {"loudness_lufs", AtLeast, kLoudLufs, 1.0, false, "loud"},
             {"music_share", AtLeast, 0.4, 1.0, false, "driven by music"},
             {"dark_share", AtMost, 0.5, 0.5, false, "not low-key (dark and fast reads as tense)"},
             {"tension_share", AtMost, 0.3, 1.0, false, "not frightened or angry faces (that is tense)"},
         },
         0.65, 0.5, 1.0},
    };
    return rules;
}

// Genre hints: capped at 0.7 confidence, because a title's genre is a judgement these measures only hint at.
const std::vector<Rule>& genre_rules() {
    static const std::vector<Rule> rules = {
        {"action",
         {
             {"cuts_per_minute", AtLeast, kFastCutsPerMinute, 2.0, Required, "fast cutting"},
             {"loudness_lufs", AtLeast, -22.0, 1.5, false, "loud mix (effects, score)"},
             {"motion", AtLeast, kHighMotion, 1.0, false, "movement"},
             {"mood_energetic_share", AtLeast, 0.3, 0.5, false, "energetic shots"},
             {"mood_tense_share", AtLeast, 0.2, 0.5, false, "tense shots"},
         },
         0.65, 0.6, 0.7},
        {"drama",
         {
             {"face_shot_share", AtLeast, 0.5, 1.5, false, "people on screen most of the time"},
             {"speech_share", AtLeast, 0.4, 1.5, Required, "dialogue-driven"},
             {"cuts_per_minute", AtMost, 15.0, 1.0, false, "unhurried cutting"},
             {"loudness_lufs", AtMost, -20.0, 0.5, false, "not a loud mix"},
         },
         0.7, 0.6, 0.7},
        {"horror/thriller",
         {
             {"low_key_share", AtLeast, 0.4, 2.0, Required, "dark pictures"},
             {"mood_tense_share", AtLeast, 0.3, 2.0, false, "tense shots"},
             {"mood_dark_share", AtLeast, 0.3, 1.0, false, "dark-mood shots"},
             {"mood_joyful_share", AtMost, 0.1, 0.5, false, "little joy"},
         },
         0.7, 0.6, 0.7},
        {"documentary",
         {
             {"speech_share", AtLeast, 0.5, 2.0, Required, "narration or interviews"},
             {"face_shot_share", AtMost, 0.35, 1.5, false, "few faces: the voice talks over footage"},
             {"cuts_per_minute", AtMost, 15.0, 1.0, false, "unhurried cutting"},
             {"music_share", AtMost, 0.3, 0.5, false, "music is background at most"},
         },
         // 0.75: speech with many faces on screen is drama, not documentary (3.5 of 5 = 0.7 must not fire)
         0.75, 0.6, 0.7},
        {"comedy",
         {
             {"mood_joyful_share", AtLeast, 0.3, 2.0, Required, "joyful shots"},
             {"speech_share", AtLeast, 0.3, 1.0, false, "dialogue"},
             {"mean_luma", AtLeast, 100.0, 0.5, false, "bright (high-key) lighting"},
             {"mood_tense_share", AtMost, 0.1, 0.5, false, "little tension"},
         },
         0.7, 0.6, 0.7},
        {"music",
         {
             {"music_share", AtLeast, 0.5, 2.0, Required, "music most of the time"},
             {"speech_share", AtMost, 0.2, 1.0, false, "little speech"},
             {"cuts_per_minute", AtLeast, 15.0, 0.5, false, "cut to the beat"},
         },
         0.7, 0.6, 0.7},
        {"animation",
         {
             {"drawing_score", AtLeast, 0.7, 3.0, Required, "70 % of frames scored Drawing >= 0.8 by the nsfw model"},
         },
         0.9, 0.9, 0.7},
    };
    return rules;
}

std::string describe(const RuleCondition& c) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s %s %g (w %g%s)", c.feature.c_str(), c.at_least ? ">=" : "<=", c.threshold,
                  c.weight, c.required ? ", required" : "");
    return buf;
}

RuleResult evaluate_rule(const Rule& rule, const RuleInputs& inputs) {
    RuleResult r;
    r.label = rule.label;
    double total = 0, known = 0, met = 0;
    bool required_ok = true;
    std::string missing_required;
    for (const RuleCondition& c : rule.conditions) {
        ConditionOutcome o;
        o.condition = &c;
        total += c.weight;
        auto it = inputs.find(c.feature);
        if (it != inputs.end()) {
            o.known = true;
            o.value = it->second;
            o.met = c.at_least ? o.value >= c.threshold : o.value <= c.threshold;
            known += c.weight;
            if (o.met) met += c.weight;
        }
        if (c.required && !o.met) {
            required_ok = false;
            if (missing_required.empty()) missing_required = describe(c) + (o.known ? " not met" : " unknown");
        }
        r.outcomes.push_back(o);
    }
    r.known_share = total > 0 ? known / total : 0;
    r.score = known > 0 ? met / known : 0;
    if (!required_ok) r.reason = missing_required;
    else if (r.known_share < rule.min_known) r.reason = "too few measures known";
    else if (r.score < rule.min_score) r.reason = "score under " + std::to_string(rule.min_score).substr(0, 4);
    else {
        r.fired = true;
        r.confidence = r.score * r.known_share * rule.cap;
    }
    return r;
}

std::vector<RuleResult> evaluate_rules(const std::vector<Rule>& rules, const RuleInputs& inputs) {
    std::vector<RuleResult> out;
    for (const Rule& rule : rules) out.push_back(evaluate_rule(rule, inputs));
    std::stable_sort(out.begin(), out.end(), [](const RuleResult& a, const RuleResult& b) {
        if (a.fired != b.fired) return a.fired;
        return a.confidence > b.confidence;
    });
    return out;
}

}  // namespace frameline
