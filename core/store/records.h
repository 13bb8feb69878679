#pragma once
// Rows as the rest of Frameline sees them.
#include <cstdint>
#include <string>
#include <vector>

#include "core/sampling/cue_detector.h"
#include "core/sampling/frame_quality.h"
#include "core/sampling/shot.h"
#include "core/sampling/shot_sampler.h"

namespace frameline {

enum class TitleStatus { Ingesting, Ready, Failed, Cancelled };
const char* to_string(TitleStatus s);
TitleStatus title_status_from_string(const std::string& s);

struct TitleRecord {
    int64_t id = 0;
    std::string name;
    TitleStatus status = TitleStatus::Ingesting;
    std::string status_message;  // why it failed, when it did
    std::string created_at;      // ISO 8601, UTC
    std::string media_path;
    std::string content_hash;
    int64_t size_bytes = 0;
    double duration_s = 0.0;
    int64_t frame_count = 0;
    double fps = 0.0;
    int width = 0;
    int height = 0;
    int rotation_deg = 0;
    int shot_count = 0;
};

// What an ingest knows about a title before the scan.
struct NewTitle {
    std::string name;
    std::string media_path;
    std::string content_hash;
    int64_t size_bytes = 0;
    std::string container;
    std::string video_codec;
    double duration_s = 0.0;
    double fps = 0.0;
    int width = 0;
    int height = 0;
    int rotation_deg = 0;
};

struct FrameRecord {
    int64_t id = 0;
    int64_t title_id = 0;
    int shot_index = 0;
    int64_t frame_index = 0;
    double pts_s = 0.0;
    FrameKind kind = FrameKind::Representative;
    bool representative = false;  // kind == Representative
    FrameMetrics metrics;
    uint32_t flags = 0;           // QualityFlag bits
    CropRect active;              // picture inside black bars, thumbnail pixels
    double motion = 0.0;
    int width = 0;                // thumbnail size
    int height = 0;
};

// People's decisions about proposals. A proposal's state changes only through a review, recorded as an event.
enum class ReviewState { Proposed, Accepted, Rejected, Corrected };
enum class ReviewAction { Accept, Reject, Correct, Undo };
const char* to_string(ReviewState s);
const char* to_string(ReviewAction a);
ReviewState review_state_from_string(const std::string& s);

// A technical cue as stored: the proposal, its review state and its row version (optimistic concurrency).
struct MarkerRecord {
    int64_t id = 0;
    int64_t title_id = 0;
    Marker marker;
    ReviewState state = ReviewState::Proposed;
    int64_t version = 1;
};

struct ReviewRequest {
    int64_t marker_id = 0;
    int64_t expected_version = 0;  // the version the reviewer saw; a different stored one is a conflict
    std::string reviewer;
    ReviewAction action = ReviewAction::Accept;
    int64_t start_frame = -1;      // Correct: the new range (inclusive)
    int64_t end_frame = -1;
    int64_t undo_event = 0;        // Undo: the event whose change is taken back
};

struct ReviewOutcome {
    bool applied = false;  // false: a conflict; `current` is what is stored now
    int64_t event_id = 0;
    MarkerRecord current;
};

// An append-only log entry: who changed what, when, from what to what (JSON).
struct ReviewEvent {
    int64_t id = 0;
    std::string reviewer;
    std::string at;  // ISO 8601, UTC
    std::string entity;
    int64_t entity_id = 0;
    int64_t title_id = 0;
    std::string action;
    std::string before;
    std::string after;
    int64_t undoes = 0;
};

// The OS user, unless FRAMELINE_REVIEWER names someone.
std::string default_reviewer();

// A finished scan, written in one transaction.
struct TitleAnalysis {
    int64_t frame_count = 0;
    double duration_s = 0.0;
    double fps = 0.0;
    std::vector<Shot> shots;
    struct Frame {
        FrameRecord record;
        std::vector<uint8_t> jpeg;
    };
    std::vector<Frame> frames;
    std::vector<Marker> markers;
};

}  // namespace frameline
