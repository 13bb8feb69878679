// The main window against real databases built by real ingests of generated clips: one with three hard cuts, and
// the sample title (scripts/make-sample.sh) with a fade through black, a dissolve and a black segment.
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolTip>
#include <QTreeView>
#include <QtTest>
#include <QUndoStack>
#include <memory>

#include "core/pipeline/ingest.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "ui/frame_filter_proxy.h"
#include "ui/frame_flags.h"
#include "ui/frame_grid_model.h"
#include "ui/ingest_controller.h"
#include "ui/main_window.h"
#include "ui/review_session.h"
#include "ui/player_view.h"
#include "ui/shot_timeline.h"
#include "ui/thumbnail_loader.h"
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
    void timelineShowsTransitionsAndMarkers();
    void clickingAMarkerSeeksToIt();
    void timelineDropsLabelsThatDoNotFit();
    void frameGridShowsFlagsAndHidesFlagged();
    void frameGridOutlinesActivePicture();
    void otherConnectionsChangesAppear();
    void reviewingACueFromTheLane();  // last: it reviews the sample database's black cue (left shown, accepted)

private:
    void openTitle();
    void openSample();
    int blackMarkerIndex() const;

    QTemporaryDir dir_;
    QString clip_path_;
    QString db_path_;
    int64_t title_id_ = 0;
    std::shared_ptr<Store> store_;
    QString sample_path_;
    int64_t sample_id_ = 0;
    std::shared_ptr<Store> sample_store_;  // a database of its own: the tests above count the titles of theirs
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

    sample_path_ = test::make_sample_title(dir_.filePath(QStringLiteral("sample.mp4")));
    QVERIFY2(!sample_path_.isEmpty(), "scripts/make-sample.sh failed (see the warning above)");
    sample_store_ = open_store(dir_.filePath(QStringLiteral("sample.db")).toStdString());
    const IngestResult sample = ingest_file(sample_path_.toStdString(), *sample_store_, IngestOptions{}, {});
    QCOMPARE(sample.shots, 5);
    sample_id_ = sample.title_id;
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
    view->frameGridView()->setCurrentIndex(
        view->frameGridProxy()->mapFromSource(frames->index(frames->firstRowOfShot(0))));
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

void TestMainWindow::openSample()
{
    window_ = std::make_unique<MainWindow>(sample_store_);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    window_->selectTitle(sample_id_);
    TitleView* view = window_->titleView();
    QTRY_VERIFY(view->titleId() == sample_id_ && !view->isLoading());
}

int TestMainWindow::blackMarkerIndex() const
{
    const ShotTimeline* timeline = window_->titleView()->timeline();
    for (int i = 0; i < timeline->markerCount(); ++i)
        if (timeline->markerAt(i)->kind == CueKind::Black) return i;
    return -1;
}

