// Match cuts on real ingested titles: a title cut from still pictures (python3-skimage's) where the coffee cup's
// opening framing comes back, regraded, after two other scenes, and again with the camera moved a little (two match
// cuts), and the cat's shot comes back unchanged (a near-duplicate, left out); a second title whose regraded cat matches the first title's cat across
// titles. Ingested through the real CLI (models, embeddings, scenes), so the cosines are the ingest's own; the test
// prints them (the thresholds in match_cuts.h come from these). The vector-index path must agree with the exact one.
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

#include "core/error.h"
#include "core/search/match_cuts.h"
#include "core/store/store.h"
#include "tests/support/cli_ingest.h"
#include "tests/support/fixtures.h"
#include "tests/support/error_of.h"

using namespace frameline;
using namespace frameline::test;

namespace {

const char* kSkimage = "/usr/lib/python3/dist-packages/skimage/data/";
// The regrade of a "matching framing": the same composition, desaturated and darker (a flashback's look).
const char* kRegrade = "hue=s=0.3,eq=brightness=-0.15";

QString still_clip(const QString& picture, const QString& filter, const QString& out) {
    return run_ffmpeg({"-loop", "1", "-framerate", "25", "-i", picture, "-vf",
                       filter + ",scale=640:480,setsar=1,format=yuv420p", "-frames:v", "50", "-c:v", "libx264",
                       "-preset", "veryfast", out});
}

QString concat(const QStringList& parts, const QString& out) {
    QStringList args;
    QString graph;
    for (int i = 0; i < parts.size(); ++i) {
        args << "-i" << parts[i];
        graph += QString("[%1:v]").arg(i);
    }
    graph += QString("concat=n=%1:v=1:a=0[v]").arg(parts.size());
    return run_ffmpeg(args + QStringList{"-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset",
                                         "veryfast", "-pix_fmt", "yuv420p", "-r", "25", out});
}

const MatchCut* find_pair(const MatchCutResult& r, int64_t from_title, int from, int64_t to_title, int to) {
    for (const MatchCut& c : r.cuts)
        if (c.from.title_id == from_title && c.from.shot_index == from && c.to.title_id == to_title &&
            c.to.shot_index == to)
            return &c;
    return nullptr;
}


}  // namespace

class TestMatchCuts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theMovedAndRegradedFramingsAreMatchCuts();
    void nearDuplicatesAndNeighboursAreLeftOut();
    void acrossTitles();
    void vectorIndexAgreesWithExact();
    void badInput();

private:
    QTemporaryDir dir_;
    std::unique_ptr<Store> store_;
    int64_t title_ = 0, second_ = 0;
};

