#pragma once
// What a media file holds, as probed by FFmpeg, in Frameline's own types.
#include <cstdint>
#include <string>
#include <vector>

namespace frameline {

enum class StreamKind { Video, Audio, Subtitle, Other };

struct StreamInfo {
    int index = -1;
    StreamKind kind = StreamKind::Other;
    std::string codec;
    std::string language;  // ISO 639 tag from the container, empty when unknown
    int width = 0;         // video: coded size, before rotation
    int height = 0;
    double fps = 0.0;      // video: average frame rate
    int sample_rate = 0;   // audio
    int channels = 0;      // audio
    bool attached_picture = false;  // cover art, not a video track
};

struct MediaInfo {
    std::string path;
    std::string container;
    int64_t size_bytes = 0;
    double duration_s = 0.0;
    std::vector<StreamInfo> streams;
    int video_stream = -1;       // index into the file's streams of the analysed video track
    std::string video_codec;
    int width = 0;               // displayed size (after rotation)
    int height = 0;
    double fps = 0.0;            // average frame rate (frames / duration); VFR files vary around it
    double nominal_fps = 0.0;    // the container's declared rate
    int rotation_deg = 0;        // clockwise rotation to apply for display: 0, 90, 180, 270
    int64_t frame_count_estimate = 0;  // from the container; exact count comes from decoding
    bool has_audio = false;
};

const char* to_string(StreamKind kind);

}  // namespace frameline
