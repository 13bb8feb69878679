// Crash safety: an ingest killed with SIGKILL at any moment, then run again, ends exactly like a clean run — no
// duplicate titles, no half-written analysis — on SQLite and on PostgreSQL.
#include <signal.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/fixtures.h"
#include "tests/support/postgres_server.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
QJsonObject run_cli(const QStringList& args, int* exit_code = nullptr) {
    QProcess p;
    p.start(test::cli_path(), args);
    p.waitForFinished(300000);
    if (exit_code) *exit_code = p.exitCode();
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

// What a reviewer would see of the title, without ids and times that differ between runs.
QJsonObject essence(const QString& db) {
    QJsonObject show = run_cli({"show", "crash", "--db", db, "--json"});
    QJsonObject title = show["title"].toObject();
    for (const char* volatile_key : {"id", "created_at", "path"}) title.remove(volatile_key);
    QJsonArray frames;
    for (const auto& f : show["frames"].toArray()) {
        QJsonObject o = f.toObject();
        o.remove("id");
        frames.append(o);
    }
    return QJsonObject{{"title", title}, {"shots", show["shots"]}, {"frames", frames}, {"markers", show["markers"]}};
}
}  // namespace

class TestIngestCrash : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString clip_;

    void kill_then_resume(const QString& clean_db, const QString& crashed_db) {
        int code = -1;
        run_cli({"ingest", clip_, "--db", clean_db, "--json"}, &code);
        QCOMPARE(code, 0);
        const QJsonObject clean = essence(clean_db);
        QCOMPARE(clean["shots"].toArray().size(), 8);

        // Kill the ingest at several moments: while probing, mid-scan, near the end.
        int killed = 0;
        for (int delay_ms : {30, 250, 700}) {
            QProcess ingest;
            ingest.start(test::cli_path(), {"ingest", clip_, "--db", crashed_db, "--force", "--json"});
            QVERIFY(ingest.waitForStarted());
            QTest::qWait(delay_ms);
            // Only a live child: kill(0, ...) would hit this whole process group.
            const qint64 pid = ingest.processId();
            if (ingest.state() == QProcess::Running && pid > 0) {
                ::kill(static_cast<pid_t>(pid), SIGKILL);
                ++killed;
            }
            ingest.waitForFinished();
            // Whatever was left is a consistent title list: at most one title, never two.
            const QJsonArray titles = run_cli({"titles", "--db", crashed_db, "--json"})["titles"].toArray();
            QVERIFY(titles.size() <= 1);
            if (titles.size() == 1 && titles[0].toObject()["status"].toString() == "ready")
                QCOMPARE(essence(crashed_db), clean);  // finished before the kill, or the previous complete run
        }
        QVERIFY2(killed >= 2, "the ingests finished before they could be killed: make the clip longer");
        run_cli({"ingest", clip_, "--db", crashed_db, "--json"}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(run_cli({"titles", "--db", crashed_db, "--json"})["titles"].toArray().size(), 1);
        QCOMPARE(essence(crashed_db), clean);
    }

private Q_SLOTS:
    void initTestCase() {
        // 8 shots of 6 s: long enough that a kill lands mid-scan.
        clip_ = test::make_cut_clip(dir_.filePath("crash.mp4"), 8, 150, 25);
        QVERIFY(!clip_.isEmpty());
    }

    void sqlite() { kill_then_resume(dir_.filePath("clean.db"), dir_.filePath("crashed.db")); }

    void postgres() {
        test::PostgresServer server;
        if (!server.available()) QSKIP(qPrintable(server.why()));
        QVERIFY2(server.running(), qPrintable(server.why()));
        kill_then_resume(server.create_database("clean"), server.create_database("crashed"));
    }
};

QTEST_GUILESS_MAIN(TestIngestCrash)
#include "tst_ingest_crash.moc"
