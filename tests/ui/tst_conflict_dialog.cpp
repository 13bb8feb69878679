// Two reviewers on one tag: the second one's edit meets the first one's change. The window's conflict dialog shows
// both (the edit, and what is stored now with its state); "Use mine" applies the edit over theirs as a new undoable
// edit, "Keep theirs" writes nothing. Non-modal: the window keeps running while it is open.
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/conflict_dialog.h"
#include "ui/main_window.h"
#include "ui/review_session.h"
#include "ui/store_command.h"

using namespace frameline;
using namespace frameline::ui;

class TestConflictDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storedSnapshotIsReadable();
    void useMineAppliesTheEdit();
    void keepTheirsWritesNothing();
    void conflictsOfABulkEditWaitTheirTurn();

private:
    Tag storedTag(int64_t id);
    // Another reviewer (their own connection) relabels the tag; returns the version this window saw before.
    int64_t theyRelabel(int64_t tag_id, const std::string& label);
    void pushReject(MainWindow& window, int64_t tag_id, int64_t seen_version, const QString& text);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
};

void TestConflictDialog::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests-conflicts"));
    QSettings().clear();
}

Tag TestConflictDialog::storedTag(int64_t id)
{
    for (const Tag& t : fx_.store->tags(fx_.title_id))
        if (t.id == id) return t;
    return {};
}

int64_t TestConflictDialog::theyRelabel(int64_t tag_id, const std::string& label)
{
    auto theirs = open_store(fx_.db_path.toStdString());
    const Tag seen = storedTag(tag_id);
    Review r;
    r.entity = "tag";
    r.id = tag_id;
    r.expected_version = seen.version;
    r.reviewer = "ben";
    r.action = ReviewAction::Correct;
    r.label = label;
    const ReviewResult result = theirs->review(r);
    if (!result.applied) qWarning("their edit did not apply");
    return seen.version;
}

void TestConflictDialog::pushReject(MainWindow& window, int64_t tag_id, int64_t seen_version, const QString& text)
{
    Review mine;
    mine.entity = "tag";
    mine.id = tag_id;
    mine.expected_version = seen_version;
    mine.action = ReviewAction::Reject;
    window.session()->undoStack()->push(StoreCommand::review(window.session(), text, mine, fx_.title_id));
}

void TestConflictDialog::storedSnapshotIsReadable()
{
    EditReport r;
    r.result.state = ReviewState::Corrected;
    r.result.version = 3;
    r.result.snapshot = R"({"label":"wolf","confidence":0.55,"shot_index":1,"evidence":{"frames":[25,30]}})";
    const QString text = ConflictDialog::describeStored(r);
    QVERIFY2(text.contains(QStringLiteral("state: corrected")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("label: wolf")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("confidence: 0.55")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("shot_index: 1")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("evidence: {\"frames\":[25,30]}")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("version: 3")), qPrintable(text));
    r.result.snapshot = "not json";
    QVERIFY(ConflictDialog::describeStored(r).contains(QStringLiteral("not json")));
}

