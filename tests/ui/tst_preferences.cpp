// Edit ▸ Preferences: the reviewer's name reaches the review events, a remapped key reaches its action, a clash is
// named, Reset All restores the defaults, the database preference is kept (and tested off the GUI thread); and the
// first run with an empty database explains how to add a title.
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUndoStack>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/first_run.h"
#include "ui/ingest_controller.h"
#include "ui/main_window.h"
#include "ui/preferences_dialog.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"
#include "ui/store_command.h"
#include "ui/tags_view.h"
#include "ui/title_view.h"

using namespace frameline;
using namespace frameline::ui;

class TestPreferences : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void reviewerNameReachesTheEvents();
    void remappedKeyReachesTheAction();
    void clashIsNamed();
    void resetAllRestoresDefaults();
    void databaseDeviceAndModelsAreKept();
    void testConnectionReports();
    void firstRunExplainsHowToAddATitle();

private:
    void clickOk(PreferencesDialog* dialog);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    QAction one_, two_;  // actions of a "test" view, bound like every view binds its actions
};

void TestPreferences::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests-preferences"));
    QSettings().clear();
    Shortcuts::instance().bind(&one_, QStringLiteral("test.one"), QStringLiteral("Do one thing"),
                               QKeySequence(QStringLiteral("Ctrl+1")));
    Shortcuts::instance().bind(&two_, QStringLiteral("test.two"), QStringLiteral("Do another thing"),
                               QKeySequence(QStringLiteral("Ctrl+2")));
}

void TestPreferences::init()
{
    QSettings().clear();
    Shortcuts::instance().resetAll();
}

void TestPreferences::clickOk(PreferencesDialog* dialog)
{
    auto* box = dialog->findChild<QDialogButtonBox*>();
    QVERIFY(box);
    QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
}

void TestPreferences::reviewerNameReachesTheEvents()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    // Ctrl+, opens the dialog (non-modal: the window goes on).
    QTest::keyClick(&window, Qt::Key_Comma, Qt::ControlModifier);
    PreferencesDialog* dialog = window.preferencesDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->reviewerEdit()->clear();
    QTest::keyClicks(dialog->reviewerEdit(), QStringLiteral("Zoe Park"));
    clickOk(dialog);
    QCOMPARE(window.session()->reviewer(), QStringLiteral("Zoe Park"));
    QCOMPARE(QSettings().value(QStringLiteral("review/reviewer")).toString(), QStringLiteral("Zoe Park"));

    // The next review event carries the name.
    const Tag tag = fx_.store->tags(fx_.title_id).at(0);
    Review r;
    r.entity = "tag";
    r.id = tag.id;
    r.expected_version = tag.version;
    r.action = ReviewAction::Accept;
    window.session()->undoStack()->push(StoreCommand::review(window.session(), QStringLiteral("Accept"), r,
                                                             fx_.title_id));
    QVERIFY(window.session()->waitForIdle());
    const auto events = fx_.store->review_events(fx_.title_id);
    QVERIFY(!events.empty());
    QCOMPARE(QString::fromStdString(events.back().reviewer), QStringLiteral("Zoe Park"));
    window.session()->undoStack()->undo();
    QVERIFY(window.session()->waitForIdle());

    // The next window (the next start) picks it up from the settings.
    MainWindow next(open_store(fx_.db_path.toStdString()));
    QCOMPARE(next.session()->reviewer(), QStringLiteral("Zoe Park"));
}

