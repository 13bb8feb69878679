#include "core/search/title_text_source.h"

#include <limits>

#include "core/store/store.h"

namespace frameline {

std::vector<std::string> text_sentences(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        const size_t a = current.find_first_not_of(" \t\r\n");
        if (a != std::string::npos) out.push_back(current.substr(a, current.find_last_not_of(" \t\r\n") - a + 1));
        current.clear();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            flush();
            continue;
        }
        current += c;
        // a sentence ends at . ! ? followed by white space or the end ("3.5" stays), but not at a full stop that a
        // lower-case word follows ("e.g. near")
        if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
            const size_t next = text.find_first_not_of(" ", i + 1);
            const bool lower_next = c == '.' && next != std::string_view::npos && text[next] >= 'a' && text[next] <= 'z';
            if (!lower_next) flush();
        }
    }
    flush();
    return out;
}

std::vector<TextSpan> title_text_spans(Store& store, int64_t title_id) {
    std::vector<TextSpan> spans;
    for (const TitleText& t : store.title_texts(title_id))
        for (std::string& sentence : text_sentences(t.text))
            spans.push_back(TextSpan{t.kind, std::move(sentence), std::numeric_limits<double>::lowest(),
                                     std::numeric_limits<double>::max(), kTitleTextWeight});
    return spans;
}

TextSource title_text_source() { return [](Store& store, int64_t title_id) { return title_text_spans(store, title_id); }; }

}  // namespace frameline
