#include "core/media/languages.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"

namespace frameline {
namespace {

struct Language {
    const char* bibliographic;  // ISO 639-2/B: what Matroska writes, and our one form
    const char* terminology;    // ISO 639-2/T: what MP4 and many tools write
    const char* alpha2;         // ISO 639-1, "" when the language has none
    const char* name;           // English
};

constexpr Language kLanguages[] = {
#include "core/media/language_table.inc"
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool all_letters(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

const Language* find(std::string_view tag) {
    const std::string t = lower(tag);
    if (t.empty()) return nullptr;
    for (const Language& l : kLanguages) {
        if (t.size() == 3 && (t == l.bibliographic || t == l.terminology)) return &l;
        if (t.size() == 2 && t == l.alpha2) return &l;
    }
    if (t.size() > 3) {
        for (const Language& l : kLanguages)
            if (t == lower(l.name)) return &l;
    }
    return nullptr;
}

// "pt-BR", "en_US", "zh-Hant-TW": the primary language subtag ("pt"); the tag itself when it has no subtags.
std::string_view primary_subtag(std::string_view tag) {
    const size_t cut = tag.find_first_of("-_");
    return cut == std::string_view::npos ? tag : tag.substr(0, cut);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<std::string> known_language(std::string_view tag) {
    tag = trim(tag);
    if (const Language* l = find(tag)) return std::string(l->bibliographic);
    const std::string_view primary = primary_subtag(tag);
    if (primary.size() != tag.size() && (primary.size() == 2 || primary.size() == 3)) {
        if (const Language* l = find(primary)) return std::string(l->bibliographic);
    }
    return std::nullopt;
}

std::string stream_language(std::string_view tag) {
    tag = trim(tag);
    if (auto known = known_language(tag)) return *known;
    const std::string_view primary = primary_subtag(tag);
    if (primary.size() == 3 && all_letters(primary)) return lower(primary);
    return "und";
}

std::string language_name(std::string_view code) {
    if (const Language* l = find(trim(code))) return l->name;
    if (auto known = known_language(code)) return find(*known)->name;
    return {};
}

bool same_language(std::string_view a, std::string_view b) {
    const std::string x = stream_language(a), y = stream_language(b);
    return x != "und" && x == y;
}

std::vector<std::string> parse_language_list(std::string_view list) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= list.size()) {
        size_t end = list.find_first_of(", ;", pos);
        if (end == std::string_view::npos) end = list.size();
        const std::string_view entry = trim(list.substr(pos, end - pos));
        pos = end + 1;
        if (entry.empty()) continue;
        const std::optional<std::string> code = known_language(entry);
        if (!code || *code == "und")
            throw Error("'" + std::string(entry) + "' in '" + std::string(list) +
                        "' is not a language — use ISO 639 codes such as eng or fra");
        if (std::find(out.begin(), out.end(), *code) == out.end()) out.push_back(*code);
    }
    return out;
}

}  // namespace frameline
