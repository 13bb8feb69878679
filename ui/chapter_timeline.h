#pragma once
// The chapter editor's timeline over the whole title: the shot cuts as ticks, then one row of blocks per kind
// (chapters, key scenes, and scenes when there are any) with their labels, and a time ruler. A boundary (a block's
// edge; a shared one when two blocks of a row meet) is dragged with the mouse and snaps to the nearest cut within
// kSnapPixels (Shift: no snapping); on release the move is checked (no part shorter than one frame, no inverted
// range, no overlap with a neighbour) and either offered as boundaryMoved or refused with a message. A click
// elsewhere selects the block under the mouse and puts the cursor (the split point) there, snapped to a cut too.
#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline::ui {

class ChapterTimeline : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSnapPixels = 8;

    explicit ChapterTimeline(QWidget* parent = nullptr);

    // `cuts`: the first frame of every shot but the first. `frame_count` frames at `fps`.
    void setTitle(int64_t frame_count, double fps, std::vector<int64_t> cuts);
    // Rejected ones are not drawn. Keeps the selection by id.
    void setChapters(std::vector<Chapter> chapters);
    void clear();

    const std::vector<Chapter>& chapters() const { return chapters_; }
    const std::vector<int64_t>& cuts() const { return cuts_; }
    int64_t frameCount() const { return frame_count_; }
    qint64 selectedChapter() const { return selected_; }
    void setSelectedChapter(qint64 id);  // does not emit chapterClicked
    // The split point: the first frame of a second part (-1: none).
    int64_t cursorFrame() const { return cursor_; }
    void setCursorFrame(int64_t frame);

    int rowCount() const { return static_cast<int>(rows_.size()); }
    ChapterKind rowKind(int row) const { return rows_[static_cast<size_t>(row)]; }
    int rowOfKind(ChapterKind kind) const;  // -1: no row
    QRect rowRect(int row) const;           // the row's time area (without the gutter)
    QRect cutsRect() const;
    QRect chapterRect(qint64 id) const;      // empty when not shown
    int xOfFrame(int64_t frame) const;       // the left edge of `frame` (frame_count: the right end)
    int64_t frameAtX(int x) const;           // the nearest frame edge
    // The boundary frame a drop at `x` gives: the nearest cut within kSnapPixels when `snap`, else frameAtX.
    int64_t boundaryAtX(int x, bool snap) const;
    bool isDragging() const { return drag_.active; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void chapterClicked(qint64 id);
    void cursorMoved(int64_t frame);
    // A checked boundary move: `left` ends at boundary - 1, `right` starts at boundary (either may be absent).
    void boundaryMoved(const std::optional<frameline::Chapter>& left, const std::optional<frameline::Chapter>& right,
                       int64_t boundary);
    void editRefused(const QString& message);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    struct Drag {
        bool active = false;
        int row = -1;
        int64_t from = 0;  // the boundary frame when the drag began
        int64_t to = 0;    // where it would go now
        std::optional<Chapter> left, right;
        QString problem;   // why `to` is refused (empty: fine)
    };

    void rebuildRows();
    int rowAtY(int y) const;
    int chapterIndexAt(int row, int x) const;  // index into chapters_, -1: none
    bool findBoundary(int row, int x, Drag* drag) const;
    QString checkDrop(const Drag& drag, int64_t boundary) const;
    const Chapter* chapterById(qint64 id) const;
    QRect blockRect(const Chapter& c, int row) const;
    int timeLeft() const;
    int timeWidth() const;

    std::vector<Chapter> chapters_;  // shown ones (not rejected), by start
    std::vector<ChapterKind> rows_;
    std::vector<int64_t> cuts_;
    int64_t frame_count_ = 0;
    double fps_ = 0.0;
    qint64 selected_ = 0;
    int64_t cursor_ = -1;
    Drag drag_;
};

}  // namespace frameline::ui
