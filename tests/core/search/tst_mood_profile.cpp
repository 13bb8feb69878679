// Mood profiles (issue #9 item 2): the vocabulary against the analysis's mood rules; the query syntax and its
// errors; the similarity's numbers on hand-made profiles and on stored tags (exact values); and, on a real title
// ingested through the CLI (goldeneye), that people's decisions move the ranking: a rejection takes a shot's mood
// away, an acceptance makes it certain, a correction to a new label makes that label searchable.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/analysis/mood_rules.h"
#include "core/error.h"
#include "core/search/mood_profile.h"
#include "core/store/store.h"
#include "tests/support/cli_ingest.h"
#include "tests/support/ready_title.h"
#include "tests/support/testdata.h"
#include "tests/support/error_of.h"

using namespace frameline;
using test::error_of;

namespace {

Tag mood_tag(int shot, const std::string& label, double confidence, int64_t frame = -1) {
    Tag t;
    t.shot_index = shot;
    t.category = "mood";
    t.label = label;
    t.confidence = confidence;
    t.evidence = frame >= 0 ? nlohmann::json{{"frames", {frame}}}.dump() : "{}";
    return t;
}

MoodProfile profile(std::map<std::string, double> weights) {
    MoodProfile p;
    p.weights = std::move(weights);
    return p;
}

const MoodHit* hit_of(const std::vector<MoodHit>& hits, int64_t title, int shot) {
    for (const MoodHit& h : hits)
        if (h.title_id == title && h.shot_index == shot) return &h;
    return nullptr;
}

Tag stored_tag(Store& store, int64_t title, int shot, const std::string& label) {
    for (const Tag& t : store.tags(title))
        if (t.category == "mood" && t.shot_index == shot && t.label == label && t.source == "model" &&
            t.run_id != 0 && t.evidence.find("\"fixture\"") != std::string::npos)
            return t;
    return {};
}

void review(Store& store, const Tag& t, ReviewAction action, const std::string& label = {}) {
    Review r;
    r.entity = "tag";
    r.id = t.id;
    r.expected_version = t.version;
    r.reviewer = "ana";
    r.action = action;
    r.label = label;
    QVERIFY(store.review(r).applied);
}


}  // namespace

class TestMoodProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void vocabularyIsTheAnalysisMoods();
    void parsesOneMoodAndMixes();
    void badQueriesSayWhatIsWrong();
    void similarityKeepsStrength();
    void storedTagsGiveExactScores();
    void titlesRankByTheirProfile();
    void peopleDecisionsMoveTheRankingOnARealTitle();
};

void TestMoodProfile::vocabularyIsTheAnalysisMoods() {
    std::vector<std::string> rules;
    for (const Rule& r : mood_rules()) rules.push_back(r.label);
    QCOMPARE(mood_vocabulary(), rules);
}

void TestMoodProfile::parsesOneMoodAndMixes() {
    const std::vector<std::string> known = mood_vocabulary();
    MoodQuery q = parse_mood_query("tense", known);
    QCOMPARE(q.moods.size(), size_t(1));
    QCOMPARE(q.moods[0].mood, std::string("tense"));
    QCOMPARE(q.moods[0].weight, 1.0);
    q = parse_mood_query(" Tense:0.7 , DARK:0.3 ", known);
    QCOMPARE(q.moods.size(), size_t(2));
    QCOMPARE(q.moods[1].mood, std::string("dark"));
    QVERIFY(std::abs(q.moods[0].weight - 0.7) < 1e-12 && std::abs(q.moods[1].weight - 0.3) < 1e-12);
    q = parse_mood_query("calm:2,sad", known);  // relative weights: 2 and 1
    QVERIFY(std::abs(q.moods[0].weight - 2.0 / 3) < 1e-12);
    QCOMPARE(q.text(), std::string("calm:0.67,sad:0.33"));
}

