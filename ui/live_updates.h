#pragma once
// Live updates: asks the store about once a second, off the GUI thread, whether another connection (a reviewer
// elsewhere, an ingest, a cluster worker) changed the database, and says so with a signal.
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <memory>

namespace frameline {
class Store;
}

namespace frameline::ui {

class LiveUpdates : public QObject {
    Q_OBJECT
public:
    LiveUpdates(std::shared_ptr<Store> store, int interval_ms, QObject* parent = nullptr);

Q_SIGNALS:
    void databaseChanged();

private:
    void poll();

    std::shared_ptr<Store> store_;
    QTimer timer_;
    QFutureWatcher<bool> watcher_;  // a child: a result never reaches a destroyed receiver
};

}  // namespace frameline::ui
