#include "core/analysis/title_text_analysis.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace frameline {

// core/analysis/data/sentiment_lexicon.tsv, compiled in by core/analysis/CMakeLists.txt
extern const char* const kSentimentLexiconTsv;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- UTF-8 ----------------------------------------------------------------------------------------------------

// The code point at text[i] and its length in bytes; -1 (length 1) for a byte that does not start a valid sequence.
std::pair<long, size_t> code_point(std::string_view text, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return {c, 1};
    size_t len = 0;
    long cp = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return {-1, 1};
    if (i + len > text.size()) return {-1, 1};
    for (size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return {-1, 1};
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    // overlong forms and surrogates are not text
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return {-1, 1};
    return {cp, len};
}

void append_utf8(std::string& out, long cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

bool is_apostrophe(long cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC; }
bool is_hyphen(long cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }
bool is_digit(long cp) { return cp >= '0' && cp <= '9'; }

bool is_letter(long cp) {
    if (cp < 0) return false;
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;  // Latin-1 punctuation and symbols, x, /
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;             // general punctuation, symbols, arrows, maths
    if (cp >= 0x3000 && cp <= 0x303F) return false;             // CJK punctuation
    if (cp >= 0xFE30 && cp <= 0xFE4F) return false;             // CJK compatibility forms
    if (cp >= 0xFF00 && cp <= 0xFF20) return false;             // full-width punctuation
    if (cp >= 0x1F000) return false;                             // emoji and pictographs
    return true;
}

// Lowercase of Latin (Basic, Latin-1, Extended-A), Greek and Cyrillic capitals; other code points unchanged.
long to_lower(long cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp < 0xC0) return cp;
    if (cp <= 0xDE) return cp == 0xD7 ? cp : cp + 0x20;
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x130) return 'i';
        if (cp == 0x178) return 0xFF;
        const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        const bool even_upper = (cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
        if (odd_upper && (cp & 1)) return cp + 1;
        if (even_upper && !(cp & 1)) return cp + 1;
        return cp;
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    return cp;
}

// A word with what separates it from the word before: punctuation (a phrase break for keywords and the end of a
// negation's scope) or a sentence end.
struct Token {
    TextWord w;
    bool punct_before = false;
    bool sentence_before = false;
};

std::vector<Token> tokenise(std::string_view text) {
    std::vector<Token> out;
    size_t i = 0;
    bool punct = false, sentence = false;
    while (i < text.size()) {
        auto [cp, len] = code_point(text, i);
        if (!is_letter(cp) && !is_digit(cp)) {
            if (cp != ' ' && cp != '\t' && cp != 0xA0) punct = true;
            if (cp == '.' || cp == '!' || cp == '?' || cp == ';' || cp == '\n' || cp == 0x2026 || cp == 0x3002 ||
                cp == 0xFF01 || cp == 0xFF1F)
                sentence = true;
            i += len;
            continue;
        }
        Token t;
        t.w.byte_offset = i;
        t.punct_before = punct || out.empty();
        t.sentence_before = sentence || out.empty();
        punct = sentence = false;
        const bool capitalised = to_lower(cp) != cp;
        // letters and digits, and an apostrophe or hyphen between two of them
        while (i < text.size()) {
            auto [c, l] = code_point(text, i);
            if (is_letter(c) || is_digit(c)) {
                append_utf8(t.w.word, to_lower(c));
                i += l;
                continue;
            }
            if ((is_apostrophe(c) || is_hyphen(c)) && i + l < text.size()) {
                auto [next, nl] = code_point(text, i + l);
                if (is_letter(next) || is_digit(next)) {
                    t.w.word += is_apostrophe(c) ? '\'' : '-';
                    i += l;
                    continue;
                }
            }
            break;
        }
        // a capitalised word inside a sentence is a name ("James", "Texas"): no plural to fold
        t.w.lemma = !capitalised || t.sentence_before ? english_lemma(t.w.word)
                    : ends_with(t.w.word, "'s")             ? t.w.word.substr(0, t.w.word.size() - 2)
                                                            : t.w.word;
        out.push_back(std::move(t));
    }
    return out;
}

// ---- word lists -------------------------------------------------------------------------------------------------

const std::unordered_set<std::string_view>& stop_words() {
    static const std::unordered_set<std::string_view> s = {
        "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "already", "also",
        "although", "amid", "amidst", "beneath", "beside", "besides", "beyond", "despite", "except", "inside", "near",
        "onto", "outside", "throughout", "unlike", "whilst",
        "always", "am", "among", "an", "and", "another", "any", "anyone", "anything", "are", "aren't", "around", "as",
        "at", "away", "back", "be", "became", "because", "become", "becomes", "been", "before", "behind", "being",
        "below", "between", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
        "does", "doesn't", "doing", "don't", "down", "during", "each", "either", "else", "even", "ever", "every",
        "few", "for", "from", "further", "get", "gets", "getting", "got", "had", "hadn't", "has", "hasn't", "have",
        "haven't", "having", "he", "he's", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "however", "i", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "just",
        "least", "less", "let", "like", "made", "make", "makes", "many", "may", "me", "might", "more", "most",
        "much", "must", "my", "myself", "neither", "never", "no", "nor", "not", "now", "of", "off", "often", "on",
        "once", "one", "only", "or", "other", "others", "our", "ours", "ourselves", "out", "over", "own", "per",
        "perhaps", "quite", "rather", "really", "same", "see", "seen", "she", "she's", "should", "shouldn't", "since",
        "so", "some", "something", "still", "such", "than", "that", "that's", "the", "their", "theirs", "them",
        "themselves", "then", "there", "there's", "these", "they", "they're", "thing", "things", "this", "those",
        "though", "through", "thus", "to", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very",
        "via", "was", "wasn't", "way", "we", "we're", "well", "were", "weren't", "what", "when", "where", "whether",
        "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "won't", "would",
        "wouldn't", "yet", "you", "you're", "your", "yours", "yourself", "yourselves",
        // a title's own texts are about a film: these say nothing about which
        "film", "films", "movie", "movies", "story", "stories",
    };
    return s;
}

const std::unordered_map<std::string_view, std::string_view>& irregular_plurals() {
    static const std::unordered_map<std::string_view, std::string_view> m = {
        {"men", "man"}, {"women", "woman"}, {"children", "child"}, {"people", "person"}, {"persons", "person"},
        {"feet", "foot"}, {"teeth", "tooth"}, {"mice", "mouse"}, {"geese", "goose"}, {"oxen", "ox"},
        {"wolves", "wolf"}, {"lives", "life"}, {"wives", "wife"}, {"knives", "knife"}, {"thieves", "thief"},
        {"halves", "half"}, {"shelves", "shelf"}, {"selves", "self"}, {"elves", "elf"}, {"calves", "calf"},
        {"loaves", "loaf"}, {"policemen", "policeman"}, {"firemen", "fireman"}, {"gentlemen", "gentleman"},
        {"fishermen", "fisherman"}, {"businessmen", "businessman"}, {"henchmen", "henchman"},
        {"horsemen", "horseman"}, {"snowmen", "snowman"}, {"spacemen", "spaceman"}, {"criteria", "criterion"},
        {"phenomena", "phenomenon"}, {"cacti", "cactus"}, {"fungi", "fungus"},
    };
    return m;
}

// Words that end like a plural but are not one (or whose singular the rules would get wrong).
const std::unordered_map<std::string_view, std::string_view>& plural_exceptions() {
    static const std::unordered_map<std::string_view, std::string_view> m = {
        {"news", "news"}, {"series", "series"}, {"species", "species"}, {"means", "means"}, {"lens", "lens"},
        {"canvas", "canvas"}, {"chaos", "chaos"}, {"bias", "bias"}, {"atlas", "atlas"}, {"alias", "alias"},
        {"always", "always"}, {"perhaps", "perhaps"}, {"whereas", "whereas"}, {"jeans", "jeans"},
        {"pants", "pants"}, {"scissors", "scissors"}, {"tennis", "tennis"}, {"cosmos", "cosmos"},
        {"pathos", "pathos"}, {"ethos", "ethos"}, {"kudos", "kudos"}, {"thanks", "thanks"}, {"yes", "yes"},
        {"movies", "movie"}, {"zombies", "zombie"}, {"cookies", "cookie"}, {"rookies", "rookie"},
        {"hippies", "hippie"}, {"selfies", "selfie"}, {"goalies", "goalie"}, {"brownies", "brownie"},
        {"aunties", "auntie"}, {"calories", "calorie"}, {"headaches", "headache"}, {"moustaches", "moustache"},
        {"mustaches", "mustache"}, {"caches", "cache"}, {"niches", "niche"}, {"avalanches", "avalanche"},
        {"psyches", "psyche"}, {"aches", "ache"}, {"shoes", "shoe"}, {"horseshoes", "horseshoe"}, {"toes", "toe"},
        {"canoes", "canoe"}, {"oboes", "oboe"}, {"foes", "foe"}, {"does", "does"}, {"goes", "go"},
        {"axes", "axe"}, {"leaves", "leaves"},
    };
    return m;
}

// Keyword lemma -> a tag label (lemma) it stands for (title_text_analysis.h, "alias").
const std::unordered_map<std::string_view, std::string_view>& tag_aliases() {
    static const std::unordered_map<std::string_view, std::string_view> m = {
        // people (COCO's "person")
        {"man", "person"}, {"woman", "person"}, {"boy", "person"}, {"girl", "person"}, {"child", "person"},
        {"kid", "person"}, {"teenager", "person"}, {"teen", "person"}, {"baby", "person"}, {"mother", "person"},
        {"father", "person"}, {"son", "person"}, {"daughter", "person"}, {"brother", "person"},
        {"sister", "person"}, {"wife", "person"}, {"husband", "person"}, {"friend", "person"},
        {"crowd", "person"}, {"soldier", "person"}, {"policeman", "person"}, {"cop", "person"},
        {"detective", "person"}, {"doctor", "person"}, {"nurse", "person"}, {"king", "person"},
        {"queen", "person"}, {"prince", "person"}, {"princess", "person"}, {"hero", "person"},
        {"heroine", "person"}, {"villain", "person"}, {"stranger", "person"},
        // animals and things (COCO labels)
        {"puppy", "dog"}, {"kitten", "cat"}, {"kitty", "cat"}, {"pony", "horse"}, {"foal", "horse"},
        {"cattle", "cow"}, {"calf", "cow"}, {"lamb", "sheep"}, {"automobile", "car"}, {"taxi", "car"},
        {"cab", "car"}, {"bike", "bicycle"}, {"motorbike", "motorcycle"}, {"plane", "airplane"},
        {"aeroplane", "airplane"}, {"aircraft", "airplane"}, {"jet", "airplane"}, {"ship", "boat"},
        {"yacht", "boat"}, {"lorry", "truck"}, {"phone", "cell phone"}, {"cellphone", "cell phone"},
        {"television", "tv"}, {"sofa", "couch"},
        // genres and moods (mood_rules.h)
        {"funny", "comedy"}, {"comic", "comedy"}, {"comedic", "comedy"}, {"humour", "comedy"},
        {"humor", "comedy"}, {"musical", "music"}, {"song", "music"}, {"singer", "music"},
        {"animated", "animation"}, {"cartoon", "animation"}, {"scary", "horror"}, {"terrifying", "horror"},
        {"suspense", "tense"}, {"suspenseful", "tense"}, {"tension", "tense"}, {"joy", "joyful"},
        {"joyous", "joyful"}, {"cheerful", "joyful"}, {"happy", "joyful"}, {"sadness", "sad"},
        {"tragic", "sad"}, {"tragedy", "sad"}, {"grief", "sad"}, {"melancholy", "sad"}, {"gloomy", "dark"},
        {"bleak", "dark"}, {"sinister", "dark"}, {"peaceful", "calm"}, {"serene", "calm"},
        {"fight", "action"}, {"battle", "action"}, {"chase", "action"}, {"explosion", "action"},
        {"dramatic", "drama"},
    };
    return m;
}

const std::unordered_set<std::string_view>& negators() {
    static const std::unordered_set<std::string_view> s = {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "hardly",
        "barely", "scarcely", "lacks", "lack", "lacking", "lacked", "dont", "isnt", "wasnt", "doesnt", "didnt",
        "cant", "couldnt", "wont", "wouldnt", "shouldnt", "arent", "werent", "havent", "hasnt", "hadnt", "aint"};
    return s;
}
bool is_negator(std::string_view w) { return negators().count(w) || ends_with(w, "n't"); }

const std::unordered_set<std::string_view>& intensifiers() {
    static const std::unordered_set<std::string_view> s = {
        "very", "really", "extremely", "incredibly", "truly", "absolutely", "utterly", "totally", "highly",
        "deeply", "so", "thoroughly", "remarkably", "exceptionally", "especially", "particularly", "genuinely",
        "most", "perfectly", "seriously", "insanely", "hugely", "immensely", "terribly"};
    return s;
}
const std::unordered_set<std::string_view>& softeners() {
    static const std::unordered_set<std::string_view> s = {
        "slightly", "somewhat", "fairly", "rather", "mildly", "moderately", "partly", "marginally", "reasonably",
        "occasionally", "sometimes", "mostly"};
    return s;
}

constexpr double kIntensify = 1.3, kSoften = 0.7, kNegate = -0.74, kBeforeTurn = 0.5, kAfterTurn = 1.5;
constexpr double kNormalise = 15.0, kNeutral = 0.05;
constexpr size_t kNegationScope = 3, kIntensityScope = 2, kMaxPhrase = 3;

struct Lexicon {
    std::unordered_map<std::string, double> terms;
    size_t longest = 1;  // words
};

const Lexicon& lexicon() {
    static const Lexicon lex = [] {
        Lexicon l;
        std::istringstream in(kSentimentLexiconTsv);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            const size_t tab = line.find('\t');
            if (tab == std::string::npos) continue;
            const std::string term = line.substr(0, tab);
            l.terms[term] = std::stod(line.substr(tab + 1));
            l.longest = std::max(l.longest, size_t(std::count(term.begin(), term.end(), ' ') + 1));
        }
        return l;
    }();
    return lex;
}

