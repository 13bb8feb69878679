// Tag review driven as a reviewer does it: keys and clicks on the real TagsView (offscreen), then the database is
// read back through a second connection: states, labels and the review events.
#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <cmath>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/review_session.h"
#include "ui/tag_evidence_strip.h"
#include "ui/tag_review_model.h"
#include "ui/tags_view.h"

using namespace frameline;
using namespace frameline::ui;

namespace {
// The fixture's tags by label (tests/support/review_fixture.h), in "most uncertain first" order:
// dog 0.55, tense 0.42, close-up 0.35, warm 0.66, happy 0.73, car 0.91.
const QStringList kUncertaintyOrder = {"dog", "tense", "close-up", "warm", "happy", "car"};
}  // namespace

class TestTagsView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void acceptThreeWithKeysUndoOne();
    void rejectMovesToNextUnreviewed();
    void correctWithE();
    void bulkAcceptIsOneUndo();
    void filtersNarrowTheRows();
    void progressFollowsReviews();
    void conflictIsReportedNotOverwritten();
    void addTagAndUndoIt();
    void liveChangeKeepsThePlace();
    void evidenceFramesAndPicture();
    void pagesAsTheQueueScrolls();

private:
    Tag stored(const QString& label);
    qint64 idOf(const QString& label);
    QString labelOfCurrent();
    void open();
    void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    QList<ReviewEvent> tagEvents();

    QTemporaryDir* dir_ = nullptr;
    test::ReviewFixture fx_;
    ReviewSession* session_ = nullptr;
    TagsView* view_ = nullptr;
};

void TestTagsView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();  // default keys
}

void TestTagsView::init()
{
    dir_ = new QTemporaryDir;
    QVERIFY(dir_->isValid());
    const QString made = test::make_review_fixture(dir_->path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    session_ = new ReviewSession(open_store(fx_.db_path.toStdString()));
    session_->setReviewer(QStringLiteral("ana"));
    view_ = new TagsView(session_);
    // The window's Ctrl+Z, as MainWindow makes it.
    QAction* undo = session_->undoStack()->createUndoAction(view_);
    undo->setShortcut(QKeySequence::Undo);
    view_->addAction(undo);
    view_->resize(1200, 640);
}

void TestTagsView::cleanup()
{
    delete view_;
    view_ = nullptr;
    delete session_;  // waits for queued writes
    session_ = nullptr;
    fx_ = {};
    delete dir_;
    dir_ = nullptr;
}

void TestTagsView::open()
{
    view_->show();
    QApplication::setActiveWindow(view_);
    QVERIFY(QTest::qWaitForWindowActive(view_));
    view_->showTitle(fx_.title_id);
    QTRY_COMPARE(view_->totalCount(), 6);
    QTRY_VERIFY(!view_->isLoading());
    view_->table()->setFocus();
    QTRY_VERIFY(view_->table()->hasFocus());
}

void TestTagsView::press(int key, Qt::KeyboardModifiers modifiers)
{
    QTest::keyClick(QApplication::focusWidget(), static_cast<Qt::Key>(key), modifiers);
}

Tag TestTagsView::stored(const QString& label)
{
    for (const Tag& t : fx_.store->tags(fx_.title_id))
        if (QString::fromStdString(t.label) == label) return t;
    return {};
}

qint64 TestTagsView::idOf(const QString& label)
{
    const TagReviewModel* m = view_->tagModel();
    for (int r = 0; r < m->rowCount(); ++r)
        if (QString::fromStdString(m->rowAt(r)->tag.label) == label) return m->rowAt(r)->tag.id;
    return 0;
}

QString TestTagsView::labelOfCurrent()
{
    const TagRow* r = view_->tagModel()->rowAt(view_->tagModel()->rowOf(view_->currentTagId()));
    return r ? QString::fromStdString(r->tag.label) : QString();
}

QList<ReviewEvent> TestTagsView::tagEvents()
{
    QList<ReviewEvent> out;
    for (const ReviewEvent& e : fx_.store->review_events(fx_.title_id))
        if (e.entity == "tag") out << e;
    return out;
}

void TestTagsView::acceptThreeWithKeysUndoOne()
{
    open();
    QCOMPARE(labelOfCurrent(), QStringLiteral("dog"));  // most uncertain first
    press(Qt::Key_A);
    QCOMPARE(labelOfCurrent(), QStringLiteral("tense"));  // moved on at once, before the store answered
    press(Qt::Key_A);
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    for (const QString& l : {"dog", "tense", "close-up"}) QCOMPARE(stored(l).state, ReviewState::Accepted);
    for (const QString& l : {"warm", "happy", "car"}) QCOMPARE(stored(l).state, ReviewState::Proposed);
    QCOMPARE(labelOfCurrent(), QStringLiteral("warm"));

    press(Qt::Key_Z, Qt::ControlModifier);  // the window's undo
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored("close-up").state, ReviewState::Proposed);
    QCOMPARE(stored("tense").state, ReviewState::Accepted);
    QTRY_COMPARE(view_->tagModel()->rowAt(view_->tagModel()->rowOf(idOf("close-up")))->tag.state,
                 ReviewState::Proposed);

    const QList<ReviewEvent> events = tagEvents();
    QCOMPARE(events.size(), 4);
    QStringList actions;
    for (const ReviewEvent& e : events) {
        actions << QString::fromStdString(e.action);
        QCOMPARE(e.reviewer, std::string("ana"));
    }
    QCOMPARE(actions, (QStringList{"accept", "accept", "accept", "undo"}));
    QCOMPARE(events[3].entity_id, int64_t(idOf("close-up")));
    QCOMPARE(events[3].undoes, events[2].id);
}

