// Mood profiles of shots and titles from their stored mood tags, and the nearest ones to a mood query
// (mood_profile.h says how weights and the similarity are defined).
#include "core/search/mood_profile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/search/scene_search.h"
#include "core/store/store.h"

namespace frameline {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string fixed(double v, int decimals = 2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

bool is_mood(const Tag& t) { return lower(t.category) == "mood" && !trim(t.label).empty(); }

// A tag's weight as evidence: a person's acceptance or correction is certain, a rejection counts nothing.
double tag_weight(const Tag& t) {
    if (t.state == ReviewState::Rejected) return 0;
    if (t.state == ReviewState::Accepted || t.state == ReviewState::Corrected) return 1;
    return std::clamp(t.confidence, 0.0, 1.0);
}

int64_t evidence_frame(const std::string& evidence) {
    const auto e = nlohmann::json::parse(evidence, nullptr, false);
    if (e.is_object() && e.contains("frames") && e["frames"].is_array() && !e["frames"].empty() &&
        e["frames"][0].is_number_integer())
        return e["frames"][0].get<int64_t>();
    return -1;
}

MoodEvidence evidence_of(const Tag& t, double factor) {
    MoodEvidence e;
    e.mood = lower(trim(t.label));
    e.weight = tag_weight(t) * factor;
    e.state = t.state;
    e.confidence = t.confidence;
    e.title_wide = t.shot_index < 0;
    e.inherited = factor < 1;
    e.tag_id = t.id;
    e.frame = evidence_frame(t.evidence);
    return e;
}

// The strongest weight per mood; every tag (a rejected one too, at 0) stays in the evidence.
void add_evidence(MoodProfile& p, MoodEvidence e) {
    if (e.weight > 0) {
        double& w = p.weights[e.mood];
        w = std::max(w, e.weight);
    }
    p.evidence.push_back(std::move(e));
}

const MoodProfile kEmptyProfile;

// Where in the evidence list a query's mood is best shown: its strongest tag.
const MoodEvidence* strongest(const MoodProfile& p, const std::string& mood) {
    const MoodEvidence* best = nullptr;
    for (const MoodEvidence& e : p.evidence)
        if (e.mood == mood && e.weight > 0 && (!best || e.weight > best->weight)) best = &e;
    return best;
}

}  // namespace

const std::vector<std::string>& mood_vocabulary() {
    // The labels of core/analysis/mood_rules.cpp's table, in its order (search does not link the analysis library;
    // tst_mood_profile fails when the two differ).
    static const std::vector<std::string> moods = {"tense", "calm", "joyful", "dark", "sad", "energetic"};
    return moods;
}

std::string MoodQuery::text() const {
    std::string s;
    for (const MoodWeight& m : moods) s += (s.empty() ? "" : ",") + m.mood + ":" + fixed(m.weight);
    return s;
}

std::vector<std::string> known_moods(Store& store, const std::vector<int64_t>& title_ids) {
    std::vector<std::string> out = mood_vocabulary();
    std::vector<int64_t> ids = title_ids;
    if (ids.empty())
        for (const TitleRecord& t : store.titles()) ids.push_back(t.id);
    std::set<std::string> others;
    for (int64_t id : ids)
        for (const Tag& t : store.tags(id))
            if (is_mood(t) && t.state != ReviewState::Rejected) {
                const std::string m = lower(trim(t.label));
                if (std::find(out.begin(), out.end(), m) == out.end()) others.insert(m);
            }
    out.insert(out.end(), others.begin(), others.end());
    return out;
}

MoodQuery parse_mood_query(const std::string& text, const std::vector<std::string>& known) {
    if (trim(text).empty())
        throw Error("an empty mood — give one, e.g. tense, or a mix, e.g. tense:0.7,dark:0.3");
    auto known_list = [&] {
        std::string s;
        for (const std::string& k : known) s += (s.empty() ? "" : ", ") + k;
        return s;
    };
    MoodQuery q;
    double total = 0;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        const std::string term = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        start = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (term.empty())
            throw Error("'" + text + "' has an empty part between commas — write e.g. tense:0.7,dark:0.3");
        const size_t colon = term.rfind(':');
        const std::string name = lower(trim(colon == std::string::npos ? term : term.substr(0, colon)));
        double weight = 1;
        if (colon != std::string::npos) {
            const std::string w = trim(term.substr(colon + 1));
            size_t used = 0;
            bool ok = !w.empty();
            try {
                if (ok) weight = std::stod(w, &used);
            } catch (const std::exception&) {
                ok = false;
            }
            if (!ok || used != w.size() || !std::isfinite(weight) || weight <= 0)
                throw Error("mood weight '" + w + "' in '" + term +
                            "' is not a positive number — write e.g. tense:0.7,dark:0.3");
        }
        if (name.empty()) throw Error("'" + term + "' names no mood — write e.g. tense:0.7,dark:0.3");
        if (std::find(known.begin(), known.end(), name) == known.end())
            throw Error("unknown mood '" + name + "' — known moods: " + known_list());
        for (const MoodWeight& m : q.moods)
            if (m.mood == name) throw Error("mood '" + name + "' is given twice in '" + text + "' — give it once");
        q.moods.push_back({name, weight});
        total += weight;
    }
    for (MoodWeight& m : q.moods) m.weight /= total;
    return q;
}

