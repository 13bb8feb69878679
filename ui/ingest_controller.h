#pragma once
// Ingests of files the user added, one at a time (one writer on the database), each on its own worker thread.
#include <QObject>
#include <QPointer>
#include <QStringList>

namespace frameline::ui {

class IngestJobAdapter;

class IngestController : public QObject {
    Q_OBJECT
public:
    explicit IngestController(QString database_url, QObject* parent = nullptr);
    ~IngestController() override;

    void enqueue(const QStringList& paths);
    void cancelAll();  // the running job and everything queued

    bool isBusy() const { return !current_.isNull(); }
    QString currentPath() const;
    int queuedCount() const { return static_cast<int>(queue_.size()); }

Q_SIGNALS:
    void jobStarted(const QString& path);
    // fraction in 0..1, or a negative value when the total is unknown
    void jobProgress(const QString& path, const QString& stage, double fraction);
    void jobFinished(const QString& path, qint64 title_id, bool already_present, int shots);
    void jobFailed(const QString& path, const QString& message, bool cancelled);
    void idle();

private:
    void startNext();
    void finishCurrent();

    QString database_url_;
    QStringList queue_;
    QPointer<IngestJobAdapter> current_;
};

}  // namespace frameline::ui
