#pragma once
// streams.h's listing on an already opened container (AudioDecoder, subtitle_reader). Private to core/media.
extern "C" {
#include <libavformat/avformat.h>
}
#include <filesystem>

#include "core/media/streams.h"

namespace frameline::ffmpeg {

MediaStream describe_stream(const AVStream* stream);
MediaStreams describe_streams(AVFormatContext* format, const std::filesystem::path& path);

}  // namespace frameline::ffmpeg
