#pragma once
// Language tags as containers, subtitle file names and people write them ("fra", "fre", "fr", "fr-CA", "French"),
// turned into one form: the ISO 639-2/B code ("fre"), so that the same language is stored and matched the same way
// whatever wrote it. No FFmpeg here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frameline {

// The ISO 639-2/B code of a known language: a 639-2 code (/B or /T), a 639-1 code, a BCP 47 tag whose primary
// subtag is one of those ("pt-BR", "en_US"), or an English name ("French"); case does not matter. "und", "mul",
// "zxx" are known codes. std::nullopt for anything else (and for "").
std::optional<std::string> known_language(std::string_view tag);

// A stream's language from its container tag: known_language(), else a three-letter code the table does not hold
// (ISO 639-3 "yue", "cmn") kept as it is in lower case, else "und" (absent, empty or not a language code).
std::string stream_language(std::string_view tag);

// "French" for "fre", "fra" or "fr"; "" when unknown.
std::string language_name(std::string_view code);

// True when both name the same language ("fra", "fre", "fr", "fr-CA"); "und" matches nothing, not even itself.
bool same_language(std::string_view a, std::string_view b);

// A preference list as people type it: "eng,fra", "en fr", "eng;fre". Throws frameline::Error naming the first
// entry that is not a language ("'xx' in 'eng,xx' is not a language — use ISO 639 codes such as eng or fra").
// Returns ISO 639-2/B codes, in order, without repeats; "" gives an empty list.
std::vector<std::string> parse_language_list(std::string_view list);

}  // namespace frameline