void TestMainWindow::timelineShowsTransitionsAndMarkers()
{
    openSample();
    ShotTimeline* timeline = window_->titleView()->timeline();
    QCOMPARE(timeline->shotCount(), 5);

    // Ground truth (scripts/make-sample.sh): a fade through black over frames 240-289 into shot 2, a dissolve over
    // 375-399 into shot 3; the detector may place a span's ends a few frames off, not more.
    const std::vector<TransitionSpan>& spans = timeline->gradualTransitions();
    QCOMPARE(spans.size(), size_t(2));
    QCOMPARE(spans[0].kind, Transition::Fade);
    QCOMPARE(spans[0].shot_index, 2);
    QVERIFY2(qAbs(spans[0].start_frame - 240) <= 5 && qAbs(spans[0].end_frame - 289) <= 5,
             qPrintable(QStringLiteral("fade %1-%2").arg(spans[0].start_frame).arg(spans[0].end_frame)));
    QCOMPARE(spans[1].kind, Transition::Dissolve);
    QCOMPARE(spans[1].shot_index, 3);
    QVERIFY2(qAbs(spans[1].start_frame - 375) <= 4 && qAbs(spans[1].end_frame - 399) <= 4,
             qPrintable(QStringLiteral("dissolve %1-%2").arg(spans[1].start_frame).arg(spans[1].end_frame)));
    // Times from frames at 25 fps; the end is the end of the span's last frame.
    for (const TransitionSpan& t : spans) {
        QVERIFY(qAbs(t.start_s - t.start_frame / 25.0) < 1e-6);
        QVERIFY(qAbs(t.end_s - (t.end_frame + 1) / 25.0) < 1e-6);
    }

    // Drawn across their spans (2 s and 1 s of 24.4 s), around the boundary into their shot. (Whether the tags
    // fit depends on the width: timelineDropsLabelsThatDoNotFit.)
    const QRect fade = timeline->transitionRect(0);
    const QRect dissolve = timeline->transitionRect(1);
    const double px_per_s = timeline->shotRect(0).width() / 5.0;  // shot 0 is 5 s long
    QVERIFY2(qAbs(fade.width() - (spans[0].end_s - spans[0].start_s) * px_per_s) <= 3,
             qPrintable(QString::number(fade.width())));
    QVERIFY(qAbs(dissolve.width() - (spans[1].end_s - spans[1].start_s) * px_per_s) <= 3);
    QVERIFY(fade.left() < timeline->shotRect(2).left() && fade.right() >= timeline->shotRect(2).left());
    QVERIFY(dissolve.left() < timeline->shotRect(3).left() && dissolve.right() >= timeline->shotRect(3).left());

    // The marker lane holds what the store holds, among it the black frames in the middle of the fade.
    const std::vector<Marker> stored = sample_store_->markers(sample_id_);
    QCOMPARE(timeline->markerCount(), static_cast<int>(stored.size()));
    const int black = blackMarkerIndex();
    QVERIFY2(black >= 0, "the fade through black gives a black marker");
    const Marker* m = timeline->markerAt(black);
    QVERIFY2(m->start_frame >= 248 && m->start_frame <= 262 && m->end_frame >= 265 && m->end_frame <= 275,
             qPrintable(QStringLiteral("black %1-%2").arg(m->start_frame).arg(m->end_frame)));
    const QRect bar = timeline->markerRect(black);
    QVERIFY(timeline->markerLaneRect().contains(bar.center()));
    QVERIFY(bar.top() > timeline->shotRect(0).bottom());  // a lane below the strip, not over it
    QVERIFY(bar.left() >= fade.left() && bar.right() <= fade.right());

    // Its tooltip names the kind, the time range and the confidence.
    QHelpEvent help(QEvent::ToolTip, bar.center(), timeline->mapToGlobal(bar.center()));
    QApplication::sendEvent(timeline, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    const QString tip = QToolTip::text();
    QVERIFY2(tip.contains(QStringLiteral("Black")) && tip.contains(QStringLiteral("0:10.")) &&
                 tip.contains(QStringLiteral("Confidence %1%").arg(std::lround(m->confidence * 100.0))),
             qPrintable(tip));
    QToolTip::hideText();
}

void TestMainWindow::clickingAMarkerSeeksToIt()
{
    openSample();
    TitleView* view = window_->titleView();
    ShotTimeline* timeline = view->timeline();
    const int black = blackMarkerIndex();
    QVERIFY(black >= 0);
    QSignalSpy activated(timeline, &ShotTimeline::markerActivated);
    QTest::mouseClick(timeline, Qt::LeftButton, {}, timeline->markerRect(black).center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toInt(), black);
    // The black segment starts at ~10.08 s (frame 252); the player is asked for exactly the marker's start.
    const qint64 asked_ms = view->player()->requestedPositionMs();
    QVERIFY2(qAbs(asked_ms - qRound64(timeline->markerAt(black)->start_s * 1000.0)) <= 1,
             qPrintable(QString::number(asked_ms)));
    QVERIFY2(qAbs(asked_ms - 10080) <= 200, qPrintable(QString::number(asked_ms)));
    QVERIFY(qAbs(timeline->playhead() - asked_ms / 1000.0) < 0.002);
    // Like a click on any lane, it also selects the shot playing there (issue #7: "clicking anything seeks").
    const int shot_there = timeline->shotAtTime(timeline->markerAt(black)->start_s);
    QVERIFY(shot_there >= 0);
    QCOMPARE(view->selectedShot(), shot_there);
}

void TestMainWindow::timelineDropsLabelsThatDoNotFit()
{
    // The same title in a strip 140 px wide (a 24 s title; like a two-hour one at full width): the 1 s dissolve
    // and the 0.8 s black marker are still drawn, at least 3 px wide, but without their labels.
    ThumbnailLoader loader(sample_store_);
    ShotTimeline timeline(&loader);
    timeline.setShots(sample_store_->shots(sample_id_), {}, 24.4);
    timeline.setMarkers(sample_store_->markers(sample_id_));
    timeline.resize(140, timeline.sizeHint().height());
    QCOMPARE(timeline.gradualTransitions().size(), size_t(2));
    QVERIFY(!timeline.transitionTagShown(1));
    QVERIFY(timeline.transitionRect(1).width() >= 3);
    int black = -1;
    for (int i = 0; i < timeline.markerCount(); ++i)
        if (timeline.markerAt(i)->kind == CueKind::Black) black = i;
    QVERIFY(black >= 0);
    QVERIFY(!timeline.markerLabelShown(black));
    QVERIFY(timeline.markerRect(black).width() >= 3);
    QVERIFY(!timeline.grab().isNull());  // paints without labels
    timeline.resize(1200, timeline.sizeHint().height());
    QVERIFY(timeline.transitionTagShown(1));
    QVERIFY(timeline.markerLabelShown(black));
}

void TestMainWindow::frameGridShowsFlagsAndHidesFlagged()
{
    openSample();
    TitleView* view = window_->titleView();
    QAbstractItemModel* shown = view->frameGridView()->model();
    QCOMPARE(shown, static_cast<QAbstractItemModel*>(view->frameGridProxy()));

    const std::vector<FrameRecord> stored = sample_store_->frames(sample_id_);
    int unflagged = 0;
    for (const FrameRecord& f : stored) unflagged += has_fault_flags(f.flags) ? 0 : 1;
    QVERIFY2(stored.size() >= 5, qPrintable(QString::number(stored.size())));
    QVERIFY2(unflagged < static_cast<int>(stored.size()), "the sample has flagged frames (dark, blurry)");
    QVERIFY(unflagged > 0);
    QCOMPARE(shown->rowCount(), static_cast<int>(stored.size()));

    for (int row = 0; row < shown->rowCount(); ++row) {
        const QModelIndex i = shown->index(row, 0);
        const FrameRecord& f = stored[static_cast<size_t>(row)];
        QCOMPARE(i.data(FrameGridModel::FrameIndexRole).toLongLong(), f.frame_index);
        QCOMPARE(i.data(FrameGridModel::HasFaultRole).toBool(), has_fault_flags(f.flags));
        QCOMPARE(i.data(FrameGridModel::KindRole).toInt(), static_cast<int>(f.kind));
        // The flags in words under the thumbnail and in the tooltip, with every metric.
        const QString text = i.data(Qt::DisplayRole).toString();
        const QString tip = i.data(Qt::ToolTipRole).toString();
        for (const QString& word : flag_words(f.flags)) {
            QVERIFY2(text.contains(word), qPrintable(text));
            QVERIFY2(tip.contains(word), qPrintable(tip));
        }
        for (const char* metric : {"brightness", "contrast", "sharpness", "colourfulness", "motion"})
            QVERIFY2(tip.contains(QLatin1String(metric)), qPrintable(tip));
    }

    // Hide flagged frames: only the unflagged ones stay, and the label says how many were hidden.
    QTest::mouseClick(view->hideFlaggedCheckBox(), Qt::LeftButton);
    QVERIFY(view->hideFlaggedCheckBox()->isChecked());
    QCOMPARE(shown->rowCount(), unflagged);
    for (int row = 0; row < shown->rowCount(); ++row)
        QVERIFY(!shown->index(row, 0).data(FrameGridModel::HasFaultRole).toBool());
    QCOMPARE(view->frameGridModel()->rowCount(), static_cast<int>(stored.size()));  // hidden, not dropped
    // Picking a shot whose frames are all hidden leaves the grid alone; one with a shown frame moves it there.
    const int shot = shown->index(shown->rowCount() - 1, 0).data(FrameGridModel::ShotIndexRole).toInt();
    view->selectShot(shot);
    QCOMPARE(view->frameGridView()->currentIndex().data(FrameGridModel::ShotIndexRole).toInt(), shot);
    int hidden_shot = -1;  // a shot all of whose frames are flagged
    for (int s = 0; s < view->timeline()->shotCount() && hidden_shot < 0; ++s) {
        bool any = false, all_flagged = true;
        for (const FrameRecord& f : stored)
            if (f.shot_index == s) any = true, all_flagged = all_flagged && has_fault_flags(f.flags);
        if (any && all_flagged) hidden_shot = s;
    }
    if (hidden_shot >= 0) {
        view->selectShot(hidden_shot);
        QCOMPARE(view->selectedShot(), hidden_shot);
        QCOMPARE(view->frameGridView()->currentIndex().data(FrameGridModel::ShotIndexRole).toInt(), shot);
        view->selectShot(shot);
    }

    QTest::mouseClick(view->hideFlaggedCheckBox(), Qt::LeftButton);
    QCOMPARE(shown->rowCount(), static_cast<int>(stored.size()));
    QCOMPARE(view->selectedShot(), shot);  // showing rows again did not move the selection
}

void TestMainWindow::frameGridOutlinesActivePicture()
{
    // A letterboxed 320x180 thumbnail with bars of 22 px: the active picture maps into the 160x90 icon at half
    // size. The sample has no bars, so the record is made here.
    ThumbnailLoader loader(store_);
    FrameGridModel model(&loader);
    FrameRecord letterboxed;
    letterboxed.id = 1;
    letterboxed.width = 320;
    letterboxed.height = 180;
    letterboxed.active = CropRect{0, 22, 320, 136};
    letterboxed.flags = kFlagLetterboxed;
    letterboxed.kind = FrameKind::KeyFrame;
    FrameRecord plain = letterboxed;
    plain.id = 2;
    plain.frame_index = 1;
    plain.flags = kFlagBlurry;
    model.setFrames({letterboxed, plain});
    QCOMPARE(model.index(0).data(FrameGridModel::ActiveRectRole).toRect(), QRect(0, 11, 160, 68));
    QVERIFY(!model.index(0).data(FrameGridModel::HasFaultRole).toBool());  // bars are not a fault
    QCOMPARE(model.index(0).data(FrameGridModel::FlagsTextRole).toString(), QStringLiteral("letterboxed"));
    QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("motion key frame")));
    QVERIFY(model.index(1).data(FrameGridModel::ActiveRectRole).toRect().isNull());  // no bars, no outline
    QVERIFY(model.index(1).data(FrameGridModel::HasFaultRole).toBool());

    // A 4:3 thumbnail pillarboxed inside the 16:9 icon: offsets add up.
    FrameRecord pillar = letterboxed;
    pillar.width = 240;
    pillar.height = 180;
    pillar.active = CropRect{30, 0, 180, 180};
    pillar.flags = kFlagPillarboxed;
    model.setFrames({pillar});
    QCOMPARE(model.index(0).data(FrameGridModel::ActiveRectRole).toRect(), QRect(20 + 15, 0, 90, 90));
}