void TestMoodProfile::badQueriesSayWhatIsWrong() {
    const std::vector<std::string> known = mood_vocabulary();
    const QString unknown = error_of([&] { parse_mood_query("scary", known); });
    QVERIFY2(unknown.contains("unknown mood 'scary'") && unknown.contains("tense, calm, joyful, dark, sad, energetic"),
             qPrintable(unknown));
    for (const char* bad : {"tense:abc", "tense:-1", "tense:0", "tense:1e999", "tense:", "tense:0.5x"}) {
        const QString e = error_of([&] { parse_mood_query(bad, known); });
        QVERIFY2(e.contains("is not a positive number"), qPrintable(QString(bad) + ": " + e));
    }
    QVERIFY(error_of([&] { parse_mood_query("tense,Tense:0.2", known); }).contains("given twice"));
    QVERIFY(error_of([&] { parse_mood_query("tense,,dark", known); }).contains("empty part"));
    QVERIFY(error_of([&] { parse_mood_query("  ", known); }).contains("an empty mood"));
    QVERIFY(error_of([&] { parse_mood_query(":0.5", known); }).contains("names no mood"));
    for (const char* bad : {"scary", "tense:abc", "tense,,dark"})
        QVERIFY(!error_of([&] { parse_mood_query(bad, known); }).contains('\n'));  // one line
}

void TestMoodProfile::similarityKeepsStrength() {
    const MoodQuery tense = parse_mood_query("tense", mood_vocabulary());
    QCOMPARE(mood_similarity(tense, profile({{"tense", 1.0}})), 1.0);
    QVERIFY(std::abs(mood_similarity(tense, profile({{"tense", 0.5}})) - 1 / std::sqrt(2.0)) < 1e-9);
    QVERIFY(std::abs(mood_similarity(tense, profile({{"tense", 0.3}})) - 0.3 / std::sqrt(0.09 + 0.49)) < 1e-9);
    QVERIFY(std::abs(mood_similarity(tense, profile({{"tense", 1.0}, {"joyful", 1.0}})) - 1 / std::sqrt(2.0)) < 1e-9);
    QCOMPARE(mood_similarity(tense, profile({{"calm", 0.9}})), 0.0);
    QCOMPARE(mood_similarity(tense, profile({})), 0.0);
    // A mix prefers profiles in its proportions.
    const MoodQuery mix = parse_mood_query("tense:0.7,dark:0.3", mood_vocabulary());
    QVERIFY(mood_similarity(mix, profile({{"tense", 0.7}, {"dark", 0.3}})) >
            mood_similarity(mix, profile({{"tense", 0.3}, {"dark", 0.7}})));
    QVERIFY(std::abs(mood_similarity(mix, profile({{"tense", 1.0}, {"dark", 3.0 / 7}})) - 1.0) < 1e-9);
}

