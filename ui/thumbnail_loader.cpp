#include "ui/thumbnail_loader.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <utility>
#include <vector>

#include "core/store/store.h"

namespace frameline::ui {

namespace {
constexpr int kBatchSize = 24;        // one task per batch: fewer round trips through the store's mutex
constexpr int kMaxBatchesInFlight = 2;  // keep the pool free for others; later requests (visible items) come soon
constexpr int kCacheKilobytes = 128 * 1024;

using Batch = std::vector<std::pair<qint64, QImage>>;

// Runs on the thread pool.
Batch load_batch(const std::shared_ptr<Store>& store, const QList<qint64>& ids)
{
    Batch out;
    out.reserve(static_cast<size_t>(ids.size()));
    for (qint64 id : ids) {
        QImage image;
        try {
            const std::vector<uint8_t> jpeg = store->thumbnail_jpeg(id);
            if (!jpeg.empty())
                image.loadFromData(reinterpret_cast<const uchar*>(jpeg.data()), static_cast<int>(jpeg.size()), "JPG");
        } catch (const std::exception&) {
            // A missing or unreadable thumbnail is shown as a placeholder; nothing to recover here.
        }
        out.emplace_back(id, std::move(image));
    }
    return out;
}
}  // namespace

ThumbnailLoader::ThumbnailLoader(std::shared_ptr<Store> store, QObject* parent)
    : QObject(parent), store_(std::move(store)), cache_(kCacheKilobytes)
{
}

ThumbnailLoader::~ThumbnailLoader() = default;  // watchers are children: their results die with us

QImage ThumbnailLoader::thumbnail(qint64 frame_id)
{
    if (const QImage* cached = cache_.object(frame_id)) return *cached;
    if (failed_.contains(frame_id) || requested_.contains(frame_id)) return {};
    requested_.insert(frame_id);
    queue_.append(frame_id);
    scheduleFlush();
    return {};
}

void ThumbnailLoader::dropQueued()
{
    for (qint64 id : std::as_const(queue_)) requested_.remove(id);
    queue_.clear();
}

void ThumbnailLoader::scheduleFlush()
{
    // Collect the requests of one paint pass into batches instead of one task per item.
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
    QTimer::singleShot(0, this, [this] {
        flush_scheduled_ = false;
        flush();
    });
}

void ThumbnailLoader::flush()
{
    while (!queue_.isEmpty() && batches_in_flight_ < kMaxBatchesInFlight) {
        const QList<qint64> ids = queue_.mid(0, kBatchSize);
        queue_.remove(0, ids.size());
        ++batches_in_flight_;
        auto* watcher = new QFutureWatcher<Batch>(this);
        connect(watcher, &QFutureWatcher<Batch>::finished, this, [this, watcher] {
            --batches_in_flight_;
            const Batch batch = watcher->result();
            watcher->deleteLater();
            for (const auto& [id, image] : batch) {
                requested_.remove(id);
                if (image.isNull()) {
                    failed_.insert(id);
                    continue;
                }
                const int cost = std::max<int>(1, static_cast<int>(image.sizeInBytes() / 1024));
                cache_.insert(id, new QImage(image), cost);
                Q_EMIT thumbnailReady(id, image);
            }
            flush();
        });
        watcher->setFuture(QtConcurrent::run(load_batch, store_, ids));
    }
}

}  // namespace frameline::ui