void TestMainWindow::otherConnectionsChangesAppear()
{
    // A reviewer's window on a database of its own; an ingest elsewhere (another connection) adds a title.
    const std::string url = dir_.filePath(QStringLiteral("live.db")).toStdString();
    window_ = std::make_unique<MainWindow>(open_store(url));
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QCOMPARE(window_->titleListModel()->rowCount(), 0);
    auto elsewhere = open_store(url);
    const IngestResult r = ingest_file(clip_path_.toStdString(), *elsewhere, IngestOptions{}, {});
    QTRY_COMPARE_WITH_TIMEOUT(window_->titleListModel()->rowCount(), 1, 5000);
    QCOMPARE(window_->titleListModel()->titleAt(0)->id, r.title_id);
    QCOMPARE(window_->titleListModel()->titleAt(0)->shot_count, 3);
}

void TestMainWindow::reviewingACueFromTheLane()
{
    openSample();
    TitleView* view = window_->titleView();
    ShotTimeline* timeline = view->timeline();
    const int black = blackMarkerIndex();
    QVERIFY(black >= 0);
    const MarkerRecord proposed = *timeline->markerRecordAt(black);
    QVERIFY(proposed.id != 0);  // the lane holds the stored records, ids and versions included
    QCOMPARE(proposed.state, ReviewState::Proposed);
    QCOMPARE(proposed.version, int64_t(1));
    const qint64 id = proposed.id;
    const auto stored = [&]() -> MarkerRecord {
        for (const MarkerRecord& r : sample_store_->marker_records(sample_id_))
            if (r.id == id) return r;
        return {};
    };
    QSignalSpy reviewed(view, &TitleView::markerReviewed);

    // A right-click on the cue asks for its menu (the view pops it up without blocking).
    QSignalSpy asked(timeline, &ShotTimeline::markerContextMenuRequested);
    const QPoint at = timeline->markerRect(black).center();
    QContextMenuEvent right_click(QContextMenuEvent::Mouse, at, timeline->mapToGlobal(at));
    QApplication::sendEvent(timeline, &right_click);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toLongLong(), id);
    QMenu* shown = view->findChild<QMenu*>();
    QVERIFY(shown);
    QTRY_VERIFY(shown->isVisible());
    shown->close();

    // Accept, through the menu the lane's right-click shows. Nothing of ours to undo yet.
    std::unique_ptr<QMenu> menu(view->createMarkerMenu(id));
    QVERIFY(menu);
    QVERIFY(!menu->findChild<QAction*>(QStringLiteral("undoMarkerReview"))->isEnabled());
    QAction* accept = menu->findChild<QAction*>(QStringLiteral("acceptMarker"));
    QVERIFY(accept && accept->isEnabled());
    accept->trigger();
    QVERIFY(view->isReviewing());  // on the thread pool, not here
    QTRY_VERIFY(!view->isReviewing());
    QCOMPARE(reviewed.size(), 1);
    QCOMPARE(reviewed.first().at(1).toBool(), true);
    QCOMPARE(stored().state, ReviewState::Accepted);
    QCOMPARE(stored().version, int64_t(2));
    const std::vector<ReviewEvent> events = sample_store_->review_events(sample_id_);
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].reviewer, default_reviewer());
    QCOMPARE(events[0].entity_id, id);
    QCOMPARE(events[0].action, std::string("accept"));
    // The view read the cue again: accepted, version 2, still shown (with its check mark), and undoable.
    QCOMPARE(timeline->markerRecord(id)->state, ReviewState::Accepted);
    QCOMPARE(timeline->markerRecord(id)->version, int64_t(2));
    QCOMPARE(blackMarkerIndex(), black);
    QCOMPARE(view->undoableEvent(id), events[0].id);
    QVERIFY(view->reviewMessage().isEmpty());
    QVERIFY(!timeline->grab().isNull());  // paints the reviewed mark

    // Reject hides it from the lane (kept in the records); its menu still offers to undo that, and undo brings it
    // back as it was.
    view->reviewMarker(id, ReviewAction::Reject);
    QTRY_VERIFY(!view->isReviewing());
    QCOMPARE(stored().state, ReviewState::Rejected);
    QCOMPARE(blackMarkerIndex(), -1);
    QCOMPARE(timeline->markerRecord(id)->state, ReviewState::Rejected);
    menu.reset(view->createMarkerMenu(id));
    QVERIFY(menu);
    QVERIFY(!menu->findChild<QAction*>(QStringLiteral("rejectMarker"))->isEnabled());
    QAction* undo = menu->findChild<QAction*>(QStringLiteral("undoMarkerReview"));
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QTRY_VERIFY(!view->isReviewing());
    QCOMPARE(stored().state, ReviewState::Accepted);
    QCOMPARE(stored().version, int64_t(4));
    QCOMPARE(sample_store_->review_events(sample_id_).back().undoes, sample_store_->review_events(sample_id_)[1].id);
    QCOMPARE(blackMarkerIndex(), black);
    QCOMPARE(view->undoableEvent(id), qint64(0));  // one step back only

    // The same reviews are on the window's undo stack: Ctrl+Z takes back the last one (the take-back, so the cue
    // is rejected again), Ctrl+Shift+Z makes it again; each is an event.
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    QCOMPARE(window_->session()->undoStack()->count(), 3);  // accept, reject, take back
    QTest::keyClick(window_.get(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(stored().state, ReviewState::Rejected);
    QTRY_VERIFY(!view->isReviewing());
    QTest::keyClick(window_.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(stored().state, ReviewState::Accepted);
    QTRY_COMPARE(timeline->markerRecord(id)->version, int64_t(6));
    QCOMPARE(sample_store_->review_events(sample_id_).size(), size_t(5));

    // A conflict: another reviewer (a second connection) rejects it while this view still shows version 6.
    auto other = open_store(sample_store_->url());
    const ReviewOutcome theirs = other->review_marker(ReviewRequest{id, 6, "someone-else", ReviewAction::Reject});
    QVERIFY(theirs.applied);
    QCOMPARE(timeline->markerRecord(id)->version, int64_t(6));  // stale on purpose
    const size_t events_before = sample_store_->review_events(sample_id_).size();
    reviewed.clear();
    view->reviewMarker(id, ReviewAction::Accept);
    QTRY_VERIFY(!view->isReviewing());
    QCOMPARE(reviewed.size(), 1);
    QCOMPARE(reviewed.first().at(1).toBool(), false);
    QCOMPARE(view->reviewMessage(),
             QStringLiteral("Someone else reviewed this cue (now: rejected, version 7); it has been reloaded."));
    QVERIFY(QApplication::activeModalWidget() == nullptr);  // a note in the view, not a dialog
    QCOMPARE(stored().state, ReviewState::Rejected);  // theirs stands: nothing overwritten, no event of ours
    QCOMPARE(sample_store_->review_events(sample_id_).size(), events_before);
    QCOMPARE(timeline->markerRecord(id)->state, ReviewState::Rejected);  // reloaded
    QCOMPARE(timeline->markerRecord(id)->version, int64_t(7));
    QCOMPARE(blackMarkerIndex(), -1);
    QVERIFY(view->createMarkerMenu(id) == nullptr);  // hidden, and not ours to undo

    // The other reviewer takes theirs back, so that the sample's black cue is shown again for any test after this.
    ReviewRequest take_back{id, 7, "someone-else", ReviewAction::Undo};
    take_back.undo_event = theirs.event_id;
    QVERIFY(other->review_marker(take_back).applied);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
