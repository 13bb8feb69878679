#include "core/pipeline/video_scan.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <thread>

#include "core/error.h"
#include "core/media/jpeg.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/bounded_queue.h"
#include "core/sampling/frame_difference.h"
#include <deque>

namespace frameline {
namespace {

struct DecodedFrame {
    SmallFrame small;
    RgbImage thumbnail;  // only every `stride` frames: the candidates for sampled frames
    std::shared_ptr<const DecodedPicture> picture;  // the candidates' full frames, with ScanOptions::keep_pictures
};

// Builds shots from boundaries and samples each shot's frames, judging their quality.
class ShotAssembler {
public:
    ShotAssembler(ScanResult& result, const ScanOptions& options, const SampledFrameSink& sink)
        : result_(result), options_(options), sink_(sink), sampler_(options.sampling) {}

    void offer(FrameCandidate candidate) { sampler_.offer(std::move(candidate)); }

    void close_at(const Boundary& b) {
        result_.boundaries.push_back(b);
        close(b.frame, b.pts_s, b.span_start);
        current_.transition = b.kind;
        current_.transition_start = b.span_start;
        current_.transition_end = b.span_end;
        in_end_ = b.span_end;
    }

    // Ends the current shot before `end_frame`; the next transition begins at `out_start`.
    void close(int64_t end_frame, double end_s, int64_t out_start) {
        current_.end_frame = end_frame;
        current_.end_s = end_s;
        if (current_.frames() <= 0) return;
        const double fps = result_.info.fps;
        std::vector<SampledFrame> frames;
        for (PickedFrame& p : sampler_.take(current_.start_frame, current_.end_frame, in_end_, out_start, fps)) {
            FrameCandidate& c = p.frame;
            mark_near_duplicate(c.quality);
            SampledFrame f;
            f.index = c.index;
            f.pts_s = c.pts_s;
            f.shot_index = current_.index;
            f.kind = p.kind;
            f.metrics = c.quality.metrics;
            f.flags = c.quality.flags;
            f.active = c.quality.active;
            f.motion = c.motion;
            f.width = c.thumbnail.width;
            f.height = c.thumbnail.height;
            f.jpeg = encode_jpeg(c.thumbnail, options_.jpeg_quality);
            f.picture = std::move(c.picture);
            frames.push_back(std::move(f));
        }
        result_.sampled_frames += static_cast<int64_t>(frames.size());
        if (sink_) {
            if (!frames.empty()) sink_(std::move(frames));
        } else {
            for (SampledFrame& f : frames) result_.frames.push_back(std::move(f));
        }
        result_.shots.push_back(current_);
        current_ = Shot{};
        current_.index = static_cast<int>(result_.shots.size());
        current_.start_frame = end_frame;
        current_.start_s = end_s;
    }

private:
    // A sampled frame that looks like a recent one of the title (a repeated angle, a static scene) is flagged.
    void mark_near_duplicate(FrameQuality& q) {
        constexpr int kMaxBits = 5;
        constexpr size_t kRemembered = 512;
        for (uint64_t h : recent_hashes_)
            if (hamming_distance(h, q.dhash) <= kMaxBits) {
                q.flags |= kFlagNearDuplicate;
                break;
            }
        recent_hashes_.push_back(q.dhash);
        if (recent_hashes_.size() > kRemembered) recent_hashes_.pop_front();
    }

