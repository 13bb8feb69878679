#include "ui/face_gallery_model.h"

#include <QColor>
#include <QIcon>
#include <QMimeData>
#include <QPixmap>
#include <algorithm>

#include "core/store/store.h"
#include "ui/character_list_model.h"
#include "ui/review_session.h"
#include "ui/face_crop.h"
#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

FaceGalleryModel::FaceGalleryModel(ReviewSession* session, ThumbnailLoader* thumbnails, QObject* parent)
    : QAbstractListModel(parent), session_(session), thumbnails_(thumbnails)
{
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &FaceGalleryModel::onThumbnail);
}

int FaceGalleryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(faces_.size());
}

int FaceGalleryModel::rowOf(qint64 face_id) const
{
    for (size_t i = 0; i < faces_.size(); ++i)
        if (faces_[i].id == face_id) return static_cast<int>(i);
    return -1;
}

QVariant FaceGalleryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(faces_.size())) return {};
    const frameline::Face& f = faces_[static_cast<size_t>(index.row())];
    const qint64 frame_id = frame_ids_[static_cast<size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return fps_ > 0 ? format_time(double(f.frame_index) / fps_) : tr("frame %1").arg(f.frame_index);
        case Qt::ToolTipRole:
            return tr("Face %1 in frame %2 (score %3)%4")
                .arg(f.id)
                .arg(f.frame_index)
                .arg(f.score, 0, 'f', 2)
                .arg(f.expression.empty() ? QString()
                                          : tr("; %1, about %2 years").arg(QString::fromStdString(f.expression))
                                                .arg(qRound(f.age)));
        case Qt::DecorationRole: {
            if (auto it = crops_.find(f.id); it != crops_.end()) return QIcon(QPixmap::fromImage(*it));
            const QImage crop = frame_id > 0 ? crop_face(thumbnails_->thumbnail(frame_id), f, kCropSize) : QImage();
            if (!crop.isNull()) {
                crops_.insert(f.id, crop);
                return QIcon(QPixmap::fromImage(crop));
            }
            QPixmap placeholder(kCropSize, kCropSize);
            placeholder.fill(QColor(70, 70, 70));
            return QIcon(placeholder);
        }
        case FaceIdRole: return static_cast<qint64>(f.id);
    }
    return {};
}

Qt::ItemFlags FaceGalleryModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractListModel::flags(index);
    if (index.isValid()) flags |= Qt::ItemIsDragEnabled;
    return flags;
}

QStringList FaceGalleryModel::mimeTypes() const { return {QString::fromLatin1(kFacesMimeType)}; }

QMimeData* FaceGalleryModel::mimeData(const QModelIndexList& indexes) const
{
    QByteArray payload = QByteArray::number(character_id_);
    QList<qint64> ids;
    for (const QModelIndex& i : indexes)
        if (i.isValid() && !ids.contains(i.data(FaceIdRole).toLongLong())) ids << i.data(FaceIdRole).toLongLong();
    std::sort(ids.begin(), ids.end());
    for (qint64 id : ids) payload += ' ' + QByteArray::number(id);
    auto* data = new QMimeData;
    data->setData(QString::fromLatin1(kFacesMimeType), payload);
    return data;
}

Qt::DropActions FaceGalleryModel::supportedDragActions() const { return Qt::MoveAction; }

void FaceGalleryModel::setCharacter(const CharacterPage& page, qint64 character_id)
{
    ++generation_;
    beginResetModel();
    character_id_ = character_id;
    title_id_ = page.title_id;
    fps_ = page.fps;
    faces_.clear();
    frame_ids_.clear();
    face_ids_.clear();
    loading_ = false;
    next_ = 0;
    for (const frameline::Character& c : page.characters)
        if (c.id == character_id) face_ids_ = c.face_ids;  // the store lists them in frame order
    endResetModel();
    if (canFetchMore({})) fetchMore({});
    else Q_EMIT pageLoaded(true);
}

bool FaceGalleryModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !loading_ && next_ < face_ids_.size();
}

namespace {
struct GalleryPage {
    std::vector<frameline::Face> faces;
    QHash<qint64, qint64> frame_ids;
};
}  // namespace

void FaceGalleryModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) return;
    const size_t from = next_;
    const std::vector<int64_t> ids(face_ids_.begin() + static_cast<std::ptrdiff_t>(from),
                                   face_ids_.begin() + static_cast<std::ptrdiff_t>(std::min(face_ids_.size(), from + kPageFaces)));
    const qint64 title_id = title_id_;
    const quint64 generation = generation_;
    loading_ = true;
    session_->read(
        this,
        [ids, title_id](frameline::Store& store) {
            GalleryPage page;
            page.faces = store.faces_by_id(ids);
            std::vector<int64_t> frames;
            for (const frameline::Face& f : page.faces) frames.push_back(f.frame_index);
            page.frame_ids = sampled_frame_ids(store, title_id, frames);
            return page;
        },
        [this, generation, from, asked = ids.size()](GalleryPage page) {
            if (generation != generation_) return;
            loading_ = false;
            next_ = from + asked;  // a face deleted meanwhile is simply not there; the next reload shows the rest
            if (!page.faces.empty()) {
                beginInsertRows({}, static_cast<int>(faces_.size()),
                                static_cast<int>(faces_.size() + page.faces.size()) - 1);
                for (const frameline::Face& f : page.faces) {
                    faces_.push_back(f);
                    frame_ids_.push_back(page.frame_ids.value(f.frame_index, 0));
                }
                endInsertRows();
            }
            Q_EMIT pageLoaded(from == 0);
        },
        [this, generation](const QString&) {
            if (generation == generation_) loading_ = false;
        });
}

void FaceGalleryModel::onThumbnail(qint64 frame_id, const QImage& image)
{
    if (image.isNull()) return;
    for (size_t i = 0; i < faces_.size(); ++i)
        if (frame_ids_[i] == frame_id) {
            crops_.remove(faces_[i].id);
            const QModelIndex at = index(static_cast<int>(i));
            Q_EMIT dataChanged(at, at, {Qt::DecorationRole});
        }
}

}  // namespace frameline::ui
