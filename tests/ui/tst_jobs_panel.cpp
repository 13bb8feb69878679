// The Jobs dock: the shared database's ingest queue (a queued job, a running one with its worker's progress, Cancel
// on each) and this window's own ingests of generated clips (queued, running with a progress bar, done, failed with
// the reason, a queued one cancelled).
#include <QAbstractButton>
#include <QAction>
#include <QFileInfo>
#include <QProgressBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <memory>

#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/review_fixture.h"
#include "ui/ingest_controller.h"
#include "ui/jobs_panel.h"
#include "ui/main_window.h"
#include "ui/review_session.h"

using namespace frameline;
using namespace frameline::ui;

class TestJobsPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void viewMenuShowsThePanel();
    void databaseJobsAppearAndCancel();
    void inProcessIngestShowsProgressAndFinishes();
    void queuedFileCanBeCancelled();

private:
    QueuedIngest job(int64_t id);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
};

void TestJobsPanel::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests-jobs"));
    QSettings().clear();
    // No model pass after the ingests: it needs the converted zoo and is tested elsewhere.
    qputenv("FRAMELINE_CLI", dir_.filePath(QStringLiteral("no-such-cli")).toUtf8());
}

QueuedIngest TestJobsPanel::job(int64_t id)
{
    for (const QueuedIngest& j : fx_.store->ingest_jobs())
        if (j.id == id) return j;
    return {};
}

void TestJobsPanel::viewMenuShowsThePanel()
{
    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    JobsPanel* panel = window.jobsPanel();
    QVERIFY(panel);
    QVERIFY(!panel->isVisible());
    panel->toggleViewAction()->trigger();
    QVERIFY(panel->isVisible());
    QVERIFY(panel->toggleViewAction()->text().contains(QStringLiteral("Jobs")));
}

void TestJobsPanel::databaseJobsAppearAndCancel()
{
    const int64_t claimed = fx_.store->enqueue_ingest("/media/long_feature.mp4");
    const int64_t queued = fx_.store->enqueue_ingest("/media/waiting.mp4");
    auto worker = open_store(fx_.db_path.toStdString());  // a cluster worker's connection
    auto taken = worker->claim_ingest_job("node-9:4242 slurm:77_3");  // the oldest queued job, by a Slurm task
    QVERIFY(taken);
    QCOMPARE(taken->id, claimed);
    worker->set_ingest_job_progress(claimed, "decode", 0.4);

    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    JobsPanel* panel = window.jobsPanel();
    panel->toggleViewAction()->trigger();
    QTRY_VERIFY(panel->itemForDatabaseJob(queued) && panel->itemForDatabaseJob(claimed));

    QTreeWidgetItem* q = panel->itemForDatabaseJob(queued);
    QCOMPARE(panel->stateText(q), QStringLiteral("queued"));
    QVERIFY(panel->cancelButton(q));
    QTreeWidgetItem* r = panel->itemForDatabaseJob(claimed);
    QCOMPARE(panel->stateText(r), QStringLiteral("running"));
    QCOMPARE(r->text(JobsPanel::WhereColumn), QStringLiteral("node-9:4242 (Slurm 77_3)"));
    QVERIFY(panel->progressBar(r));
    QCOMPARE(panel->progressBar(r)->value(), 400);
    QVERIFY(panel->progressBar(r)->text().contains(QStringLiteral("decode")));

    // The worker moves on: live updates bring the new stage without a click.
    worker->set_ingest_job_progress(claimed, "models", 0.8);
    QTRY_COMPARE_WITH_TIMEOUT(panel->progressBar(panel->itemForDatabaseJob(claimed))->value(), 800, 8000);
    if (const QString keep = qEnvironmentVariable("FRAMELINE_KEEP_SCREENSHOTS"); !keep.isEmpty())
        window.grab().save(keep + QStringLiteral("/jobs_panel.png"));  // to look at it

    // Cancel the queued one: it ends at once in the database.
    QTest::mouseClick(panel->cancelButton(panel->itemForDatabaseJob(queued)), Qt::LeftButton);
    QVERIFY(window.session()->waitForIdle());
    QCOMPARE(job(queued).state, JobState::Cancelled);
    QTRY_COMPARE(panel->stateText(panel->itemForDatabaseJob(queued)), QStringLiteral("cancelled"));
    QVERIFY(!panel->cancelButton(panel->itemForDatabaseJob(queued)));  // nothing left to cancel

    // Cancel the running one: its worker is asked to stop; the row says so until the worker finishes it.
    QTest::mouseClick(panel->cancelButton(panel->itemForDatabaseJob(claimed)), Qt::LeftButton);
    QVERIFY(window.session()->waitForIdle());
    QCOMPARE(job(claimed).state, JobState::Running);
    QVERIFY(job(claimed).cancel_requested);
    QTRY_COMPARE(panel->itemForDatabaseJob(claimed)->text(JobsPanel::StateColumn), QStringLiteral("stopping"));
    worker->finish_ingest_job(claimed, JobState::Failed, 0,
                              "cannot decode /media/long_feature.mp4: re-encode it or check the file");
    QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(panel->itemForDatabaseJob(claimed)), QStringLiteral("failed"), 8000);
    QVERIFY(panel->itemForDatabaseJob(claimed)->text(JobsPanel::MessageColumn).contains(QStringLiteral("re-encode")));
}

