#include "ui/jobs_panel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "core/store/store.h"
#include "ui/ingest_controller.h"
#include "ui/review_session.h"

namespace frameline::ui {

namespace {
constexpr int kKindRole = Qt::UserRole;      // "local" | "db"
constexpr int kKeyRole = Qt::UserRole + 1;   // the file path (local) or the job id (db)
constexpr int kStateRole = Qt::UserRole + 2; // the state as a word: queued, running, done, failed, cancelled
constexpr int kPollMs = 3000;                // while the dock is visible; live updates come on top of it
constexpr int kLocalEndedKept = 20;

QString file_name(const QString& path)
{
    const QString name = QFileInfo(path).fileName();
    return name.isEmpty() ? path : name;
}

// Where a database job runs: the worker's "HOST:PID", and its Slurm job and array task when Slurm started it
// (`frameline-cli worker` names itself "HOST:PID slurm:JOB_TASK", app/cli/cluster.cpp).
QString where_text(const std::string& worker)
{
    if (worker.empty()) return QObject::tr("any worker");
    const QString name = QString::fromStdString(worker);
    const int at = name.indexOf(QLatin1String(" slurm:"));
    if (at < 0) return name;
    return QObject::tr("%1 (Slurm %2)").arg(name.left(at), name.mid(at + 7));
}

// The stored message of a database job, or what to do when a worker left none.
QString database_message(const QueuedIngest& job)
{
    const QString message = QString::fromStdString(job.message);
    if (!message.isEmpty()) return message;
    if (job.state == JobState::Failed)
        return QObject::tr("failed without a reason: see the log of worker %1 and submit the file again")
            .arg(job.worker.empty() ? QObject::tr("(unknown)") : QString::fromStdString(job.worker));
    if (job.state == JobState::Running && job.cancel_requested)
        return QObject::tr("stop requested: the worker stops at its next heartbeat");
    return {};
}
}  // namespace

JobsPanel::JobsPanel(ReviewSession* session, IngestController* ingest, QWidget* parent)
    : QDockWidget(tr("Jobs"), parent), session_(session), ingest_(ingest)
{
    setObjectName(QStringLiteral("jobsPanel"));  // saveState() needs a name
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);

    tree_ = new QTreeWidget(body);
    tree_->setColumnCount(ColumnCount);
    tree_->setHeaderLabels({tr("File"), tr("Where"), tr("State"), tr("Progress"), tr("Message"), QString()});
    tree_->setRootIsDecorated(false);
    tree_->setUniformRowHeights(true);
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    tree_->setWordWrap(false);
    tree_->setMinimumHeight(tree_->fontMetrics().height() * 9);  // the two groups and a few rows, uncut
    QHeaderView* header = tree_->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(FileColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(CancelColumn, QHeaderView::ResizeToContents);
    tree_->setColumnWidth(FileColumn, 220);
    tree_->setColumnWidth(WhereColumn, 110);
    tree_->setColumnWidth(StateColumn, 90);
    tree_->setColumnWidth(ProgressColumn, 180);

    local_group_ = new QTreeWidgetItem(tree_, {tr("This window")});
    database_group_ = new QTreeWidgetItem(tree_, {tr("Database queue (cluster workers)")});
    for (QTreeWidgetItem* group : {local_group_, database_group_}) {
        group->setFirstColumnSpanned(true);
        group->setFlags(Qt::ItemIsEnabled);
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        group->setExpanded(true);
    }
    layout->addWidget(tree_, 1);
    updateLocalGroupTitle();

    auto* bottom = new QHBoxLayout;
    note_ = new QLabel(body);
    note_->setWordWrap(false);
    note_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* clear = new QPushButton(tr("Clear Finished"), body);
    clear->setToolTip(tr("Remove this window's ended ingests from the list"));
    connect(clear, &QPushButton::clicked, this, &JobsPanel::clearFinished);
    auto* refresh = new QPushButton(tr("Refresh"), body);
    connect(refresh, &QPushButton::clicked, this, &JobsPanel::refreshDatabaseJobs);
    bottom->addWidget(note_, 1);
    bottom->addWidget(refresh);
    bottom->addWidget(clear);
    layout->addLayout(bottom);
    setWidget(body);

    connect(ingest_, &IngestController::queueChanged, this, &JobsPanel::onQueueChanged);
    connect(ingest_, &IngestController::jobStarted, this, &JobsPanel::onJobStarted);
    connect(ingest_, &IngestController::jobProgress, this, &JobsPanel::onJobProgress);
    connect(ingest_, &IngestController::jobFinished, this, &JobsPanel::onJobFinished);
    connect(ingest_, &IngestController::jobFailed, this, &JobsPanel::onJobFailed);
    connect(ingest_, &IngestController::jobWarning, this, &JobsPanel::onJobWarning);

    // Workers elsewhere commit progress with their heartbeats: live updates bring them, the timer is the fallback
    // (and catches a worker that went silent, whose heartbeat stops changing the database).
    // Hidden, the panel reads nothing (a cluster's queue may be long); it catches up when it is shown.
    connect(session_, &ReviewSession::changedElsewhere, this, [this] {
        if (isVisible()) refreshDatabaseJobs();
    });
    poll_ = new QTimer(this);
    poll_->setInterval(kPollMs);
    connect(poll_, &QTimer::timeout, this, [this] {
        if (isVisible()) refreshDatabaseJobs();
    });
    poll_->start();
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) refreshDatabaseJobs();
    });
    refreshDatabaseJobs();
}

