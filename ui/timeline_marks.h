#pragma once
// What the shot strip draws besides the shots: gradual transitions (fades, dissolves) with their spans, and the
// technical cues (markers) in a lane below. Names, short labels and colours live here so the strip, its tooltips
// and the tests agree.
#include <QColor>
#include <QString>
#include <vector>

#include "core/sampling/cue_detector.h"
#include "core/sampling/shot.h"

namespace frameline::ui {

// The timeline widgets of the workspace share one time axis: each lane's name sits in a gutter this wide at its
// left, and time runs from the gutter's right edge to the widget's right margin.
constexpr int kLaneLabelWidth = 108;
constexpr int kTimelineMargin = 4;

// A fade or dissolve into shot `shot_index`, over frames [start_frame, end_frame] (inclusive): [start_s, end_s) in
// time, end_s being the end of the span's last frame.
struct TransitionSpan {
    int shot_index = 0;
    Transition kind = Transition::Fade;
    qint64 start_frame = 0;
    qint64 end_frame = 0;
    double start_s = 0.0;
    double end_s = 0.0;
};

// The start time of `frame`, interpolated inside the shot that holds it (shots carry frames and times; the title's
// nominal fps is not needed, and variable frame rates stay right shot by shot).
double time_of_frame(const std::vector<Shot>& shots, qint64 frame);

// The fades and dissolves of a title, in order. Cuts are not spans (they stay a line in the strip).
std::vector<TransitionSpan> gradual_transitions(const std::vector<Shot>& shots);

QString transition_tag(Transition kind);   // "F", "D"
QString transition_name(Transition kind);  // "Fade", "Dissolve"
QColor transition_colour(Transition kind);

QString marker_label(CueKind kind);  // short, for the lane: "black", "bars", "credits"
QString marker_name(CueKind kind);   // for tooltips: "Opening credits"
QColor marker_colour(CueKind kind);

}  // namespace frameline::ui