void TestTagsView::rejectMovesToNextUnreviewed()
{
    open();
    // tense decided elsewhere first: the queue must skip it.
    Review theirs;
    theirs.entity = "tag";
    theirs.id = idOf("tense");
    theirs.expected_version = stored("tense").version;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Accept;
    QVERIFY(fx_.store->review(theirs).applied);
    view_->reload();
    QTRY_COMPARE(view_->reviewedCount(), 1);
    QCOMPARE(labelOfCurrent(), QStringLiteral("dog"));  // the place is kept over the reload

    press(Qt::Key_R);
    QCOMPARE(labelOfCurrent(), QStringLiteral("close-up"));  // tense is reviewed: skipped
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored("dog").state, ReviewState::Rejected);
    press(Qt::Key_Space);  // next without deciding
    QCOMPARE(labelOfCurrent(), QStringLiteral("warm"));
    QCOMPARE(stored("close-up").state, ReviewState::Proposed);
}

void TestTagsView::correctWithE()
{
    open();
    const Tag before = stored("dog");
    QCOMPARE(labelOfCurrent(), QStringLiteral("dog"));
    press(Qt::Key_E);
    auto* edit = view_->findChild<QLineEdit*>(QStringLiteral("correctEdit"));
    QVERIFY(edit);
    QTRY_VERIFY(edit->isVisible() && edit->hasFocus());
    QCOMPARE(edit->text(), QStringLiteral("dog"));

    // Empty: refused with a message, nothing written.
    press(Qt::Key_Backspace);  // the label is selected: one key clears it
    QCOMPARE(edit->text(), QString());
    press(Qt::Key_Return);
    QVERIFY(session_->waitForIdle());
    QVERIFY2(view_->message().contains(QStringLiteral("needs a label")), qPrintable(view_->message()));
    QVERIFY(edit->isVisible());
    QCOMPARE(stored("dog").version, before.version);

    QTest::keyClicks(edit, QStringLiteral("wolf"));
    press(Qt::Key_Return);
    QVERIFY(session_->waitForIdle());
    QVERIFY(!edit->isVisible());
    const Tag after = stored("wolf");
    QCOMPARE(after.id, before.id);
    QCOMPARE(after.state, ReviewState::Corrected);
    QCOMPARE(tagEvents().size(), 1);
    QCOMPARE(tagEvents()[0].action, std::string("correct"));
    QTRY_COMPARE(view_->tagModel()->index(view_->tagModel()->rowOf(before.id), TagReviewModel::Label).data().toString(),
                 QStringLiteral("wolf"));

    // Esc leaves the editor without a change.
    view_->selectTag(idOf("car"));
    press(Qt::Key_E);
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("truck"));
    press(Qt::Key_Escape);
    QVERIFY(!edit->isVisible());
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored("car").state, ReviewState::Proposed);
}