void TestPreferences::remappedKeyReachesTheAction()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    PreferencesDialog* dialog = window.showPreferences();
    dialog->tabs()->setCurrentIndex(1);
    QKeySequenceEdit* edit = dialog->keyEdit(QStringLiteral("test.one"));
    QVERIFY(edit);
    QCOMPARE(edit->keySequence(), QKeySequence(QStringLiteral("Ctrl+1")));
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_7, Qt::ControlModifier);
    QCOMPARE(edit->keySequence(), QKeySequence(QStringLiteral("Ctrl+7")));
    QCOMPARE(one_.shortcut(), QKeySequence(QStringLiteral("Ctrl+1")));  // nothing applied before OK
    QVERIFY(dialog->clashWarning().isEmpty());
    clickOk(dialog);
    QCOMPARE(one_.shortcut(), QKeySequence(QStringLiteral("Ctrl+7")));
    QCOMPARE(Shortcuts::instance().key(QStringLiteral("test.one")), QKeySequence(QStringLiteral("Ctrl+7")));
    QCOMPARE(two_.shortcut(), QKeySequence(QStringLiteral("Ctrl+2")));  // the others untouched

    // The window's own remappable actions are in the table too (the workspace's playback keys).
    PreferencesDialog* again = window.showPreferences();
    QVERIFY(again->shortcutTable()->rowCount() > 2);
    QCOMPARE(again->keyEdit(QStringLiteral("test.one"))->keySequence(), QKeySequence(QStringLiteral("Ctrl+7")));
}

void TestPreferences::clashIsNamed()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    PreferencesDialog* dialog = window.showPreferences();
    QKeySequenceEdit* edit = dialog->keyEdit(QStringLiteral("test.one"));
    QVERIFY(edit);
    QTest::keyClick(edit, Qt::Key_2, Qt::ControlModifier);  // test.two's key
    // QKeySequenceEdit reports the sequence when the typing ends (about a second after the last key).
    QTRY_VERIFY2(dialog->clashWarning().contains(QStringLiteral("test.two")),
                 qPrintable(dialog->clashWarning() + " / " + edit->keySequence().toString()));
    QVERIFY2(dialog->clashWarning().contains(QStringLiteral("Do another thing")), qPrintable(dialog->clashWarning()));
    QVERIFY(dialog->clashWarning().contains(QStringLiteral("same view")));
    if (const QString keep = qEnvironmentVariable("FRAMELINE_KEEP_SCREENSHOTS"); !keep.isEmpty()) {
        dialog->tabs()->setCurrentIndex(1);
        dialog->grab().save(keep + QStringLiteral("/preferences_shortcuts.png"));  // to look at them
        dialog->tabs()->setCurrentIndex(0);
        dialog->grab().save(keep + QStringLiteral("/preferences_general.png"));
    }
    // A free key clears the warning.
    QTest::keyClick(edit, Qt::Key_9, Qt::ControlModifier | Qt::AltModifier);
    QTRY_VERIFY(edit->keySequence() != QKeySequence(QStringLiteral("Ctrl+2")));
    QTRY_VERIFY2(dialog->clashWarning().isEmpty(), qPrintable(dialog->clashWarning()));
    dialog->reject();
}

void TestPreferences::resetAllRestoresDefaults()
{
    Shortcuts::instance().setKey(QStringLiteral("test.two"), QKeySequence(QStringLiteral("Ctrl+8")));
    QCOMPARE(two_.shortcut(), QKeySequence(QStringLiteral("Ctrl+8")));
    MainWindow window(open_store(fx_.db_path.toStdString()));
    PreferencesDialog* dialog = window.showPreferences();
    QCOMPARE(dialog->keyEdit(QStringLiteral("test.two"))->keySequence(), QKeySequence(QStringLiteral("Ctrl+8")));
    QTest::mouseClick(dialog->resetShortcutsButton(), Qt::LeftButton);
    QCOMPARE(dialog->keyEdit(QStringLiteral("test.two"))->keySequence(), QKeySequence(QStringLiteral("Ctrl+2")));
    clickOk(dialog);
    QCOMPARE(two_.shortcut(), QKeySequence(QStringLiteral("Ctrl+2")));
}

