#include "core/analysis/personalised_artwork.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/error.h"

namespace frameline {
namespace {

using json = nlohmann::ordered_json;

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

std::map<std::string, double> weights_of(const json& seg, const char* key, const std::string& id) {
    std::map<std::string, double> out;
    if (!seg.contains(key)) return out;
    const json& w = seg[key];
    if (!w.is_object())
        throw Error("segment '" + id + "': \"" + key + "\" must be an object of name -> weight, e.g. {\"tense\": 1.0}");
    for (const auto& [name, value] : w.items()) {
        if (!value.is_number() || !std::isfinite(value.get<double>()))
            throw Error("segment '" + id + "': weight of " + key + " '" + name + "' must be a number");
        out[name] = value.get<double>();
    }
    return out;
}

bool valid_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

// The shot holding a frame (its index), or -1.
int shot_of(const TitleFacts* facts, int64_t frame) {
    if (!facts) return -1;
    const Shot* s = facts->shot_at(frame);
    return s ? s->index : -1;
}

// The confidence of an unrejected tag (category, label) on `shot`, else title_factor x the title-level one's, else 0.
// Accepted and corrected tags count 1: a person confirmed them.
double tag_presence(const std::vector<Tag>& tags, const std::string& category, const std::string& label, int shot,
                    double title_factor, std::string& where) {
    double on_shot = 0, on_title = 0;
    const std::string want = lower(label);
    for (const Tag& t : tags) {
        if (t.state == ReviewState::Rejected || lower(t.category) != category || lower(t.label) != want) continue;
        const double c = t.state == ReviewState::Accepted || t.state == ReviewState::Corrected ? 1.0 : t.confidence;
        if (t.shot_index == shot && shot >= 0) on_shot = std::max(on_shot, c);
        else if (t.shot_index < 0) on_title = std::max(on_title, c);
    }
    if (on_shot > 0) {
        where = "shot";
        return std::min(1.0, on_shot);
    }
    if (on_title > 0) {
        where = "title";
        return std::min(1.0, title_factor * on_title);
    }
    return 0.0;
}

// The character a profile key names: a stored id ("12"), a rank by screen time ("#1"), or a name.
const Character* resolve_character(const std::vector<Character>& characters, const std::string& key) {
    if (characters.empty() || key.empty()) return nullptr;
    if (key[0] == '#') {
        std::vector<const Character*> sorted;
        for (const Character& c : characters) sorted.push_back(&c);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const Character* a, const Character* b) { return a->screen_time_s > b->screen_time_s; });
        char* end = nullptr;
        const long rank = std::strtol(key.c_str() + 1, &end, 10);
        if (end && *end == '\0' && rank >= 1 && rank <= long(sorted.size())) return sorted[size_t(rank - 1)];
        return nullptr;
    }
    if (std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        const int64_t id = std::stoll(key);
        for (const Character& c : characters)
            if (c.id == id) return &c;
    }
    for (const Character& c : characters)
        if (!c.name.empty() && lower(c.name) == lower(key)) return &c;
    return nullptr;
}

}  // namespace

SegmentProfiles parse_segment_profiles(const std::string& json_text) {
    const json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded()) throw Error("segment profiles are not valid JSON");
    if (!doc.is_object() || !doc.contains("segments") || !doc["segments"].is_array())
        throw Error("segment profiles need {\"segments\": [{\"id\": ..., \"characters\": {...}, \"moods\": {...}, "
                    "\"genres\": {...}}]}");
    SegmentProfiles out;
    if (doc.contains("variants_per_segment")) {
        if (!doc["variants_per_segment"].is_number_integer() || doc["variants_per_segment"].get<int>() < 1)
            throw Error("\"variants_per_segment\" must be a whole number of at least 1");
        out.variants_per_segment = doc["variants_per_segment"].get<int>();
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < doc["segments"].size(); ++i) {
        const json& s = doc["segments"][i];
        if (!s.is_object() || !s.contains("id") || !s["id"].is_string())
            throw Error("segment " + std::to_string(i + 1) + " has no \"id\" string");
        SegmentProfile p;
        p.id = s["id"].get<std::string>();
        if (!valid_id(p.id)) throw Error("segment id '" + p.id + "' may only use letters, digits, '_', '-' and '.'");
        if (!seen.insert(p.id).second) throw Error("segment id '" + p.id + "' is used twice");
        p.name = s.contains("name") && s["name"].is_string() ? s["name"].get<std::string>() : p.id;
        p.characters = weights_of(s, "characters", p.id);
        p.moods = weights_of(s, "moods", p.id);
        p.genres = weights_of(s, "genres", p.id);
        p.tags = weights_of(s, "tags", p.id);
        for (const auto& [k, w] : p.tags)
            if (k.find(':') == std::string::npos)
                throw Error("segment '" + p.id + "': tag key '" + k + "' must be \"category:label\"");
        if (p.characters.empty() && p.moods.empty() && p.genres.empty() && p.tags.empty())
            throw Error("segment '" + p.id + "' has no weights (characters, moods, genres or tags)");
        out.segments.push_back(std::move(p));
    }
    if (out.segments.empty()) throw Error("segment profiles list no segments");
    return out;
}

