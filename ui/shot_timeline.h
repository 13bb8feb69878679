#pragma once
// The shots of a title as a strip: one cell per shot, as wide as the shot is long, filled with its representative
// thumbnail; the playhead on top and a time ruler below. Clicking a cell selects that shot.
#include <QImage>
#include <QHash>
#include <QWidget>
#include <vector>

#include "core/sampling/shot.h"

namespace frameline::ui {

class ThumbnailLoader;

class ShotTimeline : public QWidget {
    Q_OBJECT
public:
    explicit ShotTimeline(ThumbnailLoader* thumbnails, QWidget* parent = nullptr);

    // `thumbnail_frame_ids[i]` is the stored frame shown for shot i (0: none). `duration_s` is the title's length;
    // the strip spans max(duration_s, end of the last shot).
    void setShots(std::vector<Shot> shots, std::vector<qint64> thumbnail_frame_ids, double duration_s);
    void clear();

    int shotCount() const { return static_cast<int>(shots_.size()); }
    const Shot* shotAt(int index) const;
    int shotAtTime(double seconds) const;  // -1 outside every shot
    int selectedShot() const { return selected_; }
    void setSelectedShot(int index);  // -1 clears; does not emit shotActivated
    double playhead() const { return playhead_s_; }
    void setPlayhead(double seconds);
    QRect shotRect(int index) const;  // where the cell is drawn, in widget coordinates

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void shotActivated(int index);  // the user picked a shot

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    QRect stripRect() const;
    double span_s() const;
    int xOfTime(double seconds) const;
    int shotAtX(int x) const;
    void onThumbnailReady(qint64 frame_id, const QImage& image);
    static QImage stripImage(const QImage& image);

    ThumbnailLoader* thumbnails_ = nullptr;
    std::vector<Shot> shots_;
    std::vector<qint64> thumbnail_ids_;
    QHash<qint64, QImage> images_;  // the few per-shot thumbnails, kept while the title is shown
    double duration_s_ = 0.0;
    double playhead_s_ = 0.0;
    int selected_ = -1;
};

}  // namespace frameline::ui
