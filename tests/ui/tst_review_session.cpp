// The review plumbing every view uses: edits as undo commands that run off the GUI thread, in order, each a review
// event; undo and redo as events too; a stale edit reported as a conflict instead of overwriting.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"
#include "ui/store_command.h"

using namespace frameline;
using namespace frameline::ui;

class TestReviewSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void acceptUndoRedoAreEvents();
    void editsRunInOrder();
    void staleEditIsAConflict();
    void storeErrorIsReported();
    void shortcutsFollowChanges();

private:
    Tag storedTag(int64_t id);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
};

void TestReviewSession::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();
}

Tag TestReviewSession::storedTag(int64_t id)
{
    for (const Tag& t : fx_.store->tags(fx_.title_id))
        if (t.id == id) return t;
    return {};
}

void TestReviewSession::acceptUndoRedoAreEvents()
{
    ReviewSession session(open_store(fx_.db_path.toStdString()));
    session.setReviewer(QStringLiteral("ana"));
    QSignalSpy edited(&session, &ReviewSession::edited);
    const Tag before = storedTag(fx_.tag_ids[0]);
    Review r;
    r.entity = "tag";
    r.id = before.id;
    r.expected_version = before.version;
    r.action = ReviewAction::Accept;
    session.undoStack()->push(StoreCommand::review(&session, QStringLiteral("Accept tag"), r, fx_.title_id));
    QVERIFY(session.waitForIdle());
    QCOMPARE(storedTag(before.id).state, ReviewState::Accepted);
    session.undoStack()->undo();
    QVERIFY(session.waitForIdle());
    QCOMPARE(storedTag(before.id).state, ReviewState::Proposed);
    session.undoStack()->redo();
    QVERIFY(session.waitForIdle());
    QCOMPARE(storedTag(before.id).state, ReviewState::Accepted);
    QCOMPARE(edited.count(), 3);

    int events = 0;
    for (const ReviewEvent& e : fx_.store->review_events(fx_.title_id))
        if (e.entity == "tag" && e.entity_id == before.id) {
            ++events;
            QCOMPARE(QString::fromStdString(e.reviewer), QStringLiteral("ana"));
        }
    QCOMPARE(events, 3);  // accept, undo, accept again
}

void TestReviewSession::editsRunInOrder()
{
    // Many edits pushed at once, then undone at once: the undos must each run after the edit they take back.
    ReviewSession session(open_store(fx_.db_path.toStdString()));
    for (size_t i = 1; i < fx_.tag_ids.size(); ++i) {
        const Tag t = storedTag(fx_.tag_ids[i]);
        Review r;
        r.entity = "tag";
        r.id = t.id;
        r.expected_version = t.version;
        r.action = ReviewAction::Reject;
        session.undoStack()->push(StoreCommand::review(&session, QStringLiteral("Reject"), r, fx_.title_id));
    }
    while (session.undoStack()->canUndo()) session.undoStack()->undo();
    QVERIFY(session.waitForIdle());
    for (size_t i = 1; i < fx_.tag_ids.size(); ++i) QCOMPARE(storedTag(fx_.tag_ids[i]).state, ReviewState::Proposed);
}

void TestReviewSession::staleEditIsAConflict()
{
    ReviewSession session(open_store(fx_.db_path.toStdString()));
    QSignalSpy conflicts(&session, &ReviewSession::conflict);
    const Tag seen = storedTag(fx_.tag_ids[1]);
    // Another reviewer relabels it first.
    Review theirs;
    theirs.entity = "tag";
    theirs.id = seen.id;
    theirs.expected_version = seen.version;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Correct;
    theirs.label = "wolf";
    QVERIFY(fx_.store->review(theirs).applied);

    Review mine = theirs;
    mine.action = ReviewAction::Reject;
    mine.label.clear();
    session.undoStack()->push(StoreCommand::review(&session, QStringLiteral("Reject"), mine, fx_.title_id));
    QVERIFY(session.waitForIdle());
    QCOMPARE(conflicts.count(), 1);
    const auto report = conflicts.first().first().value<EditReport>();
    QVERIFY(!report.applied);
    QVERIFY2(QString::fromStdString(report.result.snapshot).contains(QStringLiteral("wolf")),
             report.result.snapshot.c_str());
    QCOMPARE(storedTag(seen.id).label, std::string("wolf"));  // theirs kept
    QCOMPARE(storedTag(seen.id).state, ReviewState::Corrected);
    // Undoing the edit that never applied changes nothing.
    session.undoStack()->undo();
    QVERIFY(session.waitForIdle());
    QCOMPARE(storedTag(seen.id).state, ReviewState::Corrected);
    // "Use mine": the same edit again over what is stored now.
    QVERIFY(report.retry);
    report.retry();
    QVERIFY(session.waitForIdle());
    QCOMPARE(storedTag(seen.id).state, ReviewState::Rejected);
    QCOMPARE(conflicts.count(), 1);
}

void TestReviewSession::storeErrorIsReported()
{
    ReviewSession session(open_store(fx_.db_path.toStdString()));
    QSignalSpy failed(&session, &ReviewSession::failed);
    Review r;
    r.entity = "tag";
    r.id = 999999;
    r.expected_version = 1;
    r.action = ReviewAction::Accept;
    session.undoStack()->push(StoreCommand::review(&session, QStringLiteral("Accept"), r, fx_.title_id));
    QVERIFY(session.waitForIdle());
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.first().first().toString().contains(QStringLiteral("999999")),
             qPrintable(failed.first().first().toString()));
}

void TestReviewSession::shortcutsFollowChanges()
{
    QAction action;
    Shortcuts::instance().bind(&action, QStringLiteral("test.accept"), QStringLiteral("Accept"), QKeySequence("A"));
    QCOMPARE(action.shortcut(), QKeySequence("A"));
    Shortcuts::instance().setKey(QStringLiteral("test.accept"), QKeySequence("Y"));
    QCOMPARE(action.shortcut(), QKeySequence("Y"));
    QCOMPARE(Shortcuts::instance().idsUsing(QKeySequence("Y")), QStringList{QStringLiteral("test.accept")});
    Shortcuts::instance().resetAll();
    QCOMPARE(action.shortcut(), QKeySequence("A"));
}

QTEST_MAIN(TestReviewSession)
#include "tst_review_session.moc"