std::vector<SegmentRank> rank_artwork_for_segment(const ArtworkContext& ctx, const SegmentProfile& seg) {
    std::unordered_map<int64_t, int64_t> face_frame;
    if (ctx.facts)
        for (const Face& f : ctx.facts->faces) face_frame[f.id] = f.frame_index;
    double total = 0;
    for (const auto* m : {&seg.characters, &seg.moods, &seg.genres, &seg.tags})
        for (const auto& [k, w] : *m) total += std::abs(w);

    std::vector<SegmentRank> ranks;
    for (size_t i = 0; i < ctx.artwork.size(); ++i) {
        const ArtworkCandidate& a = ctx.artwork[i];
        const int shot = shot_of(ctx.facts, a.frame_index);
        double sum = 0;
        json matched = json::array();
        for (const auto& [key, w] : seg.characters) {
            const Character* c = resolve_character(ctx.characters, key);
            if (!c) continue;
            double presence = 0;
            for (int64_t id : c->face_ids) {
                auto it = face_frame.find(id);
                if (it == face_frame.end()) continue;
                if (it->second == a.frame_index) presence = 1.0;
                else if (shot >= 0 && shot_of(ctx.facts, it->second) == shot) presence = std::max(presence, 0.5);
            }
            if (presence > 0) {
                sum += w * presence;
                matched.push_back({{"character", key}, {"weight", w}, {"presence", presence},
                                   {"where", presence == 1.0 ? "frame" : "shot"}});
            }
        }
        auto add_tags = [&](const std::map<std::string, double>& weights, const char* category, double title_factor) {
            for (const auto& [key, w] : weights) {
                std::string cat = category, label = key, where;
                if (cat.empty()) {
                    const size_t colon = key.find(':');
                    cat = lower(key.substr(0, colon));
                    label = key.substr(colon + 1);
                }
                const double p = tag_presence(ctx.tags, cat, label, shot, title_factor, where);
                if (p > 0) {
                    sum += w * p;
                    matched.push_back({{cat, label}, {"weight", w}, {"presence", round4(p)}, {"where", where}});
                }
            }
        };
        add_tags(seg.moods, "mood", 0.5);
        add_tags(seg.genres, "genre", 1.0);  // genres are a title's by nature: no discount
        add_tags(seg.tags, "", 0.5);
        SegmentRank r;
        r.candidate = i;
        r.affinity = total > 0 ? sum / total : 0.0;
        r.score = 0.7 * r.affinity + 0.3 * a.score;
        r.matched = matched.dump();
        ranks.push_back(r);
    }
    std::stable_sort(ranks.begin(), ranks.end(), [](const SegmentRank& x, const SegmentRank& y) { return x.score > y.score; });
    return ranks;
}

std::string artwork_variant_id(const TitleRecord& title, int64_t frame_index) {
    const std::string key = title.content_hash.empty() ? "t" + std::to_string(title.id) : title.content_hash.substr(0, 8);
    return "art-" + key + "-f" + std::to_string(frame_index);
}

std::string export_ab_plan(const ArtworkContext& ctx, const SegmentProfiles& profiles) {
    if (!ctx.facts) throw Error("an A/B plan needs the title's facts");
    const TitleRecord& t = ctx.facts->title;
    if (ctx.artwork.empty())
        throw Error("title '" + t.name + "' has no artwork candidates to plan with (run the analysis first)");
    std::unordered_map<int64_t, double> pts;
    for (const FrameRecord& f : ctx.facts->frames) pts[f.frame_index] = f.pts_s;

    // The control: the best artwork overall.
    size_t best = 0;
    for (size_t i = 1; i < ctx.artwork.size(); ++i)
        if (ctx.artwork[i].score > ctx.artwork[best].score) best = i;

    std::vector<json> variant_segments(ctx.artwork.size(), json::array());
    json segments = json::array();
    const size_t arms = size_t(std::max(1, profiles.variants_per_segment));
    for (const SegmentProfile& seg : profiles.segments) {
        const std::vector<SegmentRank> ranks = rank_artwork_for_segment(ctx, seg);
        json arm_ids = json::array(), ranking = json::array();
        for (size_t r = 0; r < ranks.size(); ++r) {
            const std::string id = artwork_variant_id(t, ctx.artwork[ranks[r].candidate].frame_index);
            ranking.push_back({{"variant", id}, {"score", round4(ranks[r].score)}, {"affinity", round4(ranks[r].affinity)},
                               {"matched", json::parse(ranks[r].matched)}});
            if (r < arms) {
                arm_ids.push_back(id);
                variant_segments[ranks[r].candidate].push_back(
                    {{"segment", seg.id}, {"rank", r + 1}, {"score", round4(ranks[r].score)},
                     {"affinity", round4(ranks[r].affinity)}});
            }
        }
        segments.push_back({{"id", seg.id}, {"name", seg.name}, {"arms", arm_ids}, {"ranking", ranking}});
    }
    json variants = json::array();
    for (size_t i = 0; i < ctx.artwork.size(); ++i) {
        const ArtworkCandidate& a = ctx.artwork[i];
        json crops = json::parse(a.crops, nullptr, false);
        variants.push_back({{"id", artwork_variant_id(t, a.frame_index)},
                            {"frame_index", a.frame_index},
                            {"pts_s", pts.count(a.frame_index) ? json(round4(pts[a.frame_index])) : json(nullptr)},
                            {"candidate_id", a.id},
                            {"artwork_score", round4(a.score)},
                            {"crops", crops.is_discarded() ? json::object() : crops},
                            {"segments", variant_segments[i]}});
    }
    const json plan = {{"schema", "frameline.artwork-ab-plan/1"},
                       {"title", {{"id", t.id}, {"name", t.name}, {"content_hash", t.content_hash}, {"media", t.media_path}}},
                       {"control", artwork_variant_id(t, ctx.artwork[best].frame_index)},
                       {"variants", variants},
                       {"segments", segments}};
    return plan.dump(2);
}

}  // namespace frameline
