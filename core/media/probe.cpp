#include "core/media/probe.h"

#include "core/media/ffmpeg_util.h"

namespace frameline {

MediaInfo probe_media(const std::filesystem::path& path) {
    auto format = ffmpeg::open_input(path);
    int video = ffmpeg::find_video_stream(format.get(), path);
    return ffmpeg::describe(format.get(), video, path);
}

}  // namespace frameline

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace frameline {

std::string ffmpeg_version() {
    auto v = [](unsigned x) {
        return std::to_string(AV_VERSION_MAJOR(x)) + "." + std::to_string(AV_VERSION_MINOR(x)) + "." +
               std::to_string(AV_VERSION_MICRO(x));
    };
    return "libavformat " + v(avformat_version()) + ", libavcodec " + v(avcodec_version());
}

}  // namespace frameline
