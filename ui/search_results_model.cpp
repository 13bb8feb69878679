#include "ui/search_results_model.h"

#include <QImage>

#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

SearchResultsModel::SearchResultsModel(ThumbnailLoader* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails)
{
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, [this](qint64 frame_id, const QImage&) {
        for (size_t i = 0; i < hits_.size(); ++i)
            if (hits_[i].frame_id == frame_id) Q_EMIT dataChanged(index(int(i)), index(int(i)), {ThumbnailRole});
    });
}

void SearchResultsModel::setHits(std::vector<frameline::SceneHit> hits)
{
    beginResetModel();
    hits_ = std::move(hits);
    endResetModel();
}

int SearchResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(hits_.size());
}

QVariant SearchResultsModel::data(const QModelIndex& index, int role) const
{
    const frameline::SceneHit* h = hit(index.row());
    if (!h) return {};
    switch (role) {
        // Shots are numbered from 1 on screen, as on the timeline and in the tag list (the CLI's JSON counts from 0).
        case Qt::DisplayRole:
            return tr("%1 · shot %2").arg(QString::fromStdString(h->title_name)).arg(h->shot_index + 1);
        case Qt::ToolTipRole:
            return tr("%1 · shot %2 · frame %3 · %4\nscore %5\n%6")
                .arg(QString::fromStdString(h->title_name))
                .arg(h->shot_index + 1)
                .arg(h->frame_index)
                .arg(format_time(h->time_s))
                .arg(h->score, 0, 'f', 3)
                .arg(QString::fromStdString(h->why));
        case ThumbnailRole: return h->frame_id > 0 ? thumbnails_->thumbnail(h->frame_id) : QImage();
        case TitleRole: return QString::fromStdString(h->title_name);
        case ShotRole: return h->shot_index;
        case FrameIndexRole: return QVariant::fromValue<qint64>(h->frame_index);
        case TimeRole: return h->time_s;
        case ScoreRole: return h->score;
        case WhyRole: return QString::fromStdString(h->why);
        case TitleIdRole: return QVariant::fromValue<qint64>(h->title_id);
        default: return {};
    }
}

}  // namespace frameline::ui