void TestJobsPanel::inProcessIngestShowsProgressAndFinishes()
{
    const QString clip = dir_.filePath(QStringLiteral("new_clip.mp4"));
    const QString made = test::make_cut_clip(clip, 3, 25, 25);
    QVERIFY2(QFileInfo(clip).size() > 0, qPrintable(made));
    const QString broken = test::make_text_file(dir_.filePath(QStringLiteral("notes.mp4")));

    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    JobsPanel* panel = window.jobsPanel();
    panel->toggleViewAction()->trigger();

    // What the running row's bar shows at each progress report (the panel updates before this slot runs).
    int best_value = -1;
    QStringList stages;
    connect(window.ingestController(), &IngestController::jobProgress, this,
            [&](const QString& path, const QString& stage, double fraction) {
                if (QFileInfo(path).fileName() != QLatin1String("new_clip.mp4")) return;
                QProgressBar* bar = panel->progressBar(panel->itemForFile(path));
                QVERIFY(bar);
                if (fraction >= 0) best_value = std::max(best_value, bar->value());
                if (!stages.contains(stage)) stages << stage;
            });
    window.addFiles({clip, broken});
    const QString clip_abs = QFileInfo(clip).absoluteFilePath();
    const QString broken_abs = QFileInfo(broken).absoluteFilePath();
    QCOMPARE(panel->stateText(panel->itemForFile(clip_abs)), QStringLiteral("running"));
    QCOMPARE(panel->stateText(panel->itemForFile(broken_abs)), QStringLiteral("queued"));

    QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(panel->itemForFile(clip_abs)), QStringLiteral("done"), 30000);
    QVERIFY2(best_value > 0, qPrintable(QStringLiteral("bar never moved; stages: ") + stages.join(',')));
    const QString summary = panel->itemForFile(clip_abs)->text(JobsPanel::MessageColumn);
    QVERIFY2(summary.contains(QStringLiteral("3 shots")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("models were not run")), qPrintable(summary));  // the warning too
    QVERIFY(!panel->cancelButton(panel->itemForFile(clip_abs)));

    QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(panel->itemForFile(broken_abs)), QStringLiteral("failed"), 30000);
    const QString why = panel->itemForFile(broken_abs)->text(JobsPanel::MessageColumn);
    QVERIFY2(!why.isEmpty(), "a failed ingest says why");
    // The status bar summary is kept: it named the failure too.
    QVERIFY(window.lastErrorMessage().contains(QStringLiteral("notes.mp4")));
}

void TestJobsPanel::queuedFileCanBeCancelled()
{
    const QString first = dir_.filePath(QStringLiteral("first.mp4"));
    const QString second = dir_.filePath(QStringLiteral("second.mp4"));
    test::make_cut_clip(first, 2, 25, 25);
    test::make_cut_clip(second, 2, 20, 25);
    QVERIFY(QFileInfo(first).size() > 0 && QFileInfo(second).size() > 0);
    MainWindow window(open_store(fx_.db_path.toStdString()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    JobsPanel* panel = window.jobsPanel();
    panel->toggleViewAction()->trigger();
    window.addFiles({first, second});
    QTreeWidgetItem* waiting = panel->itemForFile(second);
    QCOMPARE(panel->stateText(waiting), QStringLiteral("queued"));
    QTest::mouseClick(panel->cancelButton(waiting), Qt::LeftButton);
    QCOMPARE(window.ingestController()->queuedCount(), 0);
    QCOMPARE(panel->stateText(panel->itemForFile(second)), QStringLiteral("cancelled"));
    QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(panel->itemForFile(first)), QStringLiteral("done"), 30000);
    // Only the first was ingested.
    bool second_stored = false;
    for (const TitleRecord& t : fx_.store->titles())
        if (QString::fromStdString(t.name).startsWith(QStringLiteral("second"))) second_stored = true;
    QVERIFY(!second_stored);
}

QTEST_MAIN(TestJobsPanel)
#include "tst_jobs_panel.moc"