void TestTagsView::bulkAcceptIsOneUndo()
{
    open();
    auto* order = view_->findChild<QComboBox*>(QStringLiteral("order"));
    order->setCurrentIndex(order->findData(static_cast<int>(TagQueueOrder::Time)));
    QTableView* table = view_->table();
    QTRY_VERIFY(!view_->isLoading());  // the new order is a new query
    QCOMPARE(table->model()->rowCount(), 6);
    // Click the first row, shift-click the fourth: four tags selected.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier,
                      table->visualRect(table->model()->index(0, 0)).center());
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::ShiftModifier,
                      table->visualRect(table->model()->index(3, 0)).center());
    const QList<qint64> selected = view_->selectedTagIds();
    QCOMPARE(selected.size(), 4);
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(session_->undoStack()->count(), 1);
    int accepted = 0;
    for (const Tag& t : fx_.store->tags(fx_.title_id)) {
        QCOMPARE(t.state, selected.contains(t.id) ? ReviewState::Accepted : ReviewState::Proposed);
        accepted += t.state == ReviewState::Accepted;
    }
    QCOMPARE(accepted, 4);
    QTRY_COMPARE(view_->progressText(), QStringLiteral("4 / 6 reviewed"));

    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    for (const Tag& t : fx_.store->tags(fx_.title_id)) QCOMPARE(t.state, ReviewState::Proposed);
    QTRY_COMPARE(view_->progressText(), QStringLiteral("0 / 6 reviewed"));
    QCOMPARE(tagEvents().size(), 8);  // four accepts, four undos
}

void TestTagsView::filtersNarrowTheRows()
{
    open();
    QAbstractItemModel* shown = view_->table()->model();
    QCOMPARE(shown->rowCount(), 6);
    auto* text = view_->findChild<QLineEdit*>(QStringLiteral("textFilter"));
    // Each filter is a query in SQL, answered on the read pool: QTRY waits for it.
    QTest::keyClicks(text, QStringLiteral("OBJ"));  // the category, any case
    QTRY_COMPARE(shown->rowCount(), 2);             // car, dog
    text->clear();
    QTRY_COMPARE(shown->rowCount(), 6);
    QTest::keyClicks(text, QStringLiteral("_%"));  // LIKE's wildcards are matched as themselves
    QTRY_VERIFY(!view_->isLoading());
    QCOMPARE(shown->rowCount(), 0);
    text->clear();

    auto* confidence = view_->findChild<QDoubleSpinBox*>(QStringLiteral("minConfidence"));
    confidence->setValue(0.66);
    QTRY_COMPARE(shown->rowCount(), 3);  // car 0.91, happy 0.73, warm 0.66
    confidence->setValue(0);

    QTRY_COMPARE(shown->rowCount(), 6);
    view_->table()->setFocus();
    view_->selectTag(idOf("dog"));  // the confidence filter had hidden it
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    auto* state = view_->findChild<QComboBox*>(QStringLiteral("stateFilter"));
    state->setCurrentIndex(state->findData(static_cast<int>(ReviewState::Proposed)));
    QTRY_COMPARE(shown->rowCount(), 5);
    state->setCurrentIndex(state->findData(static_cast<int>(ReviewState::Accepted)));
    QTRY_COMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->index(0, TagReviewModel::Label).data().toString(), QStringLiteral("dog"));
    state->setCurrentIndex(0);

    auto* model = view_->findChild<QComboBox*>(QStringLiteral("modelFilter"));
    QCOMPARE(model->count(), 2);  // all, analysis
    QCOMPARE(model->itemData(1).toString(), QStringLiteral("analysis"));
    model->setCurrentIndex(1);
    QTRY_VERIFY(!view_->isLoading());
    QCOMPARE(shown->rowCount(), 6);
    Tag mine;
    mine.title_id = fx_.title_id;
    mine.category = "object";
    mine.label = "lamp";
    fx_.store->add_tag("ben", mine);
    view_->reload();
    QTRY_COMPARE(view_->totalCount(), 7);
    QCOMPARE(model->count(), 3);  // all, analysis, human
    QCOMPARE(model->currentData().toString(), QStringLiteral("analysis"));  // the choice survives the reload
    QCOMPARE(shown->rowCount(), 6);
    model->setCurrentIndex(model->findData(QStringLiteral("human")));
    QTRY_COMPARE(shown->rowCount(), 1);
}

void TestTagsView::progressFollowsReviews()
{
    open();
    auto* bar = view_->findChild<QProgressBar*>(QStringLiteral("progressBar"));
    QCOMPARE(view_->progressText(), QStringLiteral("0 / 6 reviewed"));
    QCOMPARE(bar->value(), 0);
    press(Qt::Key_A);
    press(Qt::Key_R);
    QVERIFY(session_->waitForIdle());
    QTRY_COMPARE(view_->progressText(), QStringLiteral("2 / 6 reviewed"));
    QCOMPARE(bar->value(), 2);
    QCOMPARE(bar->maximum(), 6);
}