void TestMoodProfile::storedTagsGiveExactScores() {
    QTemporaryDir dir;
    auto store = open_store(dir.filePath("m.db").toStdString());
    const int64_t id = test::add_ready_title(*store, "moods", 4);
    ModelRunOutput run;
    run.model = "analysis";
    run.model_version = "test";
    run.tags = {mood_tag(0, "tense", 0.9, 25), mood_tag(1, "tense", 0.5, 75), mood_tag(1, "joyful", 0.5),
                mood_tag(2, "calm", 0.8), mood_tag(-1, "tense", 0.6)};
    store->save_model_run(id, run);

    const TitleMoodProfiles p = mood_profiles(*store, id);
    QCOMPARE(p.shot(0).weights.at("tense"), 0.9);
    QCOMPARE(p.shot(2).weights.at("tense"), 0.3);  // the title's 0.6, halved
    QCOMPARE(p.shot(3).weights.at("tense"), 0.3);
    QCOMPARE(p.title.weights.at("tense"), 0.6);    // the title-wide tag
    QCOMPARE(p.title.weights.at("calm"), 0.2);     // no title tag: 0.8 over a quarter of the duration
    QCOMPARE(p.title.weights.at("joyful"), 0.125);

    const std::vector<MoodHit> hits = nearest_mood_scenes(*store, parse_mood_query(*store, "tense"));
    QCOMPARE(hits.size(), size_t(4));
    QCOMPARE(hits[0].shot_index, 0);
    QVERIFY(std::abs(hits[0].score - 0.9 / std::sqrt(0.81 + 0.01)) < 1e-9);
    QCOMPARE(hits[0].frame_index, int64_t(25));  // the frame the tag's evidence names
    QVERIFY2(hits[0].why == "mood tense 0.90 (proposed)", hits[0].why.c_str());
    QCOMPARE(hits[1].shot_index, 1);  // tense and joyful at 0.5: 0.5 / sqrt(0.75)
    QVERIFY(std::abs(hits[1].score - 0.5 / std::sqrt(0.75)) < 1e-9);
    QCOMPARE(hits[2].shot_index, 3);  // only the title's tense, halved: 0.3 / sqrt(0.09 + 0.49)
    QVERIFY(std::abs(hits[2].score - 0.3 / std::sqrt(0.58)) < 1e-9);
    QVERIFY2(hits[2].why == "mood tense 0.30 (proposed, title x0.5)", hits[2].why.c_str());
    QCOMPARE(hits[3].shot_index, 2);  // tense 0.3 beside calm 0.8: 0.3 / sqrt(0.09 + 0.64 + 0.04)
    QVERIFY(std::abs(hits[3].score - 0.3 / std::sqrt(0.77)) < 1e-9);
    QCOMPARE(hits[3].frame_index, int64_t(125));  // no frame in the evidence: the shot's first sampled frame
    QVERIFY(hits[3].frame_id > 0);

    // The mix: shot 2 (calm) is not a result for "joyful,sad"; shot 1 is the only one with joy.
    const auto joy = nearest_mood_scenes(*store, parse_mood_query(*store, "joyful:0.5,sad:0.5"), {id, 10});
    QCOMPARE(joy.size(), size_t(1));
    QCOMPARE(joy[0].shot_index, 1);
    QCOMPARE(joy[0].evidence.size(), size_t(1));
    QCOMPARE(joy[0].evidence[0].confidence, 0.5);

    // A person rejects the title's tense: the shots that only inherited it drop out, the title's tense is 0 and
    // comes from nothing else (a decision on the title wins over its shots' tags).
    review(*store, [&] {
        for (const Tag& t : store->tags(id))
            if (t.shot_index < 0) return t;
        return Tag{};
    }(), ReviewAction::Reject);
    const auto after = nearest_mood_scenes(*store, parse_mood_query(*store, "tense"));
    QCOMPARE(after.size(), size_t(2));
    QVERIFY(!hit_of(after, id, 2) && !hit_of(after, id, 3));
    QVERIFY(!mood_profiles(*store, id).title.weights.count("tense"));
    QVERIFY(nearest_mood_titles(*store, parse_mood_query(*store, "tense")).empty());

    // Errors: an unknown title; a query with no moods.
    QVERIFY(error_of([&] { nearest_mood_scenes(*store, parse_mood_query(*store, "tense"), {987, 10}); })
                .contains("no title 987"));
    QVERIFY(error_of([&] { nearest_mood_scenes(*store, MoodQuery{}); }).contains("empty mood query"));
}

void TestMoodProfile::titlesRankByTheirProfile() {
    QTemporaryDir dir;
    auto store = open_store(dir.filePath("t.db").toStdString());
    const int64_t a = test::add_ready_title(*store, "night", 2), b = test::add_ready_title(*store, "noon", 2),
                  c = test::add_ready_title(*store, "dusk", 2);
    ModelRunOutput run;
    run.model = "analysis";
    run.model_version = "test";
    run.tags = {mood_tag(-1, "dark", 0.6)};
    store->save_model_run(a, run);
    run.tags = {mood_tag(0, "dark", 0.9), mood_tag(-1, "joyful", 0.7)};
    store->save_model_run(c, run);
    Tag human = mood_tag(-1, "dark", 1.0);
    human.title_id = b;
    store->add_tag("ana", human);  // a person's own tag: certain
    const auto hits = nearest_mood_titles(*store, parse_mood_query(*store, "dark"));
    QCOMPARE(hits.size(), size_t(3));
    QCOMPARE(hits[0].title_id, b);
    QCOMPARE(hits[0].score, 1.0);
    QVERIFY2(hits[0].why == "mood dark 1.00 (accepted)", hits[0].why.c_str());
    QCOMPARE(hits[0].shot_index, -1);
    QCOMPARE(hits[1].title_id, a);  // dark 0.6 alone: 0.6 / sqrt(0.36 + 0.16)
    QVERIFY(std::abs(hits[1].score - 0.6 / std::sqrt(0.52)) < 1e-9);
    QCOMPARE(hits[2].title_id, c);  // dark from its shots only (0.9 x half the duration) beside joyful 0.7
    QVERIFY(std::abs(hits[2].score - 0.45 / std::sqrt(0.45 * 0.45 + 0.49 + 0.09)) < 1e-9);
    QVERIFY2(hits[2].why == "mood dark 0.45 (shots' tags, by duration)", hits[2].why.c_str());
    QCOMPARE(hits[2].frame_index, int64_t(25));  // its darkest shot's frame
    QCOMPARE(nearest_mood_titles(*store, parse_mood_query(*store, "dark"), {0, 2}).size(), size_t(2));
}

