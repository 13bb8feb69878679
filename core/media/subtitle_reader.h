#pragma once
// The embedded text subtitle streams of a media file (SubRip, ASS/SSA, mov_text, WebVTT, and the other text formats
// FFmpeg decodes) as transcript segments: each cue's plain text with its times on the title's clock (the same clock
// as VideoDecoder's pts_s and AudioDecoder's blocks). Subtitles that are pictures (PGS, DVD, DVB) are listed with the
// reason they are not read.
#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "core/media/streams.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct SubtitleTrack {
    MediaStream stream;
    // Cues by start time, source "subtitle", language stream.language, markup removed, empty cues left out.
    // A cue whose packet gives no duration ends where the track's next cue starts (or at the end of the title).
    std::vector<TranscriptSegment> cues;
    // Why the track was not read ("not text: hdmv_pgs_subtitle subtitles are pictures of text — skipped"); ""
    // when it was read.
    std::string skipped;
    int64_t bad_packets = 0;       // packets that did not decode or had no time: skipped, never fatal
    int64_t recoded_packets = 0;   // packets that were not UTF-8, read as Windows-1252
};

struct EmbeddedSubtitles {
    MediaStreams streams;               // the file's audio and subtitle streams and metadata (list_streams)
    std::vector<SubtitleTrack> tracks;  // every subtitle stream, in stream order, read or skipped
    std::vector<std::string> warnings;  // one line each, naming the file and the stream
};

// Reads every text subtitle stream in one pass over the file. Throws frameline::Error with a one-line reason when
// the file is missing or cannot be opened; damaged packets are skipped and counted, never fatal. Throws
// frameline::Cancelled when `stop` is requested.
EmbeddedSubtitles read_embedded_subtitles(const std::filesystem::path& path, std::stop_token stop = {});

}  // namespace frameline
