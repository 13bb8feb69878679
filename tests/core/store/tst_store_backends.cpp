// The store's contract, run against both backends: SQLite (a file) and PostgreSQL (a throwaway server on
// 127.0.0.1, tests/support/postgres_server.h). Backend-specific behaviour (WAL, damaged files) is in
// tst_sqlite_store.
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <memory>
#include <thread>

#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/store_backends.h"

using namespace frameline;

// Opens a fresh store of the current row's backend, or skips (PostgreSQL not installed) or fails (it did not start).
#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {

NewTitle a_title(const std::string& hash, const std::string& name = "Planet") {
    NewTitle t;
    t.name = name;
    t.media_path = "/media/" + name + ".mp4";
    t.content_hash = hash;
    t.size_bytes = 1234;
    t.container = "mov,mp4";
    t.video_codec = "h264";
    t.duration_s = 10;
    t.fps = 25;
    t.width = 1920;
    t.height = 1080;
    return t;
}

TitleAnalysis::Frame a_frame(int shot, int64_t frame, std::vector<uint8_t> jpeg) {
    TitleAnalysis::Frame f;
    f.record.shot_index = shot;
    f.record.frame_index = frame;
    f.record.pts_s = frame / 25.0;
    f.record.kind = frame % 2 ? FrameKind::KeyFrame : FrameKind::Representative;
    f.record.metrics = FrameMetrics{120.5, 40.25, 800.125, 33.0};
    f.record.flags = frame % 3 ? kFlagBlurry : (kFlagLetterboxed | kFlagUnderexposed);
    f.record.active = CropRect{0, 20, 320, 140};
    f.record.motion = 2.5;
    f.record.width = 320;
    f.record.height = 180;
    f.jpeg = std::move(jpeg);
    return f;
}

TitleAnalysis an_analysis(int shots) {
    TitleAnalysis a;
    a.frame_count = shots * 50;
    a.duration_s = shots * 2.0;
    a.fps = 25;
    for (int i = 0; i < shots; ++i) {
        Shot s;
        s.index = i;
        s.start_frame = i * 50;
        s.end_frame = (i + 1) * 50;
        s.start_s = i * 2.0;
        s.end_s = (i + 1) * 2.0;
        s.transition = i == 0 ? Transition::None : i == 2 ? Transition::Fade : Transition::Cut;
        s.transition_start = i == 2 ? s.start_frame - 12 : s.start_frame;
        s.transition_end = i == 2 ? s.start_frame + 11 : s.start_frame;
        a.shots.push_back(s);
        a.frames.push_back(a_frame(i, i * 50 + 25, {0xFF, 0xD8, uint8_t(i), 0x00, 0xFF, 0xD9}));
    }
    a.markers.push_back(Marker{CueKind::ColourBars, 0, 24, 0.0, 1.0, 0.75});
    return a;
}

// Text that must come back as it went in: quotes, SQL, backslashes, non-ASCII.
const std::string kHostile = "Robert'); DROP TABLE titles;-- \\\\x00 \"quoted\" ñandú 東京 %s $1 ?1";

}  // namespace

