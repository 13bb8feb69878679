// Scene search over a title's texts (core/search/title_text_source.h): synopsis and review sentences match every
// shot of their title at half weight, name the sentence in the result, and stay with their title.
#include <QTemporaryDir>
#include <QtTest>

#include "core/search/scene_search.h"
#include "core/search/title_text_source.h"
#include "core/store/store.h"
#include "tests/support/ready_title.h"

using namespace frameline;

class TestTitleTextSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sentences() {
        const std::vector<std::string> s =
            text_sentences("A tense car chase. It ends at 3.5 km, e.g. near the harbour!\nWhy?  \n\n Because.");
        QCOMPARE(s.size(), size_t(4));
        QCOMPARE(s[0], std::string("A tense car chase."));
        QCOMPARE(s[1], std::string("It ends at 3.5 km, e.g. near the harbour!"));
        QCOMPARE(s[2], std::string("Why?"));
        QCOMPARE(s[3], std::string("Because."));
        QVERIFY(text_sentences("").empty());
        QVERIFY(text_sentences(" \n \n").empty());
    }

    void searchFindsTitleTexts() {
        QTemporaryDir dir;
        auto store = open_store((dir.path() + "/search.db").toStdString());
        const int64_t chase = test::add_ready_title(*store, "Night chase", 3);
        const int64_t other = test::add_ready_title(*store, "Quiet garden", 2);
        TitleText synopsis;
        synopsis.title_id = chase;
        synopsis.kind = "synopsis";
        synopsis.text = "A retired detective hunts car thieves. A tense chase ends at the harbour.";
        store->add_title_text(synopsis);
        TitleText review;
        review.title_id = chase;
        review.kind = "review";
        review.source = "critic.txt";
        review.text = "Superb, and the Amélie-style café scene is a treat.";
        store->add_title_text(review);

        SceneSearch search(*store);
        search.add_text_source(title_text_source());
        SceneQuery q;
        q.text = "harbour";
        std::vector<SceneHit> hits = search.search(q);
        QCOMPARE(hits.size(), size_t(3));  // every shot of the title, none of the other title
        for (const SceneHit& h : hits) {
            QCOMPARE(h.title_id, chase);
            QCOMPARE(h.score, kTitleTextWeight);
            QVERIFY2(QString::fromStdString(h.why).startsWith("synopsis 'A tense chase ends at the harbour.'"), h.why.c_str());
        }
        // words match word starts, across sentences and texts; non-ASCII words too
        q.text = "detect harb";
        QCOMPARE(search.search(q).size(), size_t(3));
        q.text = "café superb";
        hits = search.search(q);
        QCOMPARE(hits.size(), size_t(3));
        QVERIFY2(QString::fromStdString(hits[0].why).startsWith("review 'Superb"), hits[0].why.c_str());
        q.text = "garden";  // a title's name is not its text
        QVERIFY(search.search(q).empty());
        q.text = "harbour";
        q.title_id = other;
        QVERIFY(search.search(q).empty());
        // without the source, texts are not searched
        q.title_id = 0;
        QVERIFY(SceneSearch(*store).search(q).empty());
    }
};

QTEST_GUILESS_MAIN(TestTitleTextSearch)
#include "tst_title_text_search.moc"
