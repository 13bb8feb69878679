#pragma once
// The Jobs dock (View ▸ Jobs): this window's ingests (queued, running with its stage and a progress bar, done,
// failed with the reason) and the shared database's ingest queue that cluster workers take jobs from. Each active
// row has a Cancel button: an in-process ingest stops through the IngestController, a database job through
// Store::cancel_ingest_job (queued: cancelled at once; running: its worker is asked to stop). The database queue is
// read on the session's read pool, when another connection changed the database and every few seconds while the
// dock is visible: the GUI thread never waits on it.
#include <QDockWidget>
#include <QHash>
#include <QList>
#include <vector>

#include "core/store/annotation_records.h"

class QAbstractButton;
class QLabel;
class QProgressBar;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace frameline::ui {

class IngestController;
class ReviewSession;

class JobsPanel : public QDockWidget {
    Q_OBJECT
public:
    enum Column { FileColumn, WhereColumn, StateColumn, ProgressColumn, MessageColumn, CancelColumn, ColumnCount };

    JobsPanel(ReviewSession* session, IngestController* ingest, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return tree_; }
    // The group rows: this window's ingests, and the database queue.
    QTreeWidgetItem* localGroup() const { return local_group_; }
    QTreeWidgetItem* databaseGroup() const { return database_group_; }
    // The newest row of this window's ingest of `path`, or of database job `job_id`; null when there is none.
    QTreeWidgetItem* itemForFile(const QString& path) const;
    QTreeWidgetItem* itemForDatabaseJob(qint64 job_id) const;
    // The row's progress bar and Cancel button (null once the job has ended).
    QProgressBar* progressBar(QTreeWidgetItem* item) const;
    QAbstractButton* cancelButton(QTreeWidgetItem* item) const;
    QString stateText(QTreeWidgetItem* item) const;
    // The panel's own one-line notes (a cancel that came too late, a read that failed).
    QString noteText() const;

    // Reads the database queue again (off the GUI thread); databaseJobsRefreshed() follows.
    void refreshDatabaseJobs();
    // How many ended database jobs are listed below the active ones (the newest first).
    static constexpr int kEndedDatabaseJobsShown = 10;

Q_SIGNALS:
    void databaseJobsRefreshed();

private:
    void onQueueChanged();
    void onJobStarted(const QString& path);
    void onJobProgress(const QString& path, const QString& stage, double fraction);
    void onJobFinished(const QString& path, qint64 title_id, bool already_present, int shots);
    void onJobFailed(const QString& path, const QString& message, bool cancelled);
    void onJobWarning(const QString& path, const QString& message);
    void applyDatabaseJobs(const std::vector<frameline::QueuedIngest>& jobs);
    void cancelDatabaseJob(qint64 job_id);
    void clearFinished();
    void updateLocalGroupTitle();
    void setNote(const QString& text);

    QTreeWidgetItem* addLocalRow(const QString& path, const QString& state);
    // Shows a bar and a Cancel button on an active row, or removes them from an ended one.
    void setActive(QTreeWidgetItem* item, bool active);
    void setProgress(QTreeWidgetItem* item, const QString& stage, double fraction);
    void endLocalRow(QTreeWidgetItem* item, const QString& state, const QString& message);

    ReviewSession* session_ = nullptr;
    IngestController* ingest_ = nullptr;
    QTreeWidget* tree_ = nullptr;
    QLabel* note_ = nullptr;
    QTreeWidgetItem* local_group_ = nullptr;
    QTreeWidgetItem* database_group_ = nullptr;
    QList<QTreeWidgetItem*> local_queued_;  // rows of files waiting in the controller's queue
    QTreeWidgetItem* local_running_ = nullptr;
    QHash<qint64, QTreeWidgetItem*> database_rows_;
    QTimer* poll_ = nullptr;
    bool read_in_flight_ = false;
    bool read_again_ = false;
};

}  // namespace frameline::ui
