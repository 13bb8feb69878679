#pragma once
// One pass over a video: decode (own thread) -> shot detection, quality, representative frames.
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/media/media_info.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/progress.h"
#include "core/sampling/cue_detector.h"
#include "core/sampling/frame_quality.h"
#include "core/sampling/shot_sampler.h"
#include "core/sampling/shot.h"
#include "core/sampling/shot_detector.h"

namespace frameline {

struct ScanOptions {
    int threads = 0;              // decoder threads; 0 = one per core
    int analysis_width = 128;     // small frames for detection
    int thumbnail_width = 320;    // stored thumbnails (0 = no thumbnails, e.g. `frameline-cli shots`)
    int jpeg_quality = 85;
    bool skip_loop_filter = false;  // faster decode for detection only (see VideoDecoder::Options)
    HardwareDecode hardware = default_hardware_decode();  // NVDEC or software (see VideoDecoder::Options)
    // Keep each candidate's full decoded frame, so that the sampled frames reach the models without a second decode
    // (SampledFrame::picture). Memory: up to SamplingOptions::max_candidates frames per shot (3 MB each at 1080p).
    bool keep_pictures = false;
    ShotDetector::Options detector;
    SamplingOptions sampling;
};

struct SampledFrame;
// Receives each shot's sampled frames as the shot closes (on the scanning thread), so that a long title's
// thumbnails need not all be held in memory. Without one, they are collected in ScanResult::frames.
using SampledFrameSink = std::function<void(std::vector<SampledFrame>&& frames)>;

struct SampledFrame {
    int64_t index = 0;
    double pts_s = 0.0;
    int shot_index = 0;
    FrameKind kind = FrameKind::Representative;
    FrameMetrics metrics;
    uint32_t flags = 0;   // QualityFlag bits: why a frame is not a good one (it is kept all the same)
    CropRect active;      // the picture inside black bars, in thumbnail pixels
    double motion = 0.0;
    int width = 0;        // thumbnail size
    int height = 0;
    std::vector<uint8_t> jpeg;
    std::shared_ptr<const DecodedPicture> picture;  // with ScanOptions::keep_pictures
};

struct ScanResult {
    MediaInfo info;
    DecoderUsed decoder;          // NVDEC or software, and why
    int64_t frame_count = 0;      // frames the decoder output
    double duration_s = 0.0;      // end of the last frame
    std::vector<Shot> shots;
    std::vector<Boundary> boundaries;  // one per shot after the first, with its transition's kind and span
    std::vector<Marker> markers;       // technical cues: black, colour bars, likely credits
    std::vector<SampledFrame> frames;  // empty when a SampledFrameSink took them
    int64_t sampled_frames = 0;       // how many were sampled, either way
    int64_t corrupt_packets = 0;
    // Damage met on the way, one line each, saying where and what to do; the scan goes on past it.
    std::vector<std::string> warnings;
};

// Throws frameline::Error (unreadable file) or frameline::Cancelled (stop requested).
ScanResult scan_video(const std::filesystem::path& path, const ScanOptions& options, const ProgressFn& progress,
                      std::stop_token stop = {}, const SampledFrameSink& sink = {});

}  // namespace frameline
