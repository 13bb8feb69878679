#include "ui/shot_timeline.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QLinearGradient>
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
constexpr int kLaneGap = 2;
constexpr int kLaneHeight = 16;
constexpr int kRulerHeight = 18;
constexpr int kTotalHeight = kMargin * 2 + kStripHeight + kLaneGap + kLaneHeight + kRulerHeight;
constexpr int kMinMarkWidth = 3;  // a one-frame cue or a short dissolve on a two-hour title stays visible
constexpr int kHitSlop = 2;       // and clickable
constexpr int kCheckWidth = 10;   // a reviewed cue's check mark, at its right end

bool is_reviewed(const MarkerRecord& r)
{
    return r.state == ReviewState::Accepted || r.state == ReviewState::Corrected;
}

int label_width(const QFontMetrics& fm, const QString& text) { return fm.horizontalAdvance(text) + 6; }

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
    transitions_ = gradual_transitions(shots_);
    duration_s_ = duration_s;
    // Images already at hand for these frames are kept (a reload after a review, a reselection).
    QHash<qint64, QImage> kept;
    selected_ = -1;
    playhead_s_ = 0.0;
    for (qint64 id : thumbnail_ids_) {
        if (id == 0 || kept.contains(id)) continue;
        if (const auto it = images_.constFind(id); it != images_.constEnd()) {
            kept.insert(id, *it);
            continue;
        }
        const QImage image = thumbnails_->thumbnail(id);
        if (!image.isNull()) kept.insert(id, stripImage(image));
    }
    images_ = std::move(kept);
    update();
}

void ShotTimeline::setMarkerRecords(std::vector<MarkerRecord> records)
{
    records_ = std::move(records);  // in the store's order: by start
    shown_.clear();
    for (size_t i = 0; i < records_.size(); ++i)
        if (records_[i].state != ReviewState::Rejected) shown_.push_back(i);
    update();
}

void ShotTimeline::setMarkers(std::vector<Marker> markers)
{
    std::vector<MarkerRecord> records;
    records.reserve(markers.size());
    for (Marker& m : markers) records.push_back(MarkerRecord{0, 0, m, ReviewState::Proposed, 1});
    setMarkerRecords(std::move(records));
}

void ShotTimeline::clear()
{
    records_.clear();
    shown_.clear();
    setShots({}, {}, 0.0);
}

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

QSize ShotTimeline::sizeHint() const { return {640, kTotalHeight}; }
QSize ShotTimeline::minimumSizeHint() const { return {120 + kLaneLabelWidth, kTotalHeight}; }

QRect ShotTimeline::stripRect() const
{
    // The gutter at the left names the lanes, as the lanes under the strip do (the same time axis).
    const int left = kMargin + kLaneLabelWidth;
    return QRect(left, kMargin, std::max(1, width() - left - kMargin), kStripHeight);
}

double ShotTimeline::spanSeconds() const { return span_s(); }

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

QRect ShotTimeline::markerLaneRect() const
{
    const QRect strip = stripRect();
    return QRect(strip.left(), strip.bottom() + 1 + kLaneGap, strip.width(), kLaneHeight);
}

QRect ShotTimeline::transitionRect(int index) const
{
    if (index < 0 || index >= static_cast<int>(transitions_.size())) return {};
    const TransitionSpan& t = transitions_[static_cast<size_t>(index)];
    const QRect strip = stripRect();
    int x0 = xOfTime(t.start_s);
    int x1 = xOfTime(t.end_s);
    if (x1 - x0 < kMinMarkWidth) {
        const int mid = (x0 + x1) / 2;
        x0 = mid - kMinMarkWidth / 2;
        x1 = x0 + kMinMarkWidth;
    }
    return QRect(x0, strip.top(), x1 - x0, strip.height());
}

bool ShotTimeline::transitionTagShown(int index) const
{
    const QRect r = transitionRect(index);
    if (!r.isValid()) return false;
    const QString tag = transition_tag(transitions_[static_cast<size_t>(index)].kind);
    QFont bold = labelFont();
    bold.setBold(true);
    return r.width() >= label_width(QFontMetrics(bold), tag) + 4;
}

const MarkerRecord* ShotTimeline::markerRecordAt(int index) const
{
    if (index < 0 || index >= markerCount()) return nullptr;
    return &records_[shown_[static_cast<size_t>(index)]];
}

const Marker* ShotTimeline::markerAt(int index) const
{
    const MarkerRecord* r = markerRecordAt(index);
    return r ? &r->marker : nullptr;
}

const MarkerRecord* ShotTimeline::markerRecord(qint64 marker_id) const
{
    if (marker_id == 0) return nullptr;
    for (const MarkerRecord& r : records_)
        if (r.id == marker_id) return &r;
    return nullptr;
}

