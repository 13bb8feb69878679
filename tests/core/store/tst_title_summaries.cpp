// Store::title_summaries(): every title with its review progress (the Library view's rows), on both backends
// (SQLite and a throwaway PostgreSQL). Counts are checked against reviews made through the store, and titles
// without analysis, without proposals or that failed keep their place with zeros.
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/ready_title.h"
#include "tests/support/store_backends.h"

using namespace frameline;

#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {

Tag a_tag(int shot, const std::string& label) {
    Tag t;
    t.shot_index = shot;
    t.category = "object";
    t.label = label;
    t.confidence = 0.5;
    return t;
}

Chapter a_chapter(ChapterKind kind, int64_t start, int64_t end) {
    Chapter c;
    c.kind = kind;
    c.start_frame = start;
    c.end_frame = end;
    c.start_s = start / 25.0;
    c.end_s = (end + 1) / 25.0;
    return c;
}

Character a_character(const std::string& name, double screen_time_s) {
    Character c;
    c.name = name;
    c.screen_time_s = screen_time_s;
    return c;
}

ArtworkCandidate an_artwork(int64_t frame, double score) {
    ArtworkCandidate a;
    a.frame_index = frame;
    a.score = score;
    return a;
}

Review a_review(const std::string& entity, int64_t id, int64_t version, const std::string& reviewer,
                ReviewAction action, const std::string& label = "") {
    Review r;
    r.entity = entity;
    r.id = id;
    r.expected_version = version;
    r.reviewer = reviewer;
    r.action = action;
    r.label = label;
    return r;
}

const TitleSummary* find(const std::vector<TitleSummary>& all, int64_t id) {
    for (const TitleSummary& s : all)
        if (s.title.id == id) return &s;
    return nullptr;
}

}  // namespace

