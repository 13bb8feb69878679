#include "core/pipeline/video_scan.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <thread>

#include "core/error.h"
#include "core/media/jpeg.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/bounded_queue.h"
#include "core/sampling/representative_picker.h"

namespace frameline {
namespace {

struct DecodedFrame {
    SmallFrame small;
    RgbImage thumbnail;  // only every `stride` frames: the candidates for representative frames
};

// Builds shots from boundaries and picks each shot's representative frame.
class ShotAssembler {
public:
    ShotAssembler(ScanResult& result, const ScanOptions& options) : result_(result), options_(options) {}

    void offer(FrameCandidate candidate) { picker_.offer(std::move(candidate)); }

    void close_at(const Boundary& b) {
        result_.boundaries.push_back(b);
        close(b.frame, b.pts_s);
        current_.transition = b.kind;
    }

    void close(int64_t end_frame, double end_s) {
        current_.end_frame = end_frame;
        current_.end_s = end_s;
        if (current_.frames() <= 0) return;
        if (auto best = picker_.take_best(current_.start_frame, current_.end_frame)) {
            SampledFrame f;
            f.index = best->index;
            f.pts_s = best->pts_s;
            f.shot_index = current_.index;
            f.representative = true;
            f.metrics = best->metrics;
            f.width = best->thumbnail.width;
            f.height = best->thumbnail.height;
            f.jpeg = encode_jpeg(best->thumbnail, options_.jpeg_quality);
            result_.frames.push_back(std::move(f));
        }
        result_.shots.push_back(current_);
        current_ = Shot{};
        current_.index = static_cast<int>(result_.shots.size());
        current_.start_frame = end_frame;
        current_.start_s = end_s;
    }

private:
    ScanResult& result_;
    const ScanOptions& options_;
    RepresentativePicker picker_;
    Shot current_;
};

}  // namespace

ScanResult scan_video(const std::filesystem::path& path, const ScanOptions& options, const ProgressFn& progress,
                      std::stop_token stop) {
    VideoDecoder::Options decode;
    decode.threads = options.threads;
    decode.analysis_width = options.analysis_width;
    decode.skip_loop_filter = options.skip_loop_filter;
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
                if (thumbnails && item.small.index % stride == 0)
                    item.thumbnail = decoder.current_rgb(options.thumbnail_width);
                if (!queue.push(std::move(item))) break;
            }
        } catch (...) {
            decode_error = std::current_exception();
        }
        queue.close();
    });

    ShotDetector detector(options.detector);
    ShotAssembler shots(result, options);
    const int64_t total = result.info.frame_count_estimate;
    double last_pts_s = 0.0;
    while (auto item = queue.pop()) {
        if (stop.stop_requested()) {
            queue.close();
            decode_thread.join();
            throw Cancelled();
        }
        const SmallFrame& frame = item->small;
        if (!item->thumbnail.empty())
            shots.offer(FrameCandidate{frame.index, frame.pts_s, measure_frame(frame), std::move(item->thumbnail)});
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
    shots.close(result.frame_count, result.duration_s);
    result.corrupt_packets = decoder.corrupt_packets();
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