QTreeWidgetItem* JobsPanel::itemForFile(const QString& path) const
{
    for (int i = local_group_->childCount() - 1; i >= 0; --i) {
        QTreeWidgetItem* item = local_group_->child(i);
        if (item->data(0, kKeyRole).toString() == path) return item;
    }
    return nullptr;
}

QTreeWidgetItem* JobsPanel::itemForDatabaseJob(qint64 job_id) const { return database_rows_.value(job_id); }

QProgressBar* JobsPanel::progressBar(QTreeWidgetItem* item) const
{
    return item ? qobject_cast<QProgressBar*>(tree_->itemWidget(item, ProgressColumn)) : nullptr;
}

QAbstractButton* JobsPanel::cancelButton(QTreeWidgetItem* item) const
{
    return item ? qobject_cast<QAbstractButton*>(tree_->itemWidget(item, CancelColumn)) : nullptr;
}

QString JobsPanel::stateText(QTreeWidgetItem* item) const
{
    return item ? item->data(0, kStateRole).toString() : QString();
}

QString JobsPanel::noteText() const { return note_->text(); }

void JobsPanel::setNote(const QString& text)
{
    note_->setText(text);
    note_->setToolTip(text);
}

QTreeWidgetItem* JobsPanel::addLocalRow(const QString& path, const QString& state)
{
    auto* item = new QTreeWidgetItem;
    item->setText(FileColumn, file_name(path));
    item->setToolTip(FileColumn, path);
    item->setText(WhereColumn, tr("this window"));
    item->setText(StateColumn, state);
    item->setData(0, kKindRole, QStringLiteral("local"));
    item->setData(0, kKeyRole, path);
    item->setData(0, kStateRole, state);
    local_group_->addChild(item);
    updateLocalGroupTitle();
    return item;
}

void JobsPanel::setActive(QTreeWidgetItem* item, bool active)
{
    if (!active) {
        tree_->removeItemWidget(item, ProgressColumn);
        tree_->removeItemWidget(item, CancelColumn);
        return;
    }
    if (!progressBar(item)) {
        auto* bar = new QProgressBar;
        bar->setRange(0, 1000);
        bar->setValue(0);
        bar->setTextVisible(true);
        bar->setFormat(tr("waiting"));
        bar->setMaximumHeight(tree_->fontMetrics().height() + 4);
        tree_->setItemWidget(item, ProgressColumn, bar);
    }
    if (!cancelButton(item)) {
        auto* cancel = new QToolButton;
        cancel->setText(tr("Cancel"));
        cancel->setAutoRaise(true);
        const bool local = item->data(0, kKindRole).toString() == QLatin1String("local");
        cancel->setToolTip(local ? tr("Stop adding this file") : tr("Cancel this job in the shared queue"));
        if (local) {
            const QString path = item->data(0, kKeyRole).toString();
            connect(cancel, &QToolButton::clicked, this, [this, path] { ingest_->cancel(path); });
        } else {
            const qint64 id = item->data(0, kKeyRole).toLongLong();
            connect(cancel, &QToolButton::clicked, this, [this, id] { cancelDatabaseJob(id); });
        }
        tree_->setItemWidget(item, CancelColumn, cancel);
    }
}

void JobsPanel::setProgress(QTreeWidgetItem* item, const QString& stage, double fraction)
{
    QProgressBar* bar = progressBar(item);
    if (!bar) return;
    if (fraction < 0) {
        bar->setRange(0, 0);  // busy: the total is unknown
        bar->setFormat(stage);
    } else {
        bar->setRange(0, 1000);
        bar->setValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000.0));
        bar->setFormat(stage.isEmpty() ? QStringLiteral("%p%") : stage + QStringLiteral(" %p%"));
    }
    bar->setToolTip(stage);
}

