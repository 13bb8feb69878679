// Scene search by brute force over the store (see scene_search.h for what matches and how it scores).
#include "core/search/scene_search.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/search/query_syntax.h"
#include "core/store/store.h"

namespace frameline {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Lower-case words: runs of letters and digits (bytes >= 0x80 count as letters, so UTF-8 names stay whole).
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) {
            cur += char(std::tolower(u));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

// A proposal's weight as evidence: a person's acceptance is certain, a rejection is no evidence at all (-1).
double proposal_weight(ReviewState state, double confidence) {
    if (state == ReviewState::Rejected) return -1;
    if (state == ReviewState::Accepted || state == ReviewState::Corrected) return 1;
    return std::clamp(confidence, 0.0, 1.0);
}

std::string fixed(double v, int decimals = 2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// The first frame a proposal's evidence names ({"frames":[...]}), or -1.
int64_t evidence_frame(const std::string& evidence) {
    const auto e = nlohmann::json::parse(evidence, nullptr, false);
    if (e.is_object() && e.contains("frames") && e["frames"].is_array() && !e["frames"].empty() &&
        e["frames"][0].is_number_integer())
        return e["frames"][0].get<int64_t>();
    return -1;
}

// Text that belongs to a shot.
struct Field {
    std::string why;                 // "tag object:car"
    std::vector<std::string> words;  // what the query's words are matched against
    double weight = 0;               // 0..1
    int64_t frame = -1;              // a frame to show for it, -1: none
};

struct ShotEntry {
    Shot shot;
    std::vector<const FrameRecord*> frames;  // sampled, in frame order
    std::vector<Field> fields;               // text
    std::vector<Field> moods;                // mood tags (words: the label)
};

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size() || a.empty()) return 0;
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

std::string pick_model(Store& store, int64_t title_id) {
    std::vector<std::string> models;
    for (const Embedding& e : store.embeddings(title_id, "", "frame"))
        if (std::find(models.begin(), models.end(), e.model) == models.end()) models.push_back(e.model);
    for (const std::string& m : models)
        if (m.rfind("visual", 0) == 0) return m;
    std::string have;
    for (const std::string& m : models) have += (have.empty() ? "" : ", ") + m;
    throw Error("title " + std::to_string(title_id) + " has no visual frame embeddings" +
                (have.empty() ? std::string(" — ingest it with the model zoo") : " (it has " + have + ")") +
                " — or name the model to compare");
}

void add_field(ShotEntry& s, Field f, bool mood_only = false) {
    if (mood_only)
        s.moods.push_back(std::move(f));
    else
        s.fields.push_back(std::move(f));
}

// The shots of a title with the text and moods that belong to each.
std::vector<ShotEntry> shot_entries(Store& store, const TitleRecord& title, const std::vector<FrameRecord>& frames,
                                    bool want_text, bool want_mood, const std::vector<TextSource>& sources) {
    std::vector<ShotEntry> shots;
    for (const Shot& s : store.shots(title.id)) shots.push_back(ShotEntry{s, {}, {}, {}});
    auto shot_of_frame = [&](int64_t frame) -> ShotEntry* {
        for (ShotEntry& s : shots)
            if (frame >= s.shot.start_frame && frame < s.shot.end_frame) return &s;  // end_frame: the next shot's first
        return nullptr;
    };
    for (const FrameRecord& f : frames)
        if (f.shot_index >= 0 && f.shot_index < int(shots.size()) && shots[f.shot_index].shot.index == f.shot_index)
            shots[f.shot_index].frames.push_back(&f);
        else if (ShotEntry* s = shot_of_frame(f.frame_index))
            s->frames.push_back(&f);
    if (!want_text && !want_mood) return shots;

    for (const Tag& t : store.tags(title.id)) {
        double w = proposal_weight(t.state, t.confidence);
        if (w < 0) continue;
        const bool title_wide = t.shot_index < 0;
        if (title_wide) w *= 0.5;  // said of the whole title: weaker evidence for any one shot
        Field f{"tag " + t.category + ":" + t.label + (title_wide ? " (title)" : ""), words_of(t.label), w,
                evidence_frame(t.evidence)};
        const bool is_mood = lower(t.category) == "mood";
        Field m;
        if (is_mood && want_mood) m = Field{"mood " + t.label + (title_wide ? " (title)" : ""), {lower(t.label)}, w, f.frame};
        for (const std::string& c : words_of(t.category)) f.words.push_back(c);
        for (ShotEntry& s : shots) {
            if (!title_wide && s.shot.index != t.shot_index) continue;
            if (want_text) add_field(s, f);
            if (is_mood && want_mood) add_field(s, m, true);
        }
    }
    if (!want_text) return shots;

    const std::vector<Face> faces = store.faces(title.id);
    for (const Character& c : store.characters(title.id)) {
        if (c.state == ReviewState::Rejected || c.name.empty()) continue;
        std::map<int, int64_t> shown;  // shot index -> a frame with the character's face
        for (const Face& face : faces)
            if (face.character_id == c.id)
                if (ShotEntry* s = shot_of_frame(face.frame_index)) shown.emplace(s->shot.index, face.frame_index);
        for (ShotEntry& s : shots)
            if (auto it = shown.find(s.shot.index); it != shown.end())
                add_field(s, Field{"character '" + c.name + "'", words_of(c.name), 1.0, it->second});
    }
    for (const Chapter& c : store.chapters(title.id)) {
        const double w = proposal_weight(c.state, c.confidence);
        if (w < 0 || c.label.empty()) continue;
        for (ShotEntry& s : shots)
            if (s.shot.start_frame <= c.end_frame && c.start_frame < s.shot.end_frame)  // chapter ends inclusive
                add_field(s, Field{std::string(to_string(c.kind)) + " '" + c.label + "'", words_of(c.label), w, -1});
    }
    for (const TextSource& source : sources)
        for (const TextSpan& span : source(store, title.id))
            for (ShotEntry& s : shots)
                if (s.shot.start_s < span.end_s && span.start_s < s.shot.end_s)
                    add_field(s, Field{span.field + " '" + span.text + "'", words_of(span.text),
                                       std::clamp(span.confidence, 0.0, 1.0), -1});
    return shots;
}

// The mean over the query's words of the best field each word starts a word of; nullopt when one word matches
// nothing. `why` collects the matching fields, `frame` the first one's frame.
std::optional<double> match_words(const std::vector<std::string>& query, const std::vector<Field>& fields,
                                  std::string& why, int64_t& frame) {
    double sum = 0;
    std::vector<const Field*> used;
    for (const std::string& q : query) {
        const Field* best = nullptr;
        for (const Field& f : fields)
            for (const std::string& w : f.words)
                if (w.rfind(q, 0) == 0 && (!best || f.weight > best->weight)) best = &f;
        if (!best) return std::nullopt;
        sum += best->weight;
        if (std::find(used.begin(), used.end(), best) == used.end()) used.push_back(best);
    }
    for (const Field* f : used) {
        why += (why.empty() ? "" : "; ") + f->why + " (" + fixed(f->weight) + ")";
        if (frame < 0) frame = f->frame;
    }
    return query.empty() ? 0 : sum / double(query.size());
}

// Each tag: and character: filter's score for each shot of a title (-1: the shot does not pass), and why.
struct FilterScores {
    std::map<int, std::vector<double>> score;  // shot index -> one score per filter (tags first)
    std::map<int, std::vector<std::string>> why;
    std::map<int, int64_t> frame;              // a frame that shows a filtered character
};

FilterScores filter_scores(Store& store, int64_t title_id, const std::vector<ShotEntry>& shots,
                           const std::vector<std::string>& tags, const std::vector<std::string>& characters) {
    FilterScores out;
    const size_t n = tags.size() + characters.size();
    for (const ShotEntry& s : shots) {
        out.score[s.shot.index].assign(n, -1.0);
        out.why[s.shot.index].assign(n, "");
    }
    if (!tags.empty())
        for (const Tag& t : store.tags(title_id)) {
            double w = proposal_weight(t.state, t.confidence);
            if (w < 0) continue;
            const std::string label = lower(t.label), full = lower(t.category + ":" + t.label);
            const bool title_wide = t.shot_index < 0;
            if (title_wide) w *= 0.5;
            for (size_t i = 0; i < tags.size(); ++i) {
                const std::string want = lower(tags[i]);
                if (want != label && want != full) continue;
                for (const ShotEntry& s : shots) {
                    if (!title_wide && s.shot.index != t.shot_index) continue;
                    double& best = out.score[s.shot.index][i];
                    if (w > best) {
                        best = w;
                        out.why[s.shot.index][i] = "tag:" + t.category + ":" + t.label + (title_wide ? " (title)" : "");
                    }
                }
            }
        }
    if (!characters.empty()) {
        const std::vector<Face> faces = store.faces(title_id);
        for (const Character& c : store.characters(title_id)) {
            if (c.state == ReviewState::Rejected || c.name.empty()) continue;
            for (size_t i = 0; i < characters.size(); ++i) {
                if (lower(c.name) != lower(characters[i])) continue;
                const size_t k = tags.size() + i;
                for (const Face& face : faces) {
                    if (face.character_id != c.id) continue;
                    for (const ShotEntry& s : shots)
                        if (face.frame_index >= s.shot.start_frame && face.frame_index < s.shot.end_frame &&
                            out.score[s.shot.index][k] < 0) {
                            out.score[s.shot.index][k] = 1.0;
                            out.why[s.shot.index][k] = "character:" + c.name;
                            out.frame.emplace(s.shot.index, face.frame_index);
                        }
                }
            }
        }
    }
    return out;
}

}  // namespace

