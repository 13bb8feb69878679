#pragma once
// Small helpers shared by the FFmpeg-facing files of core/media. Private to core/media.
extern "C" {
#include <libavformat/avformat.h>
}
#include <filesystem>
#include <memory>
#include <string>

#include "core/media/media_info.h"

namespace frameline::ffmpeg {

std::string error_text(int av_error);

struct FormatCloser {
    void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

// Opens and probes the container. Throws frameline::Error: "cannot open 'PATH': REASON — what to do".
FormatPtr open_input(const std::filesystem::path& path);

// The index of the title's main video stream (skipping cover art), or throws frameline::Error.
int find_video_stream(AVFormatContext* format, const std::filesystem::path& path);

// Clockwise display rotation (0, 90, 180, 270) from the stream's display matrix.
int rotation_degrees(const AVStream* stream);

MediaInfo describe(AVFormatContext* format, int video_stream, const std::filesystem::path& path);

}  // namespace frameline::ffmpeg