class TestTitleSummaries : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;

    void add_backends() { test::StoreBackends::add_rows(); }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void emptyDatabaseHasNoRows_data() { add_backends(); }
    void emptyDatabaseHasNoRows() {
        OPEN_STORE(store);
        QVERIFY(store->title_summaries().empty());
    }

    void countsFollowReviews_data() { add_backends(); }
    void countsFollowReviews() {
        OPEN_STORE(store);
        const int64_t busy = test::add_ready_title(*store, "busy", 3);
        const int64_t quiet = test::add_ready_title(*store, "quiet", 2);
        NewTitle broken_title;
        broken_title.name = "broken";
        broken_title.media_path = "/media/broken.mp4";
        broken_title.content_hash = "hash-broken";
        const int64_t broken = store->create_title(broken_title);
        store->set_title_status(broken, TitleStatus::Failed, "cannot decode frame 12: re-encode the file");

        ModelRunOutput run;
        run.model = "analysis";
        run.tags = {a_tag(0, "car"), a_tag(0, "dog"), a_tag(1, "cat"), a_tag(2, "bird"), a_tag(-1, "tense")};
        run.characters = {a_character("", 9), a_character("", 5), a_character("", 2)};
        run.chapters = {a_chapter(ChapterKind::Chapter, 0, 74), a_chapter(ChapterKind::Chapter, 75, 149),
                        a_chapter(ChapterKind::KeyScene, 20, 40), a_chapter(ChapterKind::Scene, 0, 49)};
        run.artwork = {an_artwork(25, 0.9), an_artwork(75, 0.7), an_artwork(125, 0.5)};
        store->save_model_run(busy, run);
        ModelRunOutput other;  // the other title's rows must not leak into the busy one's counts
        other.model = "analysis";
        other.tags = {a_tag(0, "tree")};
        store->save_model_run(quiet, other);

        // Before any review: everything proposed.
        auto all = store->title_summaries();
        QCOMPARE(int(all.size()), 3);
        const TitleSummary* s = find(all, busy);
        QVERIFY(s);
        QCOMPARE(s->tags.total, 5);
        QCOMPARE(s->tags.proposed, 5);
        QCOMPARE(s->tags.reviewed(), 0);
        QCOMPARE(s->characters_kept, 3);
        QCOMPARE(s->characters_named, 0);
        QVERIFY(s->last_review_at.empty());
        QVERIFY(s->last_reviewer.empty());

        const auto tags = store->tags(busy);
        QVERIFY(store->review(a_review("tag", tags[0].id, 1, "ann", ReviewAction::Accept)).applied);
        QVERIFY(store->review(a_review("tag", tags[1].id, 1, "ann", ReviewAction::Reject)).applied);
        QVERIFY(store->review(a_review("tag", tags[2].id, 1, "ann", ReviewAction::Correct, "lorry")).applied);
        const auto characters = store->characters(busy);  // by screen time: 9, 5, 2
        QVERIFY(store->review(a_review("character", characters[0].id, 1, "ann", ReviewAction::Correct, "Mara")).applied);
        QVERIFY(store->merge_characters("ann", characters[0].id, 2, characters[2].id, 1).applied);
        const auto chapters = store->chapters(busy);
        for (const Chapter& c : chapters)
            if (c.kind == ChapterKind::KeyScene)
                QVERIFY(store->review(a_review("chapter", c.id, 1, "ann", ReviewAction::Reject)).applied);
            else if (c.kind == ChapterKind::Chapter && c.start_frame == 0)
                QVERIFY(store->review(a_review("chapter", c.id, 1, "ann", ReviewAction::Accept)).applied);
        const auto art = store->artwork_candidates(busy);
        QVERIFY(store->review(a_review("artwork", art[0].id, 1, "ann", ReviewAction::Accept)).applied);
        QVERIFY(store->review(a_review("artwork", art[1].id, 1, "ann", ReviewAction::Reject)).applied);
        QVERIFY(store->review(a_review("artwork", art[2].id, 1, "bob", ReviewAction::Accept)).applied);

        all = store->title_summaries();
        QCOMPARE(int(all.size()), 3);
        // The order of titles(): by id.
        QCOMPARE(all[0].title.id, busy);
        QCOMPARE(all[1].title.id, quiet);
        QCOMPARE(all[2].title.id, broken);

        s = &all[0];
        QCOMPARE(s->title.name, std::string("busy"));
        QCOMPARE(s->title.status, TitleStatus::Ready);
        QCOMPARE(s->title.shot_count, 3);
        QCOMPARE(s->title.duration_s, 6.0);
        QCOMPARE(s->sampled_frames, int64_t(3));
        QCOMPARE(s->tags.total, 5);
        QCOMPARE(s->tags.accepted, 1);
        QCOMPARE(s->tags.rejected, 1);
        QCOMPARE(s->tags.corrected, 1);
        QCOMPARE(s->tags.proposed, 2);
        QCOMPARE(s->tags.reviewed(), 3);
        // Named "Mara" (corrected), the 5 s one unnamed, the 2 s one merged away (rejected): 1 named of 2 kept.
        QCOMPARE(s->characters.total, 3);
        QCOMPARE(s->characters.rejected, 1);
        QCOMPARE(s->characters_kept, 2);
        QCOMPARE(s->characters_named, 1);
        QCOMPARE(s->chapters.total, 2);
        QCOMPARE(s->chapters.accepted, 1);
        QCOMPARE(s->key_scenes.total, 1);
        QCOMPARE(s->key_scenes.rejected, 1);
        QCOMPARE(s->scenes.total, 1);
        QCOMPARE(s->scenes.proposed, 1);
        QCOMPARE(s->artwork.total, 3);
        QCOMPARE(s->artwork_picked(), 2);
        QCOMPARE(s->last_reviewer, std::string("bob"));  // the newest event, whoever made the earlier ones
        QVERIFY2(s->last_review_at.size() == 20 && s->last_review_at.back() == 'Z', s->last_review_at.c_str());

        s = &all[1];
        QCOMPARE(s->title.name, std::string("quiet"));
        QCOMPARE(s->sampled_frames, int64_t(2));
        QCOMPARE(s->tags.total, 1);
        QCOMPARE(s->tags.reviewed(), 0);
        QCOMPARE(s->characters.total, 0);
        QCOMPARE(s->artwork.total, 0);
        QVERIFY(s->last_reviewer.empty());

        s = &all[2];
        QCOMPARE(s->title.status, TitleStatus::Failed);
        QCOMPARE(s->title.status_message, std::string("cannot decode frame 12: re-encode the file"));
        QCOMPARE(s->sampled_frames, int64_t(0));
        QCOMPARE(s->tags.total, 0);

        // An undo is a review event too: it is the newest, and the counts follow the restored state.
        const auto events = store->review_events(busy);
        QVERIFY(!events.empty());
        Review undo;
        undo.entity = "artwork";
        undo.id = art[2].id;
        undo.expected_version = 2;
        undo.reviewer = "cy";
        undo.action = ReviewAction::Undo;
        undo.undo_event = events.back().id;
        QVERIFY(store->review(undo).applied);
        all = store->title_summaries();
        QCOMPARE(find(all, busy)->artwork_picked(), 1);
        QCOMPARE(find(all, busy)->last_reviewer, std::string("cy"));
        QVERIFY(find(all, quiet)->last_reviewer.empty());
    }
};

QTEST_GUILESS_MAIN(TestTitleSummaries)
#include "tst_title_summaries.moc"
