// The main window against a real database built by a real ingest of a generated clip with three hard cuts.
#include <QElapsedTimer>
#include <QFileInfo>
#include <QListView>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>
#include <memory>

#include "core/pipeline/ingest.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "ui/frame_grid_model.h"
#include "ui/ingest_controller.h"
#include "ui/main_window.h"
#include "ui/player_view.h"
#include "ui/shot_timeline.h"
#include "ui/title_list_model.h"
#include "ui/title_view.h"

using namespace frameline;
using namespace frameline::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listsTheIngestedTitle();
    void showsShotsAndFramesAndSeeks();
    void keyboardStepsThroughShots();
    void addingStoredFileSelectsIt();
    void addingUnreadableFileShowsError();
    void cancellingAnIngestIsQuiet();
    void closingDuringAnIngestIsSafe();

private:
    void openTitle();

    QTemporaryDir dir_;
    QString clip_path_;
    QString db_path_;
    int64_t title_id_ = 0;
    std::shared_ptr<Store> store_;
    std::unique_ptr<MainWindow> window_;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(dir_.isValid());
    clip_path_ = dir_.filePath(QStringLiteral("clip.mp4"));
    const QString made = test::make_cut_clip(clip_path_, 3, 25, 25);
    QVERIFY2(QFileInfo(clip_path_).size() > 0, qPrintable(QStringLiteral("make_cut_clip: ") + made));

    db_path_ = dir_.filePath(QStringLiteral("t.db"));
    store_ = open_store(db_path_.toStdString());
    const IngestResult result = ingest_file(clip_path_.toStdString(), *store_, IngestOptions{}, {});
    QCOMPARE(result.shots, 3);
    QVERIFY(result.frames >= 3);
    title_id_ = result.title_id;
}

void TestMainWindow::init()
{
    window_ = std::make_unique<MainWindow>(store_);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestMainWindow::cleanup()
{
    window_.reset();  // also stops any ingest still running
}

void TestMainWindow::openTitle()
{
    window_->selectTitle(title_id_);
    TitleView* view = window_->titleView();
    QTRY_VERIFY(view->titleId() == title_id_ && !view->isLoading());
}

void TestMainWindow::listsTheIngestedTitle()
{
    const TitleListModel* model = window_->titleListModel();
    QCOMPARE(model->rowCount(), 1);
    // The title is named after the file (the core drops the extension); its tooltip names the file itself.
    const QString name = model->index(0, TitleListModel::NameColumn).data().toString();
    QVERIFY2(name == QStringLiteral("clip") || name == QStringLiteral("clip.mp4"), qPrintable(name));
    QVERIFY(model->index(0, TitleListModel::NameColumn).data(Qt::ToolTipRole).toString().contains(
        QStringLiteral("clip.mp4")));
    QCOMPARE(model->index(0, TitleListModel::StatusColumn).data().toString(), QStringLiteral("ready"));
    QCOMPARE(model->index(0, TitleListModel::ShotsColumn).data().toInt(), 3);
    QCOMPARE(model->index(0, TitleListModel::DurationColumn).data().toString(), QStringLiteral("0:03.00"));
}

void TestMainWindow::showsShotsAndFramesAndSeeks()
{
    openTitle();
    TitleView* view = window_->titleView();
    ShotTimeline* timeline = view->timeline();
    QCOMPARE(timeline->shotCount(), 3);
    QCOMPARE(timeline->shotAt(1)->start_frame, 25);
    QCOMPARE(timeline->shotAt(2)->start_frame, 50);

    // Cells are as wide as their shots: three equal shots, three (nearly) equal cells.
    const int w0 = timeline->shotRect(0).width();
    QVERIFY(w0 > 50);
    QVERIFY(qAbs(timeline->shotRect(2).width() - w0) <= 2);

    const FrameGridModel* frames = view->frameGridModel();
    QVERIFY2(frames->rowCount() >= 3, qPrintable(QString::number(frames->rowCount())));
    for (int shot = 0; shot < 3; ++shot) QVERIFY2(frames->firstRowOfShot(shot) >= 0, "every shot has a frame");
    // Thumbnails arrive from the thread pool for the items on screen.
    QTRY_VERIFY(frames->hasThumbnail(0));

    // Clicking the third cell selects shot 2 and asks the player for its start, 2.00 s at 25 fps.
    QTest::mouseClick(timeline, Qt::LeftButton, {}, timeline->shotRect(2).center());
    QCOMPARE(view->selectedShot(), 2);
    QVERIFY2(qAbs(view->player()->requestedPositionMs() - 2000) <= 50,
             qPrintable(QString::number(view->player()->requestedPositionMs())));
    // ... and moves the grid to that shot's frames.
    QCOMPARE(view->frameGridView()->currentIndex().data(FrameGridModel::ShotIndexRole).toInt(), 2);
    // A picture for people (and CI artefacts), when asked for: FRAMELINE_UI_SCREENSHOT=/path/to.png
    if (const QString shot = qEnvironmentVariable("FRAMELINE_UI_SCREENSHOT"); !shot.isEmpty()) {
        QTRY_VERIFY(frames->hasThumbnail(frames->rowCount() - 1));
        QVERIFY(window_->grab().save(shot));
    }

    // Picking a frame of the first shot in the grid selects shot 0 and seeks to its start.
    view->frameGridView()->setCurrentIndex(frames->index(frames->firstRowOfShot(0)));
    QCOMPARE(view->selectedShot(), 0);
    QVERIFY(qAbs(view->player()->requestedPositionMs() - 0) <= 50);
}

void TestMainWindow::keyboardStepsThroughShots()
{
    openTitle();
    TitleView* view = window_->titleView();
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    window_->titleListView()->setFocus();

    // Nothing selected, playhead at 0 (in shot 0): Right goes to the next shot.
    QCOMPARE(view->selectedShot(), -1);
    QTest::keyClick(window_.get(), Qt::Key_Right);
    QCOMPARE(view->selectedShot(), 1);
    QVERIFY(qAbs(view->player()->requestedPositionMs() - 1000) <= 50);
    QTest::keyClick(window_.get(), Qt::Key_Right);
    QCOMPARE(view->selectedShot(), 2);
    QTest::keyClick(window_.get(), Qt::Key_Right);  // stays on the last shot
    QCOMPARE(view->selectedShot(), 2);
    QTest::keyClick(window_.get(), Qt::Key_Left);
    QTest::keyClick(window_.get(), Qt::Key_Left);
    QCOMPARE(view->selectedShot(), 0);
    QCOMPARE(view->player()->requestedPositionMs(), qint64(0));
    QCOMPARE(window_->selectedTitleId(), title_id_);  // arrows did not move the title list
}

void TestMainWindow::addingStoredFileSelectsIt()
{
    window_->titleListView()->clearSelection();
    QTRY_COMPARE(window_->titleView()->titleId(), qint64(0));

    QSignalSpy finished(window_->ingestController(), &IngestController::jobFinished);
    QSignalSpy failed(window_->ingestController(), &IngestController::jobFailed);
    window_->addFiles({clip_path_});
    QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 60000);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(finished.first().at(1).toLongLong(), title_id_);
    QCOMPARE(finished.first().at(2).toBool(), true);  // recognised, not redone
    QCOMPARE(window_->titleListModel()->rowCount(), 1);
    QCOMPARE(window_->selectedTitleId(), title_id_);
    QTRY_VERIFY(window_->titleView()->titleId() == title_id_ && !window_->titleView()->isLoading());
    QCOMPARE(window_->titleView()->timeline()->shotCount(), 3);
}

