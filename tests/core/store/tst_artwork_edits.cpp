// Store::rank_artwork: a person's order of the artwork candidates, version-checked, logged, undoable.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/review_fixture.h"

using namespace frameline;

class TestArtworkEdits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rankOrdersAndUndoRestores();
    void staleVersionIsAConflict();
    void badInputsThrow();

private:
    ArtworkCandidate stored(int64_t id);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
};

void TestArtworkEdits::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
}

ArtworkCandidate TestArtworkEdits::stored(int64_t id)
{
    for (const ArtworkCandidate& a : fx_.store->artwork_candidates(fx_.title_id))
        if (a.id == id) return a;
    return {};
}

void TestArtworkEdits::rankOrdersAndUndoRestores()
{
    // The lowest-scoring candidate first: the order people gave wins over the score.
    const ArtworkCandidate last = stored(fx_.artwork_ids[2]);
    QCOMPARE(last.rank, 0);
    const ReviewResult r = fx_.store->rank_artwork("ana", last.id, last.version, 1);
    QVERIFY(r.applied);
    QCOMPARE(r.version, last.version + 1);
    QCOMPARE(r.state, last.state);  // ranking decides nothing about acceptance
    QCOMPARE(nlohmann::json::parse(r.snapshot)["rank"].get<int>(), 1);
    const auto order = fx_.store->artwork_candidates(fx_.title_id);
    QCOMPARE(order.front().id, last.id);
    QCOMPARE(order.front().rank, 1);
    QCOMPARE(order[1].id, fx_.artwork_ids[0]);  // the rest by score

    // One "correct" event with the rank before and after.
    const auto events = fx_.store->review_events(fx_.title_id);
    const ReviewEvent& e = events.back();
    QCOMPARE(QString::fromStdString(e.entity), QStringLiteral("artwork"));
    QCOMPARE(e.entity_id, last.id);
    QCOMPARE(QString::fromStdString(e.action), QStringLiteral("correct"));
    QCOMPARE(nlohmann::json::parse(e.before)["rank"].get<int>(), 0);
    QCOMPARE(nlohmann::json::parse(e.after)["rank"].get<int>(), 1);

    // Review Undo puts the old place back (review.cpp restores "rank" among the artwork's fields).
    Review undo;
    undo.entity = "artwork";
    undo.id = last.id;
    undo.expected_version = r.version;
    undo.reviewer = "ana";
    undo.action = ReviewAction::Undo;
    undo.undo_event = r.event_id;
    QVERIFY(fx_.store->review(undo).applied);
    QCOMPARE(stored(last.id).rank, 0);
    QCOMPARE(fx_.store->artwork_candidates(fx_.title_id).front().id, fx_.artwork_ids[0]);
}

void TestArtworkEdits::staleVersionIsAConflict()
{
    const ArtworkCandidate a = stored(fx_.artwork_ids[1]);
    const ReviewResult r = fx_.store->rank_artwork("ben", a.id, a.version - 1, 3);
    QVERIFY(!r.applied);
    QCOMPARE(r.version, a.version);
    QCOMPARE(stored(a.id).rank, a.rank);
    QCOMPARE(stored(a.id).version, a.version);
}

void TestArtworkEdits::badInputsThrow()
{
    const ArtworkCandidate a = stored(fx_.artwork_ids[1]);
    const size_t events = fx_.store->review_events(fx_.title_id).size();
    try {
        fx_.store->rank_artwork("ana", a.id, a.version, -1);
        QFAIL("a negative rank was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("negative")), e.what());
    }
    try {
        fx_.store->rank_artwork("ana", 987654, 1, 1);
        QFAIL("an unknown candidate was ranked");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("987654")), e.what());
    }
    try {
        fx_.store->rank_artwork("", a.id, a.version, 1);
        QFAIL("a rank without a reviewer was accepted");
    } catch (const Error&) {
    }
    QCOMPARE(fx_.store->review_events(fx_.title_id).size(), events);
    QCOMPARE(stored(a.id).version, a.version);
}

QTEST_GUILESS_MAIN(TestArtworkEdits)
#include "tst_artwork_edits.moc"
