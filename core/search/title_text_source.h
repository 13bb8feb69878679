#pragma once
// Scene search over a title's texts (issue #8 item 5): its synopsis, description and reviews (Store::title_texts)
// belong to every shot of the title, at half weight like a tag on the whole title; one span per sentence, so a
// result names the sentence that matched ("synopsis 'A tense car chase through the night streets ...'"). Register
// it with SceneSearch::add_text_source(title_text_source()).
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/search/scene_search.h"

namespace frameline {

inline constexpr double kTitleTextWeight = 0.5;

// The sentences of a text (split after . ! ? and white space, not before a lower-case word, or at a line break;
// blank ones dropped), trimmed.
std::vector<std::string> text_sentences(std::string_view text);

// A title's texts as spans over the whole title (field: the text's kind).
std::vector<TextSpan> title_text_spans(Store& store, int64_t title_id);

TextSource title_text_source();

}  // namespace frameline
