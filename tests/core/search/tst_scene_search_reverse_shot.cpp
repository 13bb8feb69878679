// "More like this" on real footage with shot/reverse-shot editing (issue #9's target): from a shot, the other shots
// of the same camera set-up come first. The test media hold no dialogue scene, so the edit is BUILT FROM REAL SHOTS
// (bench/reverse_shot_edit.h: non-overlapping slices of the real camera set-ups of goldeneye and testvideo cut into
// A B A B C A ..., the later slices of each set-up re-framed and re-exposed like another take), then ingested with
// the real model zoo by frameline-cli, and searched by shot (the stored shot embeddings), by frame, and by an image
// file of one of its frames (frameline-cli search --like-image, the ingest's visual embedder).
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <map>
#include <set>

#include "bench/reverse_shot_edit.h"
#include "core/search/like_index.h"
#include "core/search/scene_search.h"
#include "core/store/store.h"
#include "tests/support/cli_ingest.h"
#include "tests/support/cli_run.h"

using namespace frameline;

class TestSceneSearchReverseShot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void likeShotReturnsTheSameSetUpFirst();
    void likeFrameAndLikeImage();
    void shotsOfTheSourceFilmFindTheirSetUp();
    void likeTitleWithShotPairs();

private:
    // The set-up of a stored shot: the edit's shot that holds its middle frame (-1: none, or it spans a cut).
    int setup_of(const Shot& s) const;
    QTemporaryDir dir_;
    bench::ReverseShotEdit edit_;
    QString db_;
    std::unique_ptr<Store> store_;
    int64_t title_ = 0;
    int64_t film_ = 0;    // goldeneye-vfr-drop3.mp4 itself: its 3 shots are set-ups 0, 1, 2 of the edit
    int64_t photos_ = 0;  // testvideo.mp4 itself
    std::vector<Shot> shots_;
    std::map<int, int> setup_;  // stored shot index -> set-up
};

int TestSceneSearchReverseShot::setup_of(const Shot& s) const
{
    for (const bench::EditShot& e : edit_.shots)
        if (s.start_frame >= e.start_frame && s.end_frame <= e.end_frame) return e.setup;
    return -1;
}

void TestSceneSearchReverseShot::initTestCase()
{
    QVERIFY(dir_.isValid());
    const std::filesystem::path data = bench::testdata_dir();
    if (!std::filesystem::exists(data / "pyscenedetect/goldeneye-vfr-drop3.mp4"))
        QSKIP("needs pyscenedetect/ under $FRAMELINE_TESTDATA (../shared/testdata)");
    edit_ = bench::build_reverse_shot_edit(data, std::filesystem::path(dir_.filePath("edit.mp4").toStdString()),
                                           bench::Retakes::simulated);
    qInfo("%s", bench::reverse_shot_edit_disclaimer(edit_).c_str());
    db_ = dir_.filePath("edit.db");
    const QString source = QString::fromStdString((data / "pyscenedetect").string());
    const test::CliIngest ingest =
        test::cli_ingest({QString::fromStdString(edit_.path.string()), source + "/goldeneye-vfr-drop3.mp4",
                          source + "/testvideo.mp4"},
                         db_, {"--models", "all", "--skip", "ocr,transcript"});
    if (ingest.skip) QSKIP(qPrintable(ingest.error));
    QVERIFY2(ingest.error.isEmpty(), qPrintable(ingest.error));
    QCOMPARE(ingest.title_ids.size(), size_t(3));
    title_ = ingest.title_ids[0];
    film_ = ingest.title_ids[1];
    photos_ = ingest.title_ids[2];
    store_ = open_store(db_.toStdString());
    shots_ = store_->shots(title_);
    // The ingest's shot detection finds the edit's cuts: every stored shot lies inside one shot of the edit (a
    // slice may be split once more where its own picture changes: both parts are that slice's set-up).
    QVERIFY2(shots_.size() >= edit_.shots.size(), qPrintable(QString::number(shots_.size())));
    if (shots_.size() != edit_.shots.size())
        qInfo("%zu stored shots for the edit's %zu", shots_.size(), edit_.shots.size());
    for (const Shot& s : shots_) {
        setup_[s.index] = setup_of(s);
        QVERIFY2(setup_[s.index] >= 0, qPrintable(QStringLiteral("shot %1 spans a cut of the edit").arg(s.index)));
    }
}

