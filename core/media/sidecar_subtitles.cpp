#include "core/media/sidecar_subtitles.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/media/languages.h"
#include "core/media/subtitle_text.h"

namespace frameline {
namespace {

// Larger than any subtitle file (a feature film's SubRip is about 100 KB): something else was named .srt.
constexpr std::uintmax_t kMaxBytes = 64u << 20;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (true) {
        const size_t next = s.find(sep, pos);
        out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    return out;
}

bool is_flag(const std::string& token) {
    const std::string t = lower(token);
    return t == "forced" || t == "sdh" || t == "cc" || t == "hi" || t == "default" || t == "full";
}

// Applies name tags (languages and flags) to `file`. "hi" means hearing impaired when another tag names the
// language, else Hindi (its ISO 639-1 code). Returns false when a tag is neither.
bool apply_tags(const std::vector<std::string>& tags, SidecarFile& file) {
    std::optional<std::string> language;
    bool hi = false;
    for (const std::string& tag : tags) {
        const std::string t = lower(tag);
        if (t == "hi") {
            hi = true;
        } else if (is_flag(t)) {
            if (t == "forced") file.forced = true;
            if (t == "sdh" || t == "cc") file.hearing_impaired = true;
        } else if (auto code = known_language(tag)) {
            language = *code;
        } else {
            return false;
        }
    }
    if (hi && !language) language = known_language("hi");
    else if (hi) file.hearing_impaired = true;
    if (language) file.language = *language;
    return true;
}

std::optional<std::string> subtitle_format(const std::filesystem::path& file) {
    const std::string ext = lower(file.extension().string());
    if (ext == ".srt") return "srt";
    if (ext == ".vtt") return "vtt";
    return std::nullopt;
}

// "01:02:03,456", "1:02:03.456", "02:03.456" (WebVTT without hours), "01:02:03" (no fraction) -> seconds.
std::optional<double> parse_time(std::string_view s) {
    s = trim(s);
    std::vector<long> parts;
    size_t i = 0;
    while (true) {
        size_t start = i;
        long v = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            v = v * 10 + (s[i] - '0');
            if (v > 1000000) return std::nullopt;
            ++i;
        }
        if (i == start) return std::nullopt;
        parts.push_back(v);
        if (i < s.size() && s[i] == ':') {
            ++i;
            continue;
        }
        break;
    }
    if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
    double fraction = 0.0;
    if (i < s.size() && (s[i] == ',' || s[i] == '.')) {
        ++i;
        double scale = 0.1;
        const size_t start = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            fraction += (s[i] - '0') * scale;
            scale /= 10.0;
            ++i;
        }
        if (i == start || i - start > 9) return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    const long seconds = parts.back();
    const long minutes = parts[parts.size() - 2];
    const long hours = parts.size() == 3 ? parts[0] : 0;
    if (seconds > 59 || minutes > 59) return std::nullopt;
    // Round to the microsecond so that "00:00:01,250" is 1.25 exactly as far as anyone compares.
    const double t = hours * 3600.0 + minutes * 60.0 + seconds + fraction;
    return std::round(t * 1e6) / 1e6;
}

bool digits_only(std::string_view s) {
    s = trim(s);
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string shorten(std::string_view s) {
    s = trim(s);
    return s.size() > 60 ? std::string(s.substr(0, 57)) + "..." : std::string(s);
}

}  // namespace

SidecarFile describe_sidecar(const std::filesystem::path& file) {
    SidecarFile out;
    out.path = file;
    out.format = subtitle_format(file).value_or("srt");
    std::vector<std::string> tags = split(file.stem().string(), '.');
    tags.erase(tags.begin());  // the title's own name
    // The tags at the end of the name that are languages or flags ("My.Movie.2020.en.forced" -> en, forced).
    size_t first = tags.size();
    while (first > 0) {
        SidecarFile probe;
        if (!apply_tags({tags[first - 1]}, probe)) break;
        --first;
    }
    apply_tags(std::vector<std::string>(tags.begin() + static_cast<long>(first), tags.end()), out);
    return out;
}

std::vector<SidecarFile> find_sidecar_subtitles(const std::filesystem::path& media) {
    std::vector<SidecarFile> out;
    std::filesystem::path dir = media.parent_path();
    if (dir.empty()) dir = ".";
    const std::string prefix = media.stem().string() + ".";
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::filesystem::path p = it->path();
        const std::optional<std::string> format = subtitle_format(p);
        if (!format) continue;
        const std::string name = p.filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        std::error_code fec;
        if (!std::filesystem::is_regular_file(p, fec)) continue;
        const std::string stem = p.stem().string();
        SidecarFile file;
        file.path = p;
        file.format = *format;
        // "movie.srt" has no tags; "movie.en.forced.srt" has en and forced; "movie.part2.srt" is another title's.
        if (stem.size() + 1 != prefix.size() && !apply_tags(split(stem.substr(prefix.size()), '.'), file)) continue;
        out.push_back(std::move(file));
    }
    std::sort(out.begin(), out.end(), [](const SidecarFile& a, const SidecarFile& b) { return a.path < b.path; });
    return out;
}