void TestTagsView::conflictIsReportedNotOverwritten()
{
    open();
    QSignalSpy conflicts(session_, &ReviewSession::conflict);
    QCOMPARE(labelOfCurrent(), QStringLiteral("dog"));
    // Another reviewer, another connection, relabels it while this view still shows the old version.
    auto other = open_store(fx_.db_path.toStdString());
    Review theirs;
    theirs.entity = "tag";
    theirs.id = idOf("dog");
    theirs.expected_version = stored("dog").version;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Correct;
    theirs.label = "wolf";
    QVERIFY(other->review(theirs).applied);
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(conflicts.count(), 1);
    const Tag now = stored("wolf");
    QCOMPARE(now.id, theirs.id);
    QCOMPARE(now.state, ReviewState::Corrected);  // theirs kept
    QVERIFY2(view_->message().contains(QStringLiteral("someone else")) &&
                 view_->message().contains(QStringLiteral("wolf")),
             qPrintable(view_->message()));
    QCOMPARE(view_->tagModel()->index(view_->tagModel()->rowOf(theirs.id), TagReviewModel::Label).data().toString(),
             QStringLiteral("wolf"));
    QCOMPARE(tagEvents().size(), 1);  // only ben's
}

void TestTagsView::addTagAndUndoIt()
{
    open();
    press(Qt::Key_T, Qt::ControlModifier);
    auto* label = view_->findChild<QLineEdit*>(QStringLiteral("addLabel"));
    auto* category = view_->findChild<QComboBox*>(QStringLiteral("addCategory"));
    auto* scope = view_->findChild<QComboBox*>(QStringLiteral("addScope"));
    QTRY_VERIFY(label->isVisible() && label->hasFocus());
    QTRY_VERIFY(scope->findData(2) >= 0);  // the shots are read on the read pool
    // Empty label: refused.
    press(Qt::Key_Return);
    QVERIFY2(view_->message().contains(QStringLiteral("category and a label")), qPrintable(view_->message()));
    category->setCurrentText(QStringLiteral("object"));
    scope->setCurrentIndex(scope->findData(2));  // shot 3
    QTest::keyClicks(label, QStringLiteral("bicycle"));
    press(Qt::Key_Return);
    QVERIFY(session_->waitForIdle());
    const Tag added = stored("bicycle");
    QVERIFY(added.id > 0);
    QCOMPARE(added.source, std::string("human"));
    QCOMPARE(added.state, ReviewState::Accepted);
    QCOMPARE(added.shot_index, 2);
    QTRY_COMPARE(view_->totalCount(), 7);

    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored("bicycle").state, ReviewState::Rejected);
    QTRY_COMPARE(view_->tagModel()->rowAt(view_->tagModel()->rowOf(added.id))->tag.state, ReviewState::Rejected);
    session_->undoStack()->redo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored("bicycle").state, ReviewState::Accepted);
    QStringList actions;
    for (const ReviewEvent& e : tagEvents()) actions << QString::fromStdString(e.action);
    QCOMPARE(actions, (QStringList{"add", "undo", "accept"}));
}

void TestTagsView::liveChangeKeepsThePlace()
{
    open();
    view_->selectTag(idOf("happy"));
    const int scroll = view_->table()->verticalScrollBar()->value();
    auto other = open_store(fx_.db_path.toStdString());
    Review theirs;
    theirs.entity = "tag";
    theirs.id = idOf("car");
    theirs.expected_version = stored("car").version;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Reject;
    QVERIFY(other->review(theirs).applied);
    // Polled about once a second: the row follows without the reviewer doing anything.
    QTRY_COMPARE_WITH_TIMEOUT(view_->tagModel()->rowAt(view_->tagModel()->rowOf(theirs.id))->tag.state,
                              ReviewState::Rejected, 5000);
    QCOMPARE(labelOfCurrent(), QStringLiteral("happy"));
    QCOMPARE(view_->selectedTagIds(), QList<qint64>{idOf("happy")});
    QCOMPARE(view_->table()->verticalScrollBar()->value(), scroll);
}