    ScanResult& result_;
    const ScanOptions& options_;
    const SampledFrameSink& sink_;
    ShotSampler sampler_;
    Shot current_;
    int64_t in_end_ = -1;  // last frame of the transition into the current shot
    std::deque<uint64_t> recent_hashes_;
};

// Mean absolute luma change per frame, averaged over the frames between two candidates.
class MotionMeter {
public:
    // Returns this frame's motion.
    double add(const Plane& y) {
        double motion = 0.0;
        if (!previous_.pixels.empty()) {
            motion = plane_difference(previous_, y);
            sum_ += motion;
            ++count_;
        }
        previous_ = y;  // copy-assignment reuses the buffer
        return motion;
    }
    double take() {
        const double mean = count_ > 0 ? sum_ / count_ : 0.0;
        sum_ = 0;
        count_ = 0;
        return mean;
    }

private:
    Plane previous_;
    double sum_ = 0;
    int count_ = 0;
};

}  // namespace

ScanResult scan_video(const std::filesystem::path& path, const ScanOptions& options, const ProgressFn& progress,
                      std::stop_token stop, const SampledFrameSink& sink) {
    VideoDecoder::Options decode;
    decode.threads = options.threads;
    decode.analysis_width = options.analysis_width;
    decode.skip_loop_filter = options.skip_loop_filter;
    decode.hardware = options.hardware;
    VideoDecoder decoder(path, decode);
    ScanResult result;
    result.info = decoder.info();
    const bool thumbnails = options.thumbnail_width > 0;
    // At least one candidate in every shot: shots are at least min_shot_frames long.
    const int64_t stride = std::max(1, options.detector.min_shot_frames / 2);

    // Stage 1, own thread: decode and reduce. Stage 2, this thread: measure, detect, pick.
    // Frames go back to the decoder through `recycled`, so their buffers are reused: no allocation per frame.
    constexpr size_t kQueued = 32;
    BoundedQueue<DecodedFrame> queue(kQueued), recycled(kQueued + 2);
    std::exception_ptr decode_error;
    std::jthread decode_thread([&] {
        try {
            for (;;) {
                DecodedFrame item = recycled.try_pop().value_or(DecodedFrame{});
                if (stop.stop_requested() || !decoder.next(item.small)) break;
                item.thumbnail = RgbImage{};
                item.picture.reset();
                if (thumbnails && item.small.index % stride == 0) {
                    item.thumbnail = decoder.current_rgb(options.thumbnail_width);
                    if (options.keep_pictures) item.picture = decoder.current_picture();
                }
                if (!queue.push(std::move(item))) break;
            }
        } catch (...) {
            decode_error = std::current_exception();
        }
        queue.close();
    });

    ShotDetector detector(options.detector);
    ShotAssembler shots(result, options, sink);
    MotionMeter motion;
    CueDetector cues;
    const int64_t total = result.info.frame_count_estimate;
    double last_pts_s = 0.0;
    while (auto item = queue.pop()) {
        if (stop.stop_requested()) {
            queue.close();
            decode_thread.join();
            throw Cancelled();
        }
        const SmallFrame& frame = item->small;
        cues.push(frame, motion.add(frame.y));
        if (!item->thumbnail.empty()) {
            FrameCandidate c;
            c.index = frame.index;
            c.pts_s = frame.pts_s;
            c.motion = motion.take();
            c.quality = assess_frame(item->thumbnail);
            c.thumbnail = std::move(item->thumbnail);
            c.picture = std::move(item->picture);
            shots.offer(std::move(c));
        }
        detector.push(frame);
        for (const Boundary& b : detector.take_boundaries()) shots.close_at(b);
        result.frame_count = frame.index + 1;
        last_pts_s = frame.pts_s;
        if (progress && frame.index % 25 == 0)
            progress(Progress{"analyse", result.frame_count, std::max(total, result.frame_count)});
        recycled.try_push(std::move(*item));
    }
    decode_thread.join();
    if (decode_error) std::rethrow_exception(decode_error);
    if (stop.stop_requested()) throw Cancelled();
    if (result.frame_count == 0)
        throw Error("no frame of '" + path.string() + "' could be decoded — the file is damaged or truncated");

    detector.finish();
    for (const Boundary& b : detector.take_boundaries()) shots.close_at(b);
    const double frame_s = result.info.fps > 0 ? 1.0 / result.info.fps : 0.0;
    result.duration_s = last_pts_s + frame_s;
    shots.close(result.frame_count, result.duration_s, result.frame_count);
    result.markers = cues.finish(result.duration_s);
    result.corrupt_packets = decoder.corrupt_packets();
    result.decoder = decoder.decoder();
    const std::string name = path.filename().string();
    if (result.corrupt_packets > 0) {
        const int64_t at = decoder.first_damage_frame();
        result.warnings.push_back("'" + name + "': " + std::to_string(result.corrupt_packets) +
                                  " damaged packets or frames skipped, the first near frame " + std::to_string(at) +
                                  "; boundaries near the damage may be wrong — re-fetch or re-encode the file");
    }
    if (result.info.duration_s > 0 && result.duration_s < result.info.duration_s - 1.0) {
        char where[96];
        std::snprintf(where, sizeof where, "video ends at %.2f s of the %.2f s the file declares", result.duration_s,
                      result.info.duration_s);
        result.warnings.push_back("'" + name + "': " + where + " — the file may be truncated");
    }
    if (progress) progress(Progress{"analyse", result.frame_count, result.frame_count});
    return result;
}

}  // namespace frameline