void JobsPanel::endLocalRow(QTreeWidgetItem* item, const QString& state, const QString& message)
{
    setActive(item, false);
    item->setText(StateColumn, state);
    item->setData(0, kStateRole, state);
    item->setText(ProgressColumn, state == QLatin1String("done") ? tr("100%") : QString());
    item->setText(MessageColumn, message);
    item->setToolTip(MessageColumn, message);
    if (state == QLatin1String("failed")) item->setForeground(StateColumn, QColor(0xc0, 0x30, 0x30));
    // Keep the history short: the oldest ended rows go first.
    int ended = 0;
    for (int i = local_group_->childCount() - 1; i >= 0; --i) {
        QTreeWidgetItem* row = local_group_->child(i);
        const QString s = row->data(0, kStateRole).toString();
        if (s == QLatin1String("queued") || s == QLatin1String("running")) continue;
        if (++ended > kLocalEndedKept) delete local_group_->takeChild(i);
    }
}

void JobsPanel::updateLocalGroupTitle()
{
    local_group_->setText(FileColumn, local_group_->childCount() == 0
                                          ? tr("This window: no ingests yet (File ▸ Add Title… or drop a file)")
                                          : tr("This window"));
}

void JobsPanel::onQueueChanged()
{
    // The queue is the controller's: rebuild the waiting rows from it, in its order, after the running one.
    for (QTreeWidgetItem* item : std::as_const(local_queued_)) delete item;
    local_queued_.clear();
    updateLocalGroupTitle();
    for (const QString& path : ingest_->queuedPaths()) {
        QTreeWidgetItem* item = addLocalRow(path, QStringLiteral("queued"));
        setActive(item, true);
        local_queued_ << item;
    }
}

void JobsPanel::onJobStarted(const QString& path)
{
    local_running_ = addLocalRow(path, QStringLiteral("running"));
    // The running row goes above the waiting ones.
    local_group_->removeChild(local_running_);
    int at = local_group_->childCount();
    for (QTreeWidgetItem* queued : std::as_const(local_queued_)) at = std::min(at, local_group_->indexOfChild(queued));
    local_group_->insertChild(at, local_running_);
    setActive(local_running_, true);
    setProgress(local_running_, tr("starting"), -1.0);
}

void JobsPanel::onJobProgress(const QString& path, const QString& stage, double fraction)
{
    if (!local_running_ || local_running_->data(0, kKeyRole).toString() != path) return;
    setProgress(local_running_, stage, fraction);
}

void JobsPanel::onJobFinished(const QString& path, qint64, bool already_present, int shots)
{
    if (!local_running_ || local_running_->data(0, kKeyRole).toString() != path) return;
    endLocalRow(local_running_, QStringLiteral("done"),
                already_present ? tr("already in the database")
                                : shots == 1   ? tr("added: 1 shot")
                                               : tr("added: %1 shots").arg(shots));
    local_running_ = nullptr;
}

void JobsPanel::onJobFailed(const QString& path, const QString& message, bool cancelled)
{
    QTreeWidgetItem* item = nullptr;
    if (local_running_ && local_running_->data(0, kKeyRole).toString() == path) {
        item = local_running_;
        local_running_ = nullptr;
    } else {
        // A queued file cancelled before it started: its waiting row went with the queue; keep a record of it.
        item = addLocalRow(path, QStringLiteral("queued"));
    }
    endLocalRow(item, cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed"),
                cancelled ? tr("cancelled: add the file again to ingest it") : message);
}

void JobsPanel::onJobWarning(const QString& path, const QString& message)
{
    // The title is stored but its model pass did not run: the ended row says why.
    QTreeWidgetItem* item = itemForFile(path);
    if (!item) return;
    const QString before = item->text(MessageColumn);
    const QString text = before.isEmpty() ? message : before + QStringLiteral("; ") + message;
    item->setText(MessageColumn, text);
    item->setToolTip(MessageColumn, text);
}

void JobsPanel::clearFinished()
{
    for (int i = local_group_->childCount() - 1; i >= 0; --i) {
        QTreeWidgetItem* row = local_group_->child(i);
        const QString s = row->data(0, kStateRole).toString();
        if (s != QLatin1String("queued") && s != QLatin1String("running")) delete local_group_->takeChild(i);
    }
    updateLocalGroupTitle();
}

