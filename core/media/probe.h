#pragma once
#include <filesystem>
#include <string>

#include "core/media/media_info.h"

namespace frameline {

// Opens a file with FFmpeg and describes it. Throws frameline::Error with a one-line reason for a file that is
// missing, unreadable, or has no video stream.
MediaInfo probe_media(const std::filesystem::path& path);

}  // namespace frameline

namespace frameline {
// "libavformat 59.27.100, libavcodec 59.37.100" — for --version and bug reports.
std::string ffmpeg_version();
}  // namespace frameline