void TestMoodProfile::peopleDecisionsMoveTheRankingOnARealTitle() {
    const QString goldeneye = test::testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
    if (goldeneye.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
    QTemporaryDir dir;
    const QString db = dir.filePath("g.db");
    std::vector<int64_t> ids;
    FRAMELINE_CLI_INGEST(QStringList{goldeneye}, db, ids);
    auto store = open_store(db.toStdString());
    const int64_t id = ids[0];
    const std::vector<Shot> shots = store->shots(id);
    QVERIFY2(shots.size() >= 3, "goldeneye: expected at least three shots");
    for (const Tag& t : store->tags(id))
        if (t.category == "mood")
            qInfo("analysis mood: shot %d %s %.3f %s", t.shot_index, t.label.c_str(), t.confidence, t.evidence.c_str());
    for (const MoodHit& h : nearest_mood_scenes(*store, parse_mood_query(*store, "dark")))
        qInfo("dark: shot %d %.3f %s", h.shot_index, h.score, h.why.c_str());

    // The analysis's own moods, then a second run's proposals of "sad" (no rule fires "sad" without sad faces,
    // and goldeneye has none): 0.9 on the first shot, 0.4 on the last.
    const int last = shots.back().index;
    ModelRunOutput run;
    run.model = "mood-fixture";
    run.model_version = "test";
    run.tags = {mood_tag(0, "sad", 0.9), mood_tag(last, "sad", 0.4)};
    for (Tag& t : run.tags) t.evidence = R"({"fixture":true})";
    store->save_model_run(id, run);
    const MoodQuery sad = parse_mood_query(*store, "sad");
    auto hits = nearest_mood_scenes(*store, sad);
    QVERIFY(hits.size() >= 2);
    for (const MoodHit& h : hits) qInfo("sad: shot %d %.3f %s", h.shot_index, h.score, h.why.c_str());
    const MoodHit* first = hit_of(hits, id, 0);
    const MoodHit* end = hit_of(hits, id, last);
    QVERIFY(first && end);
    QCOMPARE(hits[0].shot_index, 0);
    QVERIFY(first->score > end->score);
    QVERIFY(first->why.find("mood sad 0.90 (proposed)") != std::string::npos);
    QCOMPARE(first->evidence.size(), size_t(1));
    QCOMPARE(first->evidence[0].confidence, 0.9);
    const double end_before = end->score;

    // A person rejects the first shot's sad and accepts the last one's: the last shot ranks first, scoring more
    // than before, and the first is gone (its only sad tag is rejected; the title has no sad tag).
    review(*store, stored_tag(*store, id, 0, "sad"), ReviewAction::Reject);
    review(*store, stored_tag(*store, id, last, "sad"), ReviewAction::Accept);
    hits = nearest_mood_scenes(*store, sad);
    QVERIFY(!hits.empty());
    QCOMPARE(hits[0].shot_index, last);
    QVERIFY(hits[0].score > end_before);
    QVERIFY(hits[0].why.find("mood sad 1.00 (accepted)") != std::string::npos);
    QVERIFY(!hit_of(hits, id, 0));

    // A correction to a label of the person's own: "sad" on the last shot becomes "bleak", a known mood now.
    const Tag accepted = [&] {
        for (const Tag& t : store->tags(id))
            if (t.shot_index == last && t.label == "sad") return t;
        return Tag{};
    }();
    review(*store, accepted, ReviewAction::Correct, "bleak");
    const std::vector<std::string> known = known_moods(*store);
    QVERIFY(std::find(known.begin(), known.end(), "bleak") != known.end());
    hits = nearest_mood_scenes(*store, parse_mood_query(*store, "bleak"));
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].shot_index, last);
    QVERIFY(hits[0].why.find("(corrected)") != std::string::npos);
    QVERIFY(!hit_of(nearest_mood_scenes(*store, sad), id, last));
    // Before the correction nobody could ask for it.
    QTemporaryDir other;
    auto empty = open_store(other.filePath("e.db").toStdString());
    QVERIFY(error_of([&] { parse_mood_query(*empty, "bleak"); }).contains("unknown mood 'bleak'"));
}

QTEST_GUILESS_MAIN(TestMoodProfile)
#include "tst_mood_profile.moc"
