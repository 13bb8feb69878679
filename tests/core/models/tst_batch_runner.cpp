// The batcher between producers and the one inference thread: results in submission order, batches up to
// max_batch (or what arrived within max_wait), a bounded queue, cancellation by std::stop_token, errors passed on.
#include <QtTest>
#include <atomic>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/models/batch_runner.h"

using namespace frameline;
using namespace std::chrono_literals;

namespace {
// One item [1, 2] = {v, -v}.
Tensor item(float v) { return Tensor({1, 2}, std::vector<float>{v, -v}); }

// A "model": out0 = x * 10 per item ([N, 2]), out1 = the batch size per item ([N, 1]).
std::vector<Tensor> fake_model(const Tensor& x) {
    Tensor y = x;
    for (float& v : y.data) v *= 10;
    Tensor n({x.shape[0], 1}, float(x.shape[0]));
    return {y, n};
}

struct Collected {
    std::mutex m;
    std::vector<uint64_t> seqs;
    std::vector<float> values;
    std::vector<int> batch_sizes;
};
}  // namespace

class TestBatchRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsOrderAndBatches() {
        Collected got;
        BatchRunner::Options o;
        o.max_batch = 8;
        o.max_wait = 50ms;
        o.queue_capacity = 16;
        BatchRunner runner(fake_model, [&](uint64_t seq, std::vector<Tensor> out) {
            std::lock_guard lock(got.m);
            QCOMPARE(out.size(), size_t(2));
            QCOMPARE(out[0].shape, (std::vector<int64_t>{1, 2}));
            got.seqs.push_back(seq);
            got.values.push_back(out[0].data[0]);
            got.batch_sizes.push_back(int(out[1].data[0]));
        }, o);
        for (int i = 0; i < 100; ++i) QCOMPARE(runner.submit(item(float(i))), uint64_t(i));
        runner.finish();
        QCOMPARE(got.seqs.size(), size_t(100));
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(got.seqs[i], uint64_t(i));
            QCOMPARE(got.values[i], float(i * 10));
        }
        // A producer faster than the model fills batches: far fewer runs than items, none above 8.
        QVERIFY(*std::max_element(got.batch_sizes.begin(), got.batch_sizes.end()) <= 8);
        QVERIFY2(runner.batches_run() <= 30, qPrintable(QString::number(runner.batches_run())));
        QVERIFY(runner.batches_run() >= 13);  // ceil(100 / 8)
    }

    void aLoneItemWaitsOnlyMaxWait() {
        std::atomic<int> done{0};
        BatchRunner::Options o;
        o.max_batch = 8;
        o.max_wait = 20ms;
        BatchRunner runner(fake_model, [&](uint64_t, std::vector<Tensor> out) {
            QCOMPARE(out[1].data[0], 1.0f);  // ran alone
            ++done;
        }, o);
        const auto t0 = std::chrono::steady_clock::now();
        runner.submit(item(1));
        while (done == 0 && std::chrono::steady_clock::now() - t0 < 5s) std::this_thread::sleep_for(1ms);
        QCOMPARE(done.load(), 1);
        QVERIFY(std::chrono::steady_clock::now() - t0 < 1s);
        runner.finish();
    }

    void itemsOfAnotherShapeStartANewBatch() {
        std::vector<std::vector<int64_t>> shapes;
        BatchRunner::Options o;
        o.max_wait = 100ms;
        BatchRunner runner([&](const Tensor& x) { shapes.push_back(x.shape); return std::vector<Tensor>{x}; },
                           [](uint64_t, std::vector<Tensor>) {}, o);
        runner.submit(Tensor({1, 2}));
        runner.submit(Tensor({1, 2}));
        runner.submit(Tensor({1, 3}));
        runner.finish();
        QCOMPARE(shapes.size(), size_t(2));
        QCOMPARE(shapes[0], (std::vector<int64_t>{2, 2}));
        QCOMPARE(shapes[1], (std::vector<int64_t>{1, 3}));
    }

    void boundedQueueBlocksTheProducer() {
        // A slow model and a queue of 4: the producer can never be more than queue + one batch ahead.
        std::atomic<int> finished{0};
        std::atomic<int> max_ahead{0};
        std::atomic<int> submitted{0};
        BatchRunner::Options o;
        o.max_batch = 2;
        o.max_wait = 1ms;
        o.queue_capacity = 4;
        BatchRunner runner([&](const Tensor& x) { std::this_thread::sleep_for(5ms); return fake_model(x); },
                           [&](uint64_t, std::vector<Tensor>) { ++finished; }, o);
        for (int i = 0; i < 40; ++i) {
            runner.submit(item(float(i)));
            ++submitted;
            max_ahead = std::max(max_ahead.load(), submitted - finished);
        }
        runner.finish();
        QCOMPARE(finished.load(), 40);
        QVERIFY2(max_ahead <= 4 + 2 + 1, qPrintable(QString::number(max_ahead)));
    }

    void stopTokenCancels() {
        std::stop_source stop;
        std::atomic<int> results{0};
        BatchRunner::Options o;
        o.max_batch = 1;
        o.queue_capacity = 2;
        BatchRunner runner([&](const Tensor& x) { std::this_thread::sleep_for(20ms); return fake_model(x); },
                           [&](uint64_t, std::vector<Tensor>) { ++results; }, o, stop.get_token());
        std::thread canceller([&] {
            std::this_thread::sleep_for(60ms);
            stop.request_stop();
        });
        const auto t0 = std::chrono::steady_clock::now();
        bool cancelled = false;
        try {
            for (int i = 0; i < 1000; ++i) runner.submit(item(float(i)));  // blocks on the full queue, then throws
            runner.finish();
        } catch (const Cancelled&) {
            cancelled = true;
        }
        canceller.join();
        QVERIFY(cancelled);
        QVERIFY(results < 10);
        QVERIFY(std::chrono::steady_clock::now() - t0 < 2s);
        QVERIFY_THROWS_EXCEPTION(Cancelled, runner.finish());
    }

    void destroyingWithoutFinishDropsTheQueue() {
        std::atomic<int> results{0};
        {
            BatchRunner runner([&](const Tensor& x) { std::this_thread::sleep_for(10ms); return fake_model(x); },
                               [&](uint64_t, std::vector<Tensor>) { ++results; });
            for (int i = 0; i < 20; ++i) runner.submit(item(1));
        }
        QVERIFY(results < 20);
    }

    void inferenceErrorsReachTheProducer() {
        BatchRunner::Options o;
        o.max_batch = 4;
        BatchRunner runner([](const Tensor&) -> std::vector<Tensor> { throw Error("model.pt: the model rejected it"); },
                           [](uint64_t, std::vector<Tensor>) {}, o);
        bool thrown = false;
        try {
            for (int i = 0; i < 100; ++i) {
                runner.submit(item(1));
                std::this_thread::sleep_for(1ms);
            }
            runner.finish();
        } catch (const Error& e) {
            thrown = true;
            QCOMPARE(std::string(e.what()), std::string("model.pt: the model rejected it"));
        }
        QVERIFY(thrown);
        // A model that ignores the batch is caught too.
        BatchRunner single([](const Tensor&) { return std::vector<Tensor>{Tensor({1, 1})}; },
                           [](uint64_t, std::vector<Tensor>) {}, BatchRunner::Options{4, 200ms, 8});
        single.submit(item(1));
        single.submit(item(2));
        try {
            single.finish();
            QFAIL("no error for a model that ignores the batch");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("set max_batch to 1") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(Error, single.submit(Tensor({2, 2})));
    }
};

QTEST_GUILESS_MAIN(TestBatchRunner)
#include "tst_batch_runner.moc"