void TestMatchCuts::initTestCase() {
    const QString coffee = QString(kSkimage) + "coffee.png", astronaut = QString(kSkimage) + "astronaut.png",
                  chelsea = QString(kSkimage) + "chelsea.png";
    for (const QString& p : {coffee, astronaut, chelsea})
        if (!QFileInfo::exists(p)) QSKIP("needs python3-skimage's pictures");
    QVERIFY(dir_.isValid());
    // Title 1, eight 2 s shots: coffee (framings A, B) | astronaut (two framings) | cat | coffee A regraded | the
    // cat's shot again (the same encoded file) | coffee A with the camera moved by 3 %.
    struct Part {
        QString picture, filter, name;
    };
    const QList<Part> parts = {
        {coffee, "crop=400:300:0:0", "coffee-a"},           {coffee, "crop=300:225:150:100", "coffee-b"},
        {astronaut, "crop=400:300:0:0", "astro-a"},         {astronaut, "crop=300:225:150:150", "astro-b"},
        {chelsea, "crop=400:300:0:0", "cat"},               {coffee, QString("crop=400:300:0:0,") + kRegrade, "coffee-a-regraded"},
        {chelsea, QString("crop=400:300:0:0,") + kRegrade, "cat-regraded"},
        {coffee, "crop=400:300:12:9", "coffee-a-moved"},
    };
    QMap<QString, QString> file;
    for (const Part& p : parts) {
        file[p.name] = dir_.filePath(p.name + ".mp4");
        const QString err = still_clip(p.picture, p.filter, file[p.name]);
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }
    const QString one = dir_.filePath("match.mp4"), two = dir_.filePath("second.mp4");
    QString err = concat({file["coffee-a"], file["coffee-b"], file["astro-a"], file["astro-b"], file["cat"],
                          file["coffee-a-regraded"], file["cat"], file["coffee-a-moved"]},
                         one);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    // Title 2: the regraded cat, then the astronaut's second framing.
    err = concat({file["cat-regraded"], file["astro-b"]}, two);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    std::vector<int64_t> ids;
    FRAMELINE_CLI_INGEST((QStringList{one, two}), dir_.filePath("m.db"), ids);
    QCOMPARE(ids.size(), size_t(2));
    title_ = ids[0];
    second_ = ids[1];
    store_ = open_store(dir_.filePath("m.db").toStdString());
    QCOMPARE(store_->shots(title_).size(), size_t(8));
    QCOMPARE(store_->shots(second_).size(), size_t(2));

    // Every cross-scene pair with its cosine and scenes (what the thresholds were chosen from).
    MatchCutOptions all;
    all.min_cosine = -1;
    all.duplicate_cosine = 1.000001;
    all.min_shot_gap = 1;
    all.across_titles = true;
    all.limit = 0;
    const MatchCutResult r = find_match_cuts(*store_, {title_, second_}, all);
    qInfo("model %s, %d shots, %d frames", r.model.c_str(), r.shots, r.frames);
    for (const MatchCut& c : r.cuts)
        qInfo("title %lld shot %d (scene %d) ~ title %lld shot %d (scene %d): cosine %.4f", (long long)c.from.title_id,
              c.from.shot_index, c.from.scene, (long long)c.to.title_id, c.to.shot_index, c.to.scene, c.cosine);
}

void TestMatchCuts::theMovedAndRegradedFramingsAreMatchCuts() {
    const MatchCutResult r = find_match_cuts(*store_, {title_});
    QVERIFY(r.titles_without_scenes.empty());  // the ingest stores scenes
    QVERIFY(!r.used_index);
    const MatchCut* cut = find_pair(r, title_, 0, title_, 5);
    QVERIFY2(cut, "coffee A and its regraded return are not a match cut");
    QVERIFY(cut->cosine >= kMatchCutMinCosine && cut->cosine < kMatchCutDuplicateCosine);
    QVERIFY(cut->from.scene != cut->to.scene);
    // The frames to show are sampled frames of the two shots, with their stored rows.
    const std::vector<Shot> shots = store_->shots(title_);
    QVERIFY(cut->from.frame_index >= shots[0].start_frame && cut->from.frame_index < shots[0].end_frame);
    QVERIFY(cut->to.frame_index >= shots[5].start_frame && cut->to.frame_index < shots[5].end_frame);
    QVERIFY(cut->from.frame_id > 0 && cut->to.frame_id > 0 && cut->from.frame_id != cut->to.frame_id);
    QCOMPARE(cut->to.shot_start_s, shots[5].start_s);
    // The camera moved by 3 % is nearer than the regrade, and the best of all pairs.
    const MatchCut* moved = find_pair(r, title_, 0, title_, 7);
    QVERIFY2(moved, "coffee A and its moved-camera return are not a match cut");
    QVERIFY(moved->cosine > cut->cosine && moved->cosine < kMatchCutDuplicateCosine);
    QCOMPARE(r.cuts.front().from.shot_index, 0);
    QCOMPARE(r.cuts.front().to.shot_index, 7);
    for (size_t i = 1; i < r.cuts.size(); ++i) QVERIFY(r.cuts[i - 1].cosine >= r.cuts[i].cosine);
    // A stricter minimum above this pair's cosine leaves it out.
    MatchCutOptions strict;
    strict.min_cosine = cut->cosine + 0.001;
    QVERIFY(!find_pair(find_match_cuts(*store_, {title_}, strict), title_, 0, title_, 5));
}