SceneQuery scene_query_from_text(Store& store, const std::string& text) {
    const ParsedQuery parsed = parse_query(text);
    SceneQuery q;
    q.text = parsed.text;
    q.mood = parsed.mood;
    q.tags = parsed.tags;
    q.characters = parsed.characters;
    if (parsed.like_frame_id != 0) {
        const auto frame = store.sampled_frame(parsed.like_frame_id);
        if (!frame)
            throw Error("no sampled frame " + std::to_string(parsed.like_frame_id) + " in " + store.url() +
                        " — use a frame id from search results or 'frameline-cli show TITLE --json'");
        q.like_title_id = frame->title_id;
        q.like_frame = frame->frame_index;
    }
    return q;
}

void expand_query_text(Store& store, SceneQuery& query) {
    const SceneQuery parsed = scene_query_from_text(store, query.text);
    query.text = parsed.text;
    query.tags.insert(query.tags.end(), parsed.tags.begin(), parsed.tags.end());
    query.characters.insert(query.characters.end(), parsed.characters.begin(), parsed.characters.end());
    if (!parsed.mood.empty()) {
        if (!query.mood.empty() && lower(query.mood) != lower(parsed.mood))
            throw Error("two moods: '" + query.mood + "' and mood:" + parsed.mood + " in the text — give one");
        query.mood = parsed.mood;
    }
    if (parsed.like_frame >= 0) {
        if (query.like_frame >= 0 &&
            (query.like_frame != parsed.like_frame || query.like_title_id != parsed.like_title_id))
            throw Error("two example frames: give like: in the text or the example frame, not both");
        query.like_title_id = parsed.like_title_id;
        query.like_frame = parsed.like_frame;
    }
}

