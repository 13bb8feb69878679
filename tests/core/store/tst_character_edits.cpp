// Store::move_faces: faces go from one character to another with both versions checked, one event on the character
// they left, and Review Undo of that event puts them back. Bad inputs change nothing. SQLite and PostgreSQL.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/store_backends.h"

using namespace frameline;

#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {

struct Clusters {
    int64_t title = 0;
    int64_t a = 0, b = 0;         // a: faces 0-3, b: faces 4-5
    std::vector<int64_t> faces;  // 6
};

Clusters two_clusters(Store& store, const std::string& hash) {
    Clusters c;
    NewTitle t;
    t.name = "Title " + hash;
    t.media_path = "/media/" + hash + ".mp4";
    t.content_hash = hash;
    t.fps = 25;
    c.title = store.create_title(t);
    TitleAnalysis analysis;
    analysis.frame_count = 100;
    analysis.duration_s = 4;
    analysis.fps = 25;
    // Four 1 s shots; sampled frames 0, 10, 20 | 30, 40 | 50, 60 | 80 (the faces are on 0..50).
    for (int i = 0; i < 4; ++i) {
        Shot shot;
        shot.index = i;
        shot.start_frame = 25 * i;
        shot.end_frame = 25 * (i + 1);
        shot.start_s = i;
        shot.end_s = i + 1;
        shot.transition = i == 0 ? Transition::None : Transition::Cut;
        analysis.shots.push_back(shot);
    }
    for (int frame : {0, 10, 20, 30, 40, 50, 60, 80}) {
        TitleAnalysis::Frame f;
        f.record.frame_index = frame;
        f.record.shot_index = frame / 25;
        f.record.pts_s = frame / 25.0;
        analysis.frames.push_back(f);
    }
    store.save_analysis(c.title, analysis);
    ModelRunOutput faces_run;
    faces_run.model = "faces";
    for (int i = 0; i < 6; ++i) {
        Face f;
        f.frame_index = 10 * i;
        f.x = 0.1 * i;
        f.y = 0.2;
        f.width = 0.2;
        f.height = 0.3;
        f.score = 0.9;
        faces_run.faces.push_back(f);
    }
    store.save_model_run(c.title, faces_run);
    for (const Face& f : store.faces(c.title)) c.faces.push_back(f.id);
    ModelRunOutput clusters;
    clusters.model = "analysis";
    Character a;
    a.face_ids = {c.faces[0], c.faces[1], c.faces[2], c.faces[3]};
    a.best_face_id = c.faces[0];
    Character b;
    b.face_ids = {c.faces[4], c.faces[5]};
    b.best_face_id = c.faces[4];
    clusters.characters = {a, b};
    store.save_model_run(c.title, clusters);
    const auto stored = store.characters(c.title);
    c.a = stored.at(0).id;
    c.b = stored.at(1).id;
    return c;
}

Character character(Store& store, int64_t title, int64_t id) {
    for (const Character& c : store.characters(title))
        if (c.id == id) return c;
    return {};
}

int events_of(Store& store, int64_t title) { return int(store.review_events(title).size()); }

}  // namespace

