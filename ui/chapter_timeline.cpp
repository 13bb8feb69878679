#include "ui/chapter_timeline.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/chapter_commands.h"
#include "ui/time_format.h"
#include "ui/timeline_marks.h"

namespace frameline::ui {

namespace {
constexpr int kCutsHeight = 14;
constexpr int kRowHeight = 30;
constexpr int kRowGap = 4;
constexpr int kRulerHeight = 18;
constexpr int kEdgeSlop = 5;  // how near an edge a press grabs it

QString row_name(ChapterKind kind)
{
    switch (kind) {
    case ChapterKind::Chapter: return ChapterTimeline::tr("Chapters");
    case ChapterKind::KeyScene: return ChapterTimeline::tr("Key scenes");
    case ChapterKind::Scene: return ChapterTimeline::tr("Scenes");
    }
    return {};
}

QColor row_colour(ChapterKind kind)
{
    switch (kind) {
    case ChapterKind::Chapter: return QColor(0x2e, 0x86, 0xc1);
    case ChapterKind::KeyScene: return QColor(0xe6, 0x7e, 0x22);
    case ChapterKind::Scene: return QColor(0x16, 0xa0, 0x85);
    }
    return Qt::gray;
}

bool reviewed(const Chapter& c) { return c.state == ReviewState::Accepted || c.state == ReviewState::Corrected; }

double tick_step(double span_s, int width_px, int min_px)
{
    static const double steps[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    for (double s : steps)
        if (span_s / s * min_px <= width_px) return s;
    return 7200;
}
}  // namespace

ChapterTimeline::ChapterTimeline(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFocusPolicy(Qt::ClickFocus);
    setMouseTracking(true);  // the resize cursor over a boundary
    rebuildRows();
}

void ChapterTimeline::setTitle(int64_t frame_count, double fps, std::vector<int64_t> cuts)
{
    frame_count_ = std::max<int64_t>(0, frame_count);
    fps_ = fps;
    cuts_ = std::move(cuts);
    std::sort(cuts_.begin(), cuts_.end());
    update();
}

void ChapterTimeline::setChapters(std::vector<Chapter> chapters)
{
    chapters_.clear();
    for (Chapter& c : chapters)
        if (c.state != ReviewState::Rejected) chapters_.push_back(std::move(c));
    std::sort(chapters_.begin(), chapters_.end(), [](const Chapter& a, const Chapter& b) {
        return a.start_frame != b.start_frame ? a.start_frame < b.start_frame : a.id < b.id;
    });
    if (selected_ != 0 && !chapterById(selected_)) selected_ = 0;
    drag_ = Drag{};
    rebuildRows();
}

void ChapterTimeline::clear()
{
    setTitle(0, 0.0, {});
    setChapters({});
    cursor_ = -1;
}

void ChapterTimeline::rebuildRows()
{
    const int before = rowCount();
    rows_ = {ChapterKind::Chapter, ChapterKind::KeyScene};
    if (std::any_of(chapters_.begin(), chapters_.end(), [](const Chapter& c) { return c.kind == ChapterKind::Scene; }))
        rows_.push_back(ChapterKind::Scene);
    if (rowCount() != before) updateGeometry();
    update();
}

void ChapterTimeline::setSelectedChapter(qint64 id)
{
    if (id != 0 && !chapterById(id)) id = 0;
    if (id == selected_) return;
    selected_ = id;
    update();
}

void ChapterTimeline::setCursorFrame(int64_t frame)
{
    frame = frame < 0 ? -1 : std::min(frame, frame_count_);
    if (frame == cursor_) return;
    cursor_ = frame;
    update();
}

int ChapterTimeline::rowOfKind(ChapterKind kind) const
{
    for (int i = 0; i < rowCount(); ++i)
        if (rows_[static_cast<size_t>(i)] == kind) return i;
    return -1;
}

int ChapterTimeline::timeLeft() const { return kTimelineMargin + kLaneLabelWidth; }
int ChapterTimeline::timeWidth() const { return std::max(1, width() - timeLeft() - kTimelineMargin - 1); }

QRect ChapterTimeline::cutsRect() const { return QRect(timeLeft(), kTimelineMargin, timeWidth(), kCutsHeight); }

QRect ChapterTimeline::rowRect(int row) const
{
    if (row < 0 || row >= rowCount()) return {};
    const int top = cutsRect().bottom() + 1 + kRowGap + row * (kRowHeight + kRowGap);
    return QRect(timeLeft(), top, timeWidth(), kRowHeight);
}

QSize ChapterTimeline::sizeHint() const
{
    return {800, 2 * kTimelineMargin + kCutsHeight + rowCount() * (kRowHeight + kRowGap) + kRowGap + kRulerHeight};
}

QSize ChapterTimeline::minimumSizeHint() const { return {kLaneLabelWidth + 200, sizeHint().height()}; }

int ChapterTimeline::xOfFrame(int64_t frame) const
{
    if (frame_count_ <= 0) return timeLeft();
    const double t = std::clamp(static_cast<double>(frame) / static_cast<double>(frame_count_), 0.0, 1.0);
    return timeLeft() + static_cast<int>(std::lround(t * timeWidth()));
}

int64_t ChapterTimeline::frameAtX(int x) const
{
    if (frame_count_ <= 0) return 0;
    const double t = std::clamp(static_cast<double>(x - timeLeft()) / timeWidth(), 0.0, 1.0);
    return static_cast<int64_t>(std::llround(t * static_cast<double>(frame_count_)));
}

int64_t ChapterTimeline::boundaryAtX(int x, bool snap) const
{
    if (snap) {
        int best_distance = kSnapPixels + 1;
        int64_t best = -1;
        for (int64_t cut : cuts_) {
            const int d = std::abs(xOfFrame(cut) - x);
            if (d < best_distance) {
                best_distance = d;
                best = cut;
            }
        }
        if (best >= 0) return best;
    }
    return frameAtX(x);
}

const Chapter* ChapterTimeline::chapterById(qint64 id) const
{
    for (const Chapter& c : chapters_)
        if (c.id == id) return &c;
    return nullptr;
}

QRect ChapterTimeline::blockRect(const Chapter& c, int row) const
{
    const QRect r = rowRect(row);
    int64_t start = c.start_frame, end = c.end_frame + 1;
    if (drag_.active && drag_.row == row) {  // the block as the drag would leave it
        if (drag_.left && drag_.left->id == c.id) end = drag_.to;
        if (drag_.right && drag_.right->id == c.id) start = drag_.to;
    }
    const int x0 = xOfFrame(start);
    const int x1 = std::max(x0 + 2, xOfFrame(end));
    return QRect(x0, r.top(), x1 - x0, r.height());
}

QRect ChapterTimeline::chapterRect(qint64 id) const
{
    const Chapter* c = chapterById(id);
    if (!c) return {};
    return blockRect(*c, rowOfKind(c->kind));
}

int ChapterTimeline::rowAtY(int y) const
{
    for (int i = 0; i < rowCount(); ++i)
        if (const QRect r = rowRect(i); y >= r.top() && y <= r.bottom()) return i;
    return -1;
}

int ChapterTimeline::chapterIndexAt(int row, int x) const
{
    if (row < 0) return -1;
    // Later (and so shorter, nested) blocks are drawn on top: hit them first.
    for (int i = static_cast<int>(chapters_.size()) - 1; i >= 0; --i) {
        const Chapter& c = chapters_[static_cast<size_t>(i)];
        if (c.kind != rows_[static_cast<size_t>(row)]) continue;
        if (const QRect r = blockRect(c, row); x >= r.left() && x <= r.right()) return i;
    }
    return -1;
}

bool ChapterTimeline::findBoundary(int row, int x, Drag* drag) const
{
    if (row < 0) return false;
    const ChapterKind kind = rows_[static_cast<size_t>(row)];
    int best_distance = kEdgeSlop + 1;
    int64_t best = -1;
    for (const Chapter& c : chapters_) {
        if (c.kind != kind) continue;
        for (int64_t edge : {c.start_frame, c.end_frame + 1}) {
            const int d = std::abs(xOfFrame(edge) - x);
            if (d < best_distance) {
                best_distance = d;
                best = edge;
            }
        }
    }
    if (best < 0) return false;
    Drag d;
    d.row = row;
    d.from = d.to = best;
    for (const Chapter& c : chapters_) {
        if (c.kind != kind) continue;
        if (c.end_frame + 1 == best && !d.left) d.left = c;
        if (c.start_frame == best && !d.right) d.right = c;
    }
    *drag = d;
    return true;
}

QString ChapterTimeline::checkDrop(const Drag& d, int64_t b) const
{
    if (b < 0 || b > frame_count_) return tr("A boundary must stay inside the title (frames 0–%1).").arg(frame_count_);
    if (d.left && b - 1 < d.left->start_frame)
        return tr("%1 would be shorter than one frame (it starts at frame %2): move the boundary after it.")
            .arg(chapter_edits::displayName(*d.left))
            .arg(d.left->start_frame);
    if (d.right && b > d.right->end_frame)
        return tr("%1 would be shorter than one frame (it ends at frame %2): move the boundary before it.")
            .arg(chapter_edits::displayName(*d.right))
            .arg(d.right->end_frame);
    if (d.left && !d.right && b == frame_count_ + 1) return tr("A chapter cannot end after the title.");
    // A lone edge must not run into the next (or previous) block of the row.
    const ChapterKind kind = rows_[static_cast<size_t>(d.row)];
    for (const Chapter& c : chapters_) {
        if (c.kind != kind) continue;
        if (d.left && !d.right && c.id != d.left->id && c.start_frame > d.left->start_frame && b > c.start_frame)
            return tr("%1 would overlap %2: merge them instead (M).")
                .arg(chapter_edits::displayName(*d.left), chapter_edits::displayName(c));
        if (d.right && !d.left && c.id != d.right->id && c.end_frame < d.right->end_frame && b <= c.end_frame)
            return tr("%1 would overlap %2: merge them instead (M).")
                .arg(chapter_edits::displayName(*d.right), chapter_edits::displayName(c));
    }
    return {};
}

void ChapterTimeline::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || frame_count_ <= 0) return QWidget::mousePressEvent(event);
    const QPoint pos = event->position().toPoint();
    if (pos.x() < timeLeft() - kEdgeSlop) return;
    const int row = rowAtY(pos.y());
    Drag d;
    if (findBoundary(row, pos.x(), &d)) {
        drag_ = d;
        drag_.active = true;
        update();
        return;
    }
    const bool snap = !(event->modifiers() & Qt::ShiftModifier);
    setCursorFrame(boundaryAtX(pos.x(), snap));
    Q_EMIT cursorMoved(cursor_);
    if (const int i = chapterIndexAt(row, pos.x()); i >= 0) {
        setSelectedChapter(chapters_[static_cast<size_t>(i)].id);
        Q_EMIT chapterClicked(selected_);
    }
}

