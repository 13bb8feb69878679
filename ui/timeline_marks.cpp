#include "ui/timeline_marks.h"

#include <QCoreApplication>

namespace frameline::ui {

double time_of_frame(const std::vector<Shot>& shots, qint64 frame)
{
    if (shots.empty() || frame <= shots.front().start_frame) return shots.empty() ? 0.0 : shots.front().start_s;
    for (const Shot& s : shots) {
        if (frame >= s.end_frame) continue;
        if (s.frames() <= 0) return s.start_s;
        return s.start_s + static_cast<double>(frame - s.start_frame) * (s.end_s - s.start_s) / s.frames();
    }
    // Past the last shot (the end of a span that closes the title): extend at the last shot's rate.
    const Shot& last = shots.back();
    const double frame_s = last.frames() > 0 ? (last.end_s - last.start_s) / last.frames() : 0.0;
    return last.end_s + static_cast<double>(frame - last.end_frame) * frame_s;
}

std::vector<TransitionSpan> gradual_transitions(const std::vector<Shot>& shots)
{
    std::vector<TransitionSpan> spans;
    for (const Shot& s : shots) {
        if (s.transition != Transition::Fade && s.transition != Transition::Dissolve) continue;
        TransitionSpan t;
        t.shot_index = s.index;
        t.kind = s.transition;
        t.start_frame = std::min(s.transition_start, s.transition_end);
        t.end_frame = std::max(s.transition_start, s.transition_end);
        t.start_s = time_of_frame(shots, t.start_frame);
        t.end_s = time_of_frame(shots, t.end_frame + 1);
        spans.push_back(t);
    }
    return spans;
}

QString transition_tag(Transition kind)
{
    return kind == Transition::Dissolve ? QStringLiteral("D") : kind == Transition::Fade ? QStringLiteral("F")
                                                                                         : QString();
}

QString transition_name(Transition kind)
{
    switch (kind) {
    case Transition::Fade: return QCoreApplication::translate("Timeline", "Fade");
    case Transition::Dissolve: return QCoreApplication::translate("Timeline", "Dissolve");
    case Transition::Cut: return QCoreApplication::translate("Timeline", "Cut");
    case Transition::None: break;
    }
    return QCoreApplication::translate("Timeline", "Start");
}

QColor transition_colour(Transition kind)
{
    return kind == Transition::Dissolve ? QColor(0x4f, 0xc3, 0xf7) : QColor(0xff, 0xb3, 0x47);
}

QString marker_label(CueKind kind)
{
    switch (kind) {
    case CueKind::Black: return QCoreApplication::translate("Timeline", "black");
    case CueKind::ColourBars: return QCoreApplication::translate("Timeline", "bars");
    case CueKind::OpeningCredits:
    case CueKind::ClosingCredits: return QCoreApplication::translate("Timeline", "credits");
    }
    return {};
}

QString marker_name(CueKind kind)
{
    switch (kind) {
    case CueKind::Black: return QCoreApplication::translate("Timeline", "Black");
    case CueKind::ColourBars: return QCoreApplication::translate("Timeline", "Colour bars");
    case CueKind::OpeningCredits: return QCoreApplication::translate("Timeline", "Opening credits");
    case CueKind::ClosingCredits: return QCoreApplication::translate("Timeline", "Closing credits");
    }
    return {};
}

QColor marker_colour(CueKind kind)
{
    switch (kind) {
    case CueKind::Black: return QColor(0x1c, 0x1c, 0x1c);
    case CueKind::ColourBars: return QColor(0x9b, 0x59, 0xb6);
    case CueKind::OpeningCredits: return QColor(0x2e, 0x86, 0xc1);
    case CueKind::ClosingCredits: return QColor(0x1a, 0x52, 0x76);
    }
    return Qt::gray;
}

}  // namespace frameline::ui