std::string join(const std::vector<Token>& t, size_t from, size_t n, bool lemmas) {
    std::string s;
    for (size_t k = from; k < from + n; ++k) {
        if (k > from) s += ' ';
        s += lemmas ? t[k].w.lemma : t[k].w.word;
    }
    return s;
}

std::vector<std::string> split_spaces(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

}  // namespace

// ---- words and lemmas -------------------------------------------------------------------------------------------

std::vector<TextWord> text_words(std::string_view text) {
    std::vector<TextWord> out;
    for (Token& t : tokenise(text)) out.push_back(std::move(t.w));
    return out;
}

bool is_stop_word(std::string_view w) { return stop_words().count(w) > 0; }

std::string english_lemma(std::string_view word) {
    std::string w(word);
    if (ends_with(w, "'s")) w.resize(w.size() - 2);
    else if (ends_with(w, "s'")) w.resize(w.size() - 1);
    // a hyphenated word's last part is its head ("close-ups")
    const size_t dash = w.rfind('-');
    const std::string head = dash == std::string::npos ? w : w.substr(dash + 1);
    const std::string prefix = dash == std::string::npos ? "" : w.substr(0, dash + 1);
    if (auto it = irregular_plurals().find(head); it != irregular_plurals().end()) return prefix + std::string(it->second);
    if (auto it = plural_exceptions().find(head); it != plural_exceptions().end()) return prefix + std::string(it->second);
    if (head.size() < (prefix.empty() ? 4u : 3u)) return w;  // bus, gas, his; but close-ups
    const auto cut = [&](size_t n, std::string_view add = "") { return prefix + head.substr(0, head.size() - n) + std::string(add); };
    if (ends_with(head, "ies") && head.size() > 4) return cut(3, "y");
    if (ends_with(head, "sses")) return cut(2);
    if (ends_with(head, "ches") || ends_with(head, "shes") || ends_with(head, "xes") || ends_with(head, "zzes")) return cut(2);
    if (ends_with(head, "oes")) return cut(2);
    if (ends_with(head, "ss") || ends_with(head, "us") || ends_with(head, "is") || ends_with(head, "ics")) return w;
    if (ends_with(head, "s")) return cut(1);
    return w;
}

