// Scene search on the review fixture: text over tags, characters, chapters and extra text sources; mood; "more like
// this" by cosine over the frames' visual embeddings; and the errors people get for queries that cannot run.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/search/scene_search.h"
#include "core/store/store.h"
#include "tests/support/review_fixture.h"

using namespace frameline;

class TestSceneSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textFindsTheTaggedShot();
    void textFindsChapterLabelsAndIsWordPrefix();
    void moodMatchesTitleMood();
    void likeFrameRanksByCosine();
    void criteriaCombine();
    void extraTextSourceMatches();
    void namedCharacterAndRejectedTag();
    void badQueriesThrow();
    void parseLikeFrame();
    void querySyntaxFilters();

private:
    std::vector<SceneHit> search(SceneQuery q);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
};

void TestSceneSearch::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
}

std::vector<SceneHit> TestSceneSearch::search(SceneQuery q)
{
    if (q.title_id == 0) q.title_id = fx_.title_id;
    return SceneSearch(*fx_.store).search(q);
}

void TestSceneSearch::textFindsTheTaggedShot()
{
    SceneQuery q;
    q.text = "car";
    const auto hits = search(q);
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].shot_index, 0);
    QCOMPARE(hits[0].title_id, fx_.title_id);
    QVERIFY2(QString::fromStdString(hits[0].why).contains(QStringLiteral("tag object:car")), hits[0].why.c_str());
    QCOMPARE(hits[0].score, 0.91);
    // The frame shown is the one the tag's evidence names, with its time.
    QVERIFY(hits[0].frame_id > 0);
    for (const FrameRecord& f : fx_.store->frames(fx_.title_id))
        if (f.id == hits[0].frame_id) {
            QCOMPARE(f.frame_index, hits[0].frame_index);
            QCOMPARE(f.shot_index, 0);
            QCOMPARE(hits[0].time_s, f.pts_s);
        }
    // Every title: the same answer here (one title in the database).
    q.title_id = 0;
    QCOMPARE(SceneSearch(*fx_.store).search(q).size(), size_t(1));
}

void TestSceneSearch::textFindsChapterLabelsAndIsWordPrefix()
{
    SceneQuery q;
    q.text = "OPEN";
    auto hits = search(q);
    QCOMPARE(hits.size(), size_t(2));  // the "Opening" chapter covers shots 0 and 1
    QCOMPARE(hits[0].shot_index, 0);
    QCOMPARE(hits[1].shot_index, 1);
    QVERIFY(QString::fromStdString(hits[0].why).contains(QStringLiteral("'Opening'")));
    q.text = "ar";  // starts no word ("car" contains it, but does not start with it)
    QCOMPARE(search(q).size(), size_t(0));
    q.text = "key scene";  // both words must match: the key scene 25-49 is shot 1
    hits = search(q);
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].shot_index, 1);
}

void TestSceneSearch::moodMatchesTitleMood()
{
    SceneQuery q;
    q.mood = "Tense";
    const auto hits = search(q);
    QCOMPARE(hits.size(), size_t(4));  // a title-wide mood covers every shot, at half its confidence
    // The profile's similarity to "tense" (mood_profile.h): w / sqrt(w^2 + (1-w)^2) for the one mood at w.
    const double w = 0.42 / 2;
    const double expected = w / std::sqrt(w * w + (1 - w) * (1 - w));
    for (size_t i = 0; i < hits.size(); ++i) {
        QCOMPARE(hits[i].shot_index, int(i));
        QVERIFY2(std::abs(hits[i].score - expected) < 1e-9, std::to_string(hits[i].score).c_str());
        QVERIFY2(QString::fromStdString(hits[i].why).contains(QStringLiteral("mood tense")), hits[i].why.c_str());
    }
    q.mood = "joyful";  // a mood the analysis knows, not on this title
    QCOMPARE(search(q).size(), size_t(0));
    q.mood = "warm";  // a colour tag, not a mood: an error that lists the moods there are
    try {
        search(q);
        QFAIL("an unknown mood was searched for");
    } catch (const frameline::Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("tense")), e.what());
    }
}

