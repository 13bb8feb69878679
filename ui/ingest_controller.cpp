#include "ui/ingest_controller.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>

#include "ui/ingest_job_adapter.h"

namespace frameline::ui {

IngestController::IngestController(QString database_url, QObject* parent)
    : QObject(parent), database_url_(std::move(database_url))
{
}

IngestController::~IngestController()
{
    queue_.clear();
    if (models_) {
        models_->disconnect(this);
        models_->kill();
        models_->waitForFinished(3000);
    }
    // Stop the worker now (the adapter's destructor joins it) rather than whenever QObject gets to the children.
    delete current_.data();
}

void IngestController::enqueue(const QStringList& paths)
{
    queue_.append(paths);
    Q_EMIT queueChanged();
    if (!isBusy()) startNext();
}

void IngestController::cancelAll()
{
    queue_.clear();
    Q_EMIT queueChanged();
    if (current_) current_->cancel();
    if (models_) models_->kill();  // the model run is one transaction: nothing of it is stored
}

bool IngestController::cancel(const QString& path)
{
    if (queue_.removeOne(path)) {
        Q_EMIT queueChanged();
        Q_EMIT jobFailed(path, tr("cancelled before it started"), true);
        if (queue_.isEmpty() && !isBusy()) Q_EMIT idle();
        return true;
    }
    if (current_ && current_->path() == path) {
        current_->cancel();
        return true;
    }
    if (models_ && models_path_ == path) {
        models_->kill();  // the model run is one transaction: nothing of it is stored
        return true;
    }
    return false;
}

QString IngestController::devicePreference()
{
    const QString device = QSettings().value(QStringLiteral("analysis/device"), QStringLiteral("auto")).toString();
    return device == QLatin1String("cpu") || device == QLatin1String("cuda") ? device : QStringLiteral("auto");
}

QString IngestController::modelsDirPreference()
{
    return QSettings().value(QStringLiteral("analysis/models_dir")).toString().trimmed();
}

QString IngestController::modelRunner()
{
    const QString named = qEnvironmentVariable("FRAMELINE_CLI");
    if (!named.isEmpty()) return QFileInfo(named).isExecutable() ? named : QString();
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate : {dir + "/frameline-cli", dir + "/../frameline-cli"})
        if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).canonicalFilePath();
    return QStandardPaths::findExecutable("frameline-cli");
}

void IngestController::runModels(const QString& path, qint64 title_id, bool already_present, int shots)
{
    const QString cli = modelRunner();
    if (already_present || cli.isEmpty()) {
        Q_EMIT jobFinished(path, title_id, already_present, shots);
        if (cli.isEmpty()) Q_EMIT jobWarning(path, tr("frameline-cli not found: models were not run on %1").arg(path));
        startNext();
        return;
    }
    auto* process = new QProcess(this);
    models_ = process;
    models_path_ = path;
    const QString models_dir = modelsDirPreference();
    if (!models_dir.isEmpty()) {
        // core/models reads the manifests from $FRAMELINE_MODELS_DIR (model_zoo.h: repo_models_dir()).
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FRAMELINE_MODELS_DIR"), models_dir);
        process->setProcessEnvironment(env);
    }
    Q_EMIT jobProgress(path, QStringLiteral("models"), -1.0);
    connect(process, &QProcess::finished, this, [this, process, path, title_id, already_present, shots](int code,
                                                                                                   QProcess::ExitStatus status) {
        process->deleteLater();
        models_ = nullptr;
        Q_EMIT jobFinished(path, title_id, already_present, shots);
        if (status != QProcess::NormalExit || code != 0) {
            QString why = QString::fromUtf8(process->readAllStandardError()).trimmed().section('\n', -1);
            if (why.isEmpty()) why = tr("the model run was stopped");
            Q_EMIT jobWarning(path, tr("Models not run on %1: %2").arg(QFileInfo(path).fileName(), why));
        }
        startNext();
    });
    process->start(cli, {QStringLiteral("analyse"), QString::number(title_id), QStringLiteral("--db"), database_url_,
                         QStringLiteral("--device"), devicePreference(), QStringLiteral("--json")});
}

QString IngestController::currentPath() const { return current_ ? current_->path() : QString(); }

void IngestController::startNext()
{
    if (queue_.isEmpty()) {
        Q_EMIT idle();
        return;
    }
    const QString path = queue_.takeFirst();
    Q_EMIT queueChanged();
    auto* job = new IngestJobAdapter(path, database_url_, this);
    current_ = job;
    connect(job, &IngestJobAdapter::progressChanged, this, [this, path](const QString& stage, qint64 done, qint64 total) {
        Q_EMIT jobProgress(path, stage, total > 0 ? static_cast<double>(done) / static_cast<double>(total) : -1.0);
    });
    connect(job, &IngestJobAdapter::finished, this, [this, path](qint64 title_id, bool already_present, int shots, int) {
        finishCurrent();
        runModels(path, title_id, already_present, shots);
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