SidecarSubtitles parse_sidecar_subtitles(const std::string& bytes, const SidecarFile& file) {
    SidecarSubtitles out;
    out.file = file;
    const std::string name = "'" + file.path.string() + "'";
    if (bytes.empty()) throw Error(name + " is empty — no subtitles to read");

    // Encoding: a byte order mark says; else UTF-8 when it is valid, else Windows-1252.
    std::string text;
    if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        text = bytes.substr(3);
    } else if (bytes.size() >= 2 && bytes.compare(0, 2, "\xFF\xFE") == 0) {
        text = utf16_to_utf8(std::string_view(bytes).substr(2), false);
    } else if (bytes.size() >= 2 && bytes.compare(0, 2, "\xFE\xFF") == 0) {
        text = utf16_to_utf8(std::string_view(bytes).substr(2), true);
    } else {
        text = bytes;
    }
    if (!is_valid_utf8(text)) {
        text = windows1252_to_utf8(text);
        out.warnings.push_back(name + " is not UTF-8; read as Windows-1252 — save it as UTF-8 if accents look wrong");
    }
    if (text.find('\0') != std::string::npos)
        throw Error(name + " holds binary data, not subtitle text — is it really a ." + file.format + " file?");

    // Lines, with CRLF and lone CR line ends taken as LF.
    std::vector<std::string> lines;
    {
        std::string line;
        for (size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '\r' || c == '\n') {
                lines.push_back(std::move(line));
                line.clear();
                if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            } else {
                line += c;
            }
        }
        lines.push_back(std::move(line));
    }
    if (std::all_of(lines.begin(), lines.end(), [](const std::string& l) { return trim(l).empty(); }))
        throw Error(name + " holds no text — no subtitles to read");

    const bool vtt = file.format == "vtt" || trim(lines.front()).substr(0, 6) == "WEBVTT";
    if (file.format == "vtt" && trim(lines.front()).substr(0, 6) != "WEBVTT")
        out.warnings.push_back(name + " line 1: no WEBVTT header — read as WebVTT anyway");

    std::vector<size_t> timing;  // indices of lines with "-->"
    for (size_t i = 0; i < lines.size(); ++i)
        if (lines[i].find("-->") != std::string::npos) timing.push_back(i);
    if (timing.empty())
        throw Error(name + " line 1: no subtitle cue (a line 'start --> end') — is it a " +
                    (vtt ? std::string("WebVTT") : std::string("SubRip")) + " file?");

    std::string first_problem;
    for (size_t k = 0; k < timing.size(); ++k) {
        const size_t at = timing[k];
        const std::string where = name + " line " + std::to_string(at + 1) + ": ";
        const size_t arrow = lines[at].find("-->");
        const std::string_view left = std::string_view(lines[at]).substr(0, arrow);
        std::string_view right = trim(std::string_view(lines[at]).substr(arrow + 3));
        right = right.substr(0, std::min(right.find_first_of(" \t"), right.size()));  // WebVTT cue settings follow
        const std::optional<double> start = parse_time(left), end = parse_time(right);

        // The cue's text: up to the next timing line (SubRip, where blank lines inside a cue happen, less the next
        // cue's number), or up to the first blank line (WebVTT, where a blank line ends a cue).
        size_t stop = k + 1 < timing.size() ? timing[k + 1] : lines.size();
        if (vtt) {
            for (size_t i = at + 1; i < stop; ++i)
                if (trim(lines[i]).empty()) {
                    stop = i;
                    break;
                }
        } else {
            while (stop > at + 1 && trim(lines[stop - 1]).empty()) --stop;
            if (k + 1 < timing.size() && stop > at + 1 && digits_only(lines[stop - 1])) --stop;
        }
        std::string raw;
        for (size_t i = at + 1; i < stop; ++i) raw += lines[i] + "\n";

        std::string problem;
        if (!start || !end)
            problem = where + "bad time line '" + shorten(lines[at]) + "' — cue skipped";
        else if (*end <= *start)
            problem = where + "cue ends before it starts ('" + shorten(lines[at]) + "') — cue skipped";
        if (!problem.empty()) {
            out.warnings.push_back(problem);
            if (first_problem.empty()) first_problem = problem;
            continue;
        }
        std::string cue_text = plain_cue_text(raw);
        if (cue_text.empty()) continue;  // an empty cue: nothing said
        TranscriptSegment cue;
        cue.source = "sidecar";
        cue.language = file.language;
        cue.start_s = *start;
        cue.end_s = *end;
        cue.text = std::move(cue_text);
        out.cues.push_back(std::move(cue));
    }
    if (out.cues.empty()) {
        if (!first_problem.empty()) {
            const std::string::size_type dash = first_problem.rfind(" — cue skipped");
            throw Error(first_problem.substr(0, dash) + " — no cue in the file could be read");
        }
        throw Error(name + ": every cue is empty — no subtitles to read");
    }
    std::stable_sort(out.cues.begin(), out.cues.end(),
                     [](const TranscriptSegment& a, const TranscriptSegment& b) { return a.start_s < b.start_s; });
    return out;
}

SidecarSubtitles read_sidecar_subtitles(const SidecarFile& file) {
    const std::string name = "'" + file.path.string() + "'";
    std::error_code ec;
    if (!std::filesystem::exists(file.path, ec))
        throw Error("cannot read subtitles " + name + ": no such file — check the path");
    if (std::filesystem::is_directory(file.path, ec))
        throw Error("cannot read subtitles " + name + ": it is a folder — give a .srt or .vtt file");
    const std::uintmax_t size = std::filesystem::file_size(file.path, ec);
    if (!ec && size > kMaxBytes)
        throw Error(name + " is " + std::to_string(size >> 20) +
                    " MiB — too large to be subtitles; is it the right file?");
    std::ifstream in(file.path, std::ios::binary);
    if (!in) throw Error("cannot read subtitles " + name + ": permission denied or unreadable — check the file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) throw Error("cannot read subtitles " + name + ": read error — check the disk");
    return parse_sidecar_subtitles(bytes.str(), file);
}

}  // namespace frameline
