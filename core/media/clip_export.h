#pragma once
// Exporting a frame range of a title as a clip file (issue #6, item 6): stream copy when the range can be cut
// cleanly at packet boundaries, otherwise a re-encode of the video from the exact first frame.
//
// Frames are numbered as VideoDecoder numbers them: from 0, in presentation order, each with its timestamp. The
// clip is found by the video packets' presentation timestamps (demuxing only, no decoding), which is what the
// decoder reports for every frame of an undamaged file, so variable-frame-rate files cut at the right frame.
#include <cstdint>
#include <filesystem>
#include <string>

namespace frameline {

enum class ClipMethod { StreamCopy, Reencode };
// "stream-copy" or "re-encode" (the words of the command line's JSON).
const char* to_string(ClipMethod method);

struct ClipRequest {
    std::filesystem::path source;
    int64_t start_frame = 0;
    int64_t end_frame = 0;            // inclusive
    std::filesystem::path output;     // .mp4, .m4v, .mov or .mkv: the container follows the extension
    bool force_reencode = false;      // re-encode even when a stream copy would do (e.g. for a uniform codec)
};

// What an export will do, decided before anything is written.
struct ClipPlan {
    int64_t start_frame = 0;
    int64_t end_frame = 0;            // inclusive
    int64_t frame_count = 0;
    double start_s = 0.0;             // the first frame's timestamp in the source (as VideoDecoder reports it)
    double end_s = 0.0;               // the end of the last frame in the source
    ClipMethod method = ClipMethod::StreamCopy;
    std::string reason;               // why that method, in words ("frame 37 is not a key frame ...")
    int64_t decode_from_frame = 0;    // the key frame (presentation index) decoding starts at
    bool has_audio = false;           // an audio stream goes along (stream-copied, trimmed to the same times)
    std::string audio_codec;
    std::string video_codec;          // of the clip
    double duration_s() const { return end_s - start_s; }
};

struct ClipResult {
    ClipPlan plan;
    std::filesystem::path output;
    int64_t frames_written = 0;       // video frames in the clip (== plan.frame_count)
    double video_duration_s = 0.0;    // of the clip's video track (end of its last frame)
    double audio_duration_s = 0.0;    // of the audio packets written; 0 without audio
    int64_t size_bytes = 0;
};

// Validates the request and decides the method. Throws frameline::Error with one line naming the source, the frame
// range and what to do: a range outside the title, end before start, an unknown extension, a missing or unwritable
// output folder, a file that is not media.
ClipPlan plan_clip(const ClipRequest& request);

// Writes the clip: into a temporary file next to the output, renamed to the output only when complete, so a failed
// export leaves nothing behind (an existing file at the output path is replaced only by a complete clip).
// Timestamps start at 0; MP4/MOV are written without edit lists (negative composition offsets keep the first frame
// at 0 with B-frames). Throws frameline::Error as plan_clip does, and when writing fails.
ClipResult export_clip(const ClipRequest& request);

}  // namespace frameline
