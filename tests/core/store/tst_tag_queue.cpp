// Store::tag_queue() and friends: the tag review queue a page at a time, on both backends (SQLite and a throwaway
// PostgreSQL). Pages read one after another must give exactly the whole queue in its order (no row skipped or
// repeated, ties included), whatever the filters; the counts and the evidence lookups are checked against rows made
// through the store.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <set>

#include "core/store/store.h"
#include "tests/support/ready_title.h"
#include "tests/support/store_backends.h"

using namespace frameline;

#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {

Tag a_tag(int shot, const std::string& category, const std::string& label, double confidence) {
    Tag t;
    t.shot_index = shot;
    t.category = category;
    t.label = label;
    t.confidence = confidence;
    return t;
}

// The whole queue as it must come out, computed here from store->tags().
std::vector<int64_t> expected_order(Store& store, int64_t title, TagQueueOrder order,
                                    const std::function<bool(const Tag&)>& keep) {
    std::vector<Tag> tags = store.tags(title);
    std::vector<std::pair<int64_t, int64_t>> keyed;
    for (const Tag& t : tags) {
        if (!keep(t)) continue;
        const int64_t rank = order == TagQueueOrder::Uncertainty ? std::llround(std::abs(t.confidence - 0.5) * 1e6)
                                                                 : (t.shot_index < 0 ? -1 : t.shot_index * 2000);
        keyed.push_back({rank, t.id});
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<int64_t> ids;
    for (const auto& k : keyed) ids.push_back(k.second);
    return ids;
}

std::vector<int64_t> read_in_pages(Store& store, TagQueueQuery q, int* pages) {
    std::vector<int64_t> ids;
    *pages = 0;
    while (true) {
        const std::vector<TagQueueRow> rows = store.tag_queue(q);
        ++*pages;
        for (const TagQueueRow& r : rows) ids.push_back(r.tag.id);
        if (static_cast<int>(rows.size()) < q.limit || *pages > 1000) break;
        q.after = rows.back().key;
    }
    return ids;
}

}  // namespace

