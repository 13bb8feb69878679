// frameline-cli worker and jobs (issue #11) on a real, throwaway PostgreSQL: two workers share the queue without
// taking a job twice, a killed worker's job is claimed again once its heartbeat is stale, SIGTERM puts the job back
// at once, a bad file fails with its reason and a rerun stores the same rows once. (Throughput is measured
// by tst_slurm_ingest two_tasks_beat_one, run by hand: bench/README.md.)
#include <signal.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/postgres_server.h"
#include "tests/support/testdata.h"
#include "tests/cluster/cluster_titles.h"

using namespace frameline;
using test::Clip;
using test::check_titles;

namespace {

QStringList paths_of(const std::vector<Clip>& clips) {
    QStringList out;
    for (const Clip& c : clips) out << c.path;
    return out;
}

// Worker flags that make the tests quick: no models, 1 s heartbeats, a job is stale after 3 s.
const QStringList kFastWorker = {"--models", "none", "--threads", "1", "--heartbeat-s", "1", "--stale-s", "3",
                                 "--poll-ms", "200", "--json"};

struct Run {
    int code = -1;
    QJsonObject json;
    QString err;
};

Run run_cli(const QStringList& args, int timeout_ms = 300000) {
    QProcess p;
    p.start(test::cli_path(), args);
    p.waitForFinished(timeout_ms);
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// A worker in its own process group (setsid), so that a test can kill it together with its ingest child, as when a
// node dies.
std::unique_ptr<QProcess> start_worker(const QString& db, const QStringList& extra = {}) {
    auto p = std::make_unique<QProcess>();
    p->start("setsid", QStringList{test::cli_path(), "worker", "--db", db} + kFastWorker + extra);
    p->waitForStarted();
    return p;
}

Run finish(QProcess& p, int timeout_ms = 300000) {
    Run r;
    if (!p.waitForFinished(timeout_ms)) {
        r.err = "worker did not finish in time";
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

std::optional<QueuedIngest> job_of(Store& store, int64_t id) {
    for (const QueuedIngest& j : store.ingest_jobs())
        if (j.id == id) return j;
    return std::nullopt;
}

// Waits until job `id` is running its `attempt`th attempt; false after timeout_ms.
bool wait_running(Store& store, int64_t id, int attempt = 1, int timeout_ms = 60000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeout_ms) {
        auto j = job_of(store, id);
        if (j && j->state == JobState::Running && j->attempts == attempt) return true;
        QTest::qWait(20);
    }
    return false;
}



}  // namespace

class TestWorker : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<test::PostgresServer> pg_;
    std::vector<Clip> clips_;  // 8 short titles
    Clip long_clip_;           // long enough to be killed mid-ingest

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        pg_ = std::make_unique<test::PostgresServer>();
        if (!pg_->available()) QSKIP(qPrintable(pg_->why()));
        QVERIFY2(pg_->running(), qPrintable(pg_->why()));
        for (int i = 0; i < 8; ++i) {
            // Short, distinct titles: clip i has 2 + i % 3 segments (its shot count is known) and its own segment
            // length (so its content, and its content hash, differ from every other clip's).
            Clip c{dir_.filePath(QString("clip%1.mp4").arg(i)), 2 + i % 3};
            QVERIFY(!test::make_cut_clip(c.path, c.shots, 20 + i, 25).isEmpty());
            clips_.push_back(c);
        }
        long_clip_ = {dir_.filePath("long.mp4"), 6};
        QVERIFY(!test::make_cut_clip(long_clip_.path, long_clip_.shots, 200, 25).isEmpty());
    }