QRect ShotTimeline::rectOfMarker(const Marker& m) const
{
    const QRect lane = markerLaneRect();
    const int x0 = xOfTime(m.start_s);
    const int x1 = std::max(x0 + kMinMarkWidth, xOfTime(m.end_s));
    return QRect(x0, lane.top() + 1, x1 - x0, lane.height() - 2);
}

QRect ShotTimeline::markerRect(int index) const
{
    const Marker* m = markerAt(index);
    return m ? rectOfMarker(*m) : QRect();
}

bool ShotTimeline::markerLabelShown(int index) const
{
    const MarkerRecord* r = markerRecordAt(index);
    if (!r) return false;
    const int check = is_reviewed(*r) ? kCheckWidth : 0;
    return markerRect(index).width() >= label_width(QFontMetrics(labelFont()), marker_label(r->marker.kind)) + check;
}

int ShotTimeline::markerAtPos(const QPoint& pos) const
{
    const QRect lane = markerLaneRect();
    if (pos.y() < lane.top() || pos.y() > lane.bottom()) return -1;
    // Later markers are drawn on top of earlier ones: hit them first.
    for (int i = markerCount() - 1; i >= 0; --i) {
        const QRect r = markerRect(i);
        if (pos.x() >= r.left() - kHitSlop && pos.x() <= r.right() + kHitSlop) return i;
    }
    return -1;
}

int ShotTimeline::transitionAtX(int x) const
{
    for (int i = 0; i < static_cast<int>(transitions_.size()); ++i)
        if (const QRect r = transitionRect(i); x >= r.left() - kHitSlop && x <= r.right() + kHitSlop) return i;
    return -1;
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
    paintLaneNames(p);

    if (shots_.empty()) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
        p.drawText(strip, Qt::AlignCenter, tr("No shots"));
        return;
    }

    p.setFont(labelFont());
    p.setRenderHint(QPainter::SmoothPixmapTransform, shotCount() > 0 && strip.width() / shotCount() >= 24);
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
    }
    paintTransitions(p);
    // Shot numbers last, so a transition's shading does not cover them; only where the cell has room.
    for (int i = 0; i < shotCount(); ++i) {
        const QRect cell = shotRect(i);
        const QString label = QString::number(i + 1);
        const QRect text_rect(cell.left() + 3, cell.top() + 3, label_width(p.fontMetrics(), label),
                              p.fontMetrics().height());
        if (text_rect.width() + 6 > cell.width()) continue;
        p.fillRect(text_rect, QColor(0, 0, 0, 160));
        p.setPen(Qt::white);
        p.drawText(text_rect, Qt::AlignCenter, label);
    }
    if (const QRect sel = shotRect(selected_); sel.isValid()) {
        QPen pen(palette().color(QPalette::Highlight), 3);
        pen.setJoinStyle(Qt::MiterJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawRect(sel.adjusted(1, 1, -2, -2));
    }

    paintMarkers(p);

    // Ruler.
    const double span = span_s();
    const int ruler_top = markerLaneRect().bottom() + 1;
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
    p.fillRect(QRect(px - 1, strip.top(), 2, markerLaneRect().bottom() - strip.top() + 4), red);
    QPainterPath handle;
    handle.moveTo(px - 5, 0);
    handle.lineTo(px + 5, 0);
    handle.lineTo(px, 6);
    handle.closeSubpath();
    p.setRenderHint(QPainter::Antialiasing);
    p.fillPath(handle, red);
}

QFont ShotTimeline::labelFont() const
{
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
    return small;
}

