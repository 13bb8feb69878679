#include "ui/tag_evidence_strip.h"

#include <QPainter>
#include <QPixmap>

#include "ui/thumbnail_loader.h"

namespace frameline::ui {

namespace {
constexpr int kThumbWidth = 240;
constexpr int kThumbHeight = 135;

QIcon placeholder()
{
    QPixmap p(kThumbWidth, kThumbHeight);
    p.fill(QColor(60, 60, 60));
    return QIcon(p);
}

QIcon fitted(const QImage& image)
{
    // Letterboxed into the same box for every frame, so that the strip keeps its rhythm whatever the aspect.
    QPixmap p(kThumbWidth, kThumbHeight);
    p.fill(QColor(30, 30, 30));
    QPainter painter(&p);
    const QImage scaled = image.scaled(kThumbWidth, kThumbHeight, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    painter.drawImage((kThumbWidth - scaled.width()) / 2, (kThumbHeight - scaled.height()) / 2, scaled);
    return QIcon(p);
}
}  // namespace

TagEvidenceStrip::TagEvidenceStrip(ThumbnailLoader* thumbnails, QWidget* parent)
    : QListWidget(parent), thumbnails_(thumbnails)
{
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(false);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setIconSize(QSize(kThumbWidth, kThumbHeight));
    setSpacing(4);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);  // the keys belong to the queue
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // One row of frames (scrolling sideways when there are many): no tall empty box under them.
    setFixedHeight(kThumbHeight + fontMetrics().height() + 40);
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &TagEvidenceStrip::onThumbnail);
}

QSize TagEvidenceStrip::sizeHint() const
{
    return QSize(2 * (kThumbWidth + 12), kThumbHeight + fontMetrics().height() + 40);
}

void TagEvidenceStrip::setFrames(const QList<qint64>& frame_ids, const QList<qint64>& frame_indices)
{
    if (frame_ids == frame_ids_) return;
    frame_ids_ = frame_ids;
    clear();
    for (int i = 0; i < frame_ids.size(); ++i) {
        const QImage image = thumbnails_->thumbnail(frame_ids[i]);
        auto* item = new QListWidgetItem(image.isNull() ? placeholder() : fitted(image),
                                         tr("frame %1").arg(i < frame_indices.size() ? frame_indices[i] : 0), this);
        item->setData(Qt::UserRole, frame_ids[i]);
        item->setSizeHint(QSize(kThumbWidth + 8, kThumbHeight + fontMetrics().height() + 10));
    }
}

void TagEvidenceStrip::onThumbnail(qint64 frame_id, const QImage& image)
{
    if (image.isNull()) return;
    for (int i = 0; i < count(); ++i)
        if (item(i)->data(Qt::UserRole).toLongLong() == frame_id) item(i)->setIcon(fitted(image));
}

}  // namespace frameline::ui
