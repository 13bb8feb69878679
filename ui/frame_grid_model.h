#pragma once
// The sampled frames of one title, for a QListView in icon mode: thumbnail, frame index, time, kind, quality flags
// and metrics (FrameGridDelegate draws them). Thumbnails come from ThumbnailLoader, lazily, for the items a view
// actually asks about.
#include <QAbstractListModel>
#include <QCache>
#include <QHash>
#include <QPixmap>
#include <vector>

#include "core/store/records.h"

namespace frameline::ui {

class ThumbnailLoader;

class FrameGridModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        FrameIdRole = Qt::UserRole + 1,
        FrameIndexRole,
        ShotIndexRole,
        TimeRole,
        SharpnessRole,
        RepresentativeRole,
        KindRole,          // int(FrameKind)
        FlagsRole,         // uint: QualityFlag bits
        HasFaultRole,      // bool: a flag other than letterboxed/pillarboxed (frame_flags.h)
        ActiveRectRole,    // QRect: the picture inside black bars, in icon pixels; null without bars
        FlagsTextRole,     // QString: "blurry · underexposed"
    };

    explicit FrameGridModel(ThumbnailLoader* thumbnails, QObject* parent = nullptr);

    void setFrames(std::vector<FrameRecord> frames);
    const FrameRecord* frameAt(int row) const;
    int firstRowOfShot(int shot_index) const;  // -1 when the shot has no sampled frame
    bool hasThumbnail(int row) const;          // loaded (not the placeholder)

    // The size thumbnails are drawn at in the grid.
    static QSize iconSize() { return {160, 90}; }
    // Where the frame's active picture (thumbnail pixels) lies in its icon, which letterboxes the thumbnail.
    static QRect activeRectInIcon(const FrameRecord& frame);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    void onThumbnailReady(qint64 frame_id, const QImage& image);

    ThumbnailLoader* thumbnails_ = nullptr;
    std::vector<FrameRecord> frames_;
    QHash<qint64, int> row_of_frame_id_;
    // Scaled once, on arrival; bounded, because a long title has thousands of sampled frames. An evicted icon is
    // asked of the loader again (its own cache, else the database).
    mutable QCache<qint64, QPixmap> icons_;
    QPixmap placeholder_;
};

}  // namespace frameline::ui
