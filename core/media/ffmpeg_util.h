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

// FFmpeg prints nothing (its chatter would interleave with progress; errors are ours to say), but the error
// messages it logs on the calling thread are kept, so that a failure can say why (e.g. "Cannot load libcuda.so.1").
void quiet_logging();
// The error lines FFmpeg logged on this thread since the last call, joined by "; " (empty when none).
std::string take_logged_errors();

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
