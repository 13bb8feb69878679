#pragma once
// What a review does to a technical cue, the same for every backend: the new state and range, and the before and
// after snapshots the review event keeps. Private to core/store.
#include <string>
#include <vector>

#include "core/store/records.h"

namespace frameline {

// The marker after `request` (Accept, Reject, Correct). Throws frameline::Error for a request that cannot apply
// (a corrected range that is empty or negative).
MarkerRecord reviewed_marker(const MarkerRecord& current, const ReviewRequest& request);

// The marker as the event's `before` snapshot described it (for Undo), on top of the current row.
MarkerRecord restored_marker(const MarkerRecord& current, const std::string& before_json);

// A new proposal that a person's decision already covers: the same kind, overlapping a reviewed marker.
bool covered_by_decision(const Marker& proposal, const std::vector<MarkerRecord>& decided);

// {"state":..,"start_frame":..,"end_frame":..,"start_s":..,"end_s":..,"version":..}
std::string marker_snapshot(const MarkerRecord& m);

}  // namespace frameline
