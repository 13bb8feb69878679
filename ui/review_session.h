#pragma once
// What every review view shares: the store, the reviewer's name, one undo stack for the window, and a worker that
// runs store work off the GUI thread. Writes run one at a time in the order they were asked for (one writer per
// connection, and an undo always runs after the edit it takes back); results come back on the GUI thread, and only
// to receivers that still exist.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>
#include <functional>
#include <memory>
#include <type_traits>

#include "core/store/annotation_records.h"

class QUndoStack;

namespace frameline {
class Store;
}

namespace frameline::ui {

// What an edit did or why it did not: views update their rows from it; a conflict carries what is stored now.
struct EditReport {
    QString entity;          // tag | chapter | character | artwork | marker | ...
    qint64 id = 0;
    qint64 title_id = 0;
    bool applied = false;     // false: somebody else changed it first (conflict) or the store refused (error)
    QString error;            // non-empty: the store's one-line reason
    frameline::ReviewResult result;  // state, version and the snapshot stored now
    QString text;             // the edit as the undo stack names it ("Accept tag 'car'")
    bool undo = false;        // the report of an undo (the stack's Undo of this edit)
    // A conflict only: makes the same edit again over what is stored now (a new undo command), for "use mine".
    std::function<void()> retry;
};

class ReviewSession : public QObject {
    Q_OBJECT
public:
    explicit ReviewSession(std::shared_ptr<Store> store, QObject* parent = nullptr);
    ~ReviewSession() override;  // waits for the queued work: nothing asked for is lost

    Store& store() const { return *store_; }
    std::shared_ptr<Store> sharedStore() const { return store_; }
    QUndoStack* undoStack() const { return undo_stack_; }
    // Who the review events name: the preference, else $FRAMELINE_REVIEWER, else the OS user (as the CLI).
    QString reviewer() const { return reviewer_; }
    void setReviewer(const QString& name);

    // Runs `work(store)` on the worker; `done(result)` then runs on the GUI thread if `receiver` still exists.
    // An exception from `work` goes to `failed` (or, without one, to the failed() signal) as its message.
    template <class Work, class Done>
    void run(QObject* receiver, Work work, Done done, std::function<void(const QString&)> failed = {});

    // Reads that may run beside the writes (a second pool): loading a view never waits behind a write.
    template <class Work, class Done>
    void read(QObject* receiver, Work work, Done done, std::function<void(const QString&)> failed = {});

    // True while writes are queued or running (tests wait on it; the window asks before closing).
    bool isBusy() const;
    // Processes events until the queued writes are done, or `timeout_ms` passed. For tests and closing.
    bool waitForIdle(int timeout_ms = 10000);

    // Called by StoreCommand on the GUI thread with each edit's outcome.
    void report(const EditReport& report);

Q_SIGNALS:
    // Every applied edit of this window (views refresh the row; other views of the title may reload).
    void edited(const frameline::ui::EditReport& report);
    // An edit found the row changed by someone else: the window shows both values and lets the reviewer choose.
    void conflict(const frameline::ui::EditReport& report);
    void failed(const QString& message);
    // The same failure with the edit it belongs to (views clear what they marked as pending).
    void editFailed(const frameline::ui::EditReport& report);
    // Another connection changed the database (live updates, polled about once a second).
    void changedElsewhere();

private:
    void post(QThreadPool* pool, QObject* receiver, std::function<std::function<void()>()> job,
              std::function<void(const QString&)> failed);

    std::shared_ptr<Store> store_;
    QUndoStack* undo_stack_ = nullptr;
    QString reviewer_;
    QThreadPool writes_;  // one thread: FIFO
    QThreadPool reads_;
};

template <class Work, class Done>
void ReviewSession::run(QObject* receiver, Work work, Done done, std::function<void(const QString&)> failed)
{
    std::shared_ptr<Store> store = store_;
    post(&writes_, receiver, [store, work = std::move(work), done = std::move(done)]() mutable -> std::function<void()> {
        if constexpr (std::is_void_v<decltype(work(*store))>) {
            work(*store);
            return [done = std::move(done)]() mutable { done(); };
        } else {
            auto result = work(*store);
            return [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); };
        }
    }, std::move(failed));
}

template <class Work, class Done>
void ReviewSession::read(QObject* receiver, Work work, Done done, std::function<void(const QString&)> failed)
{
    std::shared_ptr<Store> store = store_;
    post(&reads_, receiver, [store, work = std::move(work), done = std::move(done)]() mutable -> std::function<void()> {
        auto result = work(*store);
        return [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); };
    }, std::move(failed));
}

}  // namespace frameline::ui

Q_DECLARE_METATYPE(frameline::ui::EditReport)
