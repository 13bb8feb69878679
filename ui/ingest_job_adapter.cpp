#include "ui/ingest_job_adapter.h"

#include <QMetaObject>

#include "core/pipeline/ingest.h"

namespace frameline::ui {

IngestJobAdapter::IngestJobAdapter(QString path, QString database_url, QObject* parent)
    : QObject(parent), path_(std::move(path)), database_url_(std::move(database_url))
{
}

IngestJobAdapter::~IngestJobAdapter()
{
    job_.reset();  // requests stop and joins, before the members the callbacks use go away
}

void IngestJobAdapter::start()
{
    if (job_) return;
    IngestJob::Callbacks callbacks;
    callbacks.progress = [this](const Progress& p) { postProgress(p); };
    callbacks.finished = [this](const IngestResult& r) {
        QMetaObject::invokeMethod(
            this, [this, r] { Q_EMIT finished(r.title_id, r.already_present, r.shots, r.frames); },
            Qt::QueuedConnection);
    };
    callbacks.failed = [this](const std::string& message) {
        QMetaObject::invokeMethod(
            this, [this, m = QString::fromStdString(message)] { Q_EMIT failed(m); }, Qt::QueuedConnection);
    };
    try {
        job_ = std::make_unique<IngestJob>(path_.toStdString(), database_url_.toStdString(), IngestOptions{},
                                           std::move(callbacks));
    } catch (const std::exception& e) {
        // Starting a thread can fail (resources); report it like any other failure, after start() returns.
        QMetaObject::invokeMethod(
            this, [this, m = QString::fromUtf8(e.what())] { Q_EMIT failed(m); }, Qt::QueuedConnection);
    }
}

void IngestJobAdapter::cancel()
{
    cancel_requested_ = true;
    if (job_) job_->cancel();
}

void IngestJobAdapter::postProgress(const Progress& progress)
{
    {
        std::lock_guard lock(progress_mutex_);
        latest_progress_ = progress;
    }
    if (progress_event_pending_.exchange(true)) return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            Progress p;
            {
                std::lock_guard lock(progress_mutex_);
                p = latest_progress_;
            }
            progress_event_pending_ = false;
            Q_EMIT progressChanged(QString::fromStdString(p.stage), p.done, p.total);
        },
        Qt::QueuedConnection);
}

}  // namespace frameline::ui
