// `frameline-cli search` on the review fixture: the JSON document, and exit codes 2 (bad usage) and 1 (failure, one
// line on stderr) as DESIGN.md's command line contract says.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

QTEST_GUILESS_MAIN(TestCliSearch)
#include "tst_cli_search.moc"
