#include "ui/ingest_controller.h"

#include "ui/ingest_job_adapter.h"

namespace frameline::ui {

IngestController::IngestController(QString database_url, QObject* parent)
    : QObject(parent), database_url_(std::move(database_url))
{
}

IngestController::~IngestController()
{
    queue_.clear();
    // Stop the worker now (the adapter's destructor joins it) rather than whenever QObject gets to the children.
    delete current_.data();
}

void IngestController::enqueue(const QStringList& paths)
{
    queue_.append(paths);
    if (!isBusy()) startNext();
}

void IngestController::cancelAll()
{
    queue_.clear();
    if (current_) current_->cancel();
}

QString IngestController::currentPath() const { return current_ ? current_->path() : QString(); }

void IngestController::startNext()
{
    if (queue_.isEmpty()) {
        Q_EMIT idle();
        return;
    }
    const QString path = queue_.takeFirst();
    auto* job = new IngestJobAdapter(path, database_url_, this);
    current_ = job;
    connect(job, &IngestJobAdapter::progressChanged, this, [this, path](const QString& stage, qint64 done, qint64 total) {
        Q_EMIT jobProgress(path, stage, total > 0 ? static_cast<double>(done) / static_cast<double>(total) : -1.0);
    });
    connect(job, &IngestJobAdapter::finished, this, [this, path](qint64 title_id, bool already_present, int shots, int) {
        finishCurrent();
        Q_EMIT jobFinished(path, title_id, already_present, shots);
        startNext();
    });
    connect(job, &IngestJobAdapter::failed, this, [this, job, path](const QString& message) {
        const bool cancelled = job->cancelRequested();
        finishCurrent();
        Q_EMIT jobFailed(path, message, cancelled);
        startNext();
    });
    Q_EMIT jobStarted(path);
    job->start();
}

void IngestController::finishCurrent()
{
    // Called from the job's own signal: delete it later, its worker thread is ending and joins quickly.
    if (current_) {
        current_->disconnect(this);  // a progress event still queued must not follow the result
        current_->deleteLater();
    }
    current_ = nullptr;
}

}  // namespace frameline::ui
