// frameline-cli submit --slurm and jobs (issue #11) without a Slurm cluster: what submit hands to sbatch (its
// command line and batch script, caught by a stand-in sbatch), what happens when sbatch refuses, bad inputs, and
// how jobs joins the queue with squeue's answer (a stand-in squeue).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {

struct Run {
    int code = -1;
    QJsonObject json;
    QString out, err;
};

Run run_cli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(test::cli_path(), args);
    p.waitForFinished(120000);
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString write_script(const QString& path, const QString& body) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(("#!/bin/bash\n" + body).toUtf8());
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    return path;
}

QString read(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool bash_syntax_ok(const QString& script) {
    QProcess p;
    p.start("bash", {"-n"});
    p.write(script.toUtf8());
    p.closeWriteChannel();
    p.waitForFinished();
    return p.exitCode() == 0;
}

QStringList strings(const QJsonArray& a) {
    QStringList out;
    for (const auto& v : a) out << v.toString();
    return out;
}

}  // namespace

class TestSubmit : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<test::PostgresServer> pg_;
    QStringList media_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // submit only checks that the files exist (the workers probe them): empty files do.
        for (int i = 0; i < 20; ++i) {
            const QString path = dir_.filePath(QString("title%1.mp4").arg(i));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            media_ << path;
        }
        pg_ = std::make_unique<test::PostgresServer>();
        if (!pg_->available()) QSKIP(qPrintable(pg_->why()));
        QVERIFY2(pg_->running(), qPrintable(pg_->why()));
    }

    // --dry-run: nothing queued, the sbatch command line and script printed.
    void dry_run_shows_the_array() {
        const Run r = run_cli(QStringList{"submit", "--slurm", "--db", "postgresql://ingest:secret@db.example:5432/fl",
                                          "--gpus-per-task", "1", "--cpus-per-task", "2", "--max-parallel", "4",
                                          "--partition", "gpu", "--time", "1:00:00", "--log-dir", "/shared/logs",
                                          "--cli", "/opt/frameline/bin/frameline-cli", "--models", "none",
                                          "--dry-run", "--json"} +
                              media_);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.json["database"].toString(), QString("postgresql://ingest:***@db.example:5432/fl"));
        const QStringList sbatch = strings(r.json["sbatch"].toArray());
        QCOMPARE(sbatch.value(0), QString("sbatch"));
        for (const char* arg : {"--parsable", "--job-name=frameline-ingest", "--array=0-19%4", "--ntasks=1",
                                "--cpus-per-task=2", "--gres=gpu:1", "--partition=gpu", "--time=1:00:00",
                                "--output=/shared/logs/frameline-ingest-%A_%a.log"})
            QVERIFY2(sbatch.contains(arg), qPrintable(arg + QString(" not in: ") + sbatch.join(' ')));
        const QString script = r.json["script"].toString();
        QVERIFY(script.startsWith("#!/bin/bash\n"));
        QVERIFY2(script.contains("exec '/opt/frameline/bin/frameline-cli' worker --db "
                                 "'postgresql://ingest:secret@db.example:5432/fl'"),
                 qPrintable(script));
        QVERIFY2(script.contains("--threads \"${SLURM_CPUS_PER_TASK:-2}\""), qPrintable(script));
        QVERIFY2(!script.section('\n', 1, 3).contains("secret"), "the password is in the script's comment");
        QVERIFY(bash_syntax_ok(script));
        QCOMPARE(r.json["options"].toObject()["models"].toString(), QString("none"));
        QCOMPARE(r.json["media"].toArray().size(), 20);

        // --slots: each task's worker runs that many jobs at once, each ingest with its share of the CPUs.
        const Run slotted = run_cli(QStringList{"submit", "--slurm", "--db", "postgresql://ingest@db.example/fl",
                                                "--cpus-per-task", "16", "--slots", "7", "--dry-run", "--json"} +
                                    media_);
        QVERIFY2(slotted.code == 0, qPrintable(slotted.err));
        const QString slot_script = slotted.json["script"].toString();
        QVERIFY2(slot_script.contains(" --slots 7 --threads \"$(( ${SLURM_CPUS_PER_TASK:-16} / 7 > 0 ?"),
                 qPrintable(slot_script));
        QVERIFY(bash_syntax_ok(slot_script));
        QCOMPARE(run_cli(QStringList{"submit", "--slurm", "--db", "postgresql://ingest@db.example/fl", "--slots", "0",
                                     "--dry-run"} + media_).code, 2);
    }

    // A real submit against a stand-in sbatch: 20 jobs queued, one array of 20 tasks (at most 2 at once).
    void submit_hands_sbatch_the_array() {
        const QString db = pg_->create_database("submit");
        QVERIFY(!db.isEmpty());
        const QString args_file = dir_.filePath("sbatch.args"), script_file = dir_.filePath("sbatch.script");
        const QString sbatch = write_script(dir_.filePath("fake-sbatch"),
                                            QString("printf '%s\\n' \"$@\" > '%1'\ncat > '%2'\necho '4242;cluster'\n")
                                                .arg(args_file, script_file));
        const Run r = run_cli(QStringList{"submit", "--slurm", "--db", db, "--max-parallel", "2", "--gpus-per-task",
                                          "1", "--sbatch", sbatch, "--models", "none", "--json"} +
                              media_);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.json["slurm_job_id"].toString(), QString("4242"));
        QCOMPARE(r.json["jobs"].toArray().size(), 20);
        const QStringList args = read(args_file).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(args.contains("--array=0-19%2") && args.contains("--gres=gpu:1"), qPrintable(args.join(' ')));
        const QString script = read(script_file);
        QVERIFY2(script.contains("worker --db '" + db + "'"), qPrintable(script));
        QVERIFY(bash_syntax_ok(script));
        auto store = open_store(db.toStdString());
        const auto jobs = store->ingest_jobs();
        QCOMPARE(jobs.size(), size_t(20));
        for (const QueuedIngest& j : jobs) {
            QCOMPARE(to_string(j.state), "queued");
            QCOMPARE(j.options, std::string(R"({"models":"none"})"));
            QVERIFY(media_.contains(QString::fromStdString(j.media_path)));
        }
    }

    // sbatch refuses: exit 1 with sbatch's reason, and the jobs just queued are cancelled (nobody would run them).
    void sbatch_refusal_cancels_the_jobs() {
        const QString db = pg_->create_database("refused");
        const QString sbatch = write_script(dir_.filePath("refusing-sbatch"),
                                            "cat > /dev/null\necho 'sbatch: error: invalid partition specified: gpu' >&2\n"
                                            "exit 1\n");
        const Run r = run_cli(QStringList{"submit", "--slurm", "--db", db, "--sbatch", sbatch} + media_.mid(0, 3));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("invalid partition specified: gpu") && r.err.contains("cancelled"), qPrintable(r.err));
        auto store = open_store(db.toStdString());
        for (const QueuedIngest& j : store->ingest_jobs()) QCOMPARE(to_string(j.state), "cancelled");
        // And no sbatch at all.
        const Run missing = run_cli(QStringList{"submit", "--slurm", "--db", db, "--sbatch", "/nonexistent/sbatch"} +
                                    media_.mid(0, 1));
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("/nonexistent/sbatch is not on PATH"), qPrintable(missing.err));
    }

    void bad_inputs() {
        const Run gone = run_cli({"submit", "--slurm", "--db", pg_->url("submit"), "--dry-run", dir_.filePath("gone.mp4")});
        QCOMPARE(gone.code, 1);
        QVERIFY2(gone.err.contains("no such media file") && gone.err.contains("gone.mp4"), qPrintable(gone.err));
        const Run sqlite = run_cli({"submit", "--slurm", "--db", "sqlite://" + dir_.filePath("x.db"), media_[0]});
        QCOMPARE(sqlite.code, 1);
        QVERIFY2(sqlite.err.contains("postgresql://"), qPrintable(sqlite.err));
        const Run no_slurm = run_cli({"submit", "--db", pg_->url("submit"), "--max-parallel", "2", media_[0]});
        QCOMPARE(no_slurm.code, 2);
        const Run stale = run_cli({"submit", "--slurm", "--db", pg_->url("submit"), "--heartbeat-s", "30", "--stale-s", "20", "--dry-run",
                                   media_[0]});
        QCOMPARE(stale.code, 2);
    }

    // jobs --json: the database's rows, each joined with the Slurm task its worker runs in (from squeue).
    void jobs_joins_squeue() {
        const QString db = pg_->create_database("joined");
        auto store = open_store(db.toStdString());
        const int64_t running = store->enqueue_ingest(media_[0].toStdString());
        const int64_t waiting = store->enqueue_ingest(media_[1].toStdString());
        QVERIFY(store->claim_ingest_job("node7:123 slurm:4242_0"));
        const QString squeue = write_script(
            dir_.filePath("fake-squeue"),
            "echo '4242_0|RUNNING|node7|0:05|frameline-ingest|None'\n"
            "echo '4242_1|PENDING||0:00|frameline-ingest|JobArrayTaskLimit'\n"
            "echo '999|RUNNING|node2|1:00|somebody-else|None'\n");
        const Run r = run_cli({"jobs", "--db", db, "--json", "--squeue", squeue});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonArray jobs = r.json["jobs"].toArray();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs[0].toObject()["id"].toInteger(), running);
        QCOMPARE(jobs[0].toObject()["state"].toString(), QString("running"));
        QCOMPARE(jobs[0].toObject()["slurm_id"].toString(), QString("4242_0"));
        QCOMPARE(jobs[0].toObject()["slurm"].toObject()["state"].toString(), QString("RUNNING"));
        QCOMPARE(jobs[0].toObject()["slurm"].toObject()["nodes"].toString(), QString("node7"));
        QVERIFY(jobs[0].toObject()["heartbeat_age_s"].toDouble() >= 0);
        QCOMPARE(jobs[1].toObject()["id"].toInteger(), waiting);
        QVERIFY(jobs[1].toObject()["slurm"].isNull());
        const QJsonObject slurm = r.json["slurm"].toObject();
        QCOMPARE(slurm["available"].toBool(), true);
        QCOMPARE(slurm["tasks"].toArray().size(), 2);  // ours only
        QCOMPARE(r.json["counts"].toObject()["running"].toInt(), 1);
        QCOMPARE(r.json["counts"].toObject()["queued"].toInt(), 1);

        const Run state = run_cli({"jobs", "--db", db, "--json", "--no-slurm", "--state", "queued"});
        QCOMPARE(state.json["jobs"].toArray().size(), 1);
        const Run none = run_cli({"jobs", "--db", db, "--json", "--squeue", "/nonexistent/squeue"});
        QCOMPARE(none.code, 0);
        QCOMPARE(none.json["slurm"].toObject()["available"].toBool(), false);
        QVERIFY(none.json["slurm"].toObject()["why"].toString().contains("not on PATH"));
    }

    // Inside a Slurm task the worker names itself after it, which is what jobs joins on.
    void worker_names_its_slurm_task() {
        const QString db = pg_->create_database("named");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SLURM_ARRAY_JOB_ID", "77");
        env.insert("SLURM_ARRAY_TASK_ID", "3");
        env.insert("SLURM_JOB_ID", "80");
        const Run r = run_cli({"worker", "--db", db, "--json"}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.json["worker"].toString().endsWith(" slurm:77_3"), qPrintable(r.json["worker"].toString()));
        QCOMPARE(r.json["processed"].toInt(), 0);
    }

    void cleanupTestCase() { pg_.reset(); }
};

QTEST_GUILESS_MAIN(TestSubmit)
#include "tst_submit.moc"