void TestSceneSearch::likeFrameRanksByCosine()
{
    // The example: a sampled frame of shot 2.
    std::map<int64_t, int> shot_of;
    int64_t example = -1;
    for (const FrameRecord& f : fx_.store->frames(fx_.title_id)) {
        shot_of[f.frame_index] = f.shot_index;
        if (f.shot_index == 2 && example < 0) example = f.frame_index;
    }
    QVERIFY(example >= 0);
    auto vec = [](int64_t fi) { return std::vector<double>{double(fi % 7), double(fi % 5), 1.0, double(fi % 3)}; };
    auto cos = [&](int64_t a, int64_t b) {
        const auto x = vec(a), y = vec(b);
        double d = 0, nx = 0, ny = 0;
        for (int i = 0; i < 4; ++i) d += x[i] * y[i], nx += x[i] * x[i], ny += y[i] * y[i];
        return d / std::sqrt(nx * ny);
    };
    // Expected: each shot's best cosine with the example, computed here independently.
    std::map<int, double> best;
    for (const auto& [fi, shot] : shot_of) best[shot] = std::max(best.count(shot) ? best[shot] : -2.0, cos(example, fi));

    SceneQuery q;
    q.like_title_id = fx_.title_id;
    q.like_frame = example;
    const auto hits = search(q);
    QCOMPARE(hits.size(), size_t(4));
    QCOMPARE(hits[0].frame_index, example);  // the example itself first
    QCOMPARE(hits[0].shot_index, 2);
    QVERIFY(std::abs(hits[0].score - 1.0) < 1e-6);
    for (size_t i = 0; i < hits.size(); ++i) {
        QVERIFY(std::abs(hits[i].score - std::max(0.0, best[hits[i].shot_index])) < 1e-6);
        QCOMPARE(shot_of[hits[i].frame_index], hits[i].shot_index);
        QVERIFY(std::abs(cos(example, hits[i].frame_index) - best[hits[i].shot_index]) < 1e-6);
        if (i > 0) QVERIFY(hits[i - 1].score >= hits[i].score);
        QVERIFY(QString::fromStdString(hits[i].why).contains(QStringLiteral("like frame %1").arg(example)));
    }
    // With another criterion: the shots that pass it, scored from the index's vectors (not its candidates).
    SceneQuery both = q;
    both.text = "car";  // shot 0 only
    const auto car = search(both);
    QCOMPARE(car.size(), size_t(1));
    QCOMPARE(car[0].shot_index, 0);
    QVERIFY(std::abs(car[0].score - (0.91 + std::max(0.0, best[0])) / 2) < 1e-6);
    QVERIFY(QString::fromStdString(car[0].why).contains(QStringLiteral("like frame %1").arg(example)));
    // The model named explicitly answers the same; an unknown one has no vector for the example.
    q.embedding_model = "visual";
    QCOMPARE(search(q).size(), size_t(4));
    q.embedding_model = "audio";
    QVERIFY_THROWS_EXCEPTION(Error, search(q));
    // With a limit.
    q.embedding_model.clear();
    q.limit = 2;
    QCOMPARE(search(q).size(), size_t(2));
}

void TestSceneSearch::criteriaCombine()
{
    SceneQuery q;
    q.text = "car";
    q.mood = "tense";
    const auto hits = search(q);
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].shot_index, 0);
    const double w = 0.42 / 2, mood = w / std::sqrt(w * w + (1 - w) * (1 - w));  // moodMatchesTitleMood
    QVERIFY(std::abs(hits[0].score - (0.91 + mood) / 2) < 1e-9);
    QVERIFY(QString::fromStdString(hits[0].why).contains(QStringLiteral("mood tense")));
}

void TestSceneSearch::extraTextSourceMatches()
{
    // The slot for transcripts and on-screen text: a span at 2.0-3.0 s lies in shot 2 (frames 50-74).
    SceneSearch search(*fx_.store);
    search.add_text_source([](Store&, int64_t) {
        return std::vector<TextSpan>{{"transcript", "The harbour at night", 2.1, 2.9, 0.8}};
    });
    SceneQuery q;
    q.title_id = fx_.title_id;
    q.text = "harbour";
    const auto hits = search.search(q);
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].shot_index, 2);
    QCOMPARE(hits[0].score, 0.8);
    QVERIFY(QString::fromStdString(hits[0].why).contains(QStringLiteral("transcript 'The harbour at night'")));
}

void TestSceneSearch::namedCharacterAndRejectedTag()
{
    // A person names the second character and rejects the dog.
    Character c;
    for (const Character& x : fx_.store->characters(fx_.title_id))
        if (x.id == fx_.character_ids[1]) c = x;
    Review name;
    name.entity = "character";
    name.id = c.id;
    name.expected_version = c.version;
    name.reviewer = "ana";
    name.action = ReviewAction::Correct;
    name.label = "Natalya Simonova";
    QVERIFY(fx_.store->review(name).applied);
    SceneQuery q;
    q.text = "natalya";
    auto hits = search(q);
    // Expected: the shots holding one of the character's faces, from the stored faces and shots.
    std::set<int> expected;
    for (const Face& f : fx_.store->faces(fx_.title_id))
        if (f.character_id == c.id)
            for (const Shot& s : fx_.store->shots(fx_.title_id))
                if (f.frame_index >= s.start_frame && f.frame_index < s.end_frame) expected.insert(s.index);
    QVERIFY(!expected.empty());
    QCOMPARE(hits.size(), expected.size());
    for (const SceneHit& h : hits) QVERIFY(expected.count(h.shot_index));
    QVERIFY(QString::fromStdString(hits[0].why).contains(QStringLiteral("character 'Natalya Simonova'")));

    q.text = "dog";
    QCOMPARE(search(q).size(), size_t(1));
    Tag dog;
    for (const Tag& t : fx_.store->tags(fx_.title_id))
        if (t.label == "dog") dog = t;
    Review reject;
    reject.entity = "tag";
    reject.id = dog.id;
    reject.expected_version = dog.version;
    reject.reviewer = "ana";
    reject.action = ReviewAction::Reject;
    QVERIFY(fx_.store->review(reject).applied);
    QCOMPARE(search(q).size(), size_t(0));  // a rejected proposal is no evidence
}

