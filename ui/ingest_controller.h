#pragma once
// Ingests of files the user added, one at a time (one writer on the database), each on its own worker thread; then
// the model zoo over the new title's sampled frames, in a `frameline-cli analyse` process (the GUI process never
// loads LibTorch: Debian's pulls Qt 5 in).
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QStringList>

namespace frameline::ui {

class IngestJobAdapter;

class IngestController : public QObject {
    Q_OBJECT
public:
    explicit IngestController(QString database_url, QObject* parent = nullptr);
    ~IngestController() override;

    void enqueue(const QStringList& paths);
    // frameline-cli beside this program (or $FRAMELINE_CLI, or on PATH); empty when there is none.
    static QString modelRunner();
    void cancelAll();  // the running job and everything queued
    // Cancels one file: drops it from the queue, or stops it when it is the one running. False when it is neither.
    bool cancel(const QString& path);

    // Where the model pass runs and which model manifests it reads: the preferences ("analysis/device":
    // auto|cpu|cuda, "analysis/models_dir"), read at each run so that a change applies to the next ingest.
    static QString devicePreference();
    static QString modelsDirPreference();

    bool isBusy() const { return !current_.isNull() || !models_.isNull(); }
    QString currentPath() const;
    int queuedCount() const { return static_cast<int>(queue_.size()); }
    QStringList queuedPaths() const { return queue_; }

Q_SIGNALS:
    void jobStarted(const QString& path);
    // fraction in 0..1, or a negative value when the total is unknown
    void jobProgress(const QString& path, const QString& stage, double fraction);
    void jobFinished(const QString& path, qint64 title_id, bool already_present, int shots);
    void jobFailed(const QString& path, const QString& message, bool cancelled);
    // The title is stored but the model pass did not run or failed (e.g. models not converted): one line.
    void jobWarning(const QString& path, const QString& message);
    void idle();
    // Files were added to or dropped from the queue (the jobs panel lists the waiting ones).
    void queueChanged();

private:
    void startNext();
    void finishCurrent();
    void runModels(const QString& path, qint64 title_id, bool already_present, int shots);

    QString database_url_;
    QStringList queue_;
    QPointer<IngestJobAdapter> current_;
    QPointer<QProcess> models_;
    QString models_path_;  // the file whose model pass models_ runs
};

}  // namespace frameline::ui