void ShotTimeline::paintTransitions(QPainter& p) const
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    QFont bold = p.font();
    bold.setBold(true);
    p.setFont(bold);
    const QFontMetrics fm(bold);
    for (int i = 0; i < static_cast<int>(transitions_.size()); ++i) {
        const TransitionSpan& t = transitions_[static_cast<size_t>(i)];
        const QRectF r = transitionRect(i);
        const QColor colour = transition_colour(t.kind);
        if (r.width() < 8) {
            // Too narrow for a shape (a long title): a solid sliver in the transition's colour.
            p.fillRect(r, colour);
            continue;
        }
        p.setPen(QPen(colour, 1.5));
        p.setBrush(Qt::NoBrush);
        if (t.kind == Transition::Fade) {
            // Through black: darkest at the shot boundary inside the span, a V from the span's ends down to it.
            const Shot* into = shotAt(t.shot_index);
            const double xm = std::clamp<double>(into ? xOfTime(into->start_s) : r.center().x(), r.left(), r.right());
            QLinearGradient shade(r.left(), 0, r.right(), 0);
            const double mid = std::clamp((xm - r.left()) / r.width(), 0.0, 1.0);
            shade.setColorAt(0, QColor(0, 0, 0, 30));
            shade.setColorAt(mid, QColor(0, 0, 0, 210));
            shade.setColorAt(1, QColor(0, 0, 0, 30));
            p.fillRect(r, shade);
            QPainterPath v;
            v.moveTo(r.left(), r.top() + 1);
            v.lineTo(xm, r.bottom() - 1);
            v.lineTo(r.right(), r.top() + 1);
            p.drawPath(v);
        } else {
            // A dissolve: one picture fades out as the other fades in, the usual crossed ramps of an editor.
            QColor fill = colour;
            fill.setAlpha(70);
            p.fillRect(r, fill);
            p.drawLine(r.topLeft(), r.bottomRight());
            p.drawLine(r.bottomLeft(), r.topRight());
        }
        // The exact span, as brackets at both ends.
        p.fillRect(QRectF(r.left(), r.top(), 1.5, r.height()), colour);
        p.fillRect(QRectF(r.right() - 1.5, r.top(), 1.5, r.height()), colour);
        if (transitionTagShown(i)) {
            // In the middle of the shape (the crossing of a dissolve's ramps), clear of the shot numbers on top.
            const QString tag = transition_tag(t.kind);
            const int w = label_width(fm, tag);
            const QRectF box(r.center().x() - w / 2.0, r.center().y() - fm.height() / 2.0, w, fm.height());
            QPainterPath path;
            path.addRoundedRect(box, 3, 3);
            p.fillPath(path, colour);
            p.setPen(QPen(QColor(0, 0, 0, 180), 1));
            p.drawPath(path);
            p.drawText(box, Qt::AlignCenter, tag);
        }
    }
    p.restore();
}

void ShotTimeline::paintLaneNames(QPainter& p) const
{
    p.save();
    p.setPen(palette().color(QPalette::WindowText));
    const QRect strip = stripRect();
    const QRect lane = markerLaneRect();
    p.drawText(QRect(kMargin + 8, strip.top(), kLaneLabelWidth - 12, strip.height()), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Shots"));
    p.fillRect(QRect(kMargin, lane.top() + 4, 4, lane.height() - 8), marker_colour(CueKind::OpeningCredits));
    p.drawText(QRect(kMargin + 8, lane.top(), kLaneLabelWidth - 12, lane.height()), Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(tr("Technical cues"), Qt::ElideRight, kLaneLabelWidth - 12));
    p.restore();
}

void ShotTimeline::paintMarkers(QPainter& p) const
{
    const QRect lane = markerLaneRect();
    p.fillRect(lane, palette().color(QPalette::Window).darker(112));  // the lane shows even when it is empty
    if (shown_.empty()) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        p.drawText(lane, Qt::AlignCenter, tr("No technical cues"));
        return;
    }
    for (int i = 0; i < markerCount(); ++i) {
        const MarkerRecord& record = *markerRecordAt(i);
        const Marker& m = record.marker;
        const QRect r = markerRect(i);
        QColor colour = marker_colour(m.kind);
        // Heuristics: a weak cue is paler.
        colour.setAlphaF(static_cast<float>(0.5 + 0.5 * std::clamp(m.confidence, 0.0, 1.0)));
        if (m.kind == CueKind::ColourBars) {
            static const QColor bars[] = {Qt::white, Qt::yellow, Qt::cyan, Qt::green, Qt::magenta, Qt::red, Qt::blue};
            for (int k = 0; k < 7; ++k) {
                const int x0 = r.left() + r.width() * k / 7, x1 = r.left() + r.width() * (k + 1) / 7;
                p.fillRect(QRect(x0, r.top(), std::max(1, x1 - x0), r.height()), bars[k]);
            }
        } else {
            p.fillRect(r, colour);
        }
        p.fillRect(QRect(r.left(), r.top(), 1, r.height()), QColor(255, 255, 255, 160));  // where it starts
        const bool reviewed = is_reviewed(record);
        if (reviewed) paintReviewedMark(p, r);
        if (!markerLabelShown(i)) continue;
        const QString label = marker_label(m.kind);
        const QRect text_rect = r.adjusted(3, 0, reviewed ? -3 - kCheckWidth : -3, 0);
        if (m.kind == CueKind::ColourBars) {
            const int w = label_width(p.fontMetrics(), label);
            p.fillRect(QRect(r.left() + (r.width() - w) / 2, r.top(), w, r.height()), QColor(0, 0, 0, 170));
        }
        p.setPen(Qt::white);
        p.drawText(text_rect, Qt::AlignCenter, label);
    }
}

