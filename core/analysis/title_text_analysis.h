#pragma once
// What a title's texts say (issue #8 item 5): keywords of a synopsis, description or review, those keywords linked
// to the title's tags, and a lexicon-based sentiment of reviews. Plain C++, no model and no foreign library: cheap,
// deterministic, explainable, and English only (other languages give keywords but no sentiment and few links).
//
// Words. UTF-8 text is cut into words at anything that is not a letter, a digit, or an apostrophe or hyphen inside a
//   word (code points over U+007F count as letters except Latin-1 punctuation U+0080-U+00BF, x and /, general
//   punctuation and symbols U+2000-U+2BFF, CJK punctuation U+3000-U+303F and emoji; U+2019 is an apostrophe). Words are
//   lowercased (ASCII and Latin-1 letters: "ÉLAN" -> "élan"; other scripts as written). Scripts without spaces
//   (Chinese, Japanese) come out as one word per run of letters.
// Lemmas. English nouns' plurals fold to the singular by suffix rules (-ies -> -y, -ches/-shes/-xes/-sses -> drop
//   "es", -s -> drop, not after s/u/i) with exceptions (movies, series, news, -ics ...) and irregular plurals (men,
//   women, children, people -> person, ...); a trailing 's is dropped. Verbs are left as written. A capitalised word
//   inside a sentence is taken for a name and keeps its form ("James", "Texas").
//
// Keywords: RAKE (Rose, Engel, Cramer, Cowley 2010, "Automatic keyword extraction from individual documents").
//   Candidates are the runs of words between stop words (title_text_analysis.cpp: English function words and
//   prepositions, plus film, movie, story), punctuation and line breaks, none of them a number or a single ASCII
//   letter; a run over 3 words is cut into pieces of 3 from its start. Each word scores degree / frequency over
//   all candidates (degree: the words it co-occurs with in candidates, itself included), a candidate the sum of its
//   words' scores. Candidates with the same lemmas merge (count adds up); the best max_keywords are kept by score,
//   then count, then first appearance. One document is enough, no corpus statistics (TF-IDF would need the whole
//   library's texts); its known bias, longer phrases score higher, is why candidates stop at 3 words.
// Links to tags: a keyword links to a tag label (any category; rejected tags left out) when
//   lemma       the keyword's lemmas equal the label's (label "cell phone" = keyword "cell phones"; a label
//               "horror/thriller" is two alternatives, "horror" and "thriller");
//   word        a single-word label equals one of a longer keyword's lemmas ("car" in "car chase");
//   alias       a keyword word is in the alias list (man, woman, boy, girl, child, kid, people -> person; puppy ->
//               dog; funny -> comedy; suspense -> tense, ...: tag_aliases() in title_text_analysis.cpp, hand-made).
// Sentiment ("lexicon sentiment", not a model; every result says so): VADER-style rules (Hutto & Gilbert 2014) over
//   a hand-made lexicon of about 370 English review words and phrases scored -3..+3
//   (core/analysis/data/sentiment_lexicon.tsv, compiled in; its header says how it was made). Per sentence, each
//   lexicon word or phrase (longest match first, on lowercase words, then on lemmas) adds its valence,
//     x 1.3 after an intensifier (very, really, extremely, ...) within 2 words before it, x 0.7 after a softener
//     (slightly, somewhat, fairly, ...);
//     x -0.74 when a negator (not, no, never, without, hardly, n't forms, ...) is within 3 words before it
//     ("not good" -1.5, "not bad" +1.5: VADER's constant);
//     x 0.5 before and x 1.5 after a "but" / "however" / "although"-clause turn in the same sentence.
//   Score = sum / sqrt(sum^2 + 15) in (-1, 1) (VADER's normalisation); label positive >= 0.05, negative <= -0.05,
//   else neutral (also when no lexicon word occurs: hits is empty then).
//   Limits: sarcasm, irony and domain reversals ("unpredictable" plot vs. car) are not understood; a negator scopes
//   over 3 words, not over syntax; only English is scored. RAKE does not know verbs, so "loyal dog chase" is one
//   keyword where a tagger would split "loyal dog" from "chase".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline {

inline constexpr const char* kLexiconSentimentMethod = "lexicon sentiment";

struct TextWord {
    std::string word;   // lowercased, as written otherwise ("detective's")
    std::string lemma;  // english_lemma(word)
    size_t byte_offset = 0;
};

// The words of a UTF-8 text (invalid bytes count as separators), in order.
std::vector<TextWord> text_words(std::string_view text);
// The lemma of one lowercased English word (see above).
std::string english_lemma(std::string_view lowercase_word);
bool is_stop_word(std::string_view lowercase_word);

struct TextKeyword {
    std::string phrase;  // lowercased words as first written ("car chases")
    std::string lemma;   // their lemmas joined by one space ("car chase")
    double score = 0;    // RAKE score (sum of degree / frequency of its words)
    int count = 0;       // times it occurs (any form with the same lemmas)
};

// Keywords of one text by RAKE, best first; empty for an empty text or one of stop words only.
std::vector<TextKeyword> extract_keywords(std::string_view text, size_t max_keywords = 10);

struct KeywordTagLink {
    std::string keyword;   // TextKeyword::phrase
    std::string category;  // the tag's
    std::string label;     // the tag's
    std::string match;     // "lemma" | "word" | "alias"
    int tags = 0;          // tags of the title with this category and label (shots and the title)
};

// Links of keywords to the labels of `tags` (typically Store::tags(title_id)), keyword order, then label.
std::vector<KeywordTagLink> link_keywords_to_tags(const std::vector<TextKeyword>& keywords, const std::vector<Tag>& tags);

struct SentimentHit {
    std::string term;      // the lexicon entry that matched ("waste of time")
    double valence = 0;    // its lexicon value
    double applied = 0;    // after intensifiers, negation and clause weight
    bool negated = false;
};

struct LexiconSentiment {
    std::string method = kLexiconSentimentMethod;
    double score = 0;         // (-1, 1)
    std::string label = "neutral";  // positive | negative | neutral
    int positive = 0;         // hits with applied > 0
    int negative = 0;         // hits with applied < 0
    std::vector<SentimentHit> hits;
};

LexiconSentiment lexicon_sentiment(std::string_view text);

// One stored text analysed: keywords (max 10), their tag links, and for reviews the lexicon sentiment.
struct TitleTextAnalysis {
    TitleText text;
    std::vector<TextKeyword> keywords;
    std::vector<KeywordTagLink> tag_links;
    bool has_sentiment = false;  // reviews only
    LexiconSentiment sentiment;
};

TitleTextAnalysis analyse_title_text(const TitleText& text, const std::vector<Tag>& tags);

}  // namespace frameline