MoodQuery parse_mood_query(Store& store, const std::string& text, const std::vector<int64_t>& title_ids) {
    // Most queries name the analysis's moods: those need no look at the titles' tags (every tag of every title, a
    // cost a server pays per request). Only a query the vocabulary refuses is checked against people's own moods,
    // which also gives the error its full list.
    try {
        return parse_mood_query(text, mood_vocabulary());
    } catch (const Error&) {
        return parse_mood_query(text, known_moods(store, title_ids));
    }
}

const MoodProfile& TitleMoodProfiles::shot(int shot_index) const {
    const auto it = shots.find(shot_index);
    return it == shots.end() ? kEmptyProfile : it->second;
}

TitleMoodProfiles mood_profiles(Store& store, int64_t title_id) {
    TitleMoodProfiles out;
    out.title_id = title_id;
    const std::vector<Shot> shots = store.shots(title_id);
    for (const Shot& s : shots) out.shots[s.index];
    std::vector<const Tag*> title_tags;
    std::map<int, std::set<std::string>> shot_has;  // moods a shot has any tag of, rejected included
    const std::vector<Tag> tags = store.tags(title_id);
    for (const Tag& t : tags) {
        if (!is_mood(t)) continue;
        if (t.shot_index < 0) {
            title_tags.push_back(&t);
            add_evidence(out.title, evidence_of(t, 1.0));
        } else if (auto it = out.shots.find(t.shot_index); it != out.shots.end()) {
            add_evidence(it->second, evidence_of(t, 1.0));
            shot_has[t.shot_index].insert(lower(trim(t.label)));
        }
    }
    // Title-wide tags reach shots at half weight, unless the shot has its own tag of that mood (a person's
    // rejection on the shot included).
    for (const Tag* t : title_tags) {
        const std::string mood = lower(trim(t->label));
        for (auto& [index, profile] : out.shots)
            if (!shot_has[index].count(mood)) add_evidence(profile, evidence_of(*t, 0.5));
    }
    // Moods without a title-wide tag: the duration-weighted mean of the shots' own weights.
    std::set<std::string> title_decided;
    for (const Tag* t : title_tags) title_decided.insert(lower(trim(t->label)));
    double total_s = 0;
    std::map<std::string, double> mass;
    for (const Shot& s : shots) {
        const double d = std::max(0.0, s.end_s - s.start_s);
        total_s += d;
        std::map<std::string, double> own;  // the shot's own weights (not the inherited title ones)
        for (const MoodEvidence& e : out.shot(s.index).evidence)
            if (!e.title_wide) own[e.mood] = std::max(own[e.mood], e.weight);
        for (const auto& [m, w] : own)
            if (!title_decided.count(m)) mass[m] += d * w;
    }
    if (total_s > 0)
        for (const auto& [m, sum] : mass)
            if (sum > 0) out.title.weights[m] = sum / total_s;
    return out;
}

double mood_similarity(const MoodQuery& query, const MoodProfile& profile) {
    double dot = 0, qq = 0, pp = 0, largest = 0;
    for (const MoodWeight& m : query.moods) {
        qq += m.weight * m.weight;
        if (auto it = profile.weights.find(m.mood); it != profile.weights.end()) dot += m.weight * it->second;
    }
    for (const auto& [mood, w] : profile.weights) {
        pp += w * w;
        largest = std::max(largest, w);
    }
    const double none = 1 - std::min(1.0, largest);  // the "no mood" component
    pp += none * none;
    if (dot <= 0 || qq <= 0 || pp <= 0) return 0;
    return std::clamp(dot / std::sqrt(qq * pp), 0.0, 1.0);
}

MoodMatch match_mood(const MoodQuery& query, const MoodProfile& profile) {
    MoodMatch m;
    m.score = mood_similarity(query, profile);
    double best = 0;
    auto add = [&m](const std::string& part) { m.why += (m.why.empty() ? "" : "; ") + part; };
    for (const MoodWeight& q : query.moods) {
        if (const MoodEvidence* e = strongest(profile, q.mood)) {
            add("mood " + q.mood + " " + fixed(e->weight) + " (" + to_string(e->state) +
                (e->inherited ? ", title x0.5" : "") + ")");
            if (e->weight * q.weight > best && e->frame >= 0) {
                best = e->weight * q.weight;
                m.frame = e->frame;
            }
        } else if (auto it = profile.weights.find(q.mood); it != profile.weights.end()) {
            // A title's mood without a title-wide tag: the duration-weighted mean of its shots' tags.
            add("mood " + q.mood + " " + fixed(it->second) + " (shots' tags, by duration)");
        } else if (std::any_of(profile.evidence.begin(), profile.evidence.end(), [&](const MoodEvidence& e) {
                       return e.mood == q.mood && e.state == ReviewState::Rejected;
                   })) {
            add("mood " + q.mood + " rejected by a person");
        }
    }
    return m;
}