void ShotTimeline::paintReviewedMark(QPainter& p, const QRect& r)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    QPen outline(Qt::white, 2);
    outline.setJoinStyle(Qt::MiterJoin);
    p.setPen(outline);
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(r).adjusted(1, 1, -1, -1));
    if (r.width() >= kCheckWidth + 4) {
        const QRectF box(r.right() - kCheckWidth - 1, r.top() + 2, kCheckWidth - 2, r.height() - 4);
        QPainterPath check;
        check.moveTo(box.left(), box.center().y());
        check.lineTo(box.left() + box.width() * 0.4, box.bottom());
        check.lineTo(box.right(), box.top());
        p.setPen(QPen(QColor(0, 0, 0, 160), 3.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));  // legible on white
        p.drawPath(check);
        p.setPen(QPen(Qt::white, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(check);
    }
    p.restore();
}

QString ShotTimeline::shotToolTip(int index) const
{
    const Shot* s = shotAt(index);
    if (!s) return {};
    return tr("Shot %1: %2 – %3 (frames %4–%5), begins with: %6")
        .arg(index + 1)
        .arg(format_time(s->start_s), format_time(s->end_s))
        .arg(s->start_frame)
        .arg(s->end_frame - 1)
        .arg(transition_name(s->transition).toLower());
}

QString ShotTimeline::transitionToolTip(int index) const
{
    const TransitionSpan& t = transitions_[static_cast<size_t>(index)];
    return tr("%1 into shot %2: %3 – %4 (frames %5–%6)")
        .arg(transition_name(t.kind))
        .arg(t.shot_index + 1)
        .arg(format_time(t.start_s), format_time(t.end_s))
        .arg(t.start_frame)
        .arg(t.end_frame);
}

QString ShotTimeline::markerToolTip(int index) const
{
    const MarkerRecord* r = markerRecordAt(index);
    if (!r) return {};
    const Marker* m = &r->marker;
    const QString review = r->state == ReviewState::Proposed
                               ? tr("a heuristic cue: please confirm")
                               : tr("%1 by a reviewer").arg(QString::fromLatin1(to_string(r->state)));
    QString tip = tr("%1: %2 – %3 (frames %4–%5)\nConfidence %6% (%7)\nClick to go to its start.")
                      .arg(marker_name(m->kind))
                      .arg(format_time(m->start_s), format_time(m->end_s))
                      .arg(m->start_frame)
                      .arg(m->end_frame)
                      .arg(std::lround(m->confidence * 100.0))
                      .arg(review);
    if (r->id != 0) tip += tr(" Right-click to review it.");
    return tip;
}

void ShotTimeline::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    if (const int marker = markerAtPos(event->position().toPoint()); marker >= 0) {
        Q_EMIT markerActivated(marker);
        return;
    }
    if (event->position().y() > stripRect().bottom()) return;  // the lane or the ruler, not a shot
    const int index = shotAtX(event->position().toPoint().x());
    if (index < 0) return;
    setSelectedShot(index);
    Q_EMIT shotActivated(index);
}

void ShotTimeline::contextMenuEvent(QContextMenuEvent* event)
{
    const QPoint pos = event->pos();
    qint64 id = 0;
    if (const MarkerRecord* r = markerRecordAt(markerAtPos(pos))) {
        id = r->id;
    } else if (markerLaneRect().contains(pos)) {
        // Nothing shown there: a rejected cue at that place, whose rejection may be undone.
        for (auto it = records_.rbegin(); it != records_.rend() && id == 0; ++it) {
            const QRect r = rectOfMarker(it->marker);
            if (it->state == ReviewState::Rejected && pos.x() >= r.left() - kHitSlop && pos.x() <= r.right() + kHitSlop)
                id = it->id;
        }
    }
    if (id == 0) return QWidget::contextMenuEvent(event);
    event->accept();
    Q_EMIT markerContextMenuRequested(id, event->globalPos());
}

bool ShotTimeline::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        QStringList lines;
        if (const int marker = markerAtPos(help->pos()); marker >= 0) {
            lines << markerToolTip(marker);
        } else if (help->pos().y() <= stripRect().bottom()) {
            if (const int t = transitionAtX(help->pos().x()); t >= 0) lines << transitionToolTip(t);
            if (const int shot = shotAtX(help->pos().x()); shot >= 0) lines << shotToolTip(shot);
        }
        if (lines.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), lines.join(QLatin1Char('\n')), this);
        return true;
    }
    return QWidget::event(event);
}

QImage ShotTimeline::stripImage(const QImage& image)
{
    // The thumbnail itself (implicitly shared, no copy): scaling thousands of them to strip height here stalled
    // the GUI thread for ~90 ms on a 3,000-shot title (bench_ui_latency). paintEvent scales each cell as it draws,
    // smoothly only where cells are wide enough for it to show.
    return image;
}

void ShotTimeline::onThumbnailReady(qint64 frame_id, const QImage& image)
{
    if (std::find(thumbnail_ids_.begin(), thumbnail_ids_.end(), frame_id) == thumbnail_ids_.end()) return;
    images_.insert(frame_id, stripImage(image));
    update();
}

}  // namespace frameline::ui
