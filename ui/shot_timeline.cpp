#include "ui/shot_timeline.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
constexpr int kMargin = 4;
constexpr int kStripHeight = 72;
constexpr int kRulerHeight = 18;

// A tick spacing that gives roughly one label every `min_px` pixels: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10 min...
double tick_step(double span_s, int width_px, int min_px)
{
    static const double steps[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    for (double s : steps)
        if (span_s / s * min_px <= width_px) return s;
    return 7200;
}
}  // namespace

ShotTimeline::ShotTimeline(ThumbnailLoader* thumbnails, QWidget* parent) : QWidget(parent), thumbnails_(thumbnails)
{
    setFocusPolicy(Qt::ClickFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &ShotTimeline::onThumbnailReady);
}

void ShotTimeline::setShots(std::vector<Shot> shots, std::vector<qint64> thumbnail_frame_ids, double duration_s)
{
    shots_ = std::move(shots);
    thumbnail_ids_ = std::move(thumbnail_frame_ids);
    thumbnail_ids_.resize(shots_.size(), 0);
    duration_s_ = duration_s;
    images_.clear();
    selected_ = -1;
    playhead_s_ = 0.0;
    for (qint64 id : thumbnail_ids_) {
        if (id == 0) continue;
        const QImage image = thumbnails_->thumbnail(id);
        if (!image.isNull()) images_.insert(id, stripImage(image));
    }
    update();
}

void ShotTimeline::clear() { setShots({}, {}, 0.0); }

const Shot* ShotTimeline::shotAt(int index) const
{
    if (index < 0 || index >= shotCount()) return nullptr;
    return &shots_[static_cast<size_t>(index)];
}

int ShotTimeline::shotAtTime(double seconds) const
{
    for (int i = 0; i < shotCount(); ++i) {
        const Shot& s = shots_[static_cast<size_t>(i)];
        if (seconds >= s.start_s && seconds < s.end_s) return i;
    }
    // The very end of the title belongs to the last shot.
    if (!shots_.empty() && seconds >= shots_.back().end_s - 1e-6) return shotCount() - 1;
    return -1;
}

void ShotTimeline::setSelectedShot(int index)
{
    if (index < -1 || index >= shotCount()) index = -1;
    if (index == selected_) return;
    selected_ = index;
    update();
}

void ShotTimeline::setPlayhead(double seconds)
{
    if (std::abs(seconds - playhead_s_) < 1e-4) return;
    const int old_x = xOfTime(playhead_s_);
    playhead_s_ = seconds;
    const int new_x = xOfTime(playhead_s_);
    if (old_x == new_x) return;
    // Repaint only the two slivers around the old and new playhead: positions arrive many times a second.
    update(QRect(old_x - 6, 0, 13, height()));
    update(QRect(new_x - 6, 0, 13, height()));
}

QSize ShotTimeline::sizeHint() const { return {640, kMargin * 2 + kStripHeight + kRulerHeight}; }
QSize ShotTimeline::minimumSizeHint() const { return {120, kMargin * 2 + kStripHeight + kRulerHeight}; }

QRect ShotTimeline::stripRect() const
{
    return QRect(kMargin, kMargin, std::max(1, width() - 2 * kMargin), kStripHeight);
}

double ShotTimeline::span_s() const
{
    const double end = shots_.empty() ? 0.0 : shots_.back().end_s;
    return std::max(duration_s_, end);
}

int ShotTimeline::xOfTime(double seconds) const
{
    const QRect r = stripRect();
    const double span = span_s();
    if (span <= 0) return r.left();
    const double t = std::clamp(seconds / span, 0.0, 1.0);
    return r.left() + static_cast<int>(std::lround(t * r.width()));
}

QRect ShotTimeline::shotRect(int index) const
{
    const Shot* s = shotAt(index);
    if (!s) return {};
    const QRect strip = stripRect();
    const int x0 = xOfTime(s->start_s);
    const int x1 = std::max(x0 + 1, xOfTime(s->end_s));  // even a one-frame shot stays visible
    return QRect(x0, strip.top(), x1 - x0, strip.height());
}

int ShotTimeline::shotAtX(int x) const
{
    for (int i = 0; i < shotCount(); ++i)
        if (const QRect r = shotRect(i); x >= r.left() && x <= r.right()) return i;
    return -1;
}

