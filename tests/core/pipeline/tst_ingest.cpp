// Ingest end to end: probe, scan, thumbnails, store; re-ingest, cancellation, failure, the worker-thread job.
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <future>

#include "core/error.h"
#include "core/media/jpeg.h"
#include "core/pipeline/ingest.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"

using namespace frameline;

class TestIngest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString clip_;

private slots:
    void initTestCase() {
        clip_ = test::make_cut_clip(dir_.filePath("three.mp4"), 3, 25, 25);
        QVERIFY(!clip_.isEmpty());
    }

    void ingestStoresShotsAndThumbnails() {
        auto store = open_store(dir_.filePath("a.db").toStdString());
        std::vector<Progress> seen;
        IngestResult r = ingest_file(clip_.toStdString(), *store, {}, [&](const Progress& p) { seen.push_back(p); });
        QVERIFY(!r.already_present);
        QCOMPARE(r.shots, 3);
        QCOMPARE(r.frames, 3);
        QVERIFY(!seen.empty());
        QCOMPARE(seen.back().stage, std::string("store"));

        auto title = store->title(r.title_id);
        QCOMPARE(title->name, std::string("three"));
        QCOMPARE(title->status, TitleStatus::Ready);
        QCOMPARE(title->frame_count, int64_t(75));
        QVERIFY(qAbs(title->duration_s - 3.0) < 1e-3);
        QCOMPARE(title->content_hash.size(), size_t(32));

        auto frames = store->frames(r.title_id);
        QCOMPARE(int(frames.size()), 3);
        for (int i = 0; i < 3; ++i) {
            const FrameRecord& f = frames[i];
            QCOMPARE(f.shot_index, i);
            QVERIFY(f.representative);
            QVERIFY(f.frame_index >= i * 25 && f.frame_index < (i + 1) * 25);  // inside its own shot
            RgbImage thumb = decode_jpeg(store->thumbnail_jpeg(f.id));
            QCOMPARE(thumb.width, 320);
            QCOMPARE(thumb.height, 240);
            QVERIFY(f.metrics.sharpness > 0);
        }
    }

    void sameContentIsNotIngestedTwice() {
        auto store = open_store(dir_.filePath("b.db").toStdString());
        IngestResult first = ingest_file(clip_.toStdString(), *store, {}, {});
        // A copy under another name is the same content.
        const QString copy = dir_.filePath("copy-of-three.mp4");
        QVERIFY(QFile::copy(clip_, copy));
        IngestResult second = ingest_file(copy.toStdString(), *store, {}, {});
        QVERIFY(second.already_present);
        QCOMPARE(second.title_id, first.title_id);
        QCOMPARE(int(store->titles().size()), 1);
        // --force analyses again under the same title, replacing, not duplicating.
        IngestOptions force;
        force.force = true;
        IngestResult third = ingest_file(clip_.toStdString(), *store, force, {});
        QCOMPARE(third.title_id, first.title_id);
        QCOMPARE(int(store->shots(first.title_id).size()), 3);
        QCOMPARE(int(store->frames(first.title_id).size()), 3);

        // The original moves away: the title follows the file found under its new name.
        const QString moved = dir_.filePath("moved-three.mp4");
        QVERIFY(QFile::copy(clip_, moved));
        const QString original_path = QString::fromStdString(store->title(first.title_id)->media_path);
        QVERIFY(QFile::rename(original_path, original_path + ".gone"));
        IngestResult fourth = ingest_file(moved.toStdString(), *store, {}, {});
        QVERIFY(fourth.already_present);
        QCOMPARE(QString::fromStdString(store->title(first.title_id)->media_path), moved);
        QVERIFY(QFile::rename(original_path + ".gone", original_path));
    }

    // Two ingests of one content at once (two workers, each with a copy): the second waits for the first (it says so
    // in its progress), then finds the title stored. Before, both analysed one title at once, each clearing the
    // other's staged frames, or the second failed on the content's unique key.
    void sameContentAtOnceIsIngestedOnce() {
        const QString db = dir_.filePath("race.db");
        const QString copy = dir_.filePath("race-copy.mp4");
        QVERIFY(QFile::copy(clip_, copy));
        auto holder = open_store(db.toStdString());  // the first ingest's lock, held while the second starts
        auto held = holder->try_lock_content(holder->title(ingest_file(clip_.toStdString(), *holder, {}, {}).title_id)
                                                 ->content_hash);
        QVERIFY(held);
        std::atomic<bool> waited{false};
        auto second = std::async(std::launch::async, [&] {
            auto store = open_store(db.toStdString());
            return ingest_file(copy.toStdString(), *store, {}, [&](const Progress& p) {
                if (p.stage == "waiting") waited = true;
            });
        });
        QTRY_VERIFY_WITH_TIMEOUT(waited.load(), 10000);
        QCOMPARE(second.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);  // still waiting
        held.reset();
        const IngestResult r = second.get();
        QVERIFY(r.already_present);
        QCOMPARE(int(holder->titles().size()), 1);

        // Both at once for real, forced (each analyses again): one after the other, one title, its frames once.
        IngestOptions force;
        force.force = true;
        auto a = std::async(std::launch::async, [&] {
            auto store = open_store(db.toStdString());
            return ingest_file(clip_.toStdString(), *store, force, {});
        });
        auto b = std::async(std::launch::async, [&] {
            auto store = open_store(db.toStdString());
            return ingest_file(copy.toStdString(), *store, force, {});
        });
        const IngestResult ra = a.get(), rb = b.get();
        QCOMPARE(ra.title_id, rb.title_id);
        QCOMPARE(int(holder->titles().size()), 1);
        QCOMPARE(holder->title(ra.title_id)->status, TitleStatus::Ready);
        QCOMPARE(int(holder->frames(ra.title_id).size()), 3);
        QCOMPARE(int(holder->shots(ra.title_id).size()), 3);
    }

    void cancelledIngestLeavesNoHalfWrittenTitle() {
        auto store = open_store(dir_.filePath("c.db").toStdString());
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, ingest_file(clip_.toStdString(), *store, {}, {}, stop.get_token()));
        auto titles = store->titles();
        QCOMPARE(int(titles.size()), 1);
        QCOMPARE(titles[0].status, TitleStatus::Cancelled);
        QCOMPARE(titles[0].shot_count, 0);
        // Adding it again resumes under the same title.
        IngestResult again = ingest_file(clip_.toStdString(), *store, {}, {});
        QCOMPARE(again.title_id, titles[0].id);
        QCOMPARE(again.shots, 3);
        QCOMPARE(int(store->titles().size()), 1);
    }

    void unreadableFileStoresNothing() {
        auto store = open_store(dir_.filePath("d.db").toStdString());
        const QString text = test::make_text_file(dir_.filePath("notes.txt"));
        try {
            ingest_file(text.toStdString(), *store, {}, {});
            QFAIL("ingested a text file");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("notes.txt"));
        }
        QVERIFY(store->titles().empty());
    }

    void jobRunsOnAWorkerThread() {
        const std::string url = dir_.filePath("e.db").toStdString();
        std::promise<IngestResult> done;
        std::atomic<int> progress_calls = 0;
        std::thread::id worker;
        {
            IngestJob job(clip_.toStdString(), url, {},
                          {[&](const Progress&) {
                               ++progress_calls;
                               worker = std::this_thread::get_id();
                           },
                           [&](const IngestResult& r) { done.set_value(r); },
                           [&](const std::string& m) { done.set_exception(std::make_exception_ptr(Error(m))); }});
            auto result = done.get_future().get();
            QCOMPARE(result.shots, 3);
        }
        QVERIFY(progress_calls > 0);
        QVERIFY(worker != std::this_thread::get_id());
        QCOMPARE(int(open_store(url)->titles().size()), 1);
    }

    void jobReportsFailureAsOneLine() {
        std::promise<std::string> failed;
        IngestJob job(dir_.filePath("missing.mp4").toStdString(), dir_.filePath("f.db").toStdString(), {},
                      {{}, [&](const IngestResult&) { failed.set_value("finished?!"); },
                       [&](const std::string& m) { failed.set_value(m); }});
        const QString message = QString::fromStdString(failed.get_future().get());
        QVERIFY2(message.contains("missing.mp4") && message.contains("no such file"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }
};

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