namespace {

// The frame to show: `frame` when it is a sampled frame of the title, else the first sampled frame of `shot`
// (-1: of the title).
void show_frame(MoodHit& hit, const std::vector<FrameRecord>& frames, const std::vector<Shot>& shots, int64_t frame,
                int shot) {
    const FrameRecord* shown = nullptr;
    for (const FrameRecord& f : frames)
        if (f.frame_index == frame) shown = &f;
    if (!shown)
        for (const FrameRecord& f : frames)
            if (shot < 0 || f.shot_index == shot) {
                shown = &f;
                break;
            }
    if (shown) {
        hit.frame_index = shown->frame_index;
        hit.frame_id = shown->id;
        hit.time_s = shown->pts_s;
        return;
    }
    for (const Shot& s : shots)
        if (s.index == shot) {
            hit.frame_index = s.start_frame;
            hit.time_s = s.start_s;
        }
}

MoodHit hit_of(const TitleRecord& title, int shot, const MoodQuery& query, const MoodProfile& profile,
               const MoodMatch& match) {
    MoodHit h;
    h.title_id = title.id;
    h.title_name = title.name;
    h.shot_index = shot;
    h.score = match.score;
    h.why = match.why;
    h.profile = profile.weights;
    for (const MoodEvidence& e : profile.evidence)
        if (std::any_of(query.moods.begin(), query.moods.end(), [&](const MoodWeight& q) { return q.mood == e.mood; }))
            h.evidence.push_back(e);
    std::stable_sort(h.evidence.begin(), h.evidence.end(),
                     [](const MoodEvidence& a, const MoodEvidence& b) { return a.weight > b.weight; });
    return h;
}

void rank(std::vector<MoodHit>& hits, int limit) {
    std::stable_sort(hits.begin(), hits.end(), [](const MoodHit& a, const MoodHit& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.title_id != b.title_id) return a.title_id < b.title_id;
        return a.shot_index < b.shot_index;
    });
    if (limit > 0 && hits.size() > size_t(limit)) hits.resize(size_t(limit));
}

void check_query(const MoodQuery& query) {
    if (query.moods.empty()) throw Error("an empty mood query — give a mood, e.g. tense");
}

}  // namespace

std::vector<MoodHit> nearest_mood_scenes(Store& store, const MoodQuery& query, const MoodSearchOptions& options) {
    check_query(query);
    const std::vector<TitleRecord> titles = titles_to_search(store, options.title_id);
    std::vector<MoodHit> hits;
    for (const TitleRecord& title : titles) {
        const TitleMoodProfiles profiles = mood_profiles(store, title.id);
        std::vector<FrameRecord> frames;
        std::vector<Shot> shots;
        bool loaded = false;
        for (const auto& [index, profile] : profiles.shots) {
            const MoodMatch m = match_mood(query, profile);
            if (m.score <= 0) continue;
            if (!loaded) {
                frames = store.frames(title.id);
                shots = store.shots(title.id);
                loaded = true;
            }
            MoodHit h = hit_of(title, index, query, profile, m);
            // A frame the matching tag names, when it lies in this shot (a title-wide tag's may not).
            int64_t frame = -1;
            for (const Shot& s : shots)
                if (s.index == index && m.frame >= s.start_frame && m.frame < s.end_frame) frame = m.frame;
            show_frame(h, frames, shots, frame, index);
            hits.push_back(std::move(h));
        }
    }
    rank(hits, options.limit);
    return hits;
}

std::vector<MoodHit> nearest_mood_titles(Store& store, const MoodQuery& query, const MoodSearchOptions& options) {
    check_query(query);
    std::vector<MoodHit> hits;
    for (const TitleRecord& title : store.titles()) {
        const TitleMoodProfiles profiles = mood_profiles(store, title.id);
        const MoodMatch m = match_mood(query, profiles.title);
        if (m.score <= 0) continue;
        MoodHit h = hit_of(title, -1, query, profiles.title, m);
        // Shown: the frame of the title's shot nearest the query (its most "tense" shot).
        int best_shot = -1;
        double best = 0;
        int64_t frame = -1;
        for (const auto& [index, profile] : profiles.shots) {
            const MoodMatch s = match_mood(query, profile);
            if (s.score > best) best = s.score, best_shot = index, frame = s.frame;
        }
        const std::vector<Shot> shots = store.shots(title.id);
        if (best_shot >= 0)
            for (const Shot& s : shots)
                if (s.index == best_shot && !(frame >= s.start_frame && frame < s.end_frame)) frame = -1;
        show_frame(h, store.frames(title.id), shots, frame, best_shot);
        hits.push_back(std::move(h));
    }
    rank(hits, options.limit);
    return hits;
}

}  // namespace frameline