void ChapterTimeline::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (drag_.active) {
        drag_.to = boundaryAtX(pos.x(), !(event->modifiers() & Qt::ShiftModifier));
        drag_.problem = checkDrop(drag_, drag_.to);
        update();
        return;
    }
    Drag d;
    setCursor(findBoundary(rowAtY(pos.y()), pos.x(), &d) ? Qt::SizeHorCursor : Qt::ArrowCursor);
}

void ChapterTimeline::mouseReleaseEvent(QMouseEvent* event)
{
    if (!drag_.active || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    Drag d = drag_;
    d.to = boundaryAtX(event->position().toPoint().x(), !(event->modifiers() & Qt::ShiftModifier));
    drag_ = Drag{};
    update();
    if (d.to == d.from) {
        // A click on an edge: select the block it belongs to (the one starting there, else the one ending there).
        const std::optional<Chapter>& c = d.right ? d.right : d.left;
        if (c) {
            setSelectedChapter(c->id);
            Q_EMIT chapterClicked(c->id);
        }
        return;
    }
    if (const QString problem = checkDrop(d, d.to); !problem.isEmpty()) {
        Q_EMIT editRefused(problem);
        return;
    }
    // Shown as moved at once; the view re-reads the rows when the store has answered.
    for (Chapter& c : chapters_) {
        if (d.left && c.id == d.left->id) c.end_frame = d.to - 1;
        if (d.right && c.id == d.right->id) c.start_frame = d.to;
    }
    Q_EMIT boundaryMoved(d.left, d.right, d.to);
}

void ChapterTimeline::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QFontMetrics fm(font());
    const QColor text = palette().color(QPalette::WindowText);
    const QColor dim = palette().color(QPalette::Disabled, QPalette::WindowText);

    // Gutter names.
    p.setPen(text);
    const QRect cuts = cutsRect();
    p.drawText(QRect(kTimelineMargin + 8, cuts.top(), kLaneLabelWidth - 12, cuts.height()),
               Qt::AlignLeft | Qt::AlignVCenter, tr("Cuts"));
    for (int row = 0; row < rowCount(); ++row) {
        const QRect r = rowRect(row);
        const ChapterKind kind = rows_[static_cast<size_t>(row)];
        p.fillRect(QRect(kTimelineMargin, r.top() + 6, 4, r.height() - 12), row_colour(kind));
        p.setPen(text);
        p.drawText(QRect(kTimelineMargin + 8, r.top(), kLaneLabelWidth - 12, r.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, row_name(kind));
        p.fillRect(r, palette().color(QPalette::Window).darker(110));
    }
    if (frame_count_ <= 0) {
        p.setPen(dim);
        p.drawText(rowRect(0), Qt::AlignCenter, tr("No title"));
        return;
    }

    // Cuts: a tick in their row and a faint line through the chapter rows (where boundaries snap).
    p.fillRect(cuts, palette().color(QPalette::Window).darker(104));
    const int rows_bottom = rowRect(rowCount() - 1).bottom();
    for (int64_t cut : cuts_) {
        const int x = xOfFrame(cut);
        p.fillRect(QRect(x, cuts.top() + 2, 2, cuts.height() - 2), text);
        p.fillRect(QRect(x, cuts.bottom() + 1, 1, rows_bottom - cuts.bottom()), QColor(128, 128, 128, 90));
    }

    // Blocks.
    for (int row = 0; row < rowCount(); ++row) {
        const ChapterKind kind = rows_[static_cast<size_t>(row)];
        bool any = false;
        for (const Chapter& c : chapters_) {
            if (c.kind != kind) continue;
            any = true;
            const QRect r = blockRect(c, row).adjusted(0, 2, 0, -2);
            QColor fill = row_colour(kind);
            if (!reviewed(c)) fill.setAlphaF(0.6f);
            p.fillRect(r, fill);
            p.fillRect(QRect(r.left(), r.top(), 2, r.height()), QColor(255, 255, 255, 200));  // the boundary handle
            if (reviewed(c)) {
                p.setPen(QPen(Qt::white, 1));
                p.drawRect(r.adjusted(0, 0, -1, -1));
            }
            if (c.id == selected_) {  // yellow on dark: visible on every row's colour
                p.setPen(QPen(QColor(0x20, 0x20, 0x20), 4));
                p.drawRect(r.adjusted(1, 1, -2, -2));
                p.setPen(QPen(QColor(0xf1, 0xc4, 0x0f), 2));
                p.drawRect(r.adjusted(1, 1, -2, -2));
            }
            const QString label = QString::fromStdString(c.label);
            if (!label.isEmpty() && r.width() > fm.horizontalAdvance(QStringLiteral("M…")) + 8) {
                p.setPen(Qt::white);
                p.drawText(r.adjusted(6, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
                           fm.elidedText(label, Qt::ElideRight, r.width() - 10));
            }
        }
        if (!any) {
            p.setPen(dim);
            p.drawText(rowRect(row), Qt::AlignCenter, tr("none"));
        }
    }

    // The drag: where the boundary would go, red when it is refused.
    if (drag_.active) {
        const int x = xOfFrame(drag_.to);
        const QRect r = rowRect(drag_.row);
        const QColor c = drag_.problem.isEmpty() ? palette().color(QPalette::Highlight) : QColor(0xc0, 0x39, 0x2b);
        p.fillRect(QRect(x - 1, cuts.top(), 3, r.bottom() - cuts.top() + 1), c);
    }

    // Ruler.
    const int ruler_top = rows_bottom + kRowGap;
    const double span_s = fps_ > 0 ? static_cast<double>(frame_count_) / fps_ : 0.0;
    p.setPen(dim);
    if (span_s > 0) {
        const double step = tick_step(span_s, timeWidth(), 70);
        for (double t = 0; t <= span_s + 1e-9; t += step) {
            const int x = xOfFrame(static_cast<int64_t>(std::llround(t * fps_)));
            p.drawLine(x, ruler_top, x, ruler_top + 4);
            const QString label = format_time(t, step < 1.0);
            const int w = fm.horizontalAdvance(label);
            const int tx = std::clamp(x - w / 2, timeLeft(), timeLeft() + timeWidth() - w);
            p.drawText(QRect(tx, ruler_top + 4, w + 2, kRulerHeight - 4), Qt::AlignLeft | Qt::AlignVCenter, label);
        }
    }

    // The cursor (the split point).
    if (cursor_ >= 0) {
        const int x = xOfFrame(cursor_);
        p.fillRect(QRect(x - 1, cuts.top(), 2, rows_bottom - cuts.top() + 1), QColor(0xe7, 0x4c, 0x3c));
    }
}

bool ChapterTimeline::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const int row = rowAtY(help->pos().y());
    const int i = chapterIndexAt(row, help->pos().x());
    if (i < 0) {
        QToolTip::hideText();
        return true;
    }
    const Chapter& c = chapters_[static_cast<size_t>(i)];
    QToolTip::showText(help->globalPos(),
                       tr("%1: frames %2–%3 (%4 – %5), %6, confidence %7%\nDrag an edge to move it (it snaps to "
                          "cuts; Shift: no snapping).")
                           .arg(chapter_edits::displayName(c))
                           .arg(c.start_frame)
                           .arg(c.end_frame)
                           .arg(format_time(c.start_s), format_time(c.end_s))
                           .arg(QString::fromLatin1(to_string(c.state)))
                           .arg(std::lround(c.confidence * 100.0)),
                       this);
    return true;
}

}  // namespace frameline::ui