void JobsPanel::refreshDatabaseJobs()
{
    if (read_in_flight_) {
        read_again_ = true;  // one more read after this one: the change may have come after it started
        return;
    }
    read_in_flight_ = true;
    session_->read(
        this, [](Store& store) { return store.ingest_jobs(); },
        [this](std::vector<QueuedIngest> jobs) {
            read_in_flight_ = false;
            applyDatabaseJobs(jobs);
            if (read_again_) {
                read_again_ = false;
                refreshDatabaseJobs();
            }
        },
        [this](const QString& message) {
            read_in_flight_ = false;
            read_again_ = false;
            setNote(tr("Cannot read the ingest queue: %1").arg(message));
        });
}

void JobsPanel::applyDatabaseJobs(const std::vector<QueuedIngest>& jobs)
{
    // Active jobs in queue order, then the newest ended ones.
    std::vector<const QueuedIngest*> shown;
    for (const QueuedIngest& j : jobs)
        if (j.state == JobState::Queued || j.state == JobState::Running) shown.push_back(&j);
    int ended = 0;
    for (auto it = jobs.rbegin(); it != jobs.rend() && ended < kEndedDatabaseJobsShown; ++it)
        if (it->state != JobState::Queued && it->state != JobState::Running) {
            shown.push_back(&*it);
            ++ended;
        }

    QHash<qint64, QTreeWidgetItem*> rows;
    for (size_t i = 0; i < shown.size(); ++i) {
        const QueuedIngest& job = *shown[i];
        QTreeWidgetItem* item = database_rows_.take(job.id);
        if (!item) {
            item = new QTreeWidgetItem;
            item->setData(0, kKindRole, QStringLiteral("db"));
            item->setData(0, kKeyRole, static_cast<qint64>(job.id));
        }
        if (database_group_->indexOfChild(item) != static_cast<int>(i)) {
            // Moving a row drops its item widgets: they are made again below.
            if (database_group_->indexOfChild(item) >= 0) {
                tree_->removeItemWidget(item, ProgressColumn);
                tree_->removeItemWidget(item, CancelColumn);
                database_group_->removeChild(item);
            }
            database_group_->insertChild(static_cast<int>(i), item);
        }
        const QString path = QString::fromStdString(job.media_path);
        const QString state = QString::fromLatin1(to_string(job.state));
        item->setText(FileColumn, file_name(path));
        item->setToolTip(FileColumn, tr("%1\njob %2, attempt %3, submitted %4")
                                         .arg(path)
                                         .arg(job.id)
                                         .arg(job.attempts)
                                         .arg(QString::fromStdString(job.submitted_at)));
        item->setText(WhereColumn, where_text(job.worker));
        const bool stopping = job.state == JobState::Running && job.cancel_requested;
        item->setText(StateColumn, stopping ? tr("stopping") : state);
        item->setData(0, kStateRole, state);
        const QString message = database_message(job);
        item->setText(MessageColumn, message);
        item->setToolTip(MessageColumn, message);
        item->setForeground(StateColumn, job.state == JobState::Failed ? QColor(0xc0, 0x30, 0x30) : QColor());
        const bool active = (job.state == JobState::Queued || job.state == JobState::Running) && !stopping;
        setActive(item, job.state == JobState::Queued || job.state == JobState::Running);
        if (QAbstractButton* cancel = cancelButton(item)) cancel->setEnabled(active);
        if (job.state == JobState::Running)
            setProgress(item, QString::fromStdString(job.stage), job.progress);
        else if (job.state == JobState::Queued)
            setProgress(item, tr("waiting"), 0.0);
        item->setText(ProgressColumn, job.state == JobState::Done ? tr("100%") : QString());
        rows.insert(job.id, item);
    }
    for (QTreeWidgetItem* gone : std::as_const(database_rows_)) delete gone;
    database_rows_ = rows;
    database_group_->setText(FileColumn, shown.empty() ? tr("Database queue (cluster workers): empty")
                                                       : tr("Database queue (cluster workers)"));
    Q_EMIT databaseJobsRefreshed();
}

void JobsPanel::cancelDatabaseJob(qint64 job_id)
{
    if (QAbstractButton* cancel = cancelButton(itemForDatabaseJob(job_id))) cancel->setEnabled(false);
    session_->run(
        this, [job_id](Store& store) { return store.cancel_ingest_job(job_id); },
        [this, job_id](bool asked) {
            setNote(asked ? tr("Job %1: cancel requested").arg(job_id)
                          : tr("Job %1 had already ended: nothing to cancel").arg(job_id));
            refreshDatabaseJobs();
        },
        [this, job_id](const QString& message) {
            setNote(tr("Could not cancel job %1: %2").arg(job_id).arg(message));
            refreshDatabaseJobs();
        });
}

}  // namespace frameline::ui