class TestStoreBackends : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;

    void add_backends() { test::StoreBackends::add_rows(); }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void roundTrip_data() { add_backends(); }
    void roundTrip() {
        OPEN_STORE(store);
        QCOMPARE(store->schema_version(), 8);
        const int64_t id = store->create_title(a_title("h1", kHostile));
        auto t = store->title(id);
        QVERIFY(t);
        QCOMPARE(t->name, kHostile);
        QCOMPARE(t->status, TitleStatus::Ingesting);
        QCOMPARE(t->width, 1920);
        QVERIFY(t->created_at.size() == 20 && t->created_at.back() == 'Z');

        store->save_analysis(id, an_analysis(3));
        t = store->title(id);
        QCOMPARE(t->status, TitleStatus::Ready);
        QCOMPARE(t->shot_count, 3);
        QCOMPARE(t->frame_count, int64_t(150));
        const auto shots = store->shots(id);
        QCOMPARE(int(shots.size()), 3);
        QCOMPARE(shots[2].transition, Transition::Fade);
        QCOMPARE(shots[2].transition_start, int64_t(88));
        QCOMPARE(shots[2].transition_end, int64_t(111));
        QCOMPARE(shots[2].end_s, 6.0);
        const auto frames = store->frames(id);
        QCOMPARE(int(frames.size()), 3);
        QCOMPARE(frames[1].frame_index, int64_t(75));
        QCOMPARE(frames[1].kind, FrameKind::KeyFrame);
        QCOMPARE(frames[1].metrics.sharpness, 800.125);
        QCOMPARE(frames[0].flags, uint32_t(kFlagBlurry));
        QCOMPARE(frames[1].flags, uint32_t(kFlagLetterboxed | kFlagUnderexposed));
        QCOMPARE(frames[1].active.height, 140);
        QCOMPARE(frames[1].motion, 2.5);
        QCOMPARE(store->thumbnail_jpeg(frames[1].id), (std::vector<uint8_t>{0xFF, 0xD8, 1, 0x00, 0xFF, 0xD9}));
        const auto markers = store->markers(id);
        QCOMPARE(int(markers.size()), 1);
        QCOMPARE(markers[0].kind, CueKind::ColourBars);
        QCOMPARE(markers[0].confidence, 0.75);

        QCOMPARE(store->find_title(std::to_string(id))->id, id);
        QCOMPARE(store->find_title(kHostile)->id, id);
        QVERIFY(!store->find_title("nope"));
        QCOMPARE(store->find_title_by_hash("h1")->id, id);
        store->set_media_path(id, "/moved/" + kHostile);
        QCOMPARE(store->title(id)->media_path, "/moved/" + kHostile);
        store->set_title_status(id, TitleStatus::Failed, kHostile);
        QCOMPARE(store->title(id)->status_message, kHostile);
        QCOMPARE(int(store->titles().size()), 1);
    }

    void stagedFramesAppearOnlyOnSave_data() { add_backends(); }
    void stagedFramesAppearOnlyOnSave() {
        OPEN_STORE(store);
        const int64_t id = store->create_title(a_title("h2"));
        store->save_analysis(id, an_analysis(2));
        store->stage_frames(id, {a_frame(0, 3, {1}), a_frame(0, 7, {2})});
        store->stage_frames(id, {a_frame(1, 60, {3})});
        QCOMPARE(int(store->frames(id).size()), 2);  // readers still see the stored analysis
        TitleAnalysis next = an_analysis(2);
        next.frames.clear();
        store->save_analysis(id, next);
        const auto frames = store->frames(id);
        QCOMPARE(int(frames.size()), 3);
        QCOMPARE(frames[2].frame_index, int64_t(60));
        QCOMPARE(store->thumbnail_jpeg(frames[2].id), std::vector<uint8_t>{3});
        // Leftovers of an interrupted run are dropped.
        store->stage_frames(id, {a_frame(0, 9, {4})});
        store->clear_staged_frames(id);
        store->save_analysis(id, next);
        QCOMPARE(int(store->frames(id).size()), 0);
    }

    void brokenAnalysisChangesNothing_data() { add_backends(); }
    void brokenAnalysisChangesNothing() {
        OPEN_STORE(store);
        const int64_t id = store->create_title(a_title("h3"));
        store->save_analysis(id, an_analysis(2));
        TitleAnalysis broken = an_analysis(4);
        broken.shots[3].end_frame = broken.shots[3].start_frame;  // violates a CHECK
        try {
            store->save_analysis(id, broken);
            QFAIL("saved a shot that ends before it starts");
        } catch (const Error& e) {
            QVERIFY2(!QString(e.what()).contains('\n'), e.what());
        }
        QCOMPARE(int(store->shots(id).size()), 2);
        QCOMPARE(int(store->frames(id).size()), 2);
        QCOMPARE(int(store->markers(id).size()), 1);
        QCOMPARE(store->title(id)->status, TitleStatus::Ready);
        // The connection is still usable after the rolled-back transaction.
        store->save_analysis(id, an_analysis(3));
        QCOMPARE(int(store->shots(id).size()), 3);
    }

    void sameContentIsRefused_data() { add_backends(); }
    void sameContentIsRefused() {
        OPEN_STORE(store);
        store->create_title(a_title("same"));
        QVERIFY_THROWS_EXCEPTION(Error, store->create_title(a_title("same", "Other")));
        QCOMPARE(int(store->titles().size()), 1);  // the refused title's row was rolled back too
    }

    // One ingest of a content at a time: a second connection (another thread, process or node) cannot take the
    // content's lock until the first lets go; other contents are free meanwhile.
    void oneIngestOfAContentAtATime_data() { add_backends(); }
    void oneIngestOfAContentAtATime() {
        OPEN_STORE(first);
        auto second = open_store(first->url());
        const std::string hash = "5f3a9c0e11d2b7a48c6e0f1a2b3c4d5e";
        {
            auto held = first->try_lock_content(hash);
            QVERIFY(held);
            QVERIFY(!second->try_lock_content(hash));
            QVERIFY(second->try_lock_content("00aa11bb22cc33dd44ee55ff66778899"));  // another content
            QVERIFY(!second->try_lock_content(hash));  // still held
        }
        auto taken = second->try_lock_content(hash);  // let go: free
        QVERIFY(taken);
        QVERIFY(!first->try_lock_content(hash));
        // A killed holder leaves no lock behind: tst_ingest_crash kills ingests and ingests the file again.
    }

    void liveUpdatesFromAnotherConnection_data() { add_backends(); }
    void liveUpdatesFromAnotherConnection() {
        OPEN_STORE(reviewer);
        auto ingest = open_store(reviewer->url());
        QVERIFY(!reviewer->changed_elsewhere());  // the first call only takes the reading
        QVERIFY(!ingest->changed_elsewhere());
        // QTRY evaluates its condition more than once: remember a true answer.
        bool seen = false;
        const int64_t id = ingest->create_title(a_title("live"));
        QTRY_VERIFY_WITH_TIMEOUT(seen = seen || reviewer->changed_elsewhere(), 3000);
        QVERIFY(!reviewer->changed_elsewhere());  // once per change
        seen = false;
        ingest->save_analysis(id, an_analysis(2));
        QTRY_VERIFY_WITH_TIMEOUT(seen = seen || reviewer->changed_elsewhere(), 3000);
        // Its own writes are not news to a connection.
        reviewer->set_title_status(id, TitleStatus::Ready, "checked by a reviewer");  // a real change
        QTest::qWait(200);
        QVERIFY(!reviewer->changed_elsewhere());
        QVERIFY(ingest->changed_elsewhere());
    }

    void reviewsConflictsAndUndo_data() { add_backends(); }
    void reviewsConflictsAndUndo() {
        OPEN_STORE(alice);
        auto bob = open_store(alice->url());  // a second reviewer, another connection
        const int64_t id = alice->create_title(a_title("review"));
        alice->save_analysis(id, an_analysis(3));
        const MarkerRecord m = alice->marker_records(id).at(0);
        QCOMPARE(m.state, ReviewState::Proposed);
        QCOMPARE(m.version, int64_t(1));

        ReviewOutcome a = alice->review_marker({m.id, 1, "alice", ReviewAction::Accept});
        QVERIFY(a.applied);
        QCOMPARE(a.current.state, ReviewState::Accepted);
        QCOMPARE(a.current.version, int64_t(2));

        // Bob still sees version 1: he gets a conflict carrying Alice's value, and nothing changes.
        ReviewOutcome b = bob->review_marker({m.id, 1, kHostile, ReviewAction::Reject});
        QVERIFY(!b.applied);
        QCOMPARE(b.current.state, ReviewState::Accepted);
        QCOMPARE(b.current.version, int64_t(2));
        QCOMPARE(int(alice->review_events(id).size()), 1);

        b = bob->review_marker({m.id, 2, kHostile, ReviewAction::Reject});
        QVERIFY(b.applied);
        QVERIFY(alice->markers(id).empty());  // a rejected cue is not shown
        QCOMPARE(alice->marker_records(id).at(0).state, ReviewState::Rejected);

        // Undo is a new event that puts back what the undone one changed.
        ReviewOutcome u = alice->review_marker({m.id, 3, "alice", ReviewAction::Undo, -1, -1, b.event_id});
        QVERIFY(u.applied);
        QCOMPARE(u.current.state, ReviewState::Accepted);
        QCOMPARE(u.current.version, int64_t(4));

        ReviewOutcome c = alice->review_marker({m.id, 4, "alice", ReviewAction::Correct, 5, 19});
        QVERIFY(c.applied);
        QCOMPARE(c.current.state, ReviewState::Corrected);
        QCOMPARE(alice->markers(id).at(0).start_frame, int64_t(5));
        QCOMPARE(alice->markers(id).at(0).end_frame, int64_t(19));
        QVERIFY(qAbs(alice->markers(id).at(0).start_s - 0.2) < 1e-9);
        QVERIFY_THROWS_EXCEPTION(Error, alice->review_marker({m.id, 5, "alice", ReviewAction::Correct, 9, 3}));
        QVERIFY_THROWS_EXCEPTION(Error, alice->review_marker({m.id + 1000, 1, "alice", ReviewAction::Accept}));
        QCOMPARE(alice->marker_records(id).at(0).version, int64_t(5));

        const auto events = bob->review_events(id);
        QCOMPARE(int(events.size()), 4);
        QCOMPARE(events[1].reviewer, kHostile);
        QCOMPARE(events[1].action, std::string("reject"));
        QVERIFY(events[1].before.find("\"accepted\"") != std::string::npos);
        QVERIFY(events[1].after.find("\"rejected\"") != std::string::npos);
        QCOMPARE(events[2].undoes, b.event_id);
        QCOMPARE(events[3].action, std::string("correct"));
        QVERIFY(events[3].at.size() == 20 && events[3].at.back() == 'Z');
    }

    void rerunKeepsDecisions_data() { add_backends(); }
    void rerunKeepsDecisions() {
        OPEN_STORE(store);
        const int64_t id = store->create_title(a_title("rerun"));
        TitleAnalysis first = an_analysis(3);
        first.markers.push_back(Marker{CueKind::Black, 60, 70, 2.4, 2.84, 1.0});
        store->save_analysis(id, first);
        const auto records = store->marker_records(id);
        QCOMPARE(int(records.size()), 2);
        QVERIFY(store->review_marker({records[0].id, 1, "eve", ReviewAction::Accept}).applied);  // the bars
        // The new run proposes the bars again (slightly different), drops the black, finds credits.
        TitleAnalysis second = an_analysis(3);
        second.markers = {Marker{CueKind::ColourBars, 0, 26, 0.0, 1.08, 0.8},
                          Marker{CueKind::ClosingCredits, 100, 149, 4.0, 6.0, 0.6}};
        store->save_analysis(id, second);
        const auto after = store->marker_records(id);
        QCOMPARE(int(after.size()), 2);
        QCOMPARE(after[0].id, records[0].id);  // Eve's decision, untouched
        QCOMPARE(after[0].state, ReviewState::Accepted);
        QCOMPARE(after[0].marker.end_frame, int64_t(24));
        QCOMPARE(after[1].marker.kind, CueKind::ClosingCredits);
        QCOMPARE(after[1].state, ReviewState::Proposed);
        QCOMPARE(int(store->review_events(id).size()), 1);
    }

    void manyReviewersLoseNothing_data() { add_backends(); }
    void manyReviewersLoseNothing() {
        // 8 reviewers, each on its own connection and thread, 1,000 reviews each: every one lands, none is lost.
        OPEN_STORE(store);
        const int64_t id = store->create_title(a_title("busy"));
        TitleAnalysis a = an_analysis(1);
        a.markers.clear();
        for (int k = 0; k < 8; ++k) a.markers.push_back(Marker{CueKind::Black, k * 10, k * 10 + 5, 0, 0.2, 1});
        store->save_analysis(id, a);
        const auto markers = store->marker_records(id);
        QCOMPARE(int(markers.size()), 8);
        constexpr int kReviews = 1000;
        std::atomic<int> conflicts = 0, failures = 0;
        std::vector<std::thread> reviewers;
        for (int k = 0; k < 8; ++k)
            reviewers.emplace_back([&, k] {
                try {
                    auto mine = open_store(store->url());
                    for (int n = 0; n < kReviews; ++n) {
                        const auto action = n % 2 ? ReviewAction::Reject : ReviewAction::Accept;
                        if (!mine->review_marker({markers[k].id, n + 1, "reviewer " + std::to_string(k), action})
                                 .applied)
                            ++conflicts;
                    }
                } catch (const std::exception& e) {
                    qWarning("%s", e.what());
                    ++failures;
                }
            });
        for (auto& t : reviewers) t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(conflicts.load(), 0);
        QCOMPARE(int(store->review_events(id).size()), 8 * kReviews);
        for (const MarkerRecord& m : store->marker_records(id)) QCOMPARE(m.version, int64_t(kReviews + 1));
    }

    void reopenKeepsDataAndSchema_data() { add_backends(); }
    void reopenKeepsDataAndSchema() {
        OPEN_STORE(store);
        const int64_t id = store->create_title(a_title("h4"));
        store->save_analysis(id, an_analysis(2));
        const std::string url = store->url();
        store.reset();
        auto again = open_store(url);  // migrations are not applied twice
        QCOMPARE(again->schema_version(), 8);
        QCOMPARE(int(again->shots(id).size()), 2);
    }
};

QTEST_GUILESS_MAIN(TestStoreBackends)
#include "tst_store_backends.moc"