void TestMainWindow::addingUnreadableFileShowsError()
{
    const QString text_path = dir_.filePath(QStringLiteral("notes.txt"));
    test::make_text_file(text_path);
    QVERIFY(QFileInfo::exists(text_path));

    QSignalSpy errors(window_.get(), &MainWindow::errorShown);
    window_->addFiles({text_path});  // the File > Add Title path
    QVERIFY(errors.wait(60000));
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("notes.txt")), qPrintable(message));
    QCOMPARE(window_->lastErrorMessage(), message);

    // A message box says it too, without blocking the event loop.
    QMessageBox* box = window_->findChild<QMessageBox*>();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(box->text().contains(QStringLiteral("notes.txt")));
    box->close();

    QCOMPARE(window_->titleListModel()->rowCount(), 1);
    QVERIFY(window_->titleListModel()->index(0, 0).data().toString().startsWith(QStringLiteral("clip")));
    QVERIFY(window_->isVisible());
    QVERIFY(!window_->ingestController()->isBusy());
}

void TestMainWindow::cancellingAnIngestIsQuiet()
{
    // Long enough (60 s at 25 fps) that the cancel lands while it runs.
    const QString long_clip = dir_.filePath(QStringLiteral("long.mp4"));
    test::make_cut_clip(long_clip, 4, 375, 25);
    QVERIFY(QFileInfo(long_clip).size() > 0);

    QSignalSpy failed(window_->ingestController(), &IngestController::jobFailed);
    QSignalSpy finished(window_->ingestController(), &IngestController::jobFinished);
    QSignalSpy errors(window_.get(), &MainWindow::errorShown);
    window_->addFiles({long_clip});
    QVERIFY(window_->ingestController()->isBusy());
    window_->ingestController()->cancelAll();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size() + finished.size(), 1, 60000);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(failed.first().at(1).toString(), QStringLiteral("cancelled"));
    QCOMPARE(failed.first().at(2).toBool(), true);  // cancelled, not failed
    QCOMPARE(errors.size(), 0);                     // no error box for what the user asked for
    QVERIFY(!window_->ingestController()->isBusy());
    QVERIFY(window_->isVisible());
}

void TestMainWindow::closingDuringAnIngestIsSafe()
{
    const QString long_clip = dir_.filePath(QStringLiteral("long.mp4"));
    QVERIFY(QFileInfo::exists(long_clip));
    window_->addFiles({long_clip});
    QVERIFY(window_->ingestController()->isBusy());
    QTest::qWait(200);  // let the worker get going
    QElapsedTimer timer;
    timer.start();
    window_.reset();  // stops and joins the worker; queued callbacks must not reach the dead window
    QVERIFY2(timer.elapsed() < 10000, "closing waits for the ingest to stop, not to finish");
    QTest::qWait(100);  // any stray queued event would be delivered (and crash) here
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
