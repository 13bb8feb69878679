#pragma once
// Word error rate, shared by bench/bench_transcribe.cpp and tests/core/speech/tst_transcribe.cpp: the word-level
// Levenshtein distance (substitutions + deletions + insertions) between a reference and a hypothesis, over the
// reference's word count, after both are normalised the same way: lowercase, punctuation stripped (an apostrophe
// inside a word stays: "don't"), sphinx markers (<s>, </s>, [NOISE], a trailing "(file-id)") and pronunciation
// variants ("for(2)") removed, and the spoken forms "mister", "missus"/"missis" written as "mr", "mrs" (the
// LibriVox reference spells them out, the CMU dictionary has the abbreviations). Header-only, no dependencies.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace frameline::bench {

inline std::vector<std::string> normalised_words(std::string_view text) {
    // A trailing "(utterance-id)" as in a sphinx transcription file.
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (!text.empty() && text.back() == ')') {
        const size_t open = text.rfind('(');
        if (open != std::string_view::npos && (open == 0 || text[open - 1] == ' ')) text = text.substr(0, open);
    }
    std::vector<std::string> words;
    std::string token;
    auto flush = [&] {
        // Markers: <s>, </s>, <sil>, [NOISE]; a pronunciation variant's "(2)" suffix.
        if (!token.empty() && (token.front() == '<' || token.front() == '[')) token.clear();
        if (const size_t paren = token.find('('); paren != std::string::npos && paren > 0) token.resize(paren);
        std::string w;
        for (char c : token) {
            const unsigned char u = static_cast<unsigned char>(c);
            if (std::isalnum(u)) w += static_cast<char>(std::tolower(u));
            else if (c == '\'') w += c;
        }
        while (!w.empty() && w.front() == '\'') w.erase(w.begin());
        while (!w.empty() && w.back() == '\'') w.pop_back();
        if (w == "mister") w = "mr";
        if (w == "missus" || w == "missis") w = "mrs";
        if (!w.empty()) words.push_back(std::move(w));
        token.clear();
    };
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        // Letters, digits, apostrophes and the marker characters belong to a token; everything else separates.
        if (std::isalnum(u) || c == '\'' || c == '<' || c == '>' || c == '/' || c == '[' || c == ']' ||
            c == '(' || c == ')' || c == '_')
            token += c;
        else
            flush();
    }
    flush();
    return words;
}

struct WordErrors {
    size_t substitutions = 0;
    size_t deletions = 0;
    size_t insertions = 0;
    size_t reference_words = 0;
    size_t errors() const { return substitutions + deletions + insertions; }
    // Errors per reference word; 0 for an empty reference with an empty hypothesis, 1 per inserted word otherwise.
    double rate() const {
        if (reference_words == 0) return errors() == 0 ? 0.0 : static_cast<double>(errors());
        return static_cast<double>(errors()) / static_cast<double>(reference_words);
    }
    WordErrors& operator+=(const WordErrors& o) {
        substitutions += o.substitutions;
        deletions += o.deletions;
        insertions += o.insertions;
        reference_words += o.reference_words;
        return *this;
    }
};

// The minimum edit between already normalised word lists (ties: fewer substitutions first is not sought; any
// minimal alignment gives the same total).
inline WordErrors word_errors(const std::vector<std::string>& reference, const std::vector<std::string>& hypothesis) {
    const size_t n = reference.size(), m = hypothesis.size();
    struct Cell {
        size_t cost = 0, sub = 0, del = 0, ins = 0;
    };
    std::vector<Cell> prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j) prev[j] = Cell{j, 0, 0, j};
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = Cell{i, 0, i, 0};
        for (size_t j = 1; j <= m; ++j) {
            Cell diag = prev[j - 1];
            if (reference[i - 1] != hypothesis[j - 1]) {
                ++diag.cost;
                ++diag.sub;
            }
            Cell del = prev[j];
            ++del.cost;
            ++del.del;
            Cell ins = cur[j - 1];
            ++ins.cost;
            ++ins.ins;
            Cell best = diag;
            if (del.cost < best.cost) best = del;
            if (ins.cost < best.cost) best = ins;
            cur[j] = best;
        }
        std::swap(prev, cur);
    }
    const Cell& c = prev[m];
    return WordErrors{c.sub, c.del, c.ins, n};
}

inline WordErrors word_errors(std::string_view reference, std::string_view hypothesis) {
    return word_errors(normalised_words(reference), normalised_words(hypothesis));
}

}  // namespace frameline::bench
