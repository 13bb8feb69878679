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