// ---- keywords (RAKE) --------------------------------------------------------------------------------------------

std::vector<TextKeyword> extract_keywords(std::string_view text, size_t max_keywords) {
    const std::vector<Token> tokens = tokenise(text);
    // candidates: runs of content words between stop words and punctuation, cut into pieces of kMaxPhrase words
    std::vector<std::vector<size_t>> candidates;
    std::vector<size_t> run;
    const auto flush = [&] {
        for (size_t k = 0; k < run.size(); k += kMaxPhrase)
            candidates.emplace_back(run.begin() + long(k), run.begin() + long(std::min(run.size(), k + kMaxPhrase)));
        run.clear();
    };
    for (size_t i = 0; i < tokens.size(); ++i) {
        const TextWord& w = tokens[i].w;
        if (tokens[i].punct_before) flush();
        const bool single_ascii = w.word.size() == 1 && static_cast<unsigned char>(w.word[0]) < 0x80;
        if (is_stop_word(w.word) || is_stop_word(w.lemma) || all_digits(w.word) || single_ascii) {
            flush();
            continue;
        }
        run.push_back(i);
    }
    flush();
    // word scores: degree / frequency, by lemma
    std::unordered_map<std::string, double> freq, degree;
    for (const auto& c : candidates)
        for (size_t i : c) {
            freq[tokens[i].w.lemma] += 1;
            degree[tokens[i].w.lemma] += double(c.size());
        }
    struct Entry {
        TextKeyword k;
        size_t first = 0;
    };
    std::map<std::string, Entry> by_lemma;
    for (size_t ci = 0; ci < candidates.size(); ++ci) {
        const auto& c = candidates[ci];
        std::string phrase, lemma;
        double score = 0;
        for (size_t i : c) {
            if (!phrase.empty()) phrase += ' ', lemma += ' ';
            phrase += tokens[i].w.word;
            lemma += tokens[i].w.lemma;
            score += degree[tokens[i].w.lemma] / freq[tokens[i].w.lemma];
        }
        auto [it, fresh] = by_lemma.try_emplace(lemma);
        if (fresh) {
            it->second.k = TextKeyword{phrase, lemma, score, 0};
            it->second.first = ci;
        }
        ++it->second.k.count;
    }
    std::vector<Entry> all;
    for (auto& [lemma, e] : by_lemma) all.push_back(std::move(e));
    std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
        if (a.k.score != b.k.score) return a.k.score > b.k.score;
        if (a.k.count != b.k.count) return a.k.count > b.k.count;
        return a.first < b.first;
    });
    std::vector<TextKeyword> out;
    for (size_t i = 0; i < all.size() && out.size() < max_keywords; ++i) out.push_back(std::move(all[i].k));
    return out;
}

