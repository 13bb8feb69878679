// Scene search by brute force over the store (see scene_search.h for what matches and how it scores).
#include "core/search/scene_search.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/analysis/audio_embedding.h"
#include "core/error.h"
#include "core/search/like_index.h"
#include "core/search/media_text_sources.h"
#include "core/search/mood_profile.h"
#include "core/search/query_syntax.h"
#include "core/search/vector_index.h"
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

// The cosine of a part of two vectors: [from, to).
double cosine_part(const std::vector<float>& a, const std::vector<float>& b, size_t from, size_t to) {
    if (a.size() != b.size() || to > a.size() || from >= to) return 0;
    return cosine(std::vector<float>(a.begin() + long(from), a.begin() + long(to)),
                  std::vector<float>(b.begin() + long(from), b.begin() + long(to)));
}

bool all_zero(const std::vector<float>& v, size_t from, size_t to) {
    for (size_t i = from; i < to && i < v.size(); ++i)
        if (v[i] != 0) return false;
    return true;
}

// Evidence for two shot embeddings (media_embedder.h: picture block, then kAudioEmbeddingDims of sound):
// "picture 0.95, sound 0.80", or "no sound" where either shot has none.
std::string shot_parts(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size() || a.size() <= size_t(kAudioEmbeddingDims)) return "";
    const size_t dv = a.size() - size_t(kAudioEmbeddingDims);
    std::string out = "picture " + fixed(cosine_part(a, b, 0, dv), 3);
    if (all_zero(a, dv, a.size()) || all_zero(b, dv, b.size()))
        out += ", no sound to compare";
    else
        out += ", sound " + fixed(cosine_part(a, b, dv, a.size()), 3);
    return out;
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

void add_field(ShotEntry& s, Field f) { s.fields.push_back(std::move(f)); }

