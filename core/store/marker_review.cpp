#include "core/store/marker_review.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace frameline {

MarkerRecord reviewed_marker(const MarkerRecord& current, const ReviewRequest& request) {
    MarkerRecord next = current;
    switch (request.action) {
        case ReviewAction::Accept: next.state = ReviewState::Accepted; break;
        case ReviewAction::Reject: next.state = ReviewState::Rejected; break;
        case ReviewAction::Correct: {
            if (request.start_frame < 0 || request.end_frame < request.start_frame)
                throw Error("review of marker " + std::to_string(current.id) + ": the corrected range " +
                            std::to_string(request.start_frame) + "-" + std::to_string(request.end_frame) +
                            " is empty — give a start frame at or before the end frame");
            // Times follow the frames at the marker's own frame rate (its frames over its seconds).
            const Marker& m = current.marker;
            const double frames = double(m.end_frame - m.start_frame + 1);
            const double frame_s = frames > 0 && m.end_s > m.start_s ? (m.end_s - m.start_s) / frames : 0.04;
            next.marker.start_s = m.start_s + double(request.start_frame - m.start_frame) * frame_s;
            next.marker.end_s = m.start_s + double(request.end_frame + 1 - m.start_frame) * frame_s;
            next.marker.start_frame = request.start_frame;
            next.marker.end_frame = request.end_frame;
            next.state = ReviewState::Corrected;
            break;
        }
        case ReviewAction::Undo: break;  // restored_marker()
    }
    next.version = current.version + 1;
    return next;
}

MarkerRecord restored_marker(const MarkerRecord& current, const std::string& before_json) {
    const auto before = nlohmann::json::parse(before_json, nullptr, false);
    if (before.is_discarded() || !before.is_object())
        throw Error("review event for marker " + std::to_string(current.id) + " has a damaged snapshot");
    MarkerRecord next = current;
    next.state = review_state_from_string(before.value("state", "proposed"));
    next.marker.start_frame = before.value("start_frame", current.marker.start_frame);
    next.marker.end_frame = before.value("end_frame", current.marker.end_frame);
    next.marker.start_s = before.value("start_s", current.marker.start_s);
    next.marker.end_s = before.value("end_s", current.marker.end_s);
    next.version = current.version + 1;
    return next;
}

bool covered_by_decision(const Marker& proposal, const std::vector<MarkerRecord>& decided) {
    for (const MarkerRecord& d : decided)
        if (d.state != ReviewState::Proposed && d.marker.kind == proposal.kind &&
            d.marker.start_frame <= proposal.end_frame && proposal.start_frame <= d.marker.end_frame)
            return true;
    return false;
}

std::string marker_snapshot(const MarkerRecord& m) {
    return nlohmann::json{{"state", to_string(m.state)},        {"start_frame", m.marker.start_frame},
                          {"end_frame", m.marker.end_frame},    {"start_s", m.marker.start_s},
                          {"end_s", m.marker.end_s},            {"version", m.version}}
        .dump();
}

}  // namespace frameline
