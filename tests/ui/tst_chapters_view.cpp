// The chapters editor driven as a reviewer drives it (mouse on the chapter timeline, keys in the view), each
// outcome checked in the database: a boundary dragged onto a cut (both chapters, one undo step), a refused drag,
// split, merge, rename (and an empty name refused), accept/reject keys, and a conflict with a second connection.
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/chapter_timeline.h"
#include "ui/chapters_view.h"
#include "ui/review_session.h"

using namespace frameline;
using namespace frameline::ui;

class TestChaptersView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showsChaptersAndCuts();
    void dragSnapsToCutAndUndoes();
    void shiftDragDoesNotSnap();
    void dragToAnEmptyChapterIsRefused();
    void splitAtTheCursor();
    void mergeWithNext();
    void renameWithF2();
    void renameToEmptyIsRefused();
    void acceptRejectDeleteKeys();
    void conflictKeepsTheirs();

private:
    Chapter stored(int64_t id);
    int chapterEvents(int64_t id, const char* action);
    void press(Qt::Key key);
    int64_t opening() const { return fx_.chapter_ids[0]; }
    int64_t ending() const { return fx_.chapter_ids[1]; }
    int64_t keyScene() const { return fx_.chapter_ids[2]; }

    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    QString base_db_;
    int copies_ = 0;
    std::shared_ptr<Store> db_;  // the test's own connection to this test's copy
    std::unique_ptr<ReviewSession> session_;
    std::unique_ptr<ChaptersView> view_;
};

void TestChaptersView::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    // The fixture in chapters_view order: ids as listed in review_fixture.h.
    QCOMPARE(fx_.chapter_ids.size(), size_t(3));
    base_db_ = fx_.db_path;
    fx_.store.reset();  // closed: each test works on a copy of the file
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();  // default keys
}

void TestChaptersView::init()
{
    const QString path = dir_.filePath(QStringLiteral("copy%1.db").arg(++copies_));
    QVERIFY(QFile::copy(base_db_, path));
    db_ = open_store(path.toStdString());
    session_ = std::make_unique<ReviewSession>(open_store(path.toStdString()));
    session_->setReviewer(QStringLiteral("ana"));
    view_ = std::make_unique<ChaptersView>(session_.get());
    view_->resize(1000, 600);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    view_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view_.get()));
    view_->showTitle(fx_.title_id);
    QTRY_VERIFY(!view_->isLoading() && view_->chapters().size() == 3);
    view_->table()->setFocus();
}

void TestChaptersView::cleanup()
{
    if (session_) QVERIFY(session_->waitForIdle());
    view_.reset();
    session_.reset();
    db_.reset();
}

Chapter TestChaptersView::stored(int64_t id)
{
    for (const Chapter& c : db_->chapters(fx_.title_id))
        if (c.id == id) return c;
    return {};
}

int TestChaptersView::chapterEvents(int64_t id, const char* action)
{
    int n = 0;
    for (const ReviewEvent& e : db_->review_events(fx_.title_id))
        if (e.entity == "chapter" && e.entity_id == id && e.action == action) {
            ++n;
            if (e.reviewer != "ana") return -1000;
        }
    return n;
}

void TestChaptersView::press(Qt::Key key)
{
    QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : view_.get(), key);
}

void TestChaptersView::showsChaptersAndCuts()
{
    ChapterTimeline* t = view_->timeline();
    QCOMPARE(t->frameCount(), int64_t(100));
    QCOMPARE(t->cuts(), (std::vector<int64_t>{25, 50, 75}));
    QCOMPARE(t->rowCount(), 2);  // chapters, key scenes (no scenes in the fixture)
    const QRect o = t->chapterRect(opening()), e = t->chapterRect(ending()), k = t->chapterRect(keyScene());
    QVERIFY(!o.isEmpty() && !e.isEmpty() && !k.isEmpty());
    QVERIFY(qAbs(o.right() + 1 - e.left()) <= 1);  // adjacent
    QVERIFY(k.top() > o.bottom());                 // the second row
    QVERIFY(qAbs(k.left() - t->xOfFrame(25)) <= 1);
    QCOMPARE(view_->table()->rowCount(), 3);
    QCOMPARE(view_->table()->item(0, ChaptersView::LabelColumn)->text(), QStringLiteral("Opening"));
    QCOMPARE(view_->table()->item(0, ChaptersView::FramesColumn)->text(), QStringLiteral("0–49"));
    QCOMPARE(view_->table()->item(2, ChaptersView::KindColumn)->text(), QStringLiteral("Key scene"));
    if (const QString dir = qEnvironmentVariable("FRAMELINE_H1_GRAB"); !dir.isEmpty()) {
        view_->selectChapter(opening());
        QTest::qWait(300);  // the preview thumbnail
        QVERIFY(view_->grab().save(dir + QStringLiteral("/h1-chapters.png")));
    }
}

