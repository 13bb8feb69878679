#pragma once
// The one query syntax of scene search (issue #9 item 3), as the CLI's --query, the API's q= and the GUI's search
// box take it: words mixed with filters.
//   night chase                 words (each must start a word of something the shot has: see scene_search.h)
//   "red car"                   a quoted phrase: its words, as above
//   tag:car  tag:object:car     the shot has this tag (label, or category:label), not rejected
//   character:Boris             the shot shows this character (by name; quote a name with spaces)
//   mood:tense                  the shot (or, worth half, the title) has this mood tag
//   like:1234                   shots that look like the sampled frame with this stored id
// A prefix that is not one of these (e.g. "12:30") is part of the words. Case does not matter.
#include <cstdint>
#include <string>
#include <vector>

namespace frameline {

struct ParsedQuery {
    std::string text;                     // the words, space-separated
    std::vector<std::string> tags;        // as written after tag:
    std::vector<std::string> characters;  // as written after character:
    std::string mood;
    int64_t like_frame_id = 0;            // 0: none
};

// Throws frameline::Error naming the part that is wrong and what to write instead: a filter without a value, an
// unclosed quote, like: without a frame id, a second mood: or like:.
ParsedQuery parse_query(const std::string& query);

}  // namespace frameline