void parse_like_frame(Store& store, const std::string& text, int64_t* title_id, int64_t* frame_index) {
    const auto colon = text.rfind(':');
    const std::string frame = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (colon == std::string::npos || colon == 0 || frame.empty() ||
        !std::all_of(frame.begin(), frame.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        throw Error("'" + text + "' is not TITLE:FRAME — give a title id or name and a frame index, e.g. 3:120");
    const auto title = store.find_title(text.substr(0, colon));
    if (!title)
        throw Error("no title '" + text.substr(0, colon) + "' in " + store.url() +
                    " — list them with 'frameline-cli titles'");
    *title_id = title->id;
    *frame_index = std::stoll(frame);
}

std::vector<SceneHit> SceneSearch::search(const SceneQuery& query) {
    const std::vector<std::string> text_words = words_of(query.text);
    const std::string mood = lower(query.mood);
    const bool want_like = query.like_frame >= 0;
    const bool want_filters = !query.tags.empty() || !query.characters.empty();
    if (text_words.empty() && mood.empty() && !want_like && !want_filters)
        throw Error("a scene search needs text, a mood, a tag, a character or an example frame");

    std::vector<TitleRecord> titles;
    if (query.title_id != 0) {
        auto t = store_.title(query.title_id);
        if (!t)
            throw Error("no title " + std::to_string(query.title_id) + " in " + store_.url() +
                        " — list them with 'frameline-cli titles'");
        titles.push_back(*t);
    } else {
        titles = store_.titles();
    }

    // The example frame's vector, and the model whose vectors are compared with it.
    std::vector<float> example;
    std::string model = query.embedding_model;
    if (want_like) {
        const auto like_title = store_.title(query.like_title_id);
        if (!like_title)
            throw Error("no title " + std::to_string(query.like_title_id) + " for the example frame in " + store_.url());
        if (model.empty()) model = pick_model(store_, like_title->id);
        for (const Embedding& e : store_.embeddings(like_title->id, model, "frame"))
            if (e.entity_key == query.like_frame) example = e.vector;
        if (example.empty())
            throw Error("frame " + std::to_string(query.like_frame) + " of title '" + like_title->name +
                        "' has no '" + model + "' embedding — pick a sampled frame ('frameline-cli show " +
                        std::to_string(like_title->id) + " --json' lists them)");
    }

    std::vector<SceneHit> hits;
    for (const TitleRecord& title : titles) {
        const std::vector<FrameRecord> frames = store_.frames(title.id);
        std::map<int64_t, std::vector<float>> vectors;  // frame index -> embedding
        if (want_like)
            for (Embedding& e : store_.embeddings(title.id, model, "frame")) vectors[e.entity_key] = std::move(e.vector);
        const std::vector<ShotEntry> shots =
            shot_entries(store_, title, frames, !text_words.empty(), !mood.empty(), text_sources_);
        const FilterScores filters =
            want_filters ? filter_scores(store_, title.id, shots, query.tags, query.characters) : FilterScores{};
        for (const ShotEntry& s : shots) {
            std::string why;
            int64_t frame = -1;
            double sum = 0;
            int criteria = 0;
            if (want_filters) {
                const std::vector<double>& scores = filters.score.at(s.shot.index);
                if (std::any_of(scores.begin(), scores.end(), [](double v) { return v < 0; })) continue;
                const std::vector<std::string>& whys = filters.why.at(s.shot.index);
                for (size_t i = 0; i < scores.size(); ++i) {
                    sum += scores[i];
                    ++criteria;
                    why += (why.empty() ? "" : "; ") + whys[i] + " (" + fixed(scores[i]) + ")";
                }
                if (auto it = filters.frame.find(s.shot.index); it != filters.frame.end()) frame = it->second;
            }
            if (!text_words.empty()) {
                const auto score = match_words(text_words, s.fields, why, frame);
                if (!score) continue;
                sum += *score;
                ++criteria;
            }
            if (!mood.empty()) {
                const auto score = match_words({mood}, s.moods, why, frame);
                if (!score) continue;
                sum += *score;
                ++criteria;
            }
            if (want_like) {
                double best = -2;
                int64_t best_frame = -1;
                for (const FrameRecord* f : s.frames)
                    if (auto it = vectors.find(f->frame_index); it != vectors.end()) {
                        const double c = cosine(example, it->second);
                        if (c > best) best = c, best_frame = f->frame_index;
                    }
                if (best_frame < 0) continue;  // nothing of this shot to compare
                sum += std::max(0.0, best);
                ++criteria;
                frame = best_frame;  // the frame that looks like the example is the one to show
                why += (why.empty() ? "" : "; ") + std::string("like frame ") + std::to_string(query.like_frame) +
                       " (cosine " + fixed(best, 3) + ")";
            }
            const FrameRecord* shown = nullptr;
            for (const FrameRecord* f : s.frames)
                if (f->frame_index == frame) shown = f;
            if (!shown && !s.frames.empty()) shown = s.frames.front();
            SceneHit hit;
            hit.title_id = title.id;
            hit.title_name = title.name;
            hit.shot_index = s.shot.index;
            hit.frame_index = shown ? shown->frame_index : s.shot.start_frame;
            hit.frame_id = shown ? shown->id : 0;
            hit.time_s = shown ? shown->pts_s : s.shot.start_s;
            hit.score = criteria > 0 ? sum / criteria : 0;
            hit.why = why;
            hits.push_back(std::move(hit));
        }
    }
    std::stable_sort(hits.begin(), hits.end(), [](const SceneHit& a, const SceneHit& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.title_id != b.title_id) return a.title_id < b.title_id;
        return a.shot_index < b.shot_index;
    });
    if (query.limit > 0 && hits.size() > size_t(query.limit)) hits.resize(size_t(query.limit));
    return hits;
}

}  // namespace frameline
