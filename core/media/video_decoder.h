#pragma once
// Sequential video decoding with exact frame indices and timestamps (variable frame rate safe).
#include <filesystem>
#include <memory>

#include "core/media/image.h"
#include "core/media/media_info.h"

namespace frameline {

class VideoDecoder {
public:
    struct Options {
        int threads = 0;          // decoder threads; 0 = one per core
        int analysis_width = 128; // width of SmallFrame planes; height keeps the aspect (before rotation)
        // Skip H.264/HEVC in-loop deblocking: faster, slightly blockier pictures. For detection passes whose results
        // it does not change (see tests), not for pictures people look at.
        bool skip_loop_filter = false;
    };

    // Throws frameline::Error when the file cannot be opened or has no decodable video stream.
    VideoDecoder(const std::filesystem::path& path, Options options);
    explicit VideoDecoder(const std::filesystem::path& path) : VideoDecoder(path, Options{}) {}
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    const MediaInfo& info() const;

    // Decodes the next frame in presentation order into `out`; false at the end of the stream.
    // Corrupt packets are skipped (counted in corrupt_packets()); they never end decoding early.
    bool next(SmallFrame& out);

    // The frame last returned by next(), as RGB scaled to `width` (height keeps the display aspect) with the
    // file's rotation applied: what a person sees.
    RgbImage current_rgb(int width) const;

    int64_t corrupt_packets() const;
    // The index of the frame the decoder was at when it first met damage (-1 when none).
    int64_t first_damage_frame() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
