#pragma once
// The faces of one character as a gallery: each face cut out of its frame's thumbnail. Faces can be dragged onto
// another character (kFacesMimeType).
#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline::ui {

class ThumbnailLoader;
struct CharacterPage;

class FaceGalleryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { FaceIdRole = Qt::UserRole + 1 };
    static constexpr int kCropSize = 112;

    FaceGalleryModel(ThumbnailLoader* thumbnails, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override;

    // The faces of `character_id` (0: none) as `page` has them.
    void setCharacter(const CharacterPage& page, qint64 character_id);
    qint64 characterId() const { return character_id_; }
    int rowOf(qint64 face_id) const;

private:
    void onThumbnail(qint64 frame_id, const QImage& image);

    ThumbnailLoader* thumbnails_;
    qint64 character_id_ = 0;
    double fps_ = 0;
    std::vector<frameline::Face> faces_;
    std::vector<qint64> frame_ids_;        // per face
    mutable QHash<qint64, QImage> crops_;  // by face id
};

}  // namespace frameline::ui
