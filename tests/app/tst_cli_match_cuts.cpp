// `frameline-cli match-cuts` on a database built through the Store API with frame vectors chosen by hand (so that
// the one match cut and the one near-duplicate are known exactly): the JSON document, the text output, and exit
// codes 2 (bad usage) and 1 (failure, one line on stderr) as DESIGN.md's command line contract says. The detection
// on real ingested media is tst_match_cuts's.
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/cli_run.h"
#include "tests/support/ready_title.h"

using namespace frameline;

namespace {
using Run = test::CliRun;
using test::cli;
using test::one_line;

Chapter scene(int64_t first, int64_t last) {
    Chapter c;
    c.kind = ChapterKind::Scene;
    c.start_frame = first;
    c.end_frame = last;
    c.start_s = first / 25.0;
    c.end_s = (last + 1) / 25.0;
    c.label = "Scene";
    c.confidence = 0.8;
    return c;
}
}  // namespace

class TestCliMatchCuts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void json();
    void text();
    void badUsageExitsTwo();
    void failureExitsOne();

private:
    QTemporaryDir dir_;
    QString db_;
    int64_t title_ = 0, bare_ = 0;
};

void TestCliMatchCuts::initTestCase() {
    QVERIFY(dir_.isValid());
    db_ = dir_.filePath("cuts.db");
    auto store = open_store(db_.toStdString());
    // Six 2 s shots, one sampled frame each (frame 50 i + 25). Shot 3 frames like shot 0 (cosine 0.894: a match
    // cut, scenes apart); shot 4 like shot 1 (0.99995: a near-duplicate); scenes {0,1} {2} {3} {4,5}.
    title_ = test::add_ready_title(*store, "cuts", 6);
    bare_ = test::add_ready_title(*store, "bare", 2);
    const std::vector<std::vector<float>> looks = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0},
                                                   {1, 0.5f, 0, 0}, {0, 1, 0, 0.01f}, {0, 0, 0, 1}};
    ModelRunOutput run;
    run.model = "visual:test";
    run.model_version = "test";
    for (size_t i = 0; i < looks.size(); ++i) {
        Embedding e;
        e.model = run.model;
        e.entity = "frame";
        e.entity_key = int64_t(i) * 50 + 25;
        e.vector = looks[i];
        run.embeddings.push_back(e);
    }
    run.chapters = {scene(0, 99), scene(100, 149), scene(150, 199), scene(200, 299)};
    store->save_model_run(title_, run);
}

void TestCliMatchCuts::json() {
    const Run r = cli({"match-cuts", "cuts", "--db", db_, "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonObject doc = r.json();
    QCOMPARE(doc["model"].toString(), QStringLiteral("visual:test"));
    QCOMPARE(doc["titles"].toArray().size(), 1);
    QCOMPARE(doc["titles"].toArray()[0].toInteger(), title_);
    QCOMPARE(doc["near_duplicates"].toInt(), 1);
    QCOMPARE(doc["shots"].toInt(), 6);
    QCOMPARE(doc["candidates"].toString(), QStringLiteral("every pair"));
    QCOMPARE(doc["thresholds"].toObject()["min_cosine"].toDouble(), 0.72);
    QVERIFY(doc["took_ms"].toDouble() >= 0);
    const QJsonArray cuts = doc["match_cuts"].toArray();
    QCOMPARE(cuts.size(), 1);
    const QJsonObject cut = cuts[0].toObject();
    QCOMPARE(cut["cosine"].toDouble(), 0.8944);
    const QJsonObject from = cut["from"].toObject(), to = cut["to"].toObject();
    QCOMPARE(from["shot_index"].toInt(), 0);
    QCOMPARE(from["scene"].toInt(), 0);
    QCOMPARE(from["frame_index"].toInteger(), 25);
    QCOMPARE(to["shot_index"].toInt(), 3);
    QCOMPARE(to["scene"].toInt(), 2);
    QCOMPARE(to["frame_index"].toInteger(), 175);
    QCOMPARE(to["time_s"].toDouble(), 7.0);
    QCOMPARE(to["title"].toString(), QStringLiteral("cuts"));
    QVERIFY(from["frame_id"].toInteger() > 0 && to["frame_id"].toInteger() > from["frame_id"].toInteger());
    // --duplicate-cosine 1 lets the near-duplicate through, first; --limit 1 keeps it alone.
    const Run all = cli({"match-cuts", QString::number(title_), "--db", db_, "--duplicate-cosine", "1", "--limit",
                         "1", "--json"});
    QVERIFY2(all.exit_code == 0, qPrintable(all.err));
    const QJsonArray one = all.json()["match_cuts"].toArray();
    QCOMPARE(one.size(), 1);
    QCOMPARE(one[0].toObject()["from"].toObject()["shot_index"].toInt(), 1);
    QCOMPARE(one[0].toObject()["to"].toObject()["shot_index"].toInt(), 4);
}

void TestCliMatchCuts::text() {
    const Run r = cli({"match-cuts", "cuts", "--db", db_});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QStringList lines = QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[0].startsWith("0.894") && lines[0].contains("cuts shot 0 (scene 0)") &&
                 lines[0].contains("cuts shot 3 (scene 2)"),
             qPrintable(lines[0]));
    QVERIFY2(lines[1].contains("1 near-duplicate"), qPrintable(lines[1]));
    QVERIFY(r.err.isEmpty());
}

void TestCliMatchCuts::badUsageExitsTwo() {
    for (const QStringList& args : {QStringList{"match-cuts", "--db", db_, "--json"},  // no title
                                    QStringList{"match-cuts", "cuts", "--db", db_, "--limit", "0"},
                                    QStringList{"match-cuts", "cuts", "--db", db_, "--min-cosine", "2"},
                                    QStringList{"match-cuts", "cuts", "--db", db_, "--bogus"}}) {
        const Run r = cli(args);
        QVERIFY2(r.exit_code == 2, qPrintable(args.join(' ')));
        QVERIFY2(one_line(r.err), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
}

void TestCliMatchCuts::failureExitsOne() {
    Run r = cli({"match-cuts", "cuts", "no-such-title", "--db", db_, "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains("no title 'no-such-title'"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    r = cli({"match-cuts", "bare", "--db", db_, "--json"});  // no frame vectors at all
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains("visual frame embeddings"), qPrintable(r.err));
    r = cli({"match-cuts", "cuts", "--db", db_, "--model", "nope", "--json"});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains("no 'nope' frame embeddings"), qPrintable(r.err));
    r = cli({"match-cuts", "cuts", "--db", db_, "--min-cosine", "0.99"});  // above the near-duplicate ceiling
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(one_line(r.err) && r.err.contains("must be under"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCliMatchCuts)
#include "tst_cli_match_cuts.moc"
