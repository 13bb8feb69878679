#pragma once
// A row of thumbnails: the frames behind the selected tag. Pictures come from the ThumbnailLoader (decoded off the
// GUI thread); a frame shows a placeholder until its picture arrives.
#include <QList>
#include <QListWidget>

namespace frameline::ui {

class ThumbnailLoader;

class TagEvidenceStrip : public QListWidget {
    Q_OBJECT
public:
    TagEvidenceStrip(ThumbnailLoader* thumbnails, QWidget* parent = nullptr);

    // `frame_ids` (FrameRecord ids) with their frame indices for the captions; empty clears it.
    void setFrames(const QList<qint64>& frame_ids, const QList<qint64>& frame_indices);
    QList<qint64> frameIds() const { return frame_ids_; }

    QSize sizeHint() const override;

private:
    void onThumbnail(qint64 frame_id, const QImage& image);

    ThumbnailLoader* thumbnails_;
    QList<qint64> frame_ids_;
};

}  // namespace frameline::ui