// The shots of a title with the text that belongs to each (moods: mood_profile.h).
std::vector<ShotEntry> shot_entries(Store& store, const TitleRecord& title, const std::vector<FrameRecord>& frames,
                                    bool want_text, const std::vector<TextSource>& sources) {
    std::vector<ShotEntry> shots;
    for (const Shot& s : store.shots(title.id)) shots.push_back(ShotEntry{s, {}, {}});
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
    if (!want_text) return shots;

    for (const Tag& t : store.tags(title.id)) {
        double w = proposal_weight(t.state, t.confidence);
        if (w < 0) continue;
        const bool title_wide = t.shot_index < 0;
        if (title_wide) w *= 0.5;  // said of the whole title: weaker evidence for any one shot
        Field f{"tag " + t.category + ":" + t.label + (title_wide ? " (title)" : ""), words_of(t.label), w,
                evidence_frame(t.evidence)};
        for (const std::string& c : words_of(t.category)) f.words.push_back(c);
        for (ShotEntry& s : shots)
            if (title_wide || s.shot.index == t.shot_index) s.fields.push_back(f);
    }

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

std::vector<TitleRecord> titles_to_search(Store& store, int64_t title_id) {
    if (title_id == 0) return store.titles();
    auto t = store.title(title_id);
    if (!t)
        throw Error("no title " + std::to_string(title_id) + " in " + store.url() +
                    " — list them with 'frameline-cli titles'");
    return {*t};
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

SceneSearch::SceneSearch(Store& store) : SceneSearch(store, shared_like_indexes(store.url())) {}

SceneSearch::SceneSearch(Store& store, std::shared_ptr<LikeIndexes> indexes)
    : store_(store), indexes_(indexes ? std::move(indexes) : std::make_shared<LikeIndexes>()) {}

std::vector<SceneHit> SceneSearch::search(const SceneQuery& query) {
    const std::vector<std::string> text_words = words_of(query.text);
    const std::string mood = lower(query.mood);
    const bool like_shot = query.like_shot >= 0;
    const bool like_vector = !query.like_vector.empty();
    const bool want_like = query.like_frame >= 0 || like_shot || like_vector;
    const bool want_filters = !query.tags.empty() || !query.characters.empty();
    if (text_words.empty() && mood.empty() && !want_like && !want_filters)
        throw Error("a scene search needs text, a mood, a tag, a character or an example frame");

    std::vector<TitleRecord> titles = titles_to_search(store_, query.title_id);
    if (query.title_id == 0) {
        // Text over every title: only titles where each word starts some word of their text can match; the store's
        // full-text index names them (when it holds every registered source's text), the rest are not scanned.
        if (!text_words.empty() && text_sources_indexed(text_sources_)) {
            std::vector<int64_t> candidates;
            try {
                candidates = store_.titles_matching_text(query.text);
            } catch (const Error&) {  // the index could not be brought up to date (a busy writer): scan them all
                for (const TitleRecord& t : titles) candidates.push_back(t.id);
            }
            titles.erase(std::remove_if(titles.begin(), titles.end(),
                                        [&](const TitleRecord& t) {
                                            return !std::binary_search(candidates.begin(), candidates.end(), t.id);
                                        }),
                         titles.end());
        }
    }

    // The example's vector, the model whose vectors are compared with it, and their index (like_index.h).
    std::vector<float> example;
    std::string model = query.embedding_model;
    std::shared_ptr<const VectorIndex> index;
    std::string like_why;  // "like frame 12", "like shot 3:4", "like image cat.jpg"
    auto index_of = [&](const std::string& entity) {
        try {
            index = indexes_->get(store_, model, entity);
        } catch (const Error&) {
            index.reset();  // no such set: the caller says what the example lacks
        }
    };
    if (like_vector) {
        if (model.empty()) throw Error("an example vector needs the name of its embedding model");
        index = indexes_->get(store_, model, "frame");  // throws naming the model when no frame has it
        if (int(query.like_vector.size()) != index->dims())
            throw Error("the example has " + std::to_string(query.like_vector.size()) + " values, the '" + model +
                        "' frame vectors " + std::to_string(index->dims()) +
                        " — embed it with the model the titles were ingested with");
        example = query.like_vector;
        like_why = "like " + (query.like_what.empty() ? std::string("the example") : query.like_what);
    } else if (want_like) {
        const auto like_title = store_.title(query.like_title_id);
        if (!like_title)
            throw Error("no title " + std::to_string(query.like_title_id) + " for the example in " + store_.url() +
                        " — list them with 'frameline-cli titles'");
        const std::string id = std::to_string(like_title->id);
        if (like_shot) {
            const size_t shot_count = store_.shots(like_title->id).size();
            if (size_t(query.like_shot) >= shot_count)
                throw Error("title '" + like_title->name + "' (" + id + ") has no shot " +
                            std::to_string(query.like_shot) + " (it has " + std::to_string(shot_count) +
                            " shots, from 0) — 'frameline-cli show " + id + " --json' lists them");
            if (model.empty()) model = pick_model(store_, like_title->id);
            if (model.rfind("media:", 0) != 0) model = "media:" + model;  // the shot vectors of that frame model
            index_of("shot");
            if (index)
                if (auto v = index->vector(VectorKey{like_title->id, query.like_shot})) example = std::move(*v);
            if (example.empty())
                throw Error("shot " + std::to_string(query.like_shot) + " of title '" + like_title->name +
                            "' has no '" + model + "' shot embedding — run 'frameline-cli analyse " + id +
                            "' (the model zoo) to make its shot and title embeddings");
            like_why = "like shot " + id + ":" + std::to_string(query.like_shot);
        } else {
            if (model.empty()) model = pick_model(store_, like_title->id);
            index_of("frame");
            if (index)
                if (auto v = index->vector(VectorKey{like_title->id, query.like_frame})) example = std::move(*v);
            if (example.empty())
                throw Error("frame " + std::to_string(query.like_frame) + " of title '" + like_title->name +
                            "' has no '" + model + "' embedding — pick a sampled frame ('frameline-cli show " + id +
                            " --json' lists them)");
            like_why = "like frame " + std::to_string(query.like_frame);
        }
    }

    // A "like" search with no other criterion: the candidate shots come from the index (the nearest frames or
    // shots, widened until `limit` distinct shots are found or every vector was seen), not from every row.
    std::optional<std::map<int64_t, std::set<int>>> candidates;  // title id -> shot indices
    if (want_like && text_words.empty() && mood.empty() && !want_filters) {
        candidates.emplace();
        std::map<int64_t, std::vector<Shot>> title_shots;
        auto shot_of = [&](const VectorKey& key) -> int {
            if (like_shot) return int(key.entity_key);
            auto it = title_shots.find(key.title_id);
            if (it == title_shots.end()) it = title_shots.emplace(key.title_id, store_.shots(key.title_id)).first;
            for (const Shot& sh : it->second)
                if (key.entity_key >= sh.start_frame && key.entity_key < sh.end_frame) return sh.index;
            return -1;
        };
        VectorFilter filter;
        if (query.title_id != 0) filter.title_ids = {query.title_id};
        const size_t want = query.limit > 0 ? size_t(query.limit) : index->size();
        size_t k = std::min(index->size(), std::max<size_t>(32, want * (like_shot ? 1 : 4)));
        for (;;) {
            candidates->clear();
            size_t found = 0;
            const std::vector<VectorHit> near = index->search(example, int(k), filter);
            for (const VectorHit& h : near) {
                const int shot = shot_of(h.key);
                if (shot >= 0 && (*candidates)[h.key.title_id].insert(shot).second) ++found;
            }
            if (found >= want || near.size() < k || k >= index->size()) break;
            k = std::min(index->size(), k * 4);
        }
    }

    // A mood ("tense", or a mix "tense:0.7,dark:0.3"): shots by their mood profile (mood_profile.h). Known moods: the
    // analysis's and any label people gave a mood tag in the titles searched; another name is an error naming them.
    std::optional<MoodQuery> mood_query;
    if (!mood.empty())
        mood_query = parse_mood_query(store_, query.mood,
                                      query.title_id != 0 ? std::vector<int64_t>{query.title_id} : std::vector<int64_t>{});

    std::vector<SceneHit> hits;
    for (const TitleRecord& title : titles) {
        const std::set<int>* title_candidates = nullptr;
        if (candidates) {
            const auto it = candidates->find(title.id);
            if (it == candidates->end()) continue;  // none of its vectors is near the example
            title_candidates = &it->second;
        }
        const std::vector<FrameRecord> frames = store_.frames(title.id);
        const std::vector<ShotEntry> shots = shot_entries(store_, title, frames, !text_words.empty(), text_sources_);
        const TitleMoodProfiles mood_profiles_of_title =
            mood_query ? mood_profiles(store_, title.id) : TitleMoodProfiles{};
        const FilterScores filters =
            want_filters ? filter_scores(store_, title.id, shots, query.tags, query.characters) : FilterScores{};
        for (const ShotEntry& s : shots) {
            if (title_candidates && !title_candidates->count(s.shot.index)) continue;
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
            if (mood_query) {
                const MoodMatch m = match_mood(*mood_query, mood_profiles_of_title.shot(s.shot.index));
                if (m.score <= 0) continue;
                sum += m.score;
                ++criteria;
                why += (why.empty() ? "" : "; ") + m.why;
                if (frame < 0) frame = m.frame;
            }
            if (want_like) {
                double best = -2;
                int64_t best_frame = -1;
                std::string parts;
                if (like_shot) {
                    const auto v = index->vector(VectorKey{title.id, s.shot.index});
                    if (!v) continue;  // a shot without a shot embedding
                    best = cosine(example, *v);
                    parts = shot_parts(example, *v);
                    if (frame < 0 && !s.frames.empty()) frame = s.frames[s.frames.size() / 2]->frame_index;
                } else {
                    for (const FrameRecord* f : s.frames)
                        if (const auto v = index->vector(VectorKey{title.id, f->frame_index})) {
                            const double c = cosine(example, *v);
                            if (c > best) best = c, best_frame = f->frame_index;
                        }
                    if (best_frame < 0) continue;  // nothing of this shot to compare
                    frame = best_frame;  // the frame that looks like the example is the one to show
                }
                sum += std::max(0.0, best);
                ++criteria;
                why += (why.empty() ? "" : "; ") + like_why + " (cosine " + fixed(best, 3) +
                       (parts.empty() ? "" : "; " + parts) + ")";
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

std::string visual_frame_model(Store& store, int64_t title_id) {
    if (title_id != 0) return pick_model(store, title_id);
    for (const TitleRecord& t : store.titles()) {
        try {
            return pick_model(store, t.id);
        } catch (const Error&) {
        }
    }
    throw Error("no title in " + store.url() +
                " has visual frame embeddings — ingest titles with the model zoo ('frameline-cli ingest MEDIA')");
}

void parse_like_shot(Store& store, const std::string& text, int64_t* title_id, int* shot_index) {
    const auto colon = text.rfind(':');
    const std::string shot = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (colon == std::string::npos || colon == 0 || shot.empty() || shot.size() > 9 ||
        !std::all_of(shot.begin(), shot.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        throw Error("'" + text + "' is not TITLE:SHOT — give a title id or name and a shot index, e.g. 3:12");
    const auto title = store.find_title(text.substr(0, colon));
    if (!title)
        throw Error("no title '" + text.substr(0, colon) + "' in " + store.url() +
                    " — list them with 'frameline-cli titles'");
    *title_id = title->id;
    *shot_index = std::stoi(shot);
}

std::vector<TitleHit> similar_titles(Store& store, LikeIndexes& indexes, int64_t title_id, int limit,
                                     const std::string& frame_model, int evidence_pairs) {
    const auto title = store.title(title_id);
    if (!title)
        throw Error("no title " + std::to_string(title_id) + " in " + store.url() +
                    " — list them with 'frameline-cli titles'");
    const std::string id = std::to_string(title_id);
    std::string model = frame_model;
    if (model.empty()) {
        try {
            model = pick_model(store, title_id);
        } catch (const Error&) {
            throw Error("title '" + title->name + "' (" + id +
                        ") has no embeddings — run 'frameline-cli analyse " + id + "' (the model zoo) first");
        }
    }
    if (model.rfind("media:", 0) != 0) model = "media:" + model;
    std::shared_ptr<const VectorIndex> index;
    try {
        index = indexes.get(store, model, "title");
    } catch (const Error&) {
    }
    std::optional<std::vector<float>> example;
    if (index) example = index->vector(VectorKey{title_id, 0});
    if (!example)
        throw Error("title '" + title->name + "' (" + id + ") has no '" + model +
                    "' title embedding — run 'frameline-cli analyse " + id + "' to make its shot and title embeddings");

    std::shared_ptr<const VectorIndex> shot_index;
    try {
        shot_index = indexes.get(store, model, "shot");
    } catch (const Error&) {
    }
    // The example's longest shots carry most of its title vector (a duration-weighted mean): they are the evidence.
    std::vector<Shot> mine = store.shots(title_id);
    std::stable_sort(mine.begin(), mine.end(),
                     [](const Shot& a, const Shot& b) { return a.end_s - a.start_s > b.end_s - b.start_s; });
    if (mine.size() > 8) mine.resize(8);

    const int k = limit > 0 ? limit + 1 : int(index->size());
    std::vector<TitleHit> out;
    for (const VectorHit& h : index->search(*example, k)) {
        if (h.key.title_id == title_id) continue;
        const auto other = store.title(h.key.title_id);
        const auto v = index->vector(h.key);
        if (!other || !v) continue;
        TitleHit t;
        t.title_id = other->id;
        t.title_name = other->name;
        const double c = cosine(*example, *v);
        t.score = std::max(0.0, c);
        t.why = "title cosine " + fixed(c, 3);
        if (shot_index && evidence_pairs > 0) {
            const std::vector<Shot> theirs = store.shots(other->id);
            VectorFilter only;
            only.title_ids = {other->id};
            for (const Shot& s : mine) {
                const auto sv = shot_index->vector(VectorKey{title_id, s.index});
                if (!sv) continue;
                const auto near = shot_index->search(*sv, 1, only);
                if (near.empty()) continue;
                ShotPair p;
                p.shot = s.index;
                p.other_shot = int(near[0].key.entity_key);
                p.cosine = near[0].score;
                for (const Shot& o : theirs)
                    if (o.index == p.other_shot) p.other_start_s = o.start_s;
                t.pairs.push_back(p);
            }
            std::stable_sort(t.pairs.begin(), t.pairs.end(),
                             [](const ShotPair& a, const ShotPair& b) { return a.cosine > b.cosine; });
            if (t.pairs.size() > size_t(evidence_pairs)) t.pairs.resize(size_t(evidence_pairs));
            for (const ShotPair& p : t.pairs)
                t.why += "; shot " + std::to_string(p.shot) + " ~ shot " + std::to_string(p.other_shot) + " (" +
                         fixed(p.cosine, 3) + ")";
        }
        out.push_back(std::move(t));
        if (limit > 0 && out.size() >= size_t(limit)) break;
    }
    return out;
}

}  // namespace frameline
