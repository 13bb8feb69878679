#include "ui/live_updates.h"

#include <QtConcurrent/QtConcurrentRun>

#include "core/store/store.h"

namespace frameline::ui {

LiveUpdates::LiveUpdates(std::shared_ptr<Store> store, int interval_ms, QObject* parent)
    : QObject(parent), store_(std::move(store))
{
    connect(&timer_, &QTimer::timeout, this, &LiveUpdates::poll);
    connect(&watcher_, &QFutureWatcher<bool>::finished, this, [this] {
        if (watcher_.result()) Q_EMIT databaseChanged();
    });
    timer_.start(interval_ms);
    poll();  // the first answer only takes the reading
}

void LiveUpdates::poll()
{
    if (watcher_.isRunning()) return;  // the previous question is still out (a busy database)
    // The store may be busy with a long read on another thread; never wait for it here.
    std::shared_ptr<Store> store = store_;
    watcher_.setFuture(QtConcurrent::run([store] {
        try {
            return store->changed_elsewhere();
        } catch (...) {
            return false;  // a lost connection shows up on the next real query, with its message
        }
    }));
}

}  // namespace frameline::ui