void TestSceneSearch::badQueriesThrow()
{
    SceneQuery empty;
    empty.title_id = fx_.title_id;
    empty.text = "  ,, ";
    QVERIFY_THROWS_EXCEPTION(Error, SceneSearch(*fx_.store).search(empty));
    SceneQuery unknown;
    unknown.title_id = 424242;
    unknown.text = "car";
    try {
        SceneSearch(*fx_.store).search(unknown);
        QFAIL("an unknown title was searched");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("424242")), e.what());
    }
    SceneQuery not_sampled;
    not_sampled.like_title_id = fx_.title_id;
    not_sampled.like_frame = 1000;
    try {
        search(not_sampled);
        QFAIL("a frame without an embedding was used as the example");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("frame 1000")), e.what());
    }
}

void TestSceneSearch::parseLikeFrame()
{
    int64_t title = 0, frame = -1;
    parse_like_frame(*fx_.store, std::to_string(fx_.title_id) + ":42", &title, &frame);
    QCOMPARE(title, fx_.title_id);
    QCOMPARE(frame, int64_t(42));
    QVERIFY_THROWS_EXCEPTION(Error, parse_like_frame(*fx_.store, "42", &title, &frame));
    QVERIFY_THROWS_EXCEPTION(Error, parse_like_frame(*fx_.store, "1:x", &title, &frame));
    QVERIFY_THROWS_EXCEPTION(Error, parse_like_frame(*fx_.store, "nosuchtitle:3", &title, &frame));
}

void TestSceneSearch::querySyntaxFilters()
{
    // After namedCharacterAndRejectedTag: the second character is "Natalya Simonova", the dog tag is rejected.
    auto hits_of = [&](const std::string& text) {
        SceneQuery q = scene_query_from_text(*fx_.store, text);
        q.title_id = fx_.title_id;
        return SceneSearch(*fx_.store).search(q);
    };
    for (const char* car : {"tag:object:car", "tag:CAR"}) {
        const auto hits = hits_of(car);
        QCOMPARE(hits.size(), size_t(1));
        QCOMPARE(hits[0].shot_index, 0);
        QCOMPARE(hits[0].score, 0.91);
    }
    auto hits = hits_of("tag:warm");  // title-wide: every shot, at half its confidence
    QCOMPARE(hits.size(), size_t(4));
    QCOMPARE(hits[0].score, 0.33);
    QVERIFY(QString::fromStdString(hits[0].why).contains(QStringLiteral("(title)")));
    QCOMPARE(hits_of("tag:dog").size(), size_t(0));  // rejected

    // The shots that show one of her faces, from the stored faces and shots.
    std::set<int> expected, natalya;
    for (const Face& f : fx_.store->faces(fx_.title_id))
        if (f.character_id == fx_.character_ids[1])
            for (const Shot& s : fx_.store->shots(fx_.title_id))
                if (f.frame_index >= s.start_frame && f.frame_index < s.end_frame) expected.insert(s.index);
    QVERIFY(!expected.empty());
    for (const SceneHit& h : hits_of("character:\"natalya simonova\"")) natalya.insert(h.shot_index);
    QCOMPARE(natalya, expected);
    const int shot = *expected.begin();
    hits = hits_of("character:\"Natalya Simonova\" tag:expression:happy");  // happy: shot 2 only
    QCOMPARE(hits.size(), expected.count(2));
    hits = hits_of("character:\"Natalya Simonova\" tag:warm");  // warm: the title's, at half of 0.66
    QCOMPARE(hits.size(), expected.size());
    QCOMPARE(hits[0].score, (0.33 + 1.0) / 2);
    QCOMPARE(hits[0].shot_index, shot);
    hits = hits_of("car tag:warm");
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].shot_index, 0);

    const FrameRecord last = fx_.store->frames(fx_.title_id).back();
    hits = hits_of("like:" + std::to_string(last.id));
    QVERIFY(!hits.empty());
    QCOMPARE(hits[0].frame_index, last.frame_index);
    QCOMPARE(hits[0].score, 1.0);
    try {
        hits_of("like:999999");
        QFAIL("an unknown frame id was searched");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("999999")), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, hits_of("character:Nobody tag:"));
}

QTEST_GUILESS_MAIN(TestSceneSearch)
#include "tst_scene_search.moc"