class TestTagQueue : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;

    void add_backends() { test::StoreBackends::add_rows(); }

    // 30 shots; 600 tags with confidences on a coarse grid (many ties), some title-wide, two models and people's.
    int64_t busy_title(Store& store) {
        const int64_t title = test::add_ready_title(store, "busy", 30);
        ModelRunOutput objects;
        objects.model = "objects";
        ModelRunOutput mood;
        mood.model = "analysis.mood";
        for (int i = 0; i < 600; ++i) {
            const double confidence = ((i * 37) % 21) / 20.0;  // 0, 0.05, ..., 1: ties on purpose
            const int shot = i % 7 == 0 ? -1 : (i * 13) % 30;
            if (i % 3 == 0) mood.tags.push_back(a_tag(shot, "mood", "mood-" + std::to_string(i), confidence));
            else objects.tags.push_back(a_tag(shot, "object", "Thing-" + std::to_string(i), confidence));
        }
        store.save_model_run(title, objects);
        store.save_model_run(title, mood);
        Tag mine = a_tag(4, "object", "100%_sure", 1.0);
        mine.title_id = title;
        store.add_tag("ann", mine);
        mine = a_tag(-1, "genre", "film_noir", 1.0);
        mine.title_id = title;
        store.add_tag("ann", mine);
        return title;
    }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void pagesGiveTheWholeQueueInOrder_data() { add_backends(); }
    void pagesGiveTheWholeQueueInOrder() {
        OPEN_STORE(store);
        const int64_t title = busy_title(*store);
        test::add_ready_title(*store, "other", 3);  // another title's tags must not leak in
        for (TagQueueOrder order : {TagQueueOrder::Uncertainty, TagQueueOrder::Time}) {
            TagQueueQuery q;
            q.title_id = title;
            q.order = order;
            q.limit = 64;
            int pages = 0;
            const std::vector<int64_t> ids = read_in_pages(*store, q, &pages);
            QCOMPARE(ids.size(), size_t(602));
            QCOMPARE(std::set<int64_t>(ids.begin(), ids.end()).size(), ids.size());  // nothing twice
            QCOMPARE(ids, expected_order(*store, title, order, [](const Tag&) { return true; }));
            QCOMPARE(pages, 10);  // 9 full pages and the rest
        }
    }

    void filtersRunInTheQuery_data() { add_backends(); }
    void filtersRunInTheQuery() {
        OPEN_STORE(store);
        const int64_t title = busy_title(*store);
        const std::vector<Tag> all = store->tags(title);
        // Decide a few, so that the state filter has something to find.
        int decided = 0;
        for (const Tag& t : all) {
            if (t.source == "human" || t.id % 5 != 0) continue;
            Review r;
            r.entity = "tag";
            r.id = t.id;
            r.expected_version = t.version;
            r.reviewer = "ann";
            r.action = ReviewAction::Reject;
            QVERIFY(store->review(r).applied);
            ++decided;
        }
        QVERIFY(decided > 50);

        struct Case {
            const char* name;
            TagQueueFilter filter;
            std::function<bool(const Tag&)> keep;
        };
        auto lower_contains = [](const std::string& s, const std::string& part) {
            std::string l = s;
            std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
            return l.find(part) != std::string::npos;
        };
        std::vector<Case> cases;
        cases.push_back({"text any case", {"THING-1", std::nullopt, "", 0},
                         [&](const Tag& t) { return lower_contains(t.label, "thing-1"); }});
        cases.push_back({"category", {"mood", std::nullopt, "", 0}, [&](const Tag& t) {
                             return lower_contains(t.label, "mood") || lower_contains(t.category, "mood");
                         }});
        cases.push_back({"wildcards are literal", {"%_", std::nullopt, "", 0},
                         [](const Tag& t) { return t.label == "100%_sure"; }});
        cases.push_back({"underscore is literal", {"o_d", std::nullopt, "", 0}, [](const Tag&) { return false; }});  // not "mood"
        cases.push_back({"state", {"", ReviewState::Rejected, "", 0},
                         [](const Tag& t) { return t.state == ReviewState::Rejected; }});
        cases.push_back({"people's", {"", std::nullopt, "human", 0}, [](const Tag& t) { return t.source == "human"; }});
        cases.push_back({"a model", {"", std::nullopt, "analysis.mood", 0},
                         [](const Tag& t) { return t.source != "human" && t.category == "mood"; }});
        cases.push_back({"confidence", {"", std::nullopt, "", 0.85},
                         [](const Tag& t) { return t.confidence + 1e-9 >= 0.85; }});
        cases.push_back({"all together", {"thing", ReviewState::Proposed, "objects", 0.5}, [&](const Tag& t) {
                             return lower_contains(t.label, "thing") && t.state == ReviewState::Proposed &&
                                    t.source != "human" && t.confidence + 1e-9 >= 0.5;
                         }});
        for (const Case& c : cases) {
            for (TagQueueOrder order : {TagQueueOrder::Uncertainty, TagQueueOrder::Time}) {
                TagQueueQuery q;
                q.title_id = title;
                q.filter = c.filter;
                q.order = order;
                q.limit = 25;
                int pages = 0;
                const std::vector<int64_t> ids = read_in_pages(*store, q, &pages);
                QVERIFY2(ids == expected_order(*store, title, order, c.keep), c.name);
            }
        }
        QVERIFY(expected_order(*store, title, TagQueueOrder::Time, cases[0].keep).size() > 50);  // the text case is not trivially empty

        const TagQueueStats stats = store->tag_queue_stats(title);
        QCOMPARE(stats.total, int64_t(602));
        QCOMPARE(stats.reviewed, int64_t(decided + 2));  // people's own tags are accepted when added
        QCOMPARE(stats.models, (std::vector<std::string>{"analysis.mood", "human", "objects"}));
        QCOMPARE(stats.categories, (std::vector<std::string>{"genre", "mood", "object"}));
    }

    void rowsCarryTheirShotAndModel_data() { add_backends(); }
    void rowsCarryTheirShotAndModel() {
        OPEN_STORE(store);
        const int64_t title = busy_title(*store);
        TagQueueQuery q;
        q.title_id = title;
        q.filter.text = "100%_sure";
        const std::vector<TagQueueRow> mine = store->tag_queue(q);
        QCOMPARE(mine.size(), size_t(1));
        QCOMPARE(mine[0].model, std::string("human"));
        QCOMPARE(mine[0].start_s, 8.0);  // shot 4 of two-second shots
        QCOMPARE(mine[0].end_s, 10.0);
        QCOMPARE(mine[0].tag.state, ReviewState::Accepted);
        q.filter.text = "film_noir";
        const std::vector<TagQueueRow> wide = store->tag_queue(q);
        QCOMPARE(wide.size(), size_t(1));
        QCOMPARE(wide[0].tag.shot_index, -1);
        QCOMPARE(wide[0].start_s, -1.0);
        QVERIFY(store->tag_queue(TagQueueQuery{title + 100, {}, TagQueueOrder::Time, std::nullopt, 10}).empty());
    }

    void evidenceFrames_data() { add_backends(); }
    void evidenceFrames() {
        OPEN_STORE(store);
        const int64_t title = test::add_ready_title(*store, "frames", 4);  // frames 25, 75, 125, 175
        const std::vector<FrameRef> near = store->frames_nearest(title, {0, 49, 50, 51, 100, 1000000});
        std::vector<int64_t> got;
        for (const FrameRef& f : near) got.push_back(f.frame_index);
        QCOMPARE(got, (std::vector<int64_t>{25, 25, 75, 75, 125, 175}));  // a tie (50) goes to the later frame
        QCOMPARE(near[2].shot_index, 1);
        const std::vector<FrameRef> shots = store->frames_of_shots(title, {3, 1, 1, 9});
        QCOMPARE(shots.size(), size_t(2));
        QCOMPARE(shots[0].frame_index, int64_t(75));
        QCOMPARE(shots[1].frame_index, int64_t(175));
        QVERIFY(store->frames_of_shots(title, {}).empty());
        const int64_t bare = store->create_title(NewTitle{"bare", "/media/bare.mp4", "hash-bare"});
        QVERIFY(store->frames_nearest(bare, {10}).empty());
    }
};

QTEST_GUILESS_MAIN(TestTagQueue)
#include "tst_tag_queue.moc"