void TestTagsView::evidenceFramesAndPicture()
{
    open();
    auto* strip = view_->findChild<TagEvidenceStrip*>(QStringLiteral("evidence"));
    QVERIFY(strip);
    // dog: evidence {"frames":[first sampled frame of shot 1]} -> that one frame.
    QCOMPARE(strip->frameIds().size(), 1);
    // tense is title-wide but names a frame; a tag without frames in its evidence shows its shot's frames.
    const TagRow* dog = view_->tagModel()->rowAt(view_->tagModel()->rowOf(idOf("dog")));
    QCOMPARE(dog->scope.left(6), QStringLiteral("Shot 2"));
    QVERIFY2(dog->scope.contains(QStringLiteral("0:01.00")), qPrintable(dog->scope));
    QCOMPARE(view_->tagModel()->rowAt(view_->tagModel()->rowOf(idOf("tense")))->scope, QStringLiteral("Whole title"));
    QCOMPARE(evidence_frames_from_json(R"({"frames":[{"frame":12},{"frame":40}]})"), (QList<qint64>{12, 40}));
    QCOMPARE(evidence_frames_from_json(R"({"frames":[3,4]})"), (QList<qint64>{3, 4}));
    QVERIFY(evidence_frames_from_json("not json").isEmpty());

    Tag bare;
    bare.title_id = fx_.title_id;
    bare.category = "object";
    bare.label = "tree";
    bare.shot_index = 3;
    fx_.store->add_tag("ben", bare);  // evidence "{}"
    view_->reload();
    QTRY_COMPARE(view_->totalCount(), 7);
    const TagRow* tree = view_->tagModel()->rowAt(view_->tagModel()->rowOf(idOf("tree")));
    QVERIFY(!tree->evidence_frame_ids.isEmpty());
    for (const FrameRecord& f : fx_.store->frames(fx_.title_id))
        if (tree->evidence_frame_ids.contains(f.id)) QCOMPARE(f.shot_index, 3);

    // Let the thumbnails arrive, then keep a picture to look at.
    view_->selectTag(idOf("dog"));
    QTest::qWait(600);
    const QImage picture = view_->grab().toImage();
    QVERIFY(!picture.isNull());
    picture.save(QStringLiteral("/tmp/h2-tags.png"));
}

void TestTagsView::pagesAsTheQueueScrolls()
{
    // 650 more tags: the queue reads them a page at a time, as the table scrolls or the keys go past the end.
    ModelRunOutput run;
    run.model = "objects";
    for (int i = 0; i < 650; ++i) {
        Tag t;
        t.shot_index = i % 4;
        t.category = "object";
        t.label = "thing-" + std::to_string(i);
        t.confidence = 0.2 + (i % 50) / 100.0;
        run.tags.push_back(t);
    }
    fx_.store->save_model_run(fx_.title_id, run);
    view_->show();
    QApplication::setActiveWindow(view_);
    QVERIFY(QTest::qWaitForWindowActive(view_));
    view_->showTitle(fx_.title_id);
    QTRY_COMPARE(view_->totalCount(), 656);
    QTRY_VERIFY(!view_->isLoading());
    TagReviewModel* m = view_->tagModel();
    QCOMPARE(m->rowCount(), TagReviewModel::kPageRows);
    QVERIFY(m->hasMore());

    // Space on the last loaded row reads the next page and goes on into it.
    view_->table()->setFocus();
    view_->selectTag(m->rowAt(m->rowCount() - 1)->tag.id);
    press(Qt::Key_Space);
    QTRY_COMPARE(m->rowCount(), 2 * TagReviewModel::kPageRows);
    QTRY_COMPARE(view_->table()->currentIndex().row(), TagReviewModel::kPageRows);

    // Scrolling to the end reads the rest; every tag once, in the queue's order.
    for (int i = 0; i < 10 && m->hasMore(); ++i) {
        view_->table()->scrollToBottom();
        QTRY_VERIFY(!m->isLoading());
    }
    QCOMPARE(m->rowCount(), 656);
    QSet<qint64> seen;
    for (int r = 0; r < m->rowCount(); ++r) {
        seen.insert(m->rowAt(r)->tag.id);
        if (r > 0) {
            const double before = std::abs(m->rowAt(r - 1)->tag.confidence - 0.5);
            QVERIFY2(before <= std::abs(m->rowAt(r)->tag.confidence - 0.5) + 1e-6, qPrintable(QString::number(r)));
        }
    }
    QCOMPARE(seen.size(), 656);

    // A reload keeps every row read so far and the place.
    const qint64 current = view_->currentTagId();
    view_->reload();
    QTRY_VERIFY(!view_->isLoading());
    QCOMPARE(m->rowCount(), 656);
    QCOMPARE(view_->currentTagId(), current);
}

QTEST_MAIN(TestTagsView)
#include "tst_tags_view.moc"