void ShotTimeline::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRect strip = stripRect();
    p.fillRect(strip, QColor(0x20, 0x20, 0x20));

    if (shots_.empty()) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
        p.drawText(strip, Qt::AlignCenter, tr("No shots"));
        return;
    }

    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
    p.setFont(small);
    for (int i = 0; i < shotCount(); ++i) {
        const QRect cell = shotRect(i);
        const QImage image = images_.value(thumbnail_ids_[static_cast<size_t>(i)]);
        if (!image.isNull()) {
            // Crop the thumbnail's centre to the cell's aspect ratio: narrow shots show the middle of the picture.
            const double cell_aspect = static_cast<double>(cell.width()) / cell.height();
            QRect src = image.rect();
            if (cell_aspect < static_cast<double>(src.width()) / src.height()) {
                const int w = std::max(1, static_cast<int>(src.height() * cell_aspect));
                src = QRect((src.width() - w) / 2, 0, w, src.height());
            } else {
                const int h = std::max(1, static_cast<int>(src.width() / cell_aspect));
                src = QRect(0, (src.height() - h) / 2, src.width(), h);
            }
            p.drawImage(cell, image, src);
        } else {
            p.fillRect(cell, (i % 2) ? QColor(0x3a, 0x3a, 0x3a) : QColor(0x44, 0x44, 0x44));
        }
        // The boundary between shots.
        p.fillRect(QRect(cell.left(), cell.top(), 1, cell.height()), QColor(0x10, 0x10, 0x10));
        if (cell.width() >= 22) {
            const QString label = QString::number(i + 1);
            const QRect text_rect(cell.left() + 3, cell.top() + 3, p.fontMetrics().horizontalAdvance(label) + 6,
                                  p.fontMetrics().height());
            p.fillRect(text_rect, QColor(0, 0, 0, 160));
            p.setPen(Qt::white);
            p.drawText(text_rect, Qt::AlignCenter, label);
        }
    }
    if (const QRect sel = shotRect(selected_); sel.isValid()) {
        QPen pen(palette().color(QPalette::Highlight), 3);
        pen.setJoinStyle(Qt::MiterJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawRect(sel.adjusted(1, 1, -2, -2));
    }

    // Ruler.
    const double span = span_s();
    const int ruler_top = strip.bottom() + 1;
    p.setPen(palette().color(QPalette::WindowText));
    const double step = tick_step(span, strip.width(), 70);
    for (double t = 0; t <= span + 1e-9; t += step) {
        const int x = xOfTime(t);
        p.drawLine(x, ruler_top, x, ruler_top + 4);
        const QString label = format_time(t, step < 1.0);
        const int w = p.fontMetrics().horizontalAdvance(label);
        const int tx = std::clamp(x - w / 2, strip.left(), strip.right() - w);
        p.drawText(QRect(tx, ruler_top + 4, w + 2, kRulerHeight - 4), Qt::AlignLeft | Qt::AlignVCenter, label);
    }

    // Playhead: a red line with a handle, above everything.
    const int px = xOfTime(playhead_s_);
    const QColor red(0xe7, 0x4c, 0x3c);
    p.fillRect(QRect(px - 1, strip.top(), 2, strip.height() + 4), red);
    QPainterPath handle;
    handle.moveTo(px - 5, 0);
    handle.lineTo(px + 5, 0);
    handle.lineTo(px, 6);
    handle.closeSubpath();
    p.setRenderHint(QPainter::Antialiasing);
    p.fillPath(handle, red);
}

void ShotTimeline::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    const int index = shotAtX(event->position().toPoint().x());
    if (index < 0) return;
    setSelectedShot(index);
    Q_EMIT shotActivated(index);
}

bool ShotTimeline::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = shotAtX(help->pos().x());
        if (const Shot* s = shotAt(index)) {
            QToolTip::showText(help->globalPos(),
                               tr("Shot %1: %2 – %3 (frames %4–%5, %6)")
                                   .arg(index + 1)
                                   .arg(format_time(s->start_s), format_time(s->end_s))
                                   .arg(s->start_frame)
                                   .arg(s->end_frame - 1)
                                   .arg(QString::fromLatin1(to_string(s->transition))),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

QImage ShotTimeline::stripImage(const QImage& image)
{
    // Kept at strip height only: a title can have thousands of shots, and cells are never taller than this.
    return image.height() > kStripHeight ? image.scaledToHeight(kStripHeight, Qt::SmoothTransformation) : image;
}

void ShotTimeline::onThumbnailReady(qint64 frame_id, const QImage& image)
{
    if (std::find(thumbnail_ids_.begin(), thumbnail_ids_.end(), frame_id) == thumbnail_ids_.end()) return;
    images_.insert(frame_id, stripImage(image));
    update();
}

}  // namespace frameline::ui
