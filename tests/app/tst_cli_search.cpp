// `frameline-cli search` on the review fixture: the JSON document, and exit codes 2 (bad usage) and 1 (failure, one
// line on stderr) as DESIGN.md's command line contract says.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "tests/support/cli_run.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
using Run = test::CliRun;
using test::cli;
using test::one_line;
}  // namespace

class TestCliSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textJson();
    void moodAndLikeFrame();
    void badUsageExitsTwo();
    void failureExitsOne();
    void likeImageErrors();
    void likeShotAndLikeTitle();
    void moodMixAndTitles();

private:
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    QString title_;
};

void TestCliSearch::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    title_ = QString::number(fx_.title_id);
}

void TestCliSearch::textJson()
{
    const Run r = cli({"search", "--db", fx_.db_path, "--text", "car", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonArray results = r.json()["results"].toArray();
    QCOMPARE(results.size(), 1);
    const QJsonObject hit = results[0].toObject();
    QCOMPARE(hit["title_id"].toInteger(), fx_.title_id);
    QCOMPARE(hit["shot_index"].toInt(), 0);
    QCOMPARE(hit["score"].toDouble(), 0.91);
    QVERIFY(hit["why"].toString().contains(QStringLiteral("tag object:car")));
    QVERIFY(hit.contains("frame_index") && hit.contains("time_s") && hit.contains("title"));
    QCOMPARE(r.json()["query"].toObject()["text"].toString(), QStringLiteral("car"));
}

void TestCliSearch::moodAndLikeFrame()
{
    Run r = cli({"search", "--db", fx_.db_path, "--title", title_, "--mood", "tense", "--limit", "3", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(r.json()["results"].toArray().size(), 3);

    const qint64 example = fx_.frame_indices.back();
    r = cli({"search", "--db", fx_.db_path, "--like-frame", QStringLiteral("%1:%2").arg(title_).arg(example), "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonArray results = r.json()["results"].toArray();
    QCOMPARE(results.size(), 4);
    QCOMPARE(results[0].toObject()["frame_index"].toInteger(), example);
    QCOMPARE(results[0].toObject()["score"].toDouble(), 1.0);
    for (int i = 1; i < results.size(); ++i)
        QVERIFY(results[i - 1].toObject()["score"].toDouble() >= results[i].toObject()["score"].toDouble());

    // The same frame by its stored id (what results and `show` list as frame_id), and in the query syntax.
    const QString frame_id = QString::number(results[0].toObject()["frame_id"].toInteger());
    for (const QStringList& how : {QStringList{"--like-frame", frame_id}, QStringList{"--text", "like:" + frame_id}}) {
        Run by_id = cli(QStringList{"search", "--db", fx_.db_path} + how + QStringList{"--json"});
        QVERIFY2(by_id.exit_code == 0, qPrintable(by_id.err));
        QCOMPARE(by_id.json()["results"].toArray(), results);
        QVERIFY(by_id.json()["took_ms"].toDouble() >= 0);
    }
}

void TestCliSearch::badUsageExitsTwo()
{
    Run r = cli({"search", "--db", fx_.db_path, "--json"});  // nothing to search for
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(one_line(r.err), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    r = cli({"search", "--db", fx_.db_path, "--text", "car", "--limit", "0"});
    QCOMPARE(r.exit_code, 2);
    r = cli({"search", "--db", fx_.db_path, "--text", "car", "--bogus"});
    QCOMPARE(r.exit_code, 2);
}

void TestCliSearch::failureExitsOne()
{
    Run r = cli({"search", "--db", fx_.db_path, "--title", "no-such-title", "--text", "car", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("no-such-title")), qPrintable(r.err));
    r = cli({"search", "--db", fx_.db_path, "--like-frame", "x12", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("TITLE:FRAME")), qPrintable(r.err));
    r = cli({"search", "--db", fx_.db_path, "--like-frame", "987654", "--json"});  // a frame id the store lacks
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("no sampled frame 987654")), qPrintable(r.err));
    r = cli({"search", "--db", fx_.db_path, "--like-frame", title_ + ":9999", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("frame 9999")), qPrintable(r.err));
}

void TestCliSearch::likeImageErrors()
{
    Run r = cli({"search", "--db", fx_.db_path, "--like-image", dir_.filePath("missing.png"), "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("missing.png")) && r.err.contains(QStringLiteral("not found")),
             qPrintable(r.err));
    QFile text(dir_.filePath("notes.png"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("these are words, not pixels\n");
    text.close();
    r = cli({"search", "--db", fx_.db_path, "--like-image", text.fileName(), "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("notes.png")) && r.err.contains(QStringLiteral("not an image")),
             qPrintable(r.err));
    // A real picture (a frame of the fixture's clip): the fixture's frames were embedded by a model named "visual",
    // which no visual embedder of this build is (or the embedder's weights are missing): either way one line
    // naming the file and what to do, never results compared across two models.
    const QString png = dir_.filePath("frame.png");
    QProcess ff;
    ff.start("ffmpeg", {"-v", "error", "-nostdin", "-y", "-i", fx_.clip_path, "-frames:v", "1", png});
    QVERIFY(ff.waitForFinished(60000) && ff.exitCode() == 0);
    r = cli({"search", "--db", fx_.db_path, "--like-image", png, "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("frame.png")) &&
                 (r.err.contains(QStringLiteral("embedded with 'visual'")) || r.err.contains(QStringLiteral("not available"))),
             qPrintable(r.err));
    // Two examples at once: bad usage.
    r = cli({"search", "--db", fx_.db_path, "--like-image", png, "--like-frame", title_ + ":0", "--json"});
    QCOMPARE(r.exit_code, 2);
}

void TestCliSearch::likeShotAndLikeTitle()
{
    // The fixture has frame vectors only ("visual"): a shot or the title cannot be the example yet.
    Run r = cli({"search", "--db", fx_.db_path, "--like-shot", title_ + ":1", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("shot 1 of title")) && r.err.contains(QStringLiteral("analyse")),
             qPrintable(r.err));
    r = cli({"search", "--db", fx_.db_path, "--like-title", title_, "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("title embedding")), qPrintable(r.err));

    // Shot and title vectors as the ingest's "embeddings" run stores them ("media:" + the frame model), for the
    // fixture's title and a second title.
    auto shot_vector = [](int s) { return std::vector<float>{float(s % 2), float(s % 3), 1.f, float(s)}; };
    auto save = [&](int64_t title, int shots, float tilt) {
        ModelRunOutput run;
        run.model = "embeddings";
        std::vector<float> sum(4, 0.f);
        for (int s = 0; s < shots; ++s) {
            Embedding e;
            e.model = "media:visual";
            e.entity = "shot";
            e.entity_key = s;
            e.vector = shot_vector(s);
            e.vector[3] += tilt;
            for (int i = 0; i < 4; ++i) sum[size_t(i)] += e.vector[size_t(i)];
            run.embeddings.push_back(e);
        }
        Embedding t;
        t.model = "media:visual";
        t.entity = "title";
        t.vector = sum;
        run.embeddings.push_back(t);
        fx_.store->save_model_run(title, run);
    };
    save(fx_.title_id, 4, 0.f);
    NewTitle other;
    other.name = "other title";
    other.media_path = "/nonexistent/other.mkv";
    other.content_hash = "other-hash";
    const int64_t other_id = fx_.store->create_title(other);
    save(other_id, 3, 0.5f);

    r = cli({"search", "--db", fx_.db_path, "--like-shot", title_ + ":1", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(r.json()["query"].toObject()["like"].toObject()["shot_index"].toInt(), 1);
    QVERIFY(r.json()["took_ms"].toDouble() >= 0);
    const QJsonArray shots = r.json()["results"].toArray();
    QCOMPARE(shots.size(), 4);  // the other title has no stored shots to show
    QCOMPARE(shots[0].toObject()["shot_index"].toInt(), 1);
    QCOMPARE(shots[0].toObject()["score"].toDouble(), 1.0);
    QVERIFY(shots[0].toObject()["why"].toString().startsWith(QStringLiteral("like shot %1:1 (cosine 1.000)").arg(title_)));
    for (int i = 1; i < shots.size(); ++i)
        QVERIFY(shots[i - 1].toObject()["score"].toDouble() >= shots[i].toObject()["score"].toDouble());
    r = cli({"search", "--db", fx_.db_path, "--like-shot", title_ + ":9", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("no shot 9")), qPrintable(r.err));
    r = cli({"search", "--db", fx_.db_path, "--like-shot", "1-2", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("TITLE:SHOT")), qPrintable(r.err));

    for (const QString& example : {title_, QString::fromStdString(fx_.store->title(fx_.title_id)->name)}) {
        r = cli({"search", "--db", fx_.db_path, "--like-title", example, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QJsonArray titles = r.json()["results"].toArray();
        QCOMPARE(titles.size(), 1);  // itself left out
        const QJsonObject hit = titles[0].toObject();
        QCOMPARE(hit["title_id"].toInteger(), other_id);
        QCOMPARE(hit["title"].toString(), QStringLiteral("other title"));
        QVERIFY(hit["score"].toDouble() > 0.9 && hit["score"].toDouble() <= 1.0);
        const QJsonArray pairs = hit["shot_pairs"].toArray();
        QCOMPARE(pairs.size(), 3);
        QVERIFY(hit["why"].toString().contains(QStringLiteral("~ shot")));
        QVERIFY(pairs[0].toObject()["cosine"].toDouble() >= pairs[2].toObject()["cosine"].toDouble());
        QCOMPARE(r.json()["query"].toObject()["like_title"].toObject()["title_id"].toInteger(), fx_.title_id);
        QVERIFY(r.json()["took_ms"].toDouble() >= 0);
    }
    r = cli({"search", "--db", fx_.db_path, "--like-title", "no-such-title", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains(QStringLiteral("no-such-title")), qPrintable(r.err));
    r = cli({"search", "--db", fx_.db_path, "--like-title", title_, "--text", "car", "--json"});
    QCOMPARE(r.exit_code, 2);
}

void TestCliSearch::moodMixAndTitles()
{
    // The fixture's only mood: "tense" at 0.42 on the whole title. A mix with a mood it lacks scores lower than
    // tense alone (the profile's proportions differ from the query's), and still finds the shots.
    Run alone = cli({"search", "--db", fx_.db_path, "--mood", "tense", "--limit", "1", "--json"});
    QVERIFY2(alone.exit_code == 0, qPrintable(alone.err));
    Run mix = cli({"search", "--db", fx_.db_path, "--mood", "tense:0.7,dark:0.3", "--limit", "1", "--json"});
    QVERIFY2(mix.exit_code == 0, qPrintable(mix.err));
    const double s_alone = alone.json()["results"].toArray()[0].toObject()["score"].toDouble();
    const double s_mix = mix.json()["results"].toArray()[0].toObject()["score"].toDouble();
    QVERIFY2(s_mix > 0 && s_mix < s_alone, qPrintable(QStringLiteral("%1 vs %2").arg(s_mix).arg(s_alone)));

    // Titles nearest to a mood: the fixture's title, with its profile.
    Run titles = cli({"search", "--db", fx_.db_path, "--mood", "tense", "--titles", "--json"});
    QVERIFY2(titles.exit_code == 0, qPrintable(titles.err));
    const QJsonArray list = titles.json()["results"].toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list[0].toObject()["title_id"].toInteger(), fx_.title_id);
    QVERIFY(std::abs(list[0].toObject()["profile"].toObject()["tense"].toDouble() - 0.42) < 1e-9);
    QVERIFY(titles.json().contains("took_ms"));
    // A mood that no title has: no titles, not an error.
    titles = cli({"search", "--db", fx_.db_path, "--mood", "joyful", "--titles", "--json"});
    QVERIFY2(titles.exit_code == 0, qPrintable(titles.err));
    QCOMPARE(titles.json()["results"].toArray().size(), 0);

    // An unknown mood: exit 1, one line naming the moods there are.
    Run bad = cli({"search", "--db", fx_.db_path, "--mood", "warm", "--json"});
    QCOMPARE(bad.exit_code, 1);
    QVERIFY2(one_line(bad.err) && bad.err.contains(QStringLiteral("tense")), qPrintable(bad.err));
    bad = cli({"search", "--db", fx_.db_path, "--mood", "tense:-1", "--json"});
    QCOMPARE(bad.exit_code, 1);
    QVERIFY2(one_line(bad.err), qPrintable(bad.err));
    // --titles ranks by mood only.
    bad = cli({"search", "--db", fx_.db_path, "--text", "car", "--titles", "--json"});
    QCOMPARE(bad.exit_code, 2);
}

QTEST_GUILESS_MAIN(TestCliSearch)
#include "tst_cli_search.moc"