class TestCharacterEdits : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;

    void add_backends() { test::StoreBackends::add_rows(); }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void moveAndUndo_data() { add_backends(); }
    void moveAndUndo() {
        OPEN_STORE(store);
        const Clusters c = two_clusters(*store, "move");
        const Character a = character(*store, c.title, c.a);
        const Character b = character(*store, c.title, c.b);
        const ReviewResult moved = store->move_faces("ana", c.a, a.version, c.b, b.version, {c.faces[1], c.faces[3]});
        QVERIFY(moved.applied);
        QVERIFY(moved.event_id > 0);
        QCOMPARE(moved.version, a.version + 1);
        QCOMPARE(character(*store, c.title, c.a).face_ids, (std::vector<int64_t>{c.faces[0], c.faces[2]}));
        QCOMPARE(character(*store, c.title, c.b).face_ids,
                 (std::vector<int64_t>{c.faces[1], c.faces[3], c.faces[4], c.faces[5]}));
        QCOMPARE(character(*store, c.title, c.b).version, b.version + 1);  // into changed too: stale views conflict
        // Screen time follows the faces (each shot's second shared over its sampled frames): a keeps frames 0 and
        // 20 (2 of shot 0's 3), b gains 10 (1/3 of shot 0) and 30 (shot 1: both of its 2 frames with 40).
        QVERIFY(qAbs(character(*store, c.title, c.a).screen_time_s - 2.0 / 3.0) < 1e-9);
        QVERIFY(qAbs(character(*store, c.title, c.b).screen_time_s - (1.0 / 3.0 + 1.0 + 0.5)) < 1e-9);
        QCOMPARE(character(*store, c.title, c.a).state, ReviewState::Proposed);

        const auto events = store->review_events(c.title);
        QCOMPARE(int(events.size()), 1);
        QCOMPARE(events[0].entity_id, c.a);
        QCOMPARE(events[0].reviewer, std::string("ana"));
        const auto before = nlohmann::json::parse(events[0].before);
        QCOMPARE(int(before["faces"].size()), 2);
        QCOMPARE(before["faces"][std::to_string(c.faces[1])].get<int64_t>(), c.a);

        Review undo;
        undo.entity = "character";
        undo.id = c.a;
        undo.expected_version = moved.version;
        undo.reviewer = "ana";
        undo.action = ReviewAction::Undo;
        undo.undo_event = moved.event_id;
        QVERIFY(store->review(undo).applied);
        QCOMPARE(character(*store, c.title, c.a).face_ids,
                 (std::vector<int64_t>{c.faces[0], c.faces[1], c.faces[2], c.faces[3]}));
        QCOMPARE(character(*store, c.title, c.b).face_ids, (std::vector<int64_t>{c.faces[4], c.faces[5]}));
        QVERIFY(character(*store, c.title, c.a).name.empty());  // an unnamed character stays unnamed
        QVERIFY(qAbs(character(*store, c.title, c.a).screen_time_s - 1.5) < 1e-9);  // shot 0 whole, half of shot 1
        QVERIFY(qAbs(character(*store, c.title, c.b).screen_time_s - 1.0) < 1e-9);  // halves of shots 1 and 2
    }

    void badInputsChangeNothing_data() { add_backends(); }
    void badInputsChangeNothing() {
        OPEN_STORE(store);
        const Clusters c = two_clusters(*store, "bad");
        const Character a = character(*store, c.title, c.a);
        const Character b = character(*store, c.title, c.b);
        // A face of b, claimed to be in a.
        QVERIFY_THROWS_EXCEPTION(Error, store->move_faces("ana", c.a, a.version, c.b, b.version, {c.faces[0], c.faces[4]}));
        // Into itself.
        QVERIFY_THROWS_EXCEPTION(Error, store->move_faces("ana", c.a, a.version, c.a, a.version, {c.faces[0]}));
        // Nothing to move, an unknown character, no reviewer.
        QVERIFY_THROWS_EXCEPTION(Error, store->move_faces("ana", c.a, a.version, c.b, b.version, {}));
        QVERIFY_THROWS_EXCEPTION(Error, store->move_faces("ana", c.a, a.version, 999999, 1, {c.faces[0]}));
        QVERIFY_THROWS_EXCEPTION(Error, store->move_faces("", c.a, a.version, c.b, b.version, {c.faces[0]}));
        // Stale versions: a conflict that answers what is stored now, not an overwrite.
        const ReviewResult stale_from = store->move_faces("ana", c.a, a.version + 5, c.b, b.version, {c.faces[0]});
        QVERIFY(!stale_from.applied);
        QCOMPARE(stale_from.version, a.version);
        QCOMPARE(stale_from.conflict_id, int64_t(0));  // the conflict is on the row reviewed
        const ReviewResult stale_into = store->move_faces("ana", c.a, a.version, c.b, b.version - 1, {c.faces[0]});
        QVERIFY(!stale_into.applied);
        QCOMPARE(stale_into.version, b.version);
        QCOMPARE(stale_into.conflict_id, c.b);  // names the target whose version was stale

        QCOMPARE(character(*store, c.title, c.a).face_ids.size(), size_t(4));
        QCOMPARE(character(*store, c.title, c.b).face_ids.size(), size_t(2));
        QCOMPARE(character(*store, c.title, c.a).version, a.version);
        QCOMPARE(character(*store, c.title, c.b).version, b.version);
        QCOMPARE(events_of(*store, c.title), 0);
    }

    void otherTitlesCharacterIsRefused_data() { add_backends(); }
    void otherTitlesCharacterIsRefused() {
        OPEN_STORE(store);
        const Clusters one = two_clusters(*store, "one");
        const Clusters two = two_clusters(*store, "two");
        QVERIFY_THROWS_EXCEPTION(Error, store->move_faces("ana", one.a, 1, two.b, 1, {one.faces[0]}));
        QCOMPARE(character(*store, one.title, one.a).face_ids.size(), size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestCharacterEdits)
#include "tst_character_edits.moc"
