#include "ui/timeline_lanes.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <map>

#include "ui/time_format.h"
#include "ui/timeline_marks.h"

namespace frameline::ui {

namespace {
constexpr int kLaneHeight = 18;
constexpr int kLaneGap = 2;
constexpr int kMinItemWidth = 3;  // a short segment on a long title stays visible and clickable

QColor lane_colour(const QString& key)
{
    if (key == QLatin1String("chapter")) return QColor(0x2e, 0x86, 0xc1);
    if (key == QLatin1String("key_scene")) return QColor(0xe6, 0x7e, 0x22);
    if (key == QLatin1String("scene")) return QColor(0x16, 0xa0, 0x85);
    if (key == QLatin1String("speech")) return QColor(0x27, 0xae, 0x60);
    if (key == QLatin1String("music")) return QColor(0x8e, 0x44, 0xad);
    return QColor(0x7f, 0x8c, 0x8d);
}

QString audio_lane_name(const QString& kind)
{
    if (kind == QLatin1String("speech")) return TimelineLanes::tr("Speech");
    if (kind == QLatin1String("music")) return TimelineLanes::tr("Music");
    if (kind.isEmpty()) return TimelineLanes::tr("Audio");
    QString name = kind;
    name[0] = name[0].toUpper();
    return name;
}
}  // namespace

TimelineLanes::TimelineLanes(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFocusPolicy(Qt::ClickFocus);
    clear();
}

void TimelineLanes::setSpan(double span_s)
{
    span_s_ = std::max(0.0, span_s);
    update();
}

void TimelineLanes::setChapters(const std::vector<Chapter>& chapters)
{
    Lane chapter{QStringLiteral("chapter"), tr("Chapters"), lane_colour(QStringLiteral("chapter")), {}};
    Lane key{QStringLiteral("key_scene"), tr("Key scenes"), lane_colour(QStringLiteral("key_scene")), {}};
    Lane scene{QStringLiteral("scene"), tr("Scenes"), lane_colour(QStringLiteral("scene")), {}};
    for (const Chapter& c : chapters) {
        if (c.state == ReviewState::Rejected) continue;
        LaneItem item;
        item.id = c.id;
        item.start_s = c.start_s;
        item.end_s = c.end_s;
        item.label = QString::fromStdString(c.label);
        item.confidence = c.confidence;
        item.reviewed = c.state == ReviewState::Accepted || c.state == ReviewState::Corrected;
        (c.kind == ChapterKind::Chapter ? chapter : c.kind == ChapterKind::KeyScene ? key : scene).items.push_back(item);
    }
    chapter_lanes_.clear();
    for (Lane* l : {&chapter, &key, &scene}) {
        if (l == &scene && scene.items.empty()) continue;
        std::sort(l->items.begin(), l->items.end(),
                  [](const LaneItem& a, const LaneItem& b) { return a.start_s < b.start_s; });
        chapter_lanes_.push_back(std::move(*l));
    }
    rebuild();
}

void TimelineLanes::setAudioSegments(const std::vector<AudioSegment>& segments)
{
    std::map<QString, Lane> others;  // by kind, in name order
    Lane speech{QStringLiteral("speech"), audio_lane_name(QStringLiteral("speech")), lane_colour(QStringLiteral("speech")), {}};
    Lane music{QStringLiteral("music"), audio_lane_name(QStringLiteral("music")), lane_colour(QStringLiteral("music")), {}};
    for (const AudioSegment& s : segments) {
        const QString kind = QString::fromStdString(s.kind);
        LaneItem item;
        item.id = s.id;
        item.start_s = s.start_s;
        item.end_s = s.end_s;
        item.confidence = s.confidence;
        Lane* lane = kind == QLatin1String("speech") ? &speech : kind == QLatin1String("music") ? &music : nullptr;
        if (!lane) {
            auto it = others.find(kind);
            if (it == others.end())
                it = others.emplace(kind, Lane{kind, audio_lane_name(kind), lane_colour(kind), {}}).first;
            lane = &it->second;
        }
        lane->items.push_back(item);
    }
    audio_lanes_.clear();
    audio_lanes_.push_back(std::move(speech));
    audio_lanes_.push_back(std::move(music));
    for (auto& [kind, lane] : others) audio_lanes_.push_back(std::move(lane));
    for (Lane& l : audio_lanes_)
        std::sort(l.items.begin(), l.items.end(), [](const LaneItem& a, const LaneItem& b) { return a.start_s < b.start_s; });
    rebuild();
}

void TimelineLanes::setDialogue(const std::vector<TranscriptSegment>& lines)
{
    dialogue_lanes_.clear();
    if (!lines.empty()) {
        Lane dialogue{QStringLiteral("dialogue"), tr("Dialogue"), QColor(0x16, 0xa0, 0x85), {}};
        for (const TranscriptSegment& s : lines) {
            LaneItem item;
            item.id = s.id;
            item.start_s = s.start_s;
            item.end_s = s.end_s;
            item.label = QString::fromStdString(s.text).simplified();
            item.confidence = 1.0;
            dialogue.items.push_back(item);
        }
        std::sort(dialogue.items.begin(), dialogue.items.end(),
                  [](const LaneItem& a, const LaneItem& b) { return a.start_s < b.start_s; });
        dialogue_lanes_.push_back(std::move(dialogue));
    }
    rebuild();
}

void TimelineLanes::clear()
{
    span_s_ = 0.0;
    playhead_s_ = 0.0;
    dialogue_lanes_.clear();
    setChapters({});
    setAudioSegments({});
}

void TimelineLanes::rebuild()
{
    lanes_ = chapter_lanes_;
    lanes_.insert(lanes_.end(), audio_lanes_.begin(), audio_lanes_.end());
    lanes_.insert(lanes_.end(), dialogue_lanes_.begin(), dialogue_lanes_.end());
    if (height() != totalHeight()) updateGeometry();
    update();
}

void TimelineLanes::setPlayhead(double seconds)
{
    if (std::abs(seconds - playhead_s_) < 1e-4) return;
    const int old_x = xOfTime(playhead_s_);
    playhead_s_ = seconds;
    const int new_x = xOfTime(playhead_s_);
    if (old_x == new_x) return;
    update(QRect(old_x - 3, 0, 7, height()));
    update(QRect(new_x - 3, 0, 7, height()));
}

const Lane* TimelineLanes::lane(int index) const
{
    if (index < 0 || index >= laneCount()) return nullptr;
    return &lanes_[static_cast<size_t>(index)];
}

int TimelineLanes::laneIndex(const QString& key) const
{
    for (int i = 0; i < laneCount(); ++i)
        if (lanes_[static_cast<size_t>(i)].key == key) return i;
    return -1;
}

int TimelineLanes::totalHeight() const
{
    return 2 * kTimelineMargin + laneCount() * kLaneHeight + std::max(0, laneCount() - 1) * kLaneGap;
}

QSize TimelineLanes::sizeHint() const { return {640, totalHeight()}; }
QSize TimelineLanes::minimumSizeHint() const { return {120 + kLaneLabelWidth, totalHeight()}; }

QRect TimelineLanes::laneRect(int index) const
{
    if (!lane(index)) return {};
    const int left = kTimelineMargin + kLaneLabelWidth;
    return QRect(left, kTimelineMargin + index * (kLaneHeight + kLaneGap),
                 std::max(1, width() - left - kTimelineMargin), kLaneHeight);
}

QRect TimelineLanes::laneLabelRect(int index) const
{
    const QRect r = laneRect(index);
    if (r.isNull()) return {};
    return QRect(kTimelineMargin, r.top(), kLaneLabelWidth - 4, r.height());
}

int TimelineLanes::xOfTime(double seconds) const
{
    const int left = kTimelineMargin + kLaneLabelWidth;
    const int w = std::max(1, width() - left - kTimelineMargin);
    if (span_s_ <= 0) return left;
    return left + static_cast<int>(std::lround(std::clamp(seconds / span_s_, 0.0, 1.0) * w));
}

double TimelineLanes::timeAtX(int x) const
{
    const int left = kTimelineMargin + kLaneLabelWidth;
    const int w = std::max(1, width() - left - kTimelineMargin);
    return std::clamp(static_cast<double>(x - left) / w, 0.0, 1.0) * span_s_;
}

QRect TimelineLanes::itemRect(int lane_index, int item) const
{
    const Lane* l = lane(lane_index);
    if (!l || item < 0 || item >= static_cast<int>(l->items.size())) return {};
    const LaneItem& it = l->items[static_cast<size_t>(item)];
    const QRect r = laneRect(lane_index);
    const int x0 = xOfTime(it.start_s);
    const int x1 = std::max(x0 + kMinItemWidth, xOfTime(it.end_s));
    return QRect(x0, r.top() + 1, x1 - x0, r.height() - 2);
}

int TimelineLanes::laneAtY(int y) const
{
    for (int i = 0; i < laneCount(); ++i)
        if (const QRect r = laneRect(i); y >= r.top() && y <= r.bottom()) return i;
    return -1;
}

int TimelineLanes::itemAt(int lane_index, int x) const
{
    const Lane* l = lane(lane_index);
    if (!l) return -1;
    // Later items are drawn over earlier ones: hit them first.
    for (int i = static_cast<int>(l->items.size()) - 1; i >= 0; --i)
        if (const QRect r = itemRect(lane_index, i); x >= r.left() && x <= r.right()) return i;
    return -1;
}

void TimelineLanes::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QFontMetrics fm(font());
    for (int i = 0; i < laneCount(); ++i) {
        const Lane& l = lanes_[static_cast<size_t>(i)];
        const QRect lr = laneRect(i);
        const QRect label = laneLabelRect(i);
        // The name in the gutter, with a swatch of the lane's colour.
        p.fillRect(QRect(label.left(), label.top() + 4, 4, label.height() - 8), l.colour);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(label.adjusted(8, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(l.name, Qt::ElideRight, label.width() - 8));
        p.fillRect(lr, palette().color(QPalette::Window).darker(112));
        if (l.items.empty()) {
            p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
            p.drawText(lr, Qt::AlignCenter, tr("none"));
            continue;
        }
        for (int k = 0; k < static_cast<int>(l.items.size()); ++k) {
            const LaneItem& it = l.items[static_cast<size_t>(k)];
            const QRect r = itemRect(i, k);
            QColor c = l.colour;
            if (!it.reviewed) c.setAlphaF(static_cast<float>(0.55 + 0.35 * std::clamp(it.confidence, 0.0, 1.0)));
            p.fillRect(r, c);
            p.fillRect(QRect(r.left(), r.top(), 1, r.height()), QColor(255, 255, 255, 170));  // where it starts
            if (it.reviewed) {
                p.setPen(QPen(Qt::white, 1));
                p.drawRect(r.adjusted(0, 0, -1, -1));
            }
            if (!it.label.isEmpty() && r.width() > fm.horizontalAdvance(QStringLiteral("M…")) + 6) {
                p.setPen(Qt::white);
                p.drawText(r.adjusted(4, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                           fm.elidedText(it.label, Qt::ElideRight, r.width() - 7));
            }
        }
    }
    if (span_s_ > 0) {
        const int x = xOfTime(playhead_s_);
        p.fillRect(QRect(x - 1, 0, 2, height()), QColor(0xe7, 0x4c, 0x3c));
    }
}

void TimelineLanes::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    const QPoint pos = event->position().toPoint();
    const int l = laneAtY(pos.y());
    if (l < 0 || pos.x() < kTimelineMargin + kLaneLabelWidth || span_s_ <= 0) return;
    const Lane& lane = lanes_[static_cast<size_t>(l)];
    if (const int item = itemAt(l, pos.x()); item >= 0) {
        const LaneItem& it = lane.items[static_cast<size_t>(item)];
        Q_EMIT itemActivated(lane.key, it.id);
        Q_EMIT seekRequested(it.start_s);
        return;
    }
    Q_EMIT seekRequested(timeAtX(pos.x()));
}

bool TimelineLanes::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const int l = laneAtY(help->pos().y());
    const int item = l >= 0 ? itemAt(l, help->pos().x()) : -1;
    if (item < 0) {
        QToolTip::hideText();
        return true;
    }
    const Lane& lane = lanes_[static_cast<size_t>(l)];
    const LaneItem& it = lane.items[static_cast<size_t>(item)];
    QString tip = it.label.isEmpty() ? lane.name : QStringLiteral("%1: %2").arg(lane.name, it.label);
    tip += tr("\n%1 – %2, confidence %3%\nClick to go to its start.")
               .arg(format_time(it.start_s), format_time(it.end_s))
               .arg(std::lround(it.confidence * 100.0));
    QToolTip::showText(help->globalPos(), tip, this);
    return true;
}

}  // namespace frameline::ui
