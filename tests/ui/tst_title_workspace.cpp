// The title workspace on the review fixture: the lanes under the shot strip (chapters, key scenes, speech, music)
// with the fixture's items where its times put them, clicks on them seeking the player, J/K/L shuttle, frame steps
// and Home/End through the window's keys, and the chapter lanes following edits (this window's and others').
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/main_window.h"
#include "ui/player_view.h"
#include "ui/review_session.h"
#include "ui/shot_timeline.h"
#include "ui/store_command.h"
#include "ui/timeline_lanes.h"
#include "ui/title_view.h"

using namespace frameline;
using namespace frameline::ui;

class TestTitleWorkspace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void lanesShowTheFixture();
    void clickingALaneSeeks();
    void frameSteppingAndEnds();
    void shuttleKeys();
    void lanesFollowEdits();
    void posterIsTheNearestSampledFrame();

private:
    qint64 requestedMs() const { return view()->player()->requestedPositionMs(); }
    TitleView* view() const { return window_->titleView(); }
    void key(Qt::Key k) { QTest::keyClick(window_.get(), k); }

    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    std::unique_ptr<MainWindow> window_;
};

void TestTitleWorkspace::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();  // default keys
}

void TestTitleWorkspace::init()
{
    window_ = std::make_unique<MainWindow>(fx_.store);
    window_->resize(1300, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    window_->showView(QStringLiteral("title"));
    window_->selectTitle(fx_.title_id);
    QTRY_VERIFY(view()->titleId() == fx_.title_id && !view()->isLoading());
    view()->timeline()->setFocus();  // where a reviewer's click on the strip leaves it
}

void TestTitleWorkspace::cleanup()
{
    if (window_) QVERIFY(window_->session()->waitForIdle());
    window_.reset();
}

void TestTitleWorkspace::lanesShowTheFixture()
{
    TimelineLanes* lanes = view()->lanes();
    QVERIFY(lanes->isVisible());
    const int chapters = lanes->laneIndex(QStringLiteral("chapter"));
    const int keys = lanes->laneIndex(QStringLiteral("key_scene"));
    const int speech = lanes->laneIndex(QStringLiteral("speech"));
    const int music = lanes->laneIndex(QStringLiteral("music"));
    QVERIFY(chapters >= 0 && keys >= 0 && speech >= 0 && music >= 0);
    QCOMPARE(lanes->laneIndex(QStringLiteral("scene")), -1);  // the fixture has none
    QCOMPARE(lanes->lane(chapters)->name, QStringLiteral("Chapters"));
    QCOMPARE(lanes->lane(chapters)->items.size(), size_t(2));
    QCOMPARE(lanes->lane(chapters)->items[0].label, QStringLiteral("Opening"));
    QCOMPARE(lanes->lane(keys)->items.size(), size_t(1));
    QCOMPARE(lanes->lane(speech)->items.size(), size_t(1));
    QCOMPARE(lanes->lane(music)->items.size(), size_t(1));

    // One time axis with the shot strip: the key scene (1.0-2.0 s) spans shot 1 (frames 25-49).
    ShotTimeline* strip = view()->timeline();
    const QRect shot1 = strip->shotRect(1);
    const QRect key = lanes->itemRect(keys, 0);
    QVERIFY2(qAbs(key.left() - shot1.left()) <= 1 && qAbs(key.right() - shot1.right()) <= 2,
             qPrintable(QStringLiteral("key scene %1-%2, shot 1 %3-%4")
                            .arg(key.left()).arg(key.right()).arg(shot1.left()).arg(shot1.right())));
    // Speech 0.4-1.6 s and music 2.0-3.8 s of a 4 s title.
    const double px_per_s = strip->shotRect(0).width() / 1.0;
    QVERIFY(qAbs(lanes->itemRect(speech, 0).left() - (strip->shotRect(0).left() + 0.4 * px_per_s)) <= 2);
    QVERIFY(qAbs(lanes->itemRect(music, 0).width() - 1.8 * px_per_s) <= 2);
    // Lanes do not overlap, and each is labelled in the gutter left of the time axis.
    for (int i = 1; i < lanes->laneCount(); ++i) QVERIFY(lanes->laneRect(i).top() > lanes->laneRect(i - 1).bottom());
    for (int i = 0; i < lanes->laneCount(); ++i) QVERIFY(lanes->laneLabelRect(i).right() < lanes->laneRect(i).left());
    QVERIFY(lanes->laneRect(lanes->laneCount() - 1).bottom() < lanes->height());

    if (const QString dir = qEnvironmentVariable("FRAMELINE_H1_GRAB"); !dir.isEmpty()) {
        QTest::qWait(500);  // thumbnails
        QVERIFY(window_->grab().save(dir + QStringLiteral("/h1-workspace.png")));
        QVERIFY(view()->grab().save(dir + QStringLiteral("/h1-title-view.png")));
    }
}

void TestTitleWorkspace::clickingALaneSeeks()
{
    TimelineLanes* lanes = view()->lanes();
    const int chapters = lanes->laneIndex(QStringLiteral("chapter"));
    QTest::mouseClick(lanes, Qt::LeftButton, {}, lanes->itemRect(chapters, 1).center());  // "Ending", 2.0 s
    QCOMPARE(requestedMs(), qint64(2000));
    QCOMPARE(view()->selectedShot(), 2);
    QCOMPARE(view()->timeline()->playhead(), 2.0);

    const int speech = lanes->laneIndex(QStringLiteral("speech"));
    QTest::mouseClick(lanes, Qt::LeftButton, {}, lanes->itemRect(speech, 0).center());  // 0.4 s
    QCOMPARE(requestedMs(), qint64(400));
    QCOMPARE(view()->selectedShot(), 0);

    const int keys = lanes->laneIndex(QStringLiteral("key_scene"));
    QTest::mouseClick(lanes, Qt::LeftButton, {}, lanes->itemRect(keys, 0).center());  // 1.0 s
    QCOMPARE(requestedMs(), qint64(1000));
    QCOMPARE(view()->selectedShot(), 1);

    // The empty part of a lane seeks to the time under the mouse: the music lane at 3.9 s (after the music).
    const int music = lanes->laneIndex(QStringLiteral("music"));
    const QRect lane = lanes->laneRect(music);
    QTest::mouseClick(lanes, Qt::LeftButton, {}, QPoint(lane.left() + int(lane.width() * 3.9 / 4.0), lane.center().y()));
    QVERIFY2(qAbs(requestedMs() - 3900) <= 20, qPrintable(QString::number(requestedMs())));
    QCOMPARE(view()->selectedShot(), 3);
}

void TestTitleWorkspace::frameSteppingAndEnds()
{
    view()->seekToTime(2.0);
    key(Qt::Key_Period);
    QCOMPARE(requestedMs(), qint64(2040));  // one frame at 25 fps
    key(Qt::Key_Comma);
    key(Qt::Key_Comma);
    QCOMPARE(requestedMs(), qint64(1960));
    key(Qt::Key_End);
    QCOMPARE(requestedMs(), qint64(3960));  // the last of 100 frames
    key(Qt::Key_Period);
    QCOMPARE(requestedMs(), qint64(3960));  // no step past it
    key(Qt::Key_Home);
    QCOMPARE(requestedMs(), qint64(0));
    key(Qt::Key_Comma);
    QCOMPARE(requestedMs(), qint64(0));
    // The keys are the workspace's: with another view in front they do nothing.
    window_->showView(QStringLiteral("tags"));
    QTest::keyClick(window_.get(), Qt::Key_Period);
    QCOMPARE(requestedMs(), qint64(0));
    window_->showView(QStringLiteral("title"));
}

void TestTitleWorkspace::shuttleKeys()
{
    PlayerView* player = view()->player();
    key(Qt::Key_L);
    QCOMPARE(player->shuttleRate(), 1);
    key(Qt::Key_L);
    QCOMPARE(player->shuttleRate(), 2);
    key(Qt::Key_K);
    QCOMPARE(player->shuttleRate(), 0);

    view()->seekToTime(3.0);
    key(Qt::Key_J);
    QCOMPARE(player->shuttleRate(), -1);
    QTRY_VERIFY_WITH_TIMEOUT(requestedMs() < 3000, 2000);  // backwards, by seeks
    const qint64 after_one = requestedMs();
    key(Qt::Key_J);
    QCOMPARE(player->shuttleRate(), -2);
    QTRY_VERIFY_WITH_TIMEOUT(requestedMs() < after_one - 200, 2000);
    key(Qt::Key_K);
    QCOMPARE(player->shuttleRate(), 0);
    const qint64 paused_at = requestedMs();
    QTest::qWait(300);
    QCOMPARE(requestedMs(), paused_at);  // K stopped it
    // J runs back to the start and stops there.
    view()->seekToTime(0.2);
    key(Qt::Key_J);
    QTRY_COMPARE_WITH_TIMEOUT(requestedMs(), qint64(0), 2000);
    QTRY_COMPARE(player->shuttleRate(), 0);
}

void TestTitleWorkspace::lanesFollowEdits()
{
    TimelineLanes* lanes = view()->lanes();
    const int chapters = lanes->laneIndex(QStringLiteral("chapter"));
    // This window renames "Opening": the lane shows the new name after the edit.
    ReviewSession* session = window_->session();
    Review r;
    r.entity = "chapter";
    r.id = fx_.chapter_ids[0];
    for (const Chapter& c : fx_.store->chapters(fx_.title_id))
        if (c.id == r.id) r.expected_version = c.version;
    r.action = ReviewAction::Correct;
    r.label = "Prologue";
    QSignalSpy reloaded(view(), &TitleView::lanesReloaded);
    session->undoStack()->push(StoreCommand::review(session, QStringLiteral("Rename"), r, fx_.title_id));
    QVERIFY(session->waitForIdle());
    QTRY_COMPARE(lanes->lane(chapters)->items[0].label, QStringLiteral("Prologue"));
    session->undoStack()->undo();
    QVERIFY(session->waitForIdle());
    QTRY_COMPARE(lanes->lane(chapters)->items[0].label, QStringLiteral("Opening"));

    // Another reviewer rejects "Ending" through their own connection: it leaves the lane on the live update.
    auto other = open_store(fx_.db_path.toStdString());
    Review theirs;
    theirs.entity = "chapter";
    theirs.id = fx_.chapter_ids[1];
    for (const Chapter& c : other->chapters(fx_.title_id))
        if (c.id == theirs.id) theirs.expected_version = c.version;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Reject;
    QVERIFY(other->review(theirs).applied);
    QTRY_COMPARE_WITH_TIMEOUT(lanes->lane(chapters)->items.size(), size_t(1), 5000);
    QVERIFY(reloaded.count() >= 2);
}

// Before playback the picture is the sampled frame nearest the position (offscreen nothing is ever decoded).
void TestTitleWorkspace::posterIsTheNearestSampledFrame()
{
    PlayerView* player = view()->player();
    QVERIFY(player->showsPoster());
    QTRY_VERIFY(!player->posterImage().isNull());
    const QImage at_start = player->posterImage();
    key(Qt::Key_End);  // the last frame: shot 4, another test pattern
    QTRY_VERIFY(!player->posterImage().isNull() && player->posterImage() != at_start);
    key(Qt::Key_Home);
    QTRY_VERIFY(player->posterImage() == at_start);
}

QTEST_MAIN(TestTitleWorkspace)
#include "tst_title_workspace.moc"
