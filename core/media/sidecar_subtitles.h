#pragma once
// Subtitle files next to a media file — "movie.srt", "movie.en.srt", "movie.fra.vtt", "movie.English.forced.srt" —
// read as transcript segments (source "sidecar"). Our own small parser, no FFmpeg: it can name the line of a bad
// cue, skip just that cue, and take the encodings such files come in (UTF-8 with or without a byte order mark,
// UTF-16 with one, Windows-1252; CRLF or LF line ends).
#include <filesystem>
#include <string>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline {

struct SidecarFile {
    std::filesystem::path path;
    std::string format;            // "srt" | "vtt"
    std::string language = "und";  // ISO 639-2/B from the name ("movie.en.srt" -> "eng"), "und" when it has none
    bool forced = false;           // "movie.en.forced.srt"
    bool hearing_impaired = false;  // "movie.en.sdh.srt", ".cc.", ".hi."
};

// The .srt and .vtt files in the media's folder named after it: "<stem>.srt", "<stem>.<tags>.srt" where every tag
// is a language (ISO 639-1/2 code, a BCP 47 tag such as pt-BR, or an English name) or one of forced, sdh, cc, hi,
// default, full. Files with other tags ("movie.part2.srt") belong to another title and are left out. Sorted by name.
std::vector<SidecarFile> find_sidecar_subtitles(const std::filesystem::path& media);

// A subtitle file described from its name alone: the format from the extension, language and flags from the last
// dot-separated tags of the name ("x.en.srt" -> eng). For a file given by hand rather than found next to a title.
SidecarFile describe_sidecar(const std::filesystem::path& file);

struct SidecarSubtitles {
    SidecarFile file;
    std::vector<TranscriptSegment> cues;  // by start time; source "sidecar", language file.language
    std::vector<std::string> warnings;    // "'movie.srt' line 17: bad time '00:01:xx,000' — cue skipped"
};

// Reads the file. Throws frameline::Error with one line naming the file (and the line where it helps) when it is
// missing, unreadable, empty, too large to be subtitles, or holds no cue at all; a bad cue (broken times, end before
// start) is skipped with a warning naming its line.
SidecarSubtitles read_sidecar_subtitles(const SidecarFile& file);

// The same on the file's bytes already in memory; file.path is only used to name it in messages.
SidecarSubtitles parse_sidecar_subtitles(const std::string& bytes, const SidecarFile& file);

}  // namespace frameline
