#pragma once
// The shots of a title as a strip: one cell per shot, as wide as the shot is long, filled with its representative
// thumbnail; fades and dissolves drawn over the strip across their spans (cuts stay a line); a lane of technical
// cues (markers) below it, then a time ruler; the playhead on top. Clicking a cell selects that shot, clicking a
// marker asks to seek to its start, right-clicking one asks for its review menu. Reviewed cues (accepted,
// corrected) have a solid outline and a check mark; rejected ones are kept but not drawn.
#include <QHash>
#include <QImage>
#include <QWidget>
#include <vector>

#include "core/sampling/cue_detector.h"
#include "core/sampling/shot.h"
#include "core/store/records.h"
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
    // Every stored cue of the title with its review state; the lane shows all but the rejected ones.
    void setMarkerRecords(std::vector<MarkerRecord> records);
    void setMarkers(std::vector<Marker> markers);  // unreviewed proposals without ids
    void clear();

    int shotCount() const { return static_cast<int>(shots_.size()); }
    const Shot* shotAt(int index) const;
    int shotAtTime(double seconds) const;  // -1 outside every shot
    int selectedShot() const { return selected_; }
    void setSelectedShot(int index);  // -1 clears; does not emit shotActivated
    double playhead() const { return playhead_s_; }
    double spanSeconds() const;  // the time the strip spans; the lanes under it use the same
    void setPlayhead(double seconds);
    QRect shotRect(int index) const;  // where the cell is drawn, in widget coordinates

    // Fades and dissolves, in order, and where each is drawn.
    const std::vector<TransitionSpan>& gradualTransitions() const { return transitions_; }
    QRect transitionRect(int index) const;
    bool transitionTagShown(int index) const;  // its "F"/"D" tag fits

    // Indices count the shown (not rejected) cues, in time order.
    int markerCount() const { return static_cast<int>(shown_.size()); }
    const Marker* markerAt(int index) const;
    const MarkerRecord* markerRecordAt(int index) const;
    const MarkerRecord* markerRecord(qint64 marker_id) const;  // any of them, rejected ones too
    const std::vector<MarkerRecord>& markerRecords() const { return records_; }
    QRect markerRect(int index) const;
    bool markerLabelShown(int index) const;  // its label fits inside the bar
    QRect markerLaneRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void shotActivated(int index);    // the user picked a shot
    void markerActivated(int index);  // the user picked a marker
    // A right-click on a cue: a shown one, else a rejected one at that place (only its review can be undone).
    void markerContextMenuRequested(qint64 marker_id, const QPoint& global_pos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QRect stripRect() const;
    double span_s() const;
    int xOfTime(double seconds) const;
    int shotAtX(int x) const;
    int markerAtPos(const QPoint& pos) const;
    QRect rectOfMarker(const Marker& m) const;
    QFont labelFont() const;  // shot numbers, tags and marker labels
    int transitionAtX(int x) const;
    void paintTransitions(QPainter& p) const;
    void paintMarkers(QPainter& p) const;
    void paintLaneNames(QPainter& p) const;  // "Shots", "Technical cues" in the gutter
    static void paintReviewedMark(QPainter& p, const QRect& r);  // solid outline and a check mark
    QString shotToolTip(int index) const;
    QString markerToolTip(int index) const;
    QString transitionToolTip(int index) const;
    void onThumbnailReady(qint64 frame_id, const QImage& image);
    static QImage stripImage(const QImage& image);

    ThumbnailLoader* thumbnails_ = nullptr;
    std::vector<Shot> shots_;
    std::vector<qint64> thumbnail_ids_;
    std::vector<TransitionSpan> transitions_;
    std::vector<MarkerRecord> records_;
    std::vector<size_t> shown_;  // records_ that are drawn: all but the rejected ones
    QHash<qint64, QImage> images_;  // the few per-shot thumbnails, kept while the title is shown
    double duration_s_ = 0.0;
    double playhead_s_ = 0.0;
    int selected_ = -1;
};

}  // namespace frameline::ui
