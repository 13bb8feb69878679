#pragma once
// Chooses the frames that represent a shot, from thumbnails taken at a fixed stride while decoding:
// representative frames (sharp, well exposed, outside transitions; more for longer shots) and motion key frames
// (peaks of action inside long shots).
#include <deque>
#include <memory>
#include <vector>

#include "core/media/image.h"
#include "core/sampling/frame_quality.h"

namespace frameline {

class DecodedPicture;  // core/media/video_decoder.h

enum class FrameKind { Representative, KeyFrame };
const char* to_string(FrameKind k);

struct FrameCandidate {
    int64_t index = 0;
    double pts_s = 0.0;
    double motion = 0.0;  // mean absolute luma change per frame around this one (small frames)
    FrameQuality quality;
    RgbImage thumbnail;
    std::shared_ptr<const DecodedPicture> picture;  // the full frame, when the scan keeps them (ScanOptions)
};

struct PickedFrame {
    FrameCandidate frame;
    FrameKind kind = FrameKind::Representative;
};

struct SamplingOptions {
    double seconds_per_representative = 4.0;  // one representative per this much shot, at least one
    int max_representatives = 6;
    double key_frame_min_shot_s = 6.0;        // shots at least this long get motion key frames
    int max_key_frames = 4;
    double key_frame_min_gap_s = 2.0;
    double key_frame_min_motion = 2.0;        // and at least twice the shot's median motion
    size_t max_candidates = 64;               // memory bound per shot: the stride doubles beyond it
    double edge_margin_s = 0.5;               // keep this far from a shot's ends (at most a tenth of the shot)
};

class ShotSampler {
public:
    explicit ShotSampler(SamplingOptions options = {}) : opt_(options) {}

    void offer(FrameCandidate candidate);

    // The frames for the shot [start, end): its transitions occupy frames up to `in_end` at its start and from
    // `out_start` at its end; frames there are used only when nothing else exists (and flagged). Releases the
    // shot's candidates. Sorted by frame.
    std::vector<PickedFrame> take(int64_t start, int64_t end, int64_t in_end, int64_t out_start, double fps);

private:
    SamplingOptions opt_;
    std::deque<FrameCandidate> candidates_;
};

}  // namespace frameline