void TestPreferences::databaseDeviceAndModelsAreKept()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    PreferencesDialog* dialog = window.showPreferences();
    dialog->databaseEdit()->setText(QStringLiteral("postgresql://review@db.example:5432/frameline"));
    dialog->deviceBox()->setCurrentIndex(dialog->deviceBox()->findData(QStringLiteral("cpu")));
    dialog->modelsDirEdit()->setText(dir_.filePath(QStringLiteral("models")));
    // The dialog says the database applies on the next start.
    bool says_next_start = false;
    for (QLabel* label : dialog->findChildren<QLabel*>())
        if (label->text().contains(QStringLiteral("next time"))) says_next_start = true;
    QVERIFY(says_next_start);
    clickOk(dialog);
    QCOMPARE(preference::database(), QStringLiteral("postgresql://review@db.example:5432/frameline"));
    QCOMPARE(IngestController::devicePreference(), QStringLiteral("cpu"));
    QCOMPARE(IngestController::modelsDirPreference(), dir_.filePath(QStringLiteral("models")));
    // A value nobody can use falls back to automatic.
    QSettings().setValue(QStringLiteral("analysis/device"), QStringLiteral("tpu"));
    QCOMPARE(IngestController::devicePreference(), QStringLiteral("auto"));
}

void TestPreferences::testConnectionReports()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    PreferencesDialog* dialog = window.showPreferences();
    QSignalSpy tested(dialog, &PreferencesDialog::connectionTested);
    dialog->databaseEdit()->setText(fx_.db_path);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QVERIFY(!dialog->testButton()->isEnabled());  // running on a worker thread, the dialog stays responsive
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 10000);
    QVERIFY(tested.first().at(0).toBool());
    QVERIFY2(dialog->testResult().contains(QStringLiteral("1 title")), qPrintable(dialog->testResult()));

    dialog->databaseEdit()->setText(dir_.filePath(QStringLiteral("no/such/folder/x.db")));
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 10000);
    QVERIFY(!tested.at(1).at(0).toBool());
    QVERIFY2(dialog->testResult().startsWith(QStringLiteral("Cannot connect")), qPrintable(dialog->testResult()));
    dialog->reject();
    QVERIFY(preference::database().isEmpty());  // Cancel keeps nothing
}

void TestPreferences::firstRunExplainsHowToAddATitle()
{
    const QString empty_db = dir_.filePath(QStringLiteral("empty.db"));
    MainWindow window(open_store(empty_db.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QLabel* library = window.emptyLibraryLabel();
    QVERIFY(library->isVisible());
    QVERIFY(!window.titleListView()->isVisible());
    QVERIFY(library->text().contains(QStringLiteral("Add Title")));
    QVERIFY(library->text().contains(QStringLiteral("frameline-cli ingest")));
    QVERIFY(library->text().contains(empty_db.toHtmlEscaped()));
    // The review tabs say that no title is selected instead of showing empty widgets.
    window.viewTabs()->setCurrentWidget(window.tagsView());
    QTRY_VERIFY(window.noTitleOverlay()->isCovering());
    QVERIFY(window.noTitleOverlay()->text().contains(QStringLiteral("No title selected")));
    // It covers the page, not the tab bar.
    QCOMPARE(window.noTitleOverlay()->geometry(),
             QRect(window.tagsView()->mapTo(window.viewTabs(), QPoint(0, 0)), window.tagsView()->size()));
    window.viewTabs()->setCurrentWidget(window.titleView());
    QVERIFY(!window.noTitleOverlay()->isCovering());

    // A title arrives (another connection): the list replaces the explanation, and selecting it lifts the cover.
    auto other = open_store(empty_db.toStdString());
    NewTitle t;
    t.name = "arrived";
    t.content_hash = "h-arrived";
    t.media_path = "/media/arrived.mp4";
    const int64_t id = other->create_title(t);
    QTRY_VERIFY_WITH_TIMEOUT(window.titleListView()->isVisible(), 8000);
    QVERIFY(!library->isVisible());
    window.selectTitle(id);
    window.viewTabs()->setCurrentWidget(window.tagsView());
    QVERIFY(!window.noTitleOverlay()->isCovering());
}

QTEST_MAIN(TestPreferences)
#include "tst_preferences.moc"
