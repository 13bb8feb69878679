#pragma once
// Thumbnails (JPEG in the database) loaded and decoded on the thread pool, cached as QImage, announced by signal.
// The GUI thread never waits on the database for them: views ask, paint a placeholder, and repaint when
// thumbnailReady arrives.
#include <QCache>
#include <QHash>
#include <QImage>
#include <QList>
#include <QObject>
#include <QSet>
#include <memory>

namespace frameline {
class Store;
}

namespace frameline::ui {

class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    explicit ThumbnailLoader(std::shared_ptr<Store> store, QObject* parent = nullptr);
    ~ThumbnailLoader() override;

    // The cached image, or a null image after queueing a load (thumbnailReady follows).
    QImage thumbnail(qint64 frame_id);
    // Forgets queued requests that have not started (the view moved on to another title).
    void dropQueued();

Q_SIGNALS:
    void thumbnailReady(qint64 frame_id, const QImage& image);

private:
    void scheduleFlush();
    void flush();

    std::shared_ptr<Store> store_;  // shared with the worker tasks, so they never outlive it
    QCache<qint64, QImage> cache_;  // cost: kilobytes
    QSet<qint64> failed_;           // no thumbnail stored (or unreadable): do not ask again
    QSet<qint64> requested_;        // queued or in flight
    QList<qint64> queue_;
    bool flush_scheduled_ = false;
    int batches_in_flight_ = 0;
};

}  // namespace frameline::ui
