#include "core/pipeline/frame_seek.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "core/media/video_decoder.h"

namespace frameline {

namespace {

// Some demuxers seek only roughly (MPEG-TS, by bytes): when the first frame after a seek lies past the wanted one, the
// next try seeks this much earlier.
constexpr double kSeekMargin_s = 5.0;

}  // namespace

int decode_frames_at(const std::filesystem::path& media, std::vector<FrameAt> frames,
                     const std::function<bool(const FrameAt&, const DecodedPicture&)>& found,
                     const FrameSeekOptions& options, std::stop_token stop) {
    if (frames.empty()) return 0;
    std::sort(frames.begin(), frames.end(), [](const FrameAt& a, const FrameAt& b) { return a.pts_s < b.pts_s; });
    VideoDecoder::Options decoder_options;
    decoder_options.threads = options.threads;
    decoder_options.analysis_width = 16;  // the small planes are not used
    VideoDecoder decoder(media, decoder_options);
    const double fps = decoder.info().fps > 0 ? decoder.info().fps : 25.0;
    const double tolerance = 0.25 / fps;

    int missing = 0;
    size_t next = 0;  // the first frame not yet found or given up
    SmallFrame frame;
    while (next < frames.size() && !stop.stop_requested()) {
        // A run of frames close together: one seek, then decode through it.
        size_t last = next;
        while (last + 1 < frames.size() && frames[last + 1].pts_s - frames[last].pts_s < options.gap_s) ++last;
        const double first_pts = frames[next].pts_s;
        // Where to seek: just before the first frame; when the demuxer lands past it (or at the end), further back,
        // then from the start.
        const double tries[] = {first_pts - tolerance, first_pts - kSeekMargin_s, 0.0};
        size_t attempt = 0;
        bool positioned = decoder.seek(tries[attempt]), first = true;
        while (positioned && next <= last && !stop.stop_requested()) {
            const bool got = decoder.next(frame);
            if (first && (!got || frame.pts_s > first_pts + tolerance) && attempt + 1 < std::size(tries)) {
                positioned = decoder.seek(tries[++attempt]);  // landed past the wanted frame
                continue;
            }
            if (!got) break;  // the end of the stream
            first = false;
            while (next <= last && frames[next].pts_s < frame.pts_s - tolerance) {
                ++missing;  // passed over: this time is in no decoded frame
                ++next;
            }
            if (next <= last && std::abs(frames[next].pts_s - frame.pts_s) <= tolerance) {
                if (!found(frames[next], *decoder.current_picture())) return missing;
                ++next;
            }
        }
        if (stop.stop_requested()) break;
        missing += static_cast<int>(last + 1 - next);  // not reached: the end of the stream, or no seek
        next = last + 1;
    }
    return missing;
}

}  // namespace frameline
