#pragma once
// The shots of a title as a strip: one cell per shot, as wide as the shot is long, filled with its representative
// thumbnail; fades and dissolves drawn over the strip across their spans (cuts stay a line); a lane of technical
// cues (markers) below it, then a time ruler; the playhead on top. Clicking a cell selects that shot, clicking a
// marker asks to seek to its start.
#include <QHash>
#include <QImage>
#include <QWidget>
#include <vector>

#include "core/sampling/cue_detector.h"
#include "core/sampling/shot.h"
#include "ui/timeline_marks.h"

class QPainter;

namespace frameline::ui {

class ThumbnailLoader;

class ShotTimeline : public QWidget {
    Q_OBJECT
public:
    explicit ShotTimeline(ThumbnailLoader* thumbnails, QWidget* parent = nullptr);

    // `thumbnail_frame_ids[i]` is the stored frame shown for shot i (0: none). `duration_s` is the title's length;
    // the strip spans max(duration_s, end of the last shot).
    void setShots(std::vector<Shot> shots, std::vector<qint64> thumbnail_frame_ids, double duration_s);
    void setMarkers(std::vector<Marker> markers);
    void clear();

    int shotCount() const { return static_cast<int>(shots_.size()); }
    const Shot* shotAt(int index) const;
    int shotAtTime(double seconds) const;  // -1 outside every shot
    int selectedShot() const { return selected_; }
    void setSelectedShot(int index);  // -1 clears; does not emit shotActivated
    double playhead() const { return playhead_s_; }
    void setPlayhead(double seconds);
    QRect shotRect(int index) const;  // where the cell is drawn, in widget coordinates

    // Fades and dissolves, in order, and where each is drawn.
    const std::vector<TransitionSpan>& gradualTransitions() const { return transitions_; }
    QRect transitionRect(int index) const;
    bool transitionTagShown(int index) const;  // its "F"/"D" tag fits

    int markerCount() const { return static_cast<int>(markers_.size()); }
    const Marker* markerAt(int index) const;
    QRect markerRect(int index) const;
    bool markerLabelShown(int index) const;  // its label fits inside the bar
    QRect markerLaneRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void shotActivated(int index);    // the user picked a shot
    void markerActivated(int index);  // the user picked a marker

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    QRect stripRect() const;
    double span_s() const;
    int xOfTime(double seconds) const;
    int shotAtX(int x) const;
    int markerAtPos(const QPoint& pos) const;
    QFont labelFont() const;  // shot numbers, tags and marker labels
    int transitionAtX(int x) const;
    void paintTransitions(QPainter& p) const;
    void paintMarkers(QPainter& p) const;
    QString shotToolTip(int index) const;
    QString markerToolTip(int index) const;
    QString transitionToolTip(int index) const;
    void onThumbnailReady(qint64 frame_id, const QImage& image);
    static QImage stripImage(const QImage& image);

    ThumbnailLoader* thumbnails_ = nullptr;
    std::vector<Shot> shots_;
    std::vector<qint64> thumbnail_ids_;
    std::vector<TransitionSpan> transitions_;
    std::vector<Marker> markers_;
    QHash<qint64, QImage> images_;  // the few per-shot thumbnails, kept while the title is shown
    double duration_s_ = 0.0;
    double playhead_s_ = 0.0;
    int selected_ = -1;
};

}  // namespace frameline::ui
