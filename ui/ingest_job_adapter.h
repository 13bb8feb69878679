#pragma once
// Turns one core IngestJob (its callbacks run on the job's worker thread) into queued Qt signals on the GUI thread.
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>

#include "core/pipeline/progress.h"

namespace frameline {
class IngestJob;
}

namespace frameline::ui {

class IngestJobAdapter : public QObject {
    Q_OBJECT
public:
    IngestJobAdapter(QString path, QString database_url, QObject* parent = nullptr);
    // Stops and joins the worker first, so no callback can touch this object afterwards; events it already
    // posted are discarded by Qt together with the object.
    ~IngestJobAdapter() override;

    void start();
    void cancel();
    bool cancelRequested() const { return cancel_requested_; }
    const QString& path() const { return path_; }

Q_SIGNALS:
    void progressChanged(const QString& stage, qint64 done, qint64 total);
    void finished(qint64 title_id, bool already_present, int shots, int frames);
    void failed(const QString& message);

private:
    void postProgress(const Progress& progress);  // worker thread

    QString path_;
    QString database_url_;
    std::unique_ptr<IngestJob> job_;
    bool cancel_requested_ = false;
    // Progress may be reported for every frame; only the latest value is delivered, one queued event at a time.
    std::mutex progress_mutex_;
    Progress latest_progress_;
    std::atomic<bool> progress_event_pending_{false};
};

}  // namespace frameline::ui