// ---- links to tags ----------------------------------------------------------------------------------------------

std::vector<KeywordTagLink> link_keywords_to_tags(const std::vector<TextKeyword>& keywords, const std::vector<Tag>& tags) {
    struct Label {
        std::string category, label;
        int tags = 0;
        std::vector<std::string> alternatives;  // lemma strings ("horror", "thriller")
    };
    std::map<std::pair<std::string, std::string>, Label> labels;
    for (const Tag& t : tags) {
        if (t.state == ReviewState::Rejected || t.label.empty()) continue;
        Label& l = labels[{t.category, t.label}];
        if (l.tags++ == 0) {
            l.category = t.category;
            l.label = t.label;
            size_t start = 0;
            while (start <= t.label.size()) {
                const size_t slash = std::min(t.label.find('/', start), t.label.size());
                std::string alt;
                for (const TextWord& w : text_words(std::string_view(t.label).substr(start, slash - start))) {
                    if (!alt.empty()) alt += ' ';
                    alt += w.lemma;
                }
                if (!alt.empty()) l.alternatives.push_back(alt);
                start = slash + 1;
            }
        }
    }
    std::vector<KeywordTagLink> out;
    for (const TextKeyword& k : keywords) {
        const std::vector<std::string> words = split_spaces(k.lemma);
        std::vector<KeywordTagLink> found;
        for (const auto& [key, l] : labels) {
            std::string match;
            for (const std::string& alt : l.alternatives) {
                std::string m;
                if (alt == k.lemma) m = "lemma";
                else if (words.size() > 1 && alt.find(' ') == std::string::npos &&
                         std::find(words.begin(), words.end(), alt) != words.end())
                    m = "word";
                else
                    for (const std::string& w : words)
                        if (auto a = tag_aliases().find(w); a != tag_aliases().end() && a->second == alt) m = "alias";
                // the best of the alternatives: lemma, then word, then alias
                const auto rank = [](const std::string& s) { return s == "lemma" ? 3 : s == "word" ? 2 : s == "alias" ? 1 : 0; };
                if (rank(m) > rank(match)) match = m;
            }
            if (!match.empty()) found.push_back(KeywordTagLink{k.phrase, l.category, l.label, match, l.tags});
        }
        out.insert(out.end(), found.begin(), found.end());  // labels come sorted by (category, label)
    }
    return out;
}

