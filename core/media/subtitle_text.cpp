#include "core/media/subtitle_text.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace frameline {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Lines trimmed, empty ones dropped, joined with "\n".
std::string tidy_lines(const std::string& text) {
    std::string out;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        size_t a = pos, b = end;
        while (a < b && space(text[a])) ++a;
        while (b > a && space(text[b - 1])) --b;
        if (b > a) {
            if (!out.empty()) out += '\n';
            out.append(text, a, b - a);
        }
        pos = end + 1;
    }
    return out;
}

// The value of a {\p<n>} drawing-mode switch in an override block, or -1 when the block has none.
int drawing_mode(std::string_view block) {
    int mode = -1;
    for (size_t i = 0; i + 1 < block.size(); ++i) {
        if (block[i] != '\\' || block[i + 1] != 'p') continue;
        size_t j = i + 2;
        if (j >= block.size() || !std::isdigit(static_cast<unsigned char>(block[j]))) continue;  // \pos, \pbo
        int n = 0;
        while (j < block.size() && std::isdigit(static_cast<unsigned char>(block[j]))) n = n * 10 + (block[j++] - '0');
        mode = n;
    }
    return mode;
}

// "&amp;" and friends at text[pos] (which is '&'): appends the character and returns the entity's length, or 0.
size_t decode_entity(std::string_view text, size_t pos, std::string& out) {
    const size_t semi = text.find(';', pos);
    if (semi == std::string_view::npos || semi - pos > 10) return 0;
    const std::string_view name = text.substr(pos + 1, semi - pos - 1);
    const size_t length = semi - pos + 1;
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else if (name == "nbsp") out += ' ';
    else if (name == "lrm" || name == "rlm") {}  // invisible direction marks: nothing to read or search
    else if (name.size() > 1 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        const std::string digits(name.substr(hex ? 2 : 1));
        if (digits.empty()) return 0;
        char* end = nullptr;
        const unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
        if (*end != '\0' || cp == 0) return 0;
        append_utf8(out, static_cast<uint32_t>(cp));
    } else {
        return 0;
    }
    return length;
}

}  // namespace

std::string ass_dialogue_text(std::string_view dialogue) {
    // Skip the fields before Text: 9 in a "Dialogue:" line of a script, 8 in FFmpeg's decoder output.
    int fields = 8;
    if (dialogue.substr(0, 9) == "Dialogue:") {
        dialogue.remove_prefix(9);
        fields = 9;
    }
    size_t start = 0;
    for (int i = 0; i < fields; ++i) {
        const size_t comma = dialogue.find(',', start);
        if (comma == std::string_view::npos) {
            start = 0;  // not a dialogue line after all: all of it is text
            break;
        }
        start = comma + 1;
    }
    const std::string_view text = dialogue.substr(start);

    std::string out;
    bool drawing = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '{') {
            const size_t close = text.find('}', i);
            if (close != std::string_view::npos) {
                const int mode = drawing_mode(text.substr(i + 1, close - i - 1));
                if (mode >= 0) drawing = mode > 0;
                i = close;
                continue;
            }
        }
        if (c == '\\' && i + 1 < text.size()) {
            const char n = text[i + 1];
            if (n == 'N' || n == 'n') {
                if (!drawing) out += '\n';
                ++i;
                continue;
            }
            if (n == 'h') {
                if (!drawing) out += ' ';
                ++i;
                continue;
            }
        }
        if (c == '\n' || c == '\r') {  // not ASS, but some decoders leave real line breaks
            if (!drawing) out += '\n';
            continue;
        }
        if (!drawing) out += c;
    }
    return tidy_lines(out);
}

std::string plain_cue_text(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '<') {
            // A tag: letters, '/', or a WebVTT timestamp after '<', closed on the same line. "a < b" stays text.
            const size_t close = text.find('>', i);
            const size_t eol = text.find('\n', i);
            if (close != std::string_view::npos && (eol == std::string_view::npos || close < eol) && i + 1 < close) {
                const unsigned char first = static_cast<unsigned char>(text[i + 1]);
                if (std::isalpha(first) || first == '/' || std::isdigit(first)) {
                    i = close;
                    continue;
                }
            }
        }
        if (c == '{' && i + 1 < text.size() && text[i + 1] == '\\') {
            const size_t close = text.find('}', i);
            if (close != std::string_view::npos) {
                i = close;
                continue;
            }
        }
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == 'N' || text[i + 1] == 'n')) {
            out += '\n';  // an ASS line break left in a converted SubRip file
            ++i;
            continue;
        }
        if (c == '&') {
            if (const size_t used = decode_entity(text, i, out)) {
                i += used - 1;
                continue;
            }
        }
        out += c;
    }
    return tidy_lines(out);
}

bool is_valid_utf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        int follow = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            follow = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            follow = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            follow = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + follow >= text.size()) return false;  // cut short at the end
        for (int k = 1; k <= follow; ++k) {
            const unsigned char d = static_cast<unsigned char>(text[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((follow == 2 && cp < 0x800) || (follow == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;  // overlong forms, surrogates, beyond Unicode
        i += follow + 1;
    }
    return true;
}

std::string windows1252_to_utf8(std::string_view text) {
    // 0x80-0x9F: Windows-1252's printable extras where ISO 8859-1 has control codes (0 = undefined there).
    static constexpr uint16_t kHigh[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                           0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                           0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                           0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c < 0x80) out += ch;
        else if (c < 0xA0) append_utf8(out, kHigh[c - 0x80] ? kHigh[c - 0x80] : 0xFFFD);
        else append_utf8(out, c);
    }
    return out;
}

std::string utf16_to_utf8(std::string_view bytes, bool big_endian) {
    std::string out;
    out.reserve(bytes.size());
    const auto unit = [&](size_t i) -> uint32_t {
        const unsigned char a = static_cast<unsigned char>(bytes[i]), b = static_cast<unsigned char>(bytes[i + 1]);
        return big_endian ? (a << 8 | b) : (b << 8 | a);
    };
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
        uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
            const uint32_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                i += 2;
                continue;
            }
        }
        append_utf8(out, u);  // lone surrogates become U+FFFD there
    }
    return out;
}

}  // namespace frameline
