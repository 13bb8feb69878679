#pragma once
// The title's characters (face clusters) as a list: the best face as icon, the name (or "Unnamed 3"), face count,
// screen time and review state. Faces dropped on a character ask for a move (facesDropped); the view makes it an
// undo command.
#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <QMap>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline {
class Store;
}

namespace frameline::ui {

class ThumbnailLoader;

// One read of what the Characters view shows (runs on a worker thread; no GUI objects).
struct CharacterPage {
    qint64 title_id = 0;
    std::vector<frameline::Character> characters;  // merged-away ones (rejected, no faces) left out; face ids only
    QHash<qint64, frameline::Face> icon_faces;      // each character's icon face (icon_face_id), by face id
    QHash<qint64, qint64> frame_ids;                // frame index -> FrameRecord id, for the icon faces' thumbnails
    double fps = 0;
};
// The face a character's icon shows: the analysis' best face, unless it left this character (a split or a move),
// then its first face; 0 for none.
qint64 icon_face_id(const frameline::Character& c);
// FrameRecord ids of the sampled frames at exactly these frame indices (a face is found on a sampled frame), as
// frame index -> id; indices without a sampled frame are left out.
QHash<qint64, qint64> sampled_frame_ids(frameline::Store& store, qint64 title_id, const std::vector<int64_t>& frames);
CharacterPage load_character_page(frameline::Store& store, qint64 title_id);

// The MIME type of dragged faces: "from_character_id face_id face_id ...".
inline constexpr const char* kFacesMimeType = "application/x-frameline-faces";

QString character_display_name(const frameline::Character& c);
QString faces_text(int count);  // "1 face", "4 faces"

class CharacterListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, NameRole, StateRole, FaceCountRole };
    static constexpr int kIconSize = 64;

    CharacterListModel(ThumbnailLoader* thumbnails, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

    void setPage(const CharacterPage& page);
    const frameline::Character* characterAt(int row) const;
    int rowOf(qint64 character_id) const;

Q_SIGNALS:
    void facesDropped(qint64 from_character_id, qint64 into_character_id, const QList<qint64>& face_ids);

private:
    void onThumbnail(qint64 frame_id, const QImage& image);
    const frameline::Face* bestFace(const frameline::Character& c) const;

    ThumbnailLoader* thumbnails_;
    CharacterPage page_;
    mutable QHash<qint64, QImage> icons_;  // by character id, cropped once
};

}  // namespace frameline::ui