void TestMatchCuts::nearDuplicatesAndNeighboursAreLeftOut() {
    const MatchCutResult r = find_match_cuts(*store_, {title_});
    QVERIFY2(!find_pair(r, title_, 4, title_, 6), "the re-used cat shot is reported as a match cut");
    QVERIFY(r.near_duplicates >= 1);
    for (const MatchCut& c : r.cuts) {
        QVERIFY(c.from.scene != c.to.scene);
        QVERIFY(c.to.shot_index - c.from.shot_index >= 2);
        QVERIFY(c.cosine < kMatchCutDuplicateCosine);
    }
    // With the ceiling lifted the pair is there, nearly identical: the ceiling is what left it out.
    MatchCutOptions lifted;
    lifted.duplicate_cosine = 1.000001;
    const MatchCut* dup = find_pair(find_match_cuts(*store_, {title_}, lifted), title_, 4, title_, 6);
    QVERIFY(dup);
    QVERIFY2(dup->cosine >= kMatchCutDuplicateCosine, qPrintable(QString::number(dup->cosine)));
    // Coffee A and B are one scene (the scene detector links them): never a pair, however alike.
    MatchCutOptions any;
    any.min_cosine = -1;
    any.limit = 0;
    QVERIFY(!find_pair(find_match_cuts(*store_, {title_}, any), title_, 0, title_, 1));
}

void TestMatchCuts::acrossTitles() {
    const MatchCutResult within = find_match_cuts(*store_, {title_, second_});
    for (const MatchCut& c : within.cuts) QCOMPARE(c.from.title_id, c.to.title_id);
    MatchCutOptions o;
    o.across_titles = true;
    const MatchCutResult across = find_match_cuts(*store_, {title_, second_}, o);
    const MatchCut* cat = find_pair(across, title_, 4, second_, 0);
    QVERIFY2(cat, "the regraded cat of the second title does not match the first title's cat");
    QCOMPARE(cat->to.title_name, store_->title(second_)->name);
    QVERIFY(find_pair(across, title_, 0, title_, 5));  // pairs within a title stay
    // A title given twice counts once.
    QCOMPARE(find_match_cuts(*store_, {title_, title_}).cuts.size(), find_match_cuts(*store_, {title_}).cuts.size());
}

void TestMatchCuts::vectorIndexAgreesWithExact() {
    MatchCutOptions exact;
    exact.across_titles = true;
    exact.limit = 0;
    MatchCutOptions indexed = exact;
    indexed.index_above = 1;
    const MatchCutResult a = find_match_cuts(*store_, {title_, second_}, exact);
    const MatchCutResult b = find_match_cuts(*store_, {title_, second_}, indexed);
    QVERIFY(!a.used_index && b.used_index);
    QCOMPARE(b.cuts.size(), a.cuts.size());
    for (size_t i = 0; i < a.cuts.size(); ++i) {
        QCOMPARE(b.cuts[i].from.shot_index, a.cuts[i].from.shot_index);
        QCOMPARE(b.cuts[i].to.shot_index, a.cuts[i].to.shot_index);
        QCOMPARE(b.cuts[i].to.title_id, a.cuts[i].to.title_id);
        QVERIFY(std::abs(b.cuts[i].cosine - a.cuts[i].cosine) < 1e-3);
    }
    QCOMPARE(b.near_duplicates, a.near_duplicates);
}

void TestMatchCuts::badInput() {
    QVERIFY(error_of([&] { find_match_cuts(*store_, {}); }).contains("at least one title"));
    QVERIFY(error_of([&] { find_match_cuts(*store_, {987654}); }).contains("no title 987654"));
    MatchCutOptions o;
    o.min_cosine = 0.9;
    o.duplicate_cosine = 0.9;
    QVERIFY(error_of([&] { find_match_cuts(*store_, {title_}, o); }).contains("must be under"));
    o = MatchCutOptions{};
    o.min_cosine = 3;
    QVERIFY(error_of([&] { find_match_cuts(*store_, {title_}, o); }).contains("between -1 and 1"));
    o = MatchCutOptions{};
    o.min_shot_gap = 0;
    QVERIFY(error_of([&] { find_match_cuts(*store_, {title_}, o); }).contains("gap"));
    o = MatchCutOptions{};
    o.embedding_model = "no-such-model";
    const QString e = error_of([&] { find_match_cuts(*store_, {title_}, o); });
    QVERIFY2(e.contains("no 'no-such-model' frame embeddings") && !e.contains('\n'), qPrintable(e));
}

QTEST_GUILESS_MAIN(TestMatchCuts)
#include "tst_match_cuts.moc"
