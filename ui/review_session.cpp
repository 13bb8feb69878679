#include "ui/review_session.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QUndoStack>
#include <QtGlobal>

#include "core/store/store.h"
#include "ui/live_updates.h"

namespace frameline::ui {

namespace {
// As the CLI names reviewers: $FRAMELINE_REVIEWER, else the OS user.
QString login_name() { return QString::fromStdString(frameline::default_reviewer()); }
}  // namespace

ReviewSession::ReviewSession(std::shared_ptr<Store> store, QObject* parent)
    : QObject(parent), store_(std::move(store)), undo_stack_(new QUndoStack(this)), reviewer_(login_name())
{
    qRegisterMetaType<EditReport>();
    writes_.setMaxThreadCount(1);
    reads_.setMaxThreadCount(2);
    auto* live = new LiveUpdates(store_, 1000, this);
    connect(live, &LiveUpdates::databaseChanged, this, &ReviewSession::changedElsewhere);
}

ReviewSession::~ReviewSession()
{
    writes_.waitForDone();
    reads_.waitForDone();
}

void ReviewSession::setReviewer(const QString& name)
{
    reviewer_ = name.trimmed().isEmpty() ? login_name() : name.trimmed();
}

bool ReviewSession::isBusy() const { return writes_.activeThreadCount() > 0; }

bool ReviewSession::waitForIdle(int timeout_ms)
{
    QDeadlineTimer deadline(timeout_ms);
    // The finished job's result is a queued call: process events until both the pool and the queue are empty.
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (!isBusy() && reads_.activeThreadCount() == 0) {
            QCoreApplication::processEvents();
            if (!isBusy()) return true;
        }
    }
    return false;
}

void ReviewSession::report(const EditReport& r)
{
    if (!r.error.isEmpty()) {
        Q_EMIT failed(r.error);
        Q_EMIT editFailed(r);
    }
    else if (!r.applied) Q_EMIT conflict(r);
    else Q_EMIT edited(r);
}

void ReviewSession::post(QThreadPool* pool, QObject* receiver, std::function<std::function<void()>()> job,
                         std::function<void(const QString&)> failed)
{
    QPointer<QObject> target(receiver);
    QPointer<ReviewSession> self(this);
    pool->start([this, self, target, job = std::move(job), failed = std::move(failed)]() mutable {
        std::function<void()> deliver;
        QString error;
        try {
            deliver = job();
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unexpected error in a database job");
        }
        // The session outlives its pools (its destructor waits for them), so `this` is valid to post to here.
        QMetaObject::invokeMethod(this, [this, target, deliver = std::move(deliver), error, failed = std::move(failed)] {
            if (!error.isEmpty()) {
                if (failed && target) failed(error);
                else Q_EMIT this->failed(error);
                return;
            }
            if (target && deliver) deliver();
        }, Qt::QueuedConnection);
        (void)self;
    });
}

}  // namespace frameline::ui
