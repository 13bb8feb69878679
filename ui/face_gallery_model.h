#pragma once
// The faces of one character as a gallery: each face cut out of its frame's thumbnail, read a page at a time on the
// session's read pool as the gallery scrolls (a main character of a feature film has thousands of faces). Faces can
// be dragged onto another character (kFacesMimeType).
#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline::ui {

class ReviewSession;
class ThumbnailLoader;
struct CharacterPage;

class FaceGalleryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { FaceIdRole = Qt::UserRole + 1 };
    static constexpr int kCropSize = 112;
    static constexpr int kPageFaces = 150;

    FaceGalleryModel(ReviewSession* session, ThumbnailLoader* thumbnails, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // The faces of `character_id` (0: none) as `page` lists them; the first page is read at once.
    void setCharacter(const CharacterPage& page, qint64 character_id);
    qint64 characterId() const { return character_id_; }
    int rowOf(qint64 face_id) const;
    int totalCount() const { return static_cast<int>(face_ids_.size()); }  // loaded or not
    bool isLoading() const { return loading_; }

Q_SIGNALS:
    void pageLoaded(bool first);

private:
    void onThumbnail(qint64 frame_id, const QImage& image);

    ReviewSession* session_;
    ThumbnailLoader* thumbnails_;
    qint64 character_id_ = 0;
    qint64 title_id_ = 0;
    double fps_ = 0;
    std::vector<int64_t> face_ids_;  // all of the character's, in frame order
    size_t next_ = 0;                // face_ids_ from here on are not read yet
    bool loading_ = false;
    quint64 generation_ = 0;  // a page for an earlier character is dropped
    std::vector<frameline::Face> faces_;
    std::vector<qint64> frame_ids_;        // per face
    mutable QHash<qint64, QImage> crops_;  // by face id
};

}  // namespace frameline::ui