void TestChaptersView::dragSnapsToCutAndUndoes()
{
    ChapterTimeline* t = view_->timeline();
    const int y = t->rowRect(t->rowOfKind(ChapterKind::Chapter)).center().y();
    const int drop_x = t->xOfFrame(75) + 5;
    QVERIFY2(t->frameAtX(drop_x) != 75, "5 px must be more than a frame, or the test cannot see the snap");
    const int undo_count = session_->undoStack()->count();
    QTest::mousePress(t, Qt::LeftButton, {}, QPoint(t->xOfFrame(50), y));
    QVERIFY(t->isDragging());
    QTest::mouseMove(t, QPoint(t->xOfFrame(62), y));
    QTest::mouseMove(t, QPoint(drop_x, y));
    QTest::mouseRelease(t, Qt::LeftButton, {}, QPoint(drop_x, y));
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).start_frame, int64_t(0));
    QCOMPARE(stored(opening()).end_frame, int64_t(74));
    QCOMPARE(stored(ending()).start_frame, int64_t(75));
    QCOMPARE(stored(ending()).end_frame, int64_t(99));
    QCOMPARE(stored(opening()).state, ReviewState::Corrected);
    QCOMPARE(stored(ending()).state, ReviewState::Corrected);
    QVERIFY(qAbs(stored(ending()).start_s - 3.0) < 1e-6);
    QCOMPARE(stored(keyScene()).end_frame, int64_t(49));  // the other row is untouched
    QCOMPARE(chapterEvents(opening(), "correct"), 1);
    QCOMPARE(chapterEvents(ending(), "correct"), 1);
    QCOMPARE(session_->undoStack()->count(), undo_count + 1);  // one step for both
    QTRY_COMPARE(view_->table()->item(1, ChaptersView::FramesColumn)->text(), QStringLiteral("75–99"));

    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).end_frame, int64_t(49));
    QCOMPARE(stored(ending()).start_frame, int64_t(50));
    QCOMPARE(stored(opening()).state, ReviewState::Proposed);
    QCOMPARE(stored(ending()).state, ReviewState::Proposed);
    QCOMPARE(chapterEvents(opening(), "undo"), 1);
    QCOMPARE(chapterEvents(ending(), "undo"), 1);
    QTRY_COMPARE(view_->table()->item(1, ChaptersView::FramesColumn)->text(), QStringLiteral("50–99"));
}

void TestChaptersView::shiftDragDoesNotSnap()
{
    ChapterTimeline* t = view_->timeline();
    const int y = t->rowRect(0).center().y();
    const int drop_x = t->xOfFrame(75) + 5;
    const int64_t free_frame = t->frameAtX(drop_x);
    QTest::mousePress(t, Qt::LeftButton, {}, QPoint(t->xOfFrame(50), y));
    QTest::mouseMove(t, QPoint(drop_x, y));
    QTest::mouseRelease(t, Qt::LeftButton, Qt::ShiftModifier, QPoint(drop_x, y));
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(ending()).start_frame, free_frame);
    QCOMPARE(stored(opening()).end_frame, free_frame - 1);
}

void TestChaptersView::dragToAnEmptyChapterIsRefused()
{
    ChapterTimeline* t = view_->timeline();
    const int y = t->rowRect(0).center().y();
    QSignalSpy refused(t, &ChapterTimeline::editRefused);
    QTest::mousePress(t, Qt::LeftButton, {}, QPoint(t->xOfFrame(50), y));
    QTest::mouseMove(t, QPoint(t->xOfFrame(0) - 20, y));
    QTest::mouseRelease(t, Qt::LeftButton, {}, QPoint(t->xOfFrame(0) - 20, y));
    QCOMPARE(refused.count(), 1);
    QVERIFY2(view_->statusMessage().contains(QStringLiteral("Opening")), qPrintable(view_->statusMessage()));
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).end_frame, int64_t(49));
    QCOMPARE(stored(opening()).version, int64_t(1));
    QCOMPARE(session_->undoStack()->count(), 0);
    // The end of the title: "Ending" dragged past its own start.
    QTest::mousePress(t, Qt::LeftButton, {}, QPoint(t->xOfFrame(50), y));
    QTest::mouseRelease(t, Qt::LeftButton, Qt::ShiftModifier, QPoint(t->xOfFrame(100), y));
    QCOMPARE(refused.count(), 2);
    QCOMPARE(session_->undoStack()->count(), 0);
}

void TestChaptersView::splitAtTheCursor()
{
    ChapterTimeline* t = view_->timeline();
    // A click in "Ending" near the cut at 75 selects it and puts the cursor on the cut.
    QTest::mouseClick(t, Qt::LeftButton, {}, QPoint(t->xOfFrame(75) + 3, t->rowRect(0).center().y()));
    QCOMPARE(t->cursorFrame(), int64_t(75));
    QCOMPARE(view_->selectedChapter(), qint64(ending()));
    const int undo_count = session_->undoStack()->count();
    press(Qt::Key_S);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(ending()).start_frame, int64_t(50));
    QCOMPARE(stored(ending()).end_frame, int64_t(74));
    QCOMPARE(session_->undoStack()->count(), undo_count + 1);
    std::vector<Chapter> all = db_->chapters(fx_.title_id);
    QCOMPARE(all.size(), size_t(4));
    Chapter added;
    for (const Chapter& c : all)
        if (c.id != opening() && c.id != ending() && c.id != keyScene()) added = c;
    QCOMPARE(added.start_frame, int64_t(75));
    QCOMPARE(added.end_frame, int64_t(99));
    QCOMPARE(added.kind, ChapterKind::Chapter);
    QCOMPARE(added.label, std::string("Ending (2)"));
    QCOMPARE(added.state, ReviewState::Accepted);
    QCOMPARE(chapterEvents(added.id, "add"), 1);
    QTRY_COMPARE(view_->table()->rowCount(), 4);

    session_->undoStack()->undo();  // one step: both parts
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(ending()).end_frame, int64_t(99));
    QCOMPARE(stored(added.id).state, ReviewState::Rejected);
    session_->undoStack()->redo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(ending()).end_frame, int64_t(74));
    QCOMPARE(stored(added.id).state, ReviewState::Accepted);
    QCOMPARE(db_->chapters(fx_.title_id).size(), size_t(4));  // the same row back, not a new one
}