void TestSceneSearchReverseShot::likeShotReturnsTheSameSetUpFirst()
{
    auto indexes = std::make_shared<LikeIndexes>();
    std::set<int> firsts_seen;
    int examples = 0, clean = 0;
    double margin = 2;
    for (const Shot& s : shots_) {
        const int setup = setup_.at(s.index);
        int same = 0;  // the example's set-up has this many other shots
        for (const auto& [i, u] : setup_) same += (u == setup && i != s.index);
        if (same == 0) continue;
        SceneQuery q;
        q.like_title_id = title_;
        q.like_shot = s.index;
        q.title_id = title_;  // the edit's shots (the other titles: shotsOfTheSourceFilmFindTheirSetUp)
        q.limit = int(shots_.size());
        const std::vector<SceneHit> hits = SceneSearch(*store_, indexes).search(q);
        QCOMPARE(hits.size(), shots_.size());
        QCOMPARE(hits[0].shot_index, s.index);  // the example itself
        QString order;
        bool ok = true;
        double worst_mine = 2, best_other = -2;
        for (int k = 1; k < int(hits.size()); ++k) {
            const bool mine = setup_.at(hits[size_t(k)].shot_index) == setup;
            order += QStringLiteral(" %1%2(%3)").arg(mine ? "A" : "b").arg(hits[size_t(k)].shot_index).arg(hits[size_t(k)].score, 0, 'f', 3);
            if (k <= same && !mine) ok = false;
            if (mine) worst_mine = std::min(worst_mine, hits[size_t(k)].score);
            else best_other = std::max(best_other, hits[size_t(k)].score);
        }
        ++examples;
        clean += ok;
        margin = std::min(margin, worst_mine - best_other);
        firsts_seen.insert(setup);
        qInfo("shot %d (%s): %s", s.index, edit_.setups[size_t(setup)].c_str(), qPrintable(order));
        // The target: from any shot (A1), the other shots of its set-up (A2, A3, ...) before any other set-up's.
        QVERIFY2(ok, qPrintable(QStringLiteral("like shot %1 (%2): %3")
                                    .arg(s.index)
                                    .arg(QString::fromStdString(edit_.setups[size_t(setup)]))
                                    .arg(order)));
    }
    qInfo("every shot as the example: %d of %d put all of their set-up's other shots first; smallest margin "
          "(the set-up's farthest shot minus the nearest other shot): %.3f", clean, examples, margin);
    QCOMPARE(int(firsts_seen.size()), int(edit_.setups.size()));
}

void TestSceneSearchReverseShot::likeFrameAndLikeImage()
{
    // The first shot's middle sampled frame, as a stored frame and as an image file (PNG, written by ffmpeg).
    const Shot& a1 = shots_.front();
    int64_t frame = -1;
    std::vector<int64_t> sampled;
    for (const FrameRecord& f : store_->frames(title_))
        if (f.shot_index == a1.index) sampled.push_back(f.frame_index);
    QVERIFY(!sampled.empty());
    frame = sampled[sampled.size() / 2];
    const QString png = dir_.filePath("a1.png");
    QProcess ff;
    ff.start("ffmpeg", {"-v", "error", "-nostdin", "-y", "-i", QString::fromStdString(edit_.path.string()), "-vf",
                        QStringLiteral("select=eq(n\\,%1)").arg(frame), "-frames:v", "1", png});
    QVERIFY(ff.waitForFinished(60000) && ff.exitCode() == 0);

    const int setup = setup_.at(a1.index);
    int same = 0;
    for (const auto& [i, u] : setup_) same += (u == setup);
    for (const QStringList& how : {QStringList{"--like-frame", QStringLiteral("%1:%2").arg(title_).arg(frame)},
                                   QStringList{"--like-image", png}}) {
        const test::CliRun r = test::cli(
            QStringList{"search", "--db", db_, "--title", QString::number(title_), "--json", "--limit", "30"} + how);
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QJsonArray results = r.json()["results"].toArray();
        QCOMPARE(results.size(), int(shots_.size()));
        QVERIFY(r.json()["took_ms"].toDouble() >= 0);
        QCOMPARE(r.json().contains("embed_ms"), how[0] == QLatin1String("--like-image"));  // the embedder's time apart
        const QJsonObject top = results[0].toObject();
        QCOMPARE(top["shot_index"].toInt(), a1.index);
        // The frame itself: cosine 1; the image of it (decoded and embedded again): nearly 1.
        QVERIFY2(top["score"].toDouble() > 0.97, qPrintable(QString::number(top["score"].toDouble())));
        QString order;
        int first_other = -1;
        for (int k = 0; k < results.size(); ++k) {
            const int shot = results[k].toObject()["shot_index"].toInt();
            order += QStringLiteral(" %1%2").arg(setup_.at(shot) == setup ? "A" : "b").arg(shot);
            if (setup_.at(shot) != setup && first_other < 0) first_other = k;
        }
        qInfo("%s: %s", qPrintable(how.join(' ')), qPrintable(order));
        QVERIFY2(first_other == same, qPrintable(order));  // every shot of the set-up before any other
        if (how[0] == QLatin1String("--like-image"))
            QVERIFY(top["why"].toString().startsWith(QStringLiteral("like image a1.png")));
    }
}

