#include "ui/character_list_model.h"

#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QMimeData>
#include <QPixmap>
#include <algorithm>

#include "core/store/store.h"
#include "ui/face_crop.h"
#include "ui/tag_review_model.h"
#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

CharacterPage load_character_page(frameline::Store& store, qint64 title_id)
{
    CharacterPage page;
    page.title_id = title_id;
    if (title_id <= 0) return page;
    if (auto t = store.title(title_id)) page.fps = t->fps;
    for (const frameline::Character& c : store.characters(title_id))
        // A character merged into another keeps its row (its event, its undo) but nothing to look at.
        if (!(c.state == ReviewState::Rejected && c.face_ids.empty())) page.characters.push_back(c);
    // Only the icons' faces: a gallery reads its character's faces a page at a time (FaceGalleryModel).
    std::vector<int64_t> icons;
    for (const frameline::Character& c : page.characters)
        if (const qint64 id = icon_face_id(c)) icons.push_back(id);
    std::vector<int64_t> frames;
    for (const frameline::Face& f : store.faces_by_id(icons)) {
        page.icon_faces.insert(f.id, f);
        frames.push_back(f.frame_index);
    }
    page.frame_ids = sampled_frame_ids(store, title_id, frames);
    return page;
}

qint64 icon_face_id(const frameline::Character& c)
{
    const bool still_here = std::find(c.face_ids.begin(), c.face_ids.end(), c.best_face_id) != c.face_ids.end();
    return still_here ? c.best_face_id : (c.face_ids.empty() ? 0 : c.face_ids.front());
}

QHash<qint64, qint64> sampled_frame_ids(frameline::Store& store, qint64 title_id, const std::vector<int64_t>& frames)
{
    QHash<qint64, qint64> out;
    const std::vector<frameline::FrameRef> found = store.frames_nearest(title_id, frames);
    for (size_t i = 0; i < found.size(); ++i)
        if (found[i].frame_index == frames[i]) out.insert(frames[i], found[i].id);
    return out;
}

QString faces_text(int count)
{
    return count == 1 ? QObject::tr("1 face") : QObject::tr("%1 faces").arg(count);
}

QString character_display_name(const frameline::Character& c)
{
    // Numbered by id, not by position: "Unnamed 3" stays the same cluster after merges and reloads.
    return c.name.empty() ? QObject::tr("Unnamed %1").arg(c.id) : QString::fromStdString(c.name);
}

CharacterListModel::CharacterListModel(ThumbnailLoader* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails)
{
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &CharacterListModel::onThumbnail);
}

int CharacterListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(page_.characters.size());
}

const frameline::Character* CharacterListModel::characterAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(page_.characters.size())) return nullptr;
    return &page_.characters[static_cast<size_t>(row)];
}

int CharacterListModel::rowOf(qint64 character_id) const
{
    for (size_t i = 0; i < page_.characters.size(); ++i)
        if (page_.characters[i].id == character_id) return static_cast<int>(i);
    return -1;
}

const frameline::Face* CharacterListModel::bestFace(const frameline::Character& c) const
{
    auto it = page_.icon_faces.find(icon_face_id(c));
    return it == page_.icon_faces.end() ? nullptr : &it.value();
}

QVariant CharacterListModel::data(const QModelIndex& index, int role) const
{
    const frameline::Character* c = characterAt(index.row());
    if (!c) return {};
    switch (role) {
        case Qt::DisplayRole:
            return tr("%1\n%2 · %3 on screen\n%4")
                .arg(character_display_name(*c), faces_text(static_cast<int>(c->face_ids.size())),
                     format_time(c->screen_time_s), review_state_text(c->state));
        case Qt::ToolTipRole:
            return tr("%1 — confidence %2; F2 names it, drop faces here to move them into it")
                .arg(character_display_name(*c))
                .arg(c->confidence, 0, 'f', 2);
        case Qt::DecorationRole: {
            if (auto it = icons_.find(c->id); it != icons_.end()) return QIcon(QPixmap::fromImage(*it));
            const frameline::Face* f = bestFace(*c);
            QImage crop;
            if (f && page_.frame_ids.contains(f->frame_index))
                crop = crop_face(thumbnails_->thumbnail(page_.frame_ids.value(f->frame_index)), *f, kIconSize);
            if (!crop.isNull()) {
                icons_.insert(c->id, crop);
                return QIcon(QPixmap::fromImage(crop));
            }
            QPixmap placeholder(kIconSize, kIconSize);
            placeholder.fill(QColor(70, 70, 70));
            return QIcon(placeholder);
        }
        case Qt::ForegroundRole:
            if (c->state == ReviewState::Rejected) return QBrush(QColor(150, 150, 150));
            return {};
        case IdRole: return static_cast<qint64>(c->id);
        case NameRole: return QString::fromStdString(c->name);
        case StateRole: return static_cast<int>(c->state);
        case FaceCountRole: return static_cast<int>(c->face_ids.size());
    }
    return {};
}

Qt::ItemFlags CharacterListModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid()) f |= Qt::ItemIsDropEnabled;
    return f;
}

QStringList CharacterListModel::mimeTypes() const { return {QString::fromLatin1(kFacesMimeType)}; }

Qt::DropActions CharacterListModel::supportedDropActions() const { return Qt::MoveAction; }

namespace {
// "from face face ..." -> from, faces; false when it is not ours.
bool parse_faces(const QMimeData* data, qint64* from, QList<qint64>* faces)
{
    if (!data || !data->hasFormat(QString::fromLatin1(kFacesMimeType))) return false;
    const QList<QByteArray> parts = data->data(QString::fromLatin1(kFacesMimeType)).split(' ');
    if (parts.size() < 2) return false;
    *from = parts[0].toLongLong();
    for (int i = 1; i < parts.size(); ++i) faces->append(parts[i].toLongLong());
    return *from > 0;
}
}  // namespace

bool CharacterListModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int,
                                         const QModelIndex& parent) const
{
    qint64 from = 0;
    QList<qint64> faces;
    const frameline::Character* into = characterAt(parent.row());
    return parent.isValid() && into && parse_faces(data, &from, &faces) && from != into->id;
}

bool CharacterListModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                      const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent)) return false;
    qint64 from = 0;
    QList<qint64> faces;
    parse_faces(data, &from, &faces);
    Q_EMIT facesDropped(from, characterAt(parent.row())->id, faces);
    // The store moves them (an undo command); the reload that follows shows where they went. Returning false
    // keeps the gallery from removing rows on its own.
    return false;
}

void CharacterListModel::setPage(const CharacterPage& page)
{
    beginResetModel();
    page_ = page;
    icons_.clear();
    endResetModel();
}

void CharacterListModel::onThumbnail(qint64 frame_id, const QImage& image)
{
    if (image.isNull()) return;
    for (size_t i = 0; i < page_.characters.size(); ++i) {
        const frameline::Face* f = bestFace(page_.characters[i]);
        if (f && page_.frame_ids.value(f->frame_index) == frame_id) {
            icons_.remove(page_.characters[i].id);
            const QModelIndex at = index(static_cast<int>(i));
            Q_EMIT dataChanged(at, at, {Qt::DecorationRole});
        }
    }
}

}  // namespace frameline::ui