void TestConflictDialog::useMineAppliesTheEdit()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.session()->setReviewer(QStringLiteral("ana"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int64_t tag = fx_.tag_ids[1];  // dog
    const int64_t seen = theyRelabel(tag, "wolf");
    pushReject(window, tag, seen, QStringLiteral("Reject tag 'dog'"));
    QVERIFY(window.session()->waitForIdle());
    QTRY_VERIFY(window.conflictDialog() && window.conflictDialog()->isVisible());
    ConflictDialog* dialog = window.conflictDialog();
    QVERIFY(!dialog->isModal());
    QCOMPARE(dialog->yoursText(), QStringLiteral("Reject tag 'dog'"));
    QVERIFY2(dialog->theirsText().contains(QStringLiteral("wolf")), qPrintable(dialog->theirsText()));
    QVERIFY2(dialog->theirsText().contains(QStringLiteral("state: corrected")), qPrintable(dialog->theirsText()));
    QCOMPARE(dialog->theirsText().count(QStringLiteral("version:")), 1);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("Reject tag 'dog'")));
    QCOMPARE(storedTag(tag).state, ReviewState::Corrected);  // nothing of mine written yet
    if (const QString keep = qEnvironmentVariable("FRAMELINE_KEEP_SCREENSHOTS"); !keep.isEmpty())
        dialog->grab().save(keep + QStringLiteral("/conflict_dialog.png"));  // to look at it

    QTest::mouseClick(dialog->useMineButton(), Qt::LeftButton);
    QVERIFY(window.session()->waitForIdle());
    QCOMPARE(storedTag(tag).state, ReviewState::Rejected);
    QTRY_VERIFY(!window.conflictDialog());  // closed (and deleted)
    const auto events = fx_.store->review_events(fx_.title_id);
    QCOMPARE(QString::fromStdString(events.back().reviewer), QStringLiteral("ana"));
    // Mine is an undoable edit like any other: Undo gives theirs back.
    window.session()->undoStack()->undo();
    QVERIFY(window.session()->waitForIdle());
    QCOMPARE(storedTag(tag).state, ReviewState::Corrected);
    QCOMPARE(storedTag(tag).label, std::string("wolf"));
}

void TestConflictDialog::keepTheirsWritesNothing()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int64_t tag = fx_.tag_ids[3];  // happy
    const int64_t seen = theyRelabel(tag, "joyful");
    const size_t events_before = fx_.store->review_events(fx_.title_id).size();
    QSignalSpy reloads(window.session(), &ReviewSession::changedElsewhere);
    pushReject(window, tag, seen, QStringLiteral("Reject tag 'happy'"));
    QVERIFY(window.session()->waitForIdle());
    QTRY_VERIFY(window.conflictDialog() && window.conflictDialog()->isVisible());
    QVERIFY(window.conflictDialog()->theirsText().contains(QStringLiteral("joyful")));
    const int reloads_before = reloads.count();
    QTest::mouseClick(window.conflictDialog()->keepTheirsButton(), Qt::LeftButton);
    QTRY_VERIFY(!window.conflictDialog());
    QVERIFY(window.session()->waitForIdle());
    QCOMPARE(storedTag(tag).label, std::string("joyful"));
    QCOMPARE(storedTag(tag).state, ReviewState::Corrected);
    QCOMPARE(fx_.store->review_events(fx_.title_id).size(), events_before);
    QVERIFY(reloads.count() > reloads_before);  // the views are asked to show what is stored
}

void TestConflictDialog::conflictsOfABulkEditWaitTheirTurn()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int64_t a = fx_.tag_ids[4], b = fx_.tag_ids[5];  // warm, close-up
    const int64_t seen_a = theyRelabel(a, "hot"), seen_b = theyRelabel(b, "extreme close-up");
    pushReject(window, a, seen_a, QStringLiteral("Reject tag 'warm'"));
    pushReject(window, b, seen_b, QStringLiteral("Reject tag 'close-up'"));
    QVERIFY(window.session()->waitForIdle());
    QTRY_VERIFY(window.conflictDialog() && window.conflictDialog()->pendingCount() == 2);
    ConflictDialog* dialog = window.conflictDialog();
    QCOMPARE(dialog->yoursText(), QStringLiteral("Reject tag 'warm'"));
    QTest::mouseClick(dialog->keepTheirsButton(), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->yoursText(), QStringLiteral("Reject tag 'close-up'"));
    QVERIFY(dialog->theirsText().contains(QStringLiteral("extreme close-up")));
    QTest::mouseClick(dialog->useMineButton(), Qt::LeftButton);
    QVERIFY(window.session()->waitForIdle());
    QTRY_VERIFY(!window.conflictDialog());
    QCOMPARE(storedTag(a).state, ReviewState::Corrected);
    QCOMPARE(storedTag(b).state, ReviewState::Rejected);
}

QTEST_MAIN(TestConflictDialog)
#include "tst_conflict_dialog.moc"
