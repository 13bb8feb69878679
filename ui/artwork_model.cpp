#include "ui/artwork_model.h"

#include <QDataStream>
#include <QIODevice>
#include <QMimeData>
#include <algorithm>

#include "ui/thumbnail_loader.h"

namespace frameline::ui {

namespace {
const QString kMime = QStringLiteral("application/x-frameline-artwork-row");
}

QString stateName(frameline::ReviewState state)
{
    return QString::fromLatin1(frameline::to_string(state));
}

ArtworkModel::ArtworkModel(ThumbnailLoader* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails)
{
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this,
            [this](qint64 frame_id, const QImage&) { onThumbnail(frame_id); });
}

void ArtworkModel::sortLikeStore(QList<ArtworkCard>& cards)
{
    std::stable_sort(cards.begin(), cards.end(), [](const ArtworkCard& a, const ArtworkCard& b) {
        const auto& x = a.candidate;
        const auto& y = b.candidate;
        if ((x.rank > 0) != (y.rank > 0)) return x.rank > 0;
        if (x.rank != y.rank) return x.rank < y.rank;
        if (x.score != y.score) return x.score > y.score;
        return x.id < y.id;
    });
}

void ArtworkModel::setCards(QList<ArtworkCard> cards)
{
    beginResetModel();
    cards_ = std::move(cards);
    endResetModel();
}

int ArtworkModel::rowOf(qint64 candidate_id) const
{
    for (int i = 0; i < cards_.size(); ++i)
        if (cards_[i].candidate.id == candidate_id) return i;
    return -1;
}

bool ArtworkModel::applyEdit(qint64 candidate_id, frameline::ReviewState state, qint64 version, int rank)
{
    const int row = rowOf(candidate_id);
    if (row < 0) return false;
    QList<ArtworkCard> cards = cards_;
    cards[row].candidate.state = state;
    cards[row].candidate.version = version;
    cards[row].candidate.rank = rank;
    sortLikeStore(cards);
    bool same_order = true;
    for (int i = 0; i < cards.size(); ++i) same_order = same_order && cards[i].candidate.id == cards_[i].candidate.id;
    if (same_order) {
        cards_ = std::move(cards);
        Q_EMIT dataChanged(index(row), index(row));
    } else {
        setCards(std::move(cards));
    }
    return true;
}

void ArtworkModel::reorder(const QList<qint64>& ids)
{
    QList<ArtworkCard> cards;
    for (qint64 id : ids)
        if (const int row = rowOf(id); row >= 0) cards.append(cards_[row]);
    if (cards.size() != cards_.size()) return;  // not the same candidates: the caller reloads instead
    setCards(std::move(cards));
}

int ArtworkModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(cards_.size());
}

QVariant ArtworkModel::data(const QModelIndex& index, int role) const
{
    const ArtworkCard* c = card(index.row());
    if (!c) return {};
    switch (role) {
        case Qt::DisplayRole:
            return tr("Frame %1").arg(c->candidate.frame_index);
        case Qt::ToolTipRole:
            return tr("Frame %1 · score %2 · %3%4")
                .arg(c->candidate.frame_index)
                .arg(c->candidate.score, 0, 'f', 2)
                .arg(stateName(c->candidate.state))
                .arg(c->candidate.rank > 0 ? tr(" · rank %1").arg(c->candidate.rank) : QString());
        case CandidateIdRole: return QVariant::fromValue<qint64>(c->candidate.id);
        case ThumbnailRole: return c->frame_id > 0 ? thumbnails_->thumbnail(c->frame_id) : QImage();
        case ScoreRole: return c->candidate.score;
        case StateRole: return stateName(c->candidate.state);
        case RankRole: return c->candidate.rank;
        case FrameIndexRole: return QVariant::fromValue<qint64>(c->candidate.frame_index);
        case SegmentPlaceRole: return c->segment_place;
        case SegmentScoreRole: return c->segment_score;
        default: return {};
    }
}

Qt::ItemFlags ArtworkModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) return Qt::ItemIsDropEnabled;  // dropping between cards
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled;
}

QStringList ArtworkModel::mimeTypes() const
{
    return {kMime};
}

QMimeData* ArtworkModel::mimeData(const QModelIndexList& indexes) const
{
    if (indexes.isEmpty()) return nullptr;
    auto* data = new QMimeData;
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << indexes.first().row();
    data->setData(kMime, bytes);
    return data;
}

bool ArtworkModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                const QModelIndex& parent)
{
    Q_UNUSED(column);
    if (!data || !data->hasFormat(kMime) || action == Qt::IgnoreAction) return false;
    QByteArray bytes = data->data(kMime);
    QDataStream in(&bytes, QIODevice::ReadOnly);
    int from = -1;
    in >> from;
    // Dropped on a card: before it; between cards: at `row`; on empty space: at the end.
    const int to = parent.isValid() ? parent.row() : (row >= 0 ? row : rowCount());
    if (from < 0 || from >= rowCount() || to == from || to == from + 1) return false;
    // Queued: the view changes the model in answer, and must not do so inside the view's own drop handling.
    QMetaObject::invokeMethod(this, [this, from, to] { Q_EMIT moveRequested(from, to); }, Qt::QueuedConnection);
    return false;  // nothing moved here; the edits move it (and keep the source row from being removed)
}

bool ArtworkModel::moveRows(const QModelIndex& source_parent, int source_row, int count,
                            const QModelIndex& destination_parent, int destination_child)
{
    if (source_parent.isValid() || destination_parent.isValid() || count != 1) return false;
    if (destination_child == source_row || destination_child == source_row + 1) return false;
    QMetaObject::invokeMethod(
        this, [this, source_row, destination_child] { Q_EMIT moveRequested(source_row, destination_child); },
        Qt::QueuedConnection);
    return true;
}

void ArtworkModel::onThumbnail(qint64 frame_id)
{
    for (int i = 0; i < cards_.size(); ++i)
        if (cards_[i].frame_id == frame_id) Q_EMIT dataChanged(index(i), index(i), {ThumbnailRole});
}

}  // namespace frameline::ui