// The film's set-up of a time in goldeneye-vfr-drop3.mp4 (bench/reverse_shot_edit.h: wide screen until 3.75 s, the
// screen close until 8.76 s, then two people): the edit's set-ups 0, 1, 2.
static int film_setup(double t_s) { return t_s < 3.754 ? 0 : t_s < 8.759 ? 1 : 2; }

void TestSceneSearchReverseShot::shotsOfTheSourceFilmFindTheirSetUp()
{
    // Across titles: each shot of the film itself, searched in the edit, finds a slice of its own set-up first.
    const std::vector<Shot> film = store_->shots(film_);
    QVERIFY(!film.empty());
    auto indexes = std::make_shared<LikeIndexes>();
    for (const Shot& s : film) {
        const int setup = film_setup((s.start_s + s.end_s) / 2);
        SceneQuery q;
        q.like_title_id = film_;
        q.like_shot = s.index;
        q.title_id = title_;
        q.limit = 5;
        const std::vector<SceneHit> hits = SceneSearch(*store_, indexes).search(q);
        QVERIFY(!hits.empty());
        QString order;
        for (const SceneHit& h : hits)
            order += QStringLiteral(" %1(%2)").arg(QString::fromStdString(edit_.setups[size_t(setup_.at(h.shot_index))])).arg(h.score, 0, 'f', 3);
        qInfo("film shot %d (%s): %s", s.index, edit_.setups[size_t(setup)].c_str(), qPrintable(order));
        QVERIFY2(setup_.at(hits[0].shot_index) == setup, qPrintable(order));
    }
}

void TestSceneSearchReverseShot::likeTitleWithShotPairs()
{
    // The film's nearest title is the edit made from it, before the photographs; each evidence pair joins a film
    // shot to a slice of the same set-up in the edit.
    LikeIndexes indexes;
    const std::vector<TitleHit> hits = similar_titles(*store_, indexes, film_, 5);
    QCOMPARE(hits.size(), size_t(2));
    for (const TitleHit& h : hits) qInfo("like title film: %s %.3f  %s", h.title_name.c_str(), h.score, h.why.c_str());
    QCOMPARE(hits[0].title_id, title_);
    QCOMPARE(hits[1].title_id, photos_);
    QVERIFY(hits[0].score > hits[1].score);
    QVERIFY(!hits[0].pairs.empty());
    std::map<int, double> film_mid;
    for (const Shot& s : store_->shots(film_)) film_mid[s.index] = (s.start_s + s.end_s) / 2;
    for (const ShotPair& p : hits[0].pairs)
        QVERIFY2(setup_.at(p.other_shot) == film_setup(film_mid.at(p.shot)),
                 qPrintable(QStringLiteral("film shot %1 ~ edit shot %2").arg(p.shot).arg(p.other_shot)));
    // The same through the CLI, by name.
    const test::CliRun r = test::cli({"search", "--db", db_, "--like-title", "goldeneye-vfr-drop3", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonArray results = r.json()["results"].toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].toObject()["title_id"].toInteger(), title_);
    QCOMPARE(results[0].toObject()["shot_pairs"].toArray().size(), int(hits[0].pairs.size()));
}

QTEST_GUILESS_MAIN(TestSceneSearchReverseShot)
#include "tst_scene_search_reverse_shot.moc"
