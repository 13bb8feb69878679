// The mood and genre rule tables: scoring arithmetic (met / known weight), required conditions, unknown features,
// and typical inputs for each mood and genre.
#include <QtTest>

#include <cmath>

#include "core/analysis/mood_rules.h"

using namespace frameline;

namespace {
const RuleResult& find(const std::vector<RuleResult>& rs, const std::string& label) {
    for (const RuleResult& r : rs)
        if (r.label == label) return r;
    static RuleResult none;
    return none;
}
std::vector<std::string> fired(const std::vector<RuleResult>& rs) {
    std::vector<std::string> out;
    for (const RuleResult& r : rs)
        if (r.fired) out.push_back(r.label);
    return out;
}
}  // namespace

class TestMoodRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scoringArithmetic() {
        const Rule rule{"x",
                        {{"a", true, 10, 2.0, false, ""}, {"b", false, 5, 1.0, false, ""}, {"c", true, 0, 1.0, true, ""}},
                        0.6, 0.5, 0.8};
        // a met (2), b not met (1), c met (1): score 3/4, all known, confidence 0.75 * 1 * 0.8
        RuleResult r = evaluate_rule(rule, {{"a", 10}, {"b", 6}, {"c", 1}});
        QVERIFY(r.fired);
        QCOMPARE(r.score, 0.75);
        QCOMPARE(r.known_share, 1.0);
        QVERIFY(std::abs(r.confidence - 0.6) < 1e-12);
        // b unknown: score 3/3 over 3/4 of the weight
        r = evaluate_rule(rule, {{"a", 11}, {"c", 1}});
        QVERIFY(r.fired);
        QCOMPARE(r.score, 1.0);
        QCOMPARE(r.known_share, 0.75);
        // the required condition fails: never fires, whatever the rest
        r = evaluate_rule(rule, {{"a", 11}, {"b", 0}, {"c", -1}});
        QVERIFY(!r.fired);
        QVERIFY(r.reason.find("c >= 0") != std::string::npos);
        // required unknown: no verdict
        QVERIFY(!evaluate_rule(rule, {{"a", 11}, {"b", 0}}).fired);
        // too little known: only c (1 of 4)
        r = evaluate_rule(rule, {{"c", 1}});
        QVERIFY(!r.fired);
        QCOMPARE(r.reason, std::string("too few measures known"));
        QCOMPARE(describe(rule.conditions[1]), std::string("b <= 5 (w 1)"));
    }

    void moods() {
        // A dim, fast, loud shot with frightened faces: tense (and dark), not calm or joyful.
        const RuleInputs tense = {{"tension_share", 0.6}, {"happy_share", 0.0}, {"sad_share", 0.0},
                                  {"cuts_per_minute", 30}, {"motion", 6},     {"dark_share", 0.7},
                                  {"mean_luma", 40},       {"cct_k", 8000},  {"colourfulness", 15},
                                  {"loudness_lufs", -16},  {"music_share", 0.2}};
        auto rs = evaluate_rules(mood_rules(), tense);
        QCOMPARE(rs.front().label, std::string("tense"));
        QCOMPARE(find(rs, "tense").score, 1.0);
        QVERIFY(find(rs, "dark").fired);
        QVERIFY(!find(rs, "calm").fired && !find(rs, "joyful").fired && !find(rs, "energetic").fired);
        // A long still take, soft sound, no faces: calm only.
        const RuleInputs calm = {{"cuts_per_minute", 2}, {"motion", 0.4}, {"dark_share", 0.1}, {"mean_luma", 130},
                                 {"cct_k", 6000},        {"colourfulness", 30}, {"loudness_lufs", -33}, {"music_share", 0}};
        rs = evaluate_rules(mood_rules(), calm);
        QCOMPARE(fired(rs), std::vector<std::string>{"calm"});
        QCOMPARE(find(rs, "calm").score, 1.0);
        QVERIFY(std::abs(find(rs, "calm").known_share - 5.0 / 6.0) < 1e-12);  // tension_share unknown
        // Smiles in warm, bright, colourful light with music: joyful. Without faces never joyful.
        RuleInputs joy = {{"happy_share", 0.8}, {"tension_share", 0}, {"sad_share", 0}, {"mean_luma", 140},
                          {"colourfulness", 50}, {"cct_k", 4500},     {"music_share", 0.6}, {"cuts_per_minute", 10},
                          {"dark_share", 0.05}};
        rs = evaluate_rules(mood_rules(), joy);
        QCOMPARE(rs.front().label, std::string("joyful"));
        QCOMPARE(find(rs, "joyful").confidence, 1.0);
        joy.erase("happy_share");
        QVERIFY(!evaluate_rule(mood_rules()[2], joy).fired);
        // Sad faces, slow and quiet: sad.
        rs = evaluate_rules(mood_rules(), {{"sad_share", 0.5}, {"happy_share", 0}, {"tension_share", 0},
                                           {"cuts_per_minute", 4}, {"colourfulness", 20}, {"loudness_lufs", -30}});
        QCOMPARE(rs.front().label, std::string("sad"));
        // Fast, moving, loud, music, bright: energetic.
        rs = evaluate_rules(mood_rules(), {{"cuts_per_minute", 40}, {"motion", 8}, {"loudness_lufs", -14},
                                           {"music_share", 0.9}, {"dark_share", 0.1}});
        QCOMPARE(rs.front().label, std::string("energetic"));
        QVERIFY(!find(rs, "tense").fired);  // loud + fast alone is 2.5 of 6.5: not tension
    }

    void genres() {
        auto rs = evaluate_rules(genre_rules(), {{"cuts_per_minute", 35}, {"loudness_lufs", -15}, {"motion", 6},
                                                 {"mood_energetic_share", 0.6}, {"mood_tense_share", 0.1},
                                                 {"speech_share", 0.1}, {"music_share", 0.3}, {"face_shot_share", 0.3}});
        QCOMPARE(rs.front().label, std::string("action"));
        QVERIFY(rs.front().confidence <= 0.7);
        rs = evaluate_rules(genre_rules(), {{"cuts_per_minute", 6}, {"speech_share", 0.8}, {"face_shot_share", 0.1},
                                            {"music_share", 0.1}, {"loudness_lufs", -26}});
        QCOMPARE(fired(rs), std::vector<std::string>{"documentary"});
        rs = evaluate_rules(genre_rules(), {{"cuts_per_minute", 9}, {"speech_share", 0.6}, {"face_shot_share", 0.8},
                                            {"music_share", 0.1}, {"loudness_lufs", -26}});
        QCOMPARE(fired(rs), std::vector<std::string>{"drama"});
        rs = evaluate_rules(genre_rules(), {{"low_key_share", 0.7}, {"mood_tense_share", 0.5}, {"mood_dark_share", 0.6},
                                            {"mood_joyful_share", 0}});
        QCOMPARE(rs.front().label, std::string("horror/thriller"));
        QVERIFY(!evaluate_rule(genre_rules().back(), {{"drawing_score", 0.5}}).fired);
        QVERIFY(evaluate_rule(genre_rules().back(), {{"drawing_score", 0.9}}).fired);
    }
};

QTEST_GUILESS_MAIN(TestMoodRules)
#include "tst_mood_rules.moc"
