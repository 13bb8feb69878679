#include "ui/frame_grid_model.h"

#include <QPainter>
#include <algorithm>

#include "ui/frame_flags.h"
#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
QPixmap make_placeholder(QSize size)
{
    QPixmap p(size);
    p.fill(QColor(0x30, 0x30, 0x30));
    return p;
}

// Letterboxed into the grid's icon size, so items line up whatever the title's aspect ratio.
QPixmap fit_icon(const QImage& image, QSize size)
{
    QPixmap out(size);
    out.fill(Qt::black);
    const QImage scaled = image.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QPainter painter(&out);
    painter.drawImage((size.width() - scaled.width()) / 2, (size.height() - scaled.height()) / 2, scaled);
    return out;
}
}  // namespace

FrameGridModel::FrameGridModel(ThumbnailLoader* thumbnails, QObject* parent)
    : QAbstractListModel(parent),
      thumbnails_(thumbnails),
      icons_(2000),  // cost: one per icon, ~60 kB each
      placeholder_(make_placeholder(iconSize()))
{
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &FrameGridModel::onThumbnailReady);
}

void FrameGridModel::setFrames(std::vector<FrameRecord> frames)
{
    beginResetModel();
    frames_ = std::move(frames);
    row_of_frame_id_.clear();
    icons_.clear();
    for (size_t i = 0; i < frames_.size(); ++i) row_of_frame_id_.insert(frames_[i].id, static_cast<int>(i));
    endResetModel();
}

const FrameRecord* FrameGridModel::frameAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(frames_.size())) return nullptr;
    return &frames_[static_cast<size_t>(row)];
}

int FrameGridModel::firstRowOfShot(int shot_index) const
{
    for (size_t i = 0; i < frames_.size(); ++i)
        if (frames_[i].shot_index == shot_index) return static_cast<int>(i);
    return -1;
}

QRect FrameGridModel::activeRectInIcon(const FrameRecord& f)
{
    const QSize icon = iconSize();
    if (f.width <= 0 || f.height <= 0 || f.active.width <= 0 || f.active.height <= 0) return {};
    // The same fit as fit_icon: scaled to fit, centred.
    const double scale = std::min(static_cast<double>(icon.width()) / f.width,
                                  static_cast<double>(icon.height()) / f.height);
    const double ox = (icon.width() - f.width * scale) / 2.0;
    const double oy = (icon.height() - f.height * scale) / 2.0;
    return QRectF(ox + f.active.x * scale, oy + f.active.y * scale, f.active.width * scale, f.active.height * scale)
        .toAlignedRect()
        .intersected(QRect(QPoint(0, 0), icon));
}

bool FrameGridModel::hasThumbnail(int row) const
{
    const FrameRecord* f = frameAt(row);
    return f && icons_.contains(f->id);
}

int FrameGridModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(frames_.size());
}

QVariant FrameGridModel::data(const QModelIndex& index, int role) const
{
    const FrameRecord* f = frameAt(index.row());
    if (!f) return {};
    switch (role) {
    case Qt::DisplayRole: {
        // What screen readers and plain views get; FrameGridDelegate paints the same from the roles below.
        const QStringList words = flag_words(f->flags);
        return tr("#%1  %2\n%3")
            .arg(f->frame_index)
            .arg(format_time(f->pts_s))
            .arg(words.isEmpty() ? tr("sharpness %1").arg(f->metrics.sharpness, 0, 'f', 0)
                                 : words.join(QStringLiteral(" · ")));
    }
    case Qt::DecorationRole: {
        if (const QPixmap* icon = icons_.object(f->id)) return *icon;
        const QImage image = thumbnails_->thumbnail(f->id);  // queues a load when not cached
        if (image.isNull()) return placeholder_;
        const QPixmap icon = fit_icon(image, iconSize());
        icons_.insert(f->id, new QPixmap(icon));
        return icon;
    }
    case Qt::ToolTipRole: {
        QString tip = tr("Frame %1 at %2 (shot %3), %4")
                          .arg(f->frame_index)
                          .arg(format_time(f->pts_s))
                          .arg(f->shot_index + 1)
                          .arg(f->kind == FrameKind::KeyFrame ? tr("motion key frame") : tr("representative frame"));
        tip += QLatin1Char('\n') + tr("brightness %1, contrast %2, sharpness %3, colourfulness %4, motion %5")
                                       .arg(f->metrics.brightness, 0, 'f', 1)
                                       .arg(f->metrics.contrast, 0, 'f', 1)
                                       .arg(f->metrics.sharpness, 0, 'f', 1)
                                       .arg(f->metrics.colourfulness, 0, 'f', 1)
                                       .arg(f->motion, 0, 'f', 2);
        const QStringList flags = flag_descriptions(f->flags);
        tip += QLatin1Char('\n') + (flags.isEmpty() ? tr("No quality flags.") : tr("Flags:"));
        for (const QString& line : flags) tip += QStringLiteral("\n  • ") + line;
        if (has_black_bars(f->flags) && f->active.width > 0)
            tip += QLatin1Char('\n') + tr("Active picture: %1×%2 at (%3, %4) of %5×%6")
                                           .arg(f->active.width)
                                           .arg(f->active.height)
                                           .arg(f->active.x)
                                           .arg(f->active.y)
                                           .arg(f->width)
                                           .arg(f->height);
        return tip;
    }
    case FrameIdRole: return QVariant::fromValue<qint64>(f->id);
    case FrameIndexRole: return QVariant::fromValue<qint64>(f->frame_index);
    case ShotIndexRole: return f->shot_index;
    case TimeRole: return f->pts_s;
    case SharpnessRole: return f->metrics.sharpness;
    case RepresentativeRole: return f->representative;
    case KindRole: return static_cast<int>(f->kind);
    case FlagsRole: return static_cast<uint>(f->flags);
    case HasFaultRole: return has_fault_flags(f->flags);
    case ActiveRectRole: return has_black_bars(f->flags) ? activeRectInIcon(*f) : QRect();
    case FlagsTextRole: return flag_words(f->flags).join(QStringLiteral(" · "));
    }
    return {};
}

void FrameGridModel::onThumbnailReady(qint64 frame_id, const QImage& image)
{
    const auto it = row_of_frame_id_.constFind(frame_id);
    if (it == row_of_frame_id_.constEnd()) return;  // a frame of another title
    icons_.insert(frame_id, new QPixmap(fit_icon(image, iconSize())));
    const QModelIndex idx = index(*it);
    Q_EMIT dataChanged(idx, idx, {Qt::DecorationRole});
}

}  // namespace frameline::ui