    // Two workers drain one queue: every job is done by exactly one of them, every title stored once.
    void two_workers_share_the_queue() {
        const QString db = pg_->create_database("share");
        QVERIFY(!db.isEmpty());
        const Run queued = run_cli(QStringList{"submit", "--db", db, "--json"} + paths_of(clips_));
        QVERIFY2(queued.code == 0, qPrintable(queued.err));
        QCOMPARE(queued.json["jobs"].toArray().size(), 8);

        auto a = start_worker(db, {"--name", "worker-a"});
        auto b = start_worker(db, {"--name", "worker-b"});
        const Run ra = finish(*a), rb = finish(*b);
        QVERIFY2(ra.code == 0, qPrintable(ra.err));
        QVERIFY2(rb.code == 0, qPrintable(rb.err));
        QSet<qint64> seen;
        int total = 0;
        for (const Run* r : {&ra, &rb})
            for (const auto& j : r->json["jobs"].toArray()) {
                QCOMPARE(j.toObject()["outcome"].toString(), QString("done"));
                seen.insert(j.toObject()["id"].toInteger());
                ++total;
            }
        QCOMPARE(total, 8);        // no job ran twice
        QCOMPARE(seen.size(), 8);  // and none was left out
        qInfo("worker-a took %d jobs, worker-b %d", int(ra.json["processed"].toInt()), int(rb.json["processed"].toInt()));

        auto store = open_store(db.toStdString());
        for (const QueuedIngest& j : store->ingest_jobs()) {
            QCOMPARE(to_string(j.state), "done");
            QCOMPARE(j.attempts, 1);
            QVERIFY(j.title_id > 0);
            QVERIFY(j.worker == "worker-a" || j.worker == "worker-b");
        }
        const QString bad = check_titles(*store, clips_);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));

        // `jobs --json` shows the same from the database.
        const Run jobs = run_cli({"jobs", "--db", db, "--json", "--no-slurm"});
        QVERIFY2(jobs.code == 0, qPrintable(jobs.err));
        QCOMPARE(jobs.json["counts"].toObject()["done"].toInt(), 8);
        QCOMPARE(jobs.json["jobs"].toArray().size(), 8);
        QCOMPARE(jobs.json["slurm"].toObject()["available"].toBool(), false);
    }

    // One worker with three slots (a GPU node's NVDEC engines) drains the queue alone: three jobs at a time, each
    // done once, every title stored once.
    void one_worker_runs_jobs_in_slots() {
        const QString db = pg_->create_database("slots");
        QVERIFY(!db.isEmpty());
        const Run queued = run_cli(QStringList{"submit", "--db", db, "--json"} + paths_of(clips_));
        QVERIFY2(queued.code == 0, qPrintable(queued.err));
        auto w = start_worker(db, {"--name", "node", "--slots", "3"});
        const Run r = finish(*w);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.json["slots"].toInt(), 3);
        QCOMPARE(r.json["processed"].toInt(), 8);
        QSet<qint64> seen;
        QSet<QString> names;  // the slots' ("slots" is Qt's keyword)
        for (const auto& j : r.json["jobs"].toArray()) {
            QCOMPARE(j.toObject()["outcome"].toString(), QString("done"));
            seen.insert(j.toObject()["id"].toInteger());
            names.insert(j.toObject()["worker"].toString());
        }
        QCOMPARE(seen.size(), 8);
        QVERIFY2(names.size() >= 2, qPrintable(QStringList(names.values()).join(", ")));  // jobs ran at once
        for (const QString& name : names) QVERIFY(name == "node/1" || name == "node/2" || name == "node/3");
        auto store = open_store(db.toStdString());
        for (const QueuedIngest& j : store->ingest_jobs()) {
            QCOMPARE(to_string(j.state), "done");
            QCOMPARE(j.attempts, 1);
        }
        const QString bad = check_titles(*store, clips_);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        // --max-jobs counts over all slots.
        const QString db2 = pg_->create_database("slots_max");
        QVERIFY(run_cli(QStringList{"submit", "--db", db2, "--json"} + paths_of(clips_)).code == 0);
        auto capped = start_worker(db2, {"--slots", "3", "--max-jobs", "4", "--name", "n1 slurm:12_3"});
        const Run c = finish(*capped);
        QVERIFY2(c.code == 0, qPrintable(c.err));
        QCOMPARE(c.json["processed"].toInt(), 4);
        // A slot's name keeps the Slurm task at its end, where `jobs` looks for it.
        for (const auto& j : c.json["jobs"].toArray())
            QVERIFY2(QRegularExpression("^n1/[123] slurm:12_3$").match(j.toObject()["worker"].toString()).hasMatch(),
                     qPrintable(j.toObject()["worker"].toString()));
    }

    // The same titles queued again: done at once ("already stored"), and the database holds the same rows once.
    void rerun_is_idempotent() {
        const QString db = pg_->url("share");
        auto store = open_store(db.toStdString());
        std::vector<size_t> shots_before;
        for (const TitleRecord& t : store->titles()) shots_before.push_back(store->shots(t.id).size());
        QVERIFY(run_cli(QStringList{"submit", "--db", db} + paths_of(clips_)).code == 0);
        const Run r = finish(*start_worker(db));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.json["done"].toInt(), 8);
        for (const auto& j : r.json["jobs"].toArray())
            QVERIFY2(j.toObject()["message"].toString().contains("already stored"),
                     qPrintable(j.toObject()["message"].toString()));
        const QString bad = check_titles(*store, clips_);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        std::vector<size_t> shots_after;
        for (const TitleRecord& t : store->titles()) shots_after.push_back(store->shots(t.id).size());
        QVERIFY(shots_after == shots_before);
    }

    // A worker killed with its ingest (a node died): its job stays "running" until the heartbeat is stale, then
    // another worker requeues it, claims it and finishes it; the title is stored once.
    void killed_workers_job_is_claimed_again() {
        const QString db = pg_->create_database("killed");
        QVERIFY(!db.isEmpty());
        auto store = open_store(db.toStdString());
        const int64_t id = store->enqueue_ingest(long_clip_.path.toStdString());
        auto doomed = start_worker(db, {"--name", "doomed"});
        QVERIFY(wait_running(*store, id));
        QTest::qWait(300);  // mid-ingest: the title exists, half done
        QCOMPARE(::kill(-static_cast<pid_t>(doomed->processId()), SIGKILL), 0);  // the worker and its ingest
        doomed->waitForFinished();
        QCOMPARE(job_of(*store, id)->state, JobState::Running);  // nobody knows yet
        QCOMPARE(job_of(*store, id)->worker, std::string("doomed"));

        QElapsedTimer t;
        t.start();
        const Run r = finish(*start_worker(db, {"--name", "rescuer"}));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.json["requeued_stale"].toInt() == 1, qPrintable(QJsonDocument(r.json).toJson()));
        QVERIFY(t.elapsed() >= 1000);  // it waited for the heartbeat to go stale rather than take a live job
        const auto job = job_of(*store, id);
        QCOMPARE(to_string(job->state), "done");
        QCOMPARE(job->worker, std::string("rescuer"));
        QCOMPARE(job->attempts, 2);
        const QString bad = check_titles(*store, {long_clip_});
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }

    // SIGTERM (what scancel and a Slurm time limit send): the worker stops its ingest, puts the job back in the queue
    // at once (no waiting for a stale heartbeat) and exits 1 with the reason; the next worker finishes it.
    void sigterm_puts_the_job_back() {
        const QString db = pg_->create_database("term");
        QVERIFY(!db.isEmpty());
        auto store = open_store(db.toStdString());
        const int64_t id = store->enqueue_ingest(long_clip_.path.toStdString());
        auto w = start_worker(db, {"--name", "preempted"});
        QVERIFY(wait_running(*store, id));
        QTest::qWait(300);
        QCOMPARE(::kill(static_cast<pid_t>(w->processId()), SIGTERM), 0);  // the worker only
        const Run stopped = finish(*w, 60000);
        QCOMPARE(stopped.code, 1);
        QVERIFY2(stopped.err.contains("stopped by Terminated") && stopped.err.contains("back in the queue"),
                 qPrintable(stopped.err));
        QCOMPARE(stopped.json["released"].toInt(), 1);
        auto job = job_of(*store, id);
        QCOMPARE(to_string(job->state), "queued");
        QVERIFY2(QString::fromStdString(job->message).contains("requeued"), job->message.c_str());

        const Run r = finish(*start_worker(db, {"--once"}));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        job = job_of(*store, id);
        QCOMPARE(to_string(job->state), "done");
        QCOMPARE(job->attempts, 2);
        const QString bad = check_titles(*store, {long_clip_});
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }

    // A file that is not media, one that is gone, and options the worker does not know: each job fails with a reason
    // a person can act on; the worker goes on with the next and exits 0.
    void bad_jobs_fail_with_their_reason() {
        const QString db = pg_->create_database("bad");
        QVERIFY(!db.isEmpty());
        auto store = open_store(db.toStdString());
        const QString text = test::make_text_file(dir_.filePath("notes.mp4"));
        const int64_t not_media = store->enqueue_ingest(text.toStdString());
        const int64_t gone = store->enqueue_ingest(dir_.filePath("gone.mp4").toStdString());
        const int64_t odd = store->enqueue_ingest(clips_[0].path.toStdString(), R"({"colour":"blue"})");
        const int64_t good = store->enqueue_ingest(clips_[1].path.toStdString());
        const Run r = finish(*start_worker(db));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.json["failed"].toInt(), 3);
        QCOMPARE(r.json["done"].toInt(), 1);
        for (int64_t id : {not_media, gone, odd}) {
            const auto j = job_of(*store, id);
            QCOMPARE(to_string(j->state), "failed");
            qInfo("job %lld: %s", static_cast<long long>(id), j->message.c_str());
            QVERIFY(!j->message.empty());
        }
        QVERIFY(job_of(*store, gone)->message.find("gone.mp4") != std::string::npos);
        QVERIFY(job_of(*store, odd)->message.find("unknown option 'colour'") != std::string::npos);
        QCOMPARE(to_string(job_of(*store, good)->state), "done");
    }

    // A job whose worker dies on every attempt ends as failed after --max-attempts, not queued forever.
    void a_job_that_kills_its_workers_ends_failed() {
        const QString db = pg_->create_database("poison");
        QVERIFY(!db.isEmpty());
        auto store = open_store(db.toStdString());
        const int64_t id = store->enqueue_ingest(long_clip_.path.toStdString());
        for (int attempt = 1; attempt <= 2; ++attempt) {
            auto w = start_worker(db, {"--max-attempts", "2"});
            QVERIFY(wait_running(*store, id, attempt));
            ::kill(-static_cast<pid_t>(w->processId()), SIGKILL);
            w->waitForFinished();
            if (attempt == 1) QTest::qWait(3500);  // stale, so the next worker requeues and claims it
        }
        QTest::qWait(3500);
        const Run r = finish(*start_worker(db, {"--max-attempts", "2"}));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto job = job_of(*store, id);
        QCOMPARE(to_string(job->state), "failed");
        QCOMPARE(job->attempts, 2);
        QVERIFY2(job->message.find("went silent on each of 2 attempts") != std::string::npos, job->message.c_str());
    }

    void bad_usage() {
        const Run no_db = run_cli({"worker"});
        QCOMPARE(no_db.code, 2);
        const Run stale = run_cli({"worker", "--db", pg_->url("share"), "--heartbeat-s", "10", "--stale-s", "5"});
        QCOMPARE(stale.code, 2);
        QVERIFY2(stale.err.contains("--stale-s"), qPrintable(stale.err));
        const Run no_slots = run_cli({"worker", "--db", pg_->url("share"), "--slots", "0"});
        QCOMPARE(no_slots.code, 2);
        QVERIFY2(no_slots.err.contains("--slots"), qPrintable(no_slots.err));
    }

    void cleanupTestCase() { pg_.reset(); }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker.moc"