// ---- lexicon sentiment ------------------------------------------------------------------------------------------

LexiconSentiment lexicon_sentiment(std::string_view text) {
    LexiconSentiment out;
    const std::vector<Token> tokens = tokenise(text);
    const Lexicon& lex = lexicon();
    double sum = 0;
    size_t s0 = 0;
    while (s0 < tokens.size()) {
        size_t s1 = s0 + 1;
        while (s1 < tokens.size() && !tokens[s1].sentence_before) ++s1;
        // the sentence's turn: the first "but" / "however"
        size_t turn = s1;
        for (size_t i = s0; i < s1; ++i)
            if (tokens[i].w.word == "but" || tokens[i].w.word == "however") {
                turn = i;
                break;
            }
        size_t i = s0;
        while (i < s1) {
            // longest entry first, on words, then on lemmas
            size_t len = 0;
            double valence = 0;
            std::string term;
            for (size_t n = std::min({lex.longest, kMaxPhrase, s1 - i}); n >= 1 && !len; --n)
                for (bool lemmas : {false, true}) {
                    const std::string key = join(tokens, i, n, lemmas);
                    if (auto it = lex.terms.find(key); it != lex.terms.end()) {
                        len = n;
                        valence = it->second;
                        term = key;
                        break;
                    }
                }
            if (!len) {
                ++i;
                continue;
            }
            SentimentHit h;
            h.term = term;
            h.valence = valence;
            double v = valence;
            // modifiers before it in the same sentence, not across punctuation
            bool intensity_done = false;
            for (size_t back = 1; back <= kNegationScope && i >= s0 + back; ++back) {
                const size_t j = i - back;
                if (tokens[j + 1].punct_before) break;
                const std::string& w = tokens[j].w.word;
                if (!intensity_done && back <= kIntensityScope) {
                    if (intensifiers().count(w)) v *= kIntensify, intensity_done = true;
                    else if (softeners().count(w)) v *= kSoften, intensity_done = true;
                }
                const bool not_only = w == "not" && j + 1 < s1 && tokens[j + 1].w.word == "only";
                if (is_negator(w) && !not_only && !h.negated) {
                    v *= kNegate;
                    h.negated = true;
                }
            }
            if (turn < s1) v *= i < turn ? kBeforeTurn : kAfterTurn;
            h.applied = v;
            sum += v;
            if (v > 0) ++out.positive;
            else if (v < 0) ++out.negative;
            out.hits.push_back(std::move(h));
            i += len;
        }
        s0 = s1;
    }
    out.score = sum / std::sqrt(sum * sum + kNormalise);
    out.label = out.score >= kNeutral ? "positive" : out.score <= -kNeutral ? "negative" : "neutral";
    return out;
}

TitleTextAnalysis analyse_title_text(const TitleText& text, const std::vector<Tag>& tags) {
    TitleTextAnalysis a;
    a.text = text;
    a.keywords = extract_keywords(text.text, 10);
    a.tag_links = link_keywords_to_tags(a.keywords, tags);
    if (text.kind == "review") {
        a.has_sentiment = true;
        a.sentiment = lexicon_sentiment(text.text);
    }
    return a;
}

}  // namespace frameline
