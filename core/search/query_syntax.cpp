#include "core/search/query_syntax.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace frameline {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Splits at spaces outside double quotes; quotes are removed, and may close mid-token (character:"Le Chiffre").
std::vector<std::string> tokens_of(const std::string& query) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false, any = false;
    for (char c : query) {
        if (c == '"') {
            quoted = !quoted;
            any = true;
        } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
            if (any) out.push_back(cur);
            cur.clear();
            any = false;
        } else {
            cur += c;
            any = true;
        }
    }
    if (quoted) throw Error("the query '" + query + "' has an unclosed quote — close it with \"");
    if (any) out.push_back(cur);
    return out;
}

}  // namespace

ParsedQuery parse_query(const std::string& query) {
    ParsedQuery q;
    for (const std::string& token : tokens_of(query)) {
        const auto colon = token.find(':');
        const std::string prefix = colon == std::string::npos ? "" : lower(token.substr(0, colon));
        const std::string value = colon == std::string::npos ? "" : token.substr(colon + 1);
        const bool filter = prefix == "tag" || prefix == "character" || prefix == "mood" || prefix == "like";
        if (!filter) {
            q.text += (q.text.empty() ? "" : " ") + token;
            continue;
        }
        if (value.empty())
            throw Error("'" + token + "' has no value — write e.g. tag:car, character:Boris, mood:tense or like:1234");
        if (prefix == "tag") {
            q.tags.push_back(value);
        } else if (prefix == "character") {
            q.characters.push_back(value);
        } else if (prefix == "mood") {
            if (!q.mood.empty()) throw Error("the query has two moods (" + q.mood + ", " + value + ") — give one");
            q.mood = value;
        } else {
            if (q.like_frame_id != 0) throw Error("the query has two like: frames — give one");
            const bool digits = value.size() <= 18 && std::all_of(value.begin(), value.end(), [](char c) {
                                    return std::isdigit(static_cast<unsigned char>(c));
                                });
            if (!digits || std::stoll(value) <= 0)
                throw Error("'" + token + "' needs a sampled frame's id, e.g. like:1234 (search results and 'show' list them)");
            q.like_frame_id = std::stoll(value);
        }
    }
    return q;
}

}  // namespace frameline
