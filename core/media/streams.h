#pragma once
// The audio and subtitle streams of a media file with their languages, and the container's own texts (title,
// synopsis, description): what a title offers beyond its picture. Also which audio track the analysis listens to,
// chosen by a language preference.
#include <filesystem>
#include <string>
#include <vector>

#include "core/media/media_info.h"

namespace frameline {

struct MediaStream {
    int index = -1;                   // among all of the file's streams (as ffprobe counts them)
    StreamKind kind = StreamKind::Other;  // Audio or Subtitle
    std::string codec;                // FFmpeg's name: "aac", "subrip", "ass", "mov_text", "hdmv_pgs_subtitle"
    std::string language = "und";     // ISO 639-2/B (languages.h); "und" when the container does not say
    std::string language_tag;         // as the container wrote it; "" when absent
    std::string title;                // the stream's own name ("Director's commentary", "English SDH")
    // Audio
    int channels = 0;
    int sample_rate = 0;
    std::string channel_layout;       // "stereo", "5.1(side)"; "" when the file does not say
    // Dispositions, as the container flags them
    bool is_default = false;
    bool forced = false;              // subtitles meant to be shown even to viewers who did not ask for any
    bool hearing_impaired = false;    // SDH / closed captions
    bool visual_impaired = false;     // audio description
    bool commentary = false;
    // Subtitles: a text format (SubRip, ASS/SSA, mov_text, WebVTT, ...) that can be read as a transcript; false for
    // pictures of text (PGS, DVD, DVB), which only OCR could read.
    bool text = false;
    bool decodable = false;           // this FFmpeg has a decoder for the codec
};

// One text the container carries about the title (item 5 of issue #8): its synopsis or description.
struct MetadataText {
    std::string kind;      // "synopsis" (SYNOPSIS, SUMMARY, MP4 ldes) | "description" (DESCRIPTION, MP4 desc)
    std::string key;       // the tag as FFmpeg reports it ("synopsis", "DESCRIPTION-fre")
    std::string language = "und";  // from a Matroska tag's language ("DESCRIPTION-fre"), else "und"
    std::string text;
};

struct ContainerMetadata {
    std::string title;
    std::string comment;   // often an encoder's note rather than the plot: listed, not taken as a synopsis
    std::vector<MetadataText> texts;
};

struct MediaStreams {
    std::string path;
    std::string container;   // FFmpeg's demuxer name ("matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2")
    double duration_s = 0.0;
    std::vector<MediaStream> audio;      // in stream order
    std::vector<MediaStream> subtitles;  // in stream order
    ContainerMetadata metadata;
};

// Opens the file and lists its audio and subtitle streams and metadata (no decoding). Throws frameline::Error
// with a one-line reason for a file that is missing or that FFmpeg cannot read.
MediaStreams list_streams(const std::filesystem::path& path);

struct AudioChoice {
    int stream_index = -1;  // -1 when there is no audio stream
    std::string language;   // of the chosen stream
    std::string why;        // "preferred language fre", "default track (no track in jpn)", "first track"
};

// The audio track the analysis listens to: the first language of `preference` that some track has (among those,
// the default one, else the first that is not commentary or audio description), else the default track, else the
// first. Tracks FFmpeg cannot decode are taken only when nothing else is there.
AudioChoice choose_audio_stream(const std::vector<MediaStream>& audio, const std::vector<std::string>& preference);

// The language preference that AudioDecoder uses when it is not told a stream: ISO 639-2/B codes, empty by default
// (then the default track, else the first). Set once by the program from the user's choice (frameline-cli ingest
// --audio-language) so that every analysis of audio (voice activity, transcription, loudness, audio character,
// embeddings) listens to the same track. Thread-safe.
void set_audio_language_preference(std::vector<std::string> languages);
std::vector<std::string> audio_language_preference();

}  // namespace frameline
