// The ingest queue's progress and cancel requests (schema v6), on SQLite and PostgreSQL: what the jobs panel shows
// and what a cluster worker must notice.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/store_backends.h"

using namespace frameline;

#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {
QueuedIngest job_of(Store& store, int64_t id)
{
    for (const QueuedIngest& j : store.ingest_jobs())
        if (j.id == id) return j;
    return {};
}
}  // namespace

class TestIngestJobProgress : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;

    void add_backends() { test::StoreBackends::add_rows(); }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void progressOfARunningJob_data() { add_backends(); }
    void progressOfARunningJob()
    {
        OPEN_STORE(store);
        const int64_t id = store->enqueue_ingest("/media/a.mp4");
        QueuedIngest fresh = job_of(*store, id);
        QCOMPARE(fresh.state, JobState::Queued);
        QCOMPARE(fresh.stage, std::string());
        QCOMPARE(fresh.progress, 0.0);
        QVERIFY(!fresh.cancel_requested);

        // Progress of a job nobody runs yet is ignored: only the worker that holds it reports.
        store->set_ingest_job_progress(id, "decode", 0.5);
        QCOMPARE(job_of(*store, id).stage, std::string());

        auto claimed = store->claim_ingest_job("node-1");
        QVERIFY(claimed);
        QCOMPARE(claimed->id, id);
        QCOMPARE(claimed->progress, 0.0);
        store->set_ingest_job_progress(id, "decode", 0.25);
        QueuedIngest running = job_of(*store, id);
        QCOMPARE(running.state, JobState::Running);
        QCOMPARE(running.stage, std::string("decode"));
        QCOMPARE(running.progress, 0.25);
        store->set_ingest_job_progress(id, "models", 0.75);
        QCOMPARE(job_of(*store, id).stage, std::string("models"));
        QCOMPARE(job_of(*store, id).progress, 0.75);
        // Nonsense from a confused worker stays inside the bar.
        store->set_ingest_job_progress(id, "models", 7.0);
        QCOMPARE(job_of(*store, id).progress, 1.0);
        store->set_ingest_job_progress(id, "models", std::nan(""));
        QCOMPARE(job_of(*store, id).progress, 0.0);
        store->set_ingest_job_progress(id, "models", -3);
        QCOMPARE(job_of(*store, id).progress, 0.0);

        // A finished job keeps its last stage; later reports do not change it.
        store->set_ingest_job_progress(id, "store", 0.9);
        store->finish_ingest_job(id, JobState::Done, 0, "");
        store->set_ingest_job_progress(id, "decode", 0.1);
        QCOMPARE(job_of(*store, id).stage, std::string("store"));
        QCOMPARE(job_of(*store, id).state, JobState::Done);
    }

    void cancelQueuedEndsAtOnce_data() { add_backends(); }
    void cancelQueuedEndsAtOnce()
    {
        OPEN_STORE(store);
        const int64_t first = store->enqueue_ingest("/media/first.mp4");
        const int64_t second = store->enqueue_ingest("/media/second.mp4");
        QVERIFY(store->cancel_ingest_job(first));
        const QueuedIngest j = job_of(*store, first);
        QCOMPARE(j.state, JobState::Cancelled);
        QVERIFY(!j.finished_at.empty());
        QVERIFY(!j.message.empty());
        // No worker gets it: the next claim takes the second job.
        auto claimed = store->claim_ingest_job("node-1");
        QVERIFY(claimed);
        QCOMPARE(claimed->id, second);
        QVERIFY(!store->claim_ingest_job("node-2"));
        // Cancelling again: it has ended already.
        QVERIFY(!store->cancel_ingest_job(first));
        // An unknown job is an error that names it.
        try {
            store->cancel_ingest_job(999999);
            QFAIL("cancelling an unknown job must throw");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("999999"), e.what());
        }
    }

    void cancelRunningAsksItsWorker_data() { add_backends(); }
    void cancelRunningAsksItsWorker()
    {
        OPEN_STORE(store);
        const int64_t id = store->enqueue_ingest("/media/long.mp4");
        auto worker = open_store(store->url());  // the worker's own connection, as on a cluster node
        auto claimed = worker->claim_ingest_job("node-3");
        QVERIFY(claimed);
        QVERIFY(!claimed->cancel_requested);
        QVERIFY(!worker->heartbeat_ingest_job(id));  // nobody asked it to stop yet

        QVERIFY(store->cancel_ingest_job(id));
        QueuedIngest j = job_of(*store, id);
        QCOMPARE(j.state, JobState::Running);  // the worker decides when it has stopped
        QVERIFY(j.cancel_requested);
        QVERIFY(job_of(*worker, id).cancel_requested);  // what the worker sees
        QVERIFY(worker->heartbeat_ingest_job(id));       // and its next heartbeat answers
        // The worker stops and says so.
        worker->finish_ingest_job(id, JobState::Cancelled, 0, "cancelled by a reviewer");
        QCOMPARE(job_of(*store, id).state, JobState::Cancelled);
        QVERIFY(!store->cancel_ingest_job(id));
    }

    void staleCancelledJobIsNotRequeued_data() { add_backends(); }
    void staleCancelledJobIsNotRequeued()
    {
        OPEN_STORE(store);
        const int64_t asked = store->enqueue_ingest("/media/asked.mp4");
        const int64_t plain = store->enqueue_ingest("/media/plain.mp4");
        QVERIFY(store->claim_ingest_job("node-4"));
        QVERIFY(store->claim_ingest_job("node-4"));
        QVERIFY(store->cancel_ingest_job(asked));
        // Both workers went silent (a negative age: every heartbeat so far counts as stale).
        QCOMPARE(store->requeue_stale_ingest_jobs(-5), 1);
        QCOMPARE(job_of(*store, asked).state, JobState::Cancelled);
        QCOMPARE(job_of(*store, plain).state, JobState::Queued);
        auto again = store->claim_ingest_job("node-5");
        QVERIFY(again);
        QCOMPARE(again->id, plain);
        QCOMPARE(again->attempts, 2);
    }
};

QTEST_GUILESS_MAIN(TestIngestJobProgress)
#include "tst_ingest_job_progress.moc"