void TestChaptersView::mergeWithNext()
{
    view_->selectChapter(opening());
    press(Qt::Key_M);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).start_frame, int64_t(0));
    QCOMPARE(stored(opening()).end_frame, int64_t(99));
    QCOMPARE(stored(ending()).state, ReviewState::Rejected);
    QCOMPARE(stored(keyScene()).state, ReviewState::Proposed);  // another kind: not the "next"
    QTRY_COMPARE(view_->timeline()->chapterRect(ending()), QRect());  // rejected: not drawn
    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).end_frame, int64_t(49));
    QCOMPARE(stored(ending()).state, ReviewState::Proposed);
    // The last chapter has no next one.
    QTRY_VERIFY(!view_->timeline()->chapterRect(ending()).isEmpty());
    view_->selectChapter(ending());
    press(Qt::Key_M);
    QVERIFY(view_->statusMessage().contains(QStringLiteral("no next")));
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(ending()).version, int64_t(3));  // reject + undo only
}

void TestChaptersView::renameWithF2()
{
    view_->selectChapter(opening());
    press(Qt::Key_F2);
    auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
    QVERIFY2(editor, "F2 opens the label's editor");
    QCOMPARE(editor->text(), QStringLiteral("Opening"));
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Prologue"));
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).label, std::string("Prologue"));
    QCOMPARE(stored(opening()).state, ReviewState::Corrected);
    QCOMPARE(stored(opening()).end_frame, int64_t(49));
    QCOMPARE(chapterEvents(opening(), "correct"), 1);
}

void TestChaptersView::renameToEmptyIsRefused()
{
    view_->selectChapter(ending());
    press(Qt::Key_F2);
    auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClicks(editor, QStringLiteral("   "));
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(session_->waitForIdle());
    QVERIFY2(view_->statusMessage().contains(QStringLiteral("needs a name")), qPrintable(view_->statusMessage()));
    QCOMPARE(stored(ending()).label, std::string("Ending"));
    QCOMPARE(stored(ending()).version, int64_t(1));
    QCOMPARE(view_->table()->item(1, ChaptersView::LabelColumn)->text(), QStringLiteral("Ending"));
    QCOMPARE(session_->undoStack()->count(), 0);
}

void TestChaptersView::acceptRejectDeleteKeys()
{
    view_->selectChapter(opening());
    press(Qt::Key_A);
    view_->selectChapter(ending());
    press(Qt::Key_R);
    view_->selectChapter(keyScene());
    press(Qt::Key_Delete);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).state, ReviewState::Accepted);
    QCOMPARE(stored(ending()).state, ReviewState::Rejected);
    QCOMPARE(stored(keyScene()).state, ReviewState::Rejected);
    QCOMPARE(chapterEvents(opening(), "accept"), 1);
    QCOMPARE(chapterEvents(keyScene(), "reject"), 1);
    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(keyScene()).state, ReviewState::Proposed);
}

void TestChaptersView::conflictKeepsTheirs()
{
    QSignalSpy conflicts(session_.get(), &ReviewSession::conflict);
    // Another reviewer renames "Opening" through another connection (db_); this view still shows version 1.
    Review theirs;
    theirs.entity = "chapter";
    theirs.id = opening();
    theirs.expected_version = 1;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Correct;
    theirs.label = "Cold open";
    QVERIFY(db_->review(theirs).applied);

    view_->selectChapter(opening());
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(conflicts.count(), 1);
    QCOMPARE(stored(opening()).label, std::string("Cold open"));
    QCOMPARE(stored(opening()).state, ReviewState::Corrected);
    QCOMPARE(chapterEvents(opening(), "accept"), 0);
    QVERIFY2(view_->statusMessage().contains(QStringLiteral("Someone else")), qPrintable(view_->statusMessage()));
    // The view has read it again: the table shows theirs, and the next edit applies over it.
    QTRY_COMPARE(view_->table()->item(0, ChaptersView::LabelColumn)->text(), QStringLiteral("Cold open"));
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(opening()).state, ReviewState::Accepted);
    QCOMPARE(stored(opening()).label, std::string("Cold open"));
}

QTEST_MAIN(TestChaptersView)
#include "tst_chapters_view.moc"
