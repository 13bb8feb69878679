#include "core/analysis/tags.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/analysis/colour_style.h"
#include "core/analysis/mood_rules.h"
#include "core/error.h"

namespace frameline {

namespace {

using json = nlohmann::json;

constexpr double kCloseUpFaceHeight = 0.30;
constexpr double kMediumFaceHeight = 0.10;
constexpr double kWidePersonHeight = 0.40;
constexpr double kPornMin = 0.5, kHentaiMin = 0.5, kSexyMin = 0.6;
constexpr double kAudioTagMinShare = 0.2;
constexpr double kTitleMoodMinShare = 0.25;
constexpr double kPaceWindowS = 60.0;
constexpr double kHeuristicCap = 0.5;
// A frame counts as a drawing for the animation hint when the nsfw model's Drawing class is at least this sure: on
// goldeneye a live-action close-up scored Drawing 0.93, so one frame proves nothing; the rule asks for most frames.
constexpr double kDrawingFrameMin = 0.8;

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }
double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// Confidence from how far a value lies past the threshold that decided its label, relative to a scale: 0.5 at the
// threshold, 1 at `scale` beyond it. Labels decided by a hair are shown as unsure.
double margin_confidence(double distance, double scale) { return 0.5 + 0.5 * clamp01(std::abs(distance) / scale); }

void warn(const TagOptions& o, const std::string& m) {
    if (o.warnings) o.warnings->push_back(m);
}

Tag make_tag(int shot, const std::string& category, const std::string& label, double confidence, const json& evidence) {
    Tag t;
    t.shot_index = shot;
    t.category = category;
    t.label = label;
    t.confidence = round3(clamp01(confidence));
    t.evidence = evidence.dump();
    return t;
}

std::string age_band(double age) {
    if (age < 13) return "child";
    if (age < 30) return "young adult";
    if (age < 60) return "adult";
    return "senior";
}
double age_band_margin(double age) {
    double d = 1e9;
    for (double b : {13.0, 30.0, 60.0}) d = std::min(d, std::abs(age - b));
    return d;
}

bool tension_expression(const std::string& e) { return e == "angry" || e == "fear" || e == "surprise" || e == "disgust"; }

std::string people_label(int n) { return n >= 3 ? "3+" : std::to_string(n); }

// What tags.cpp gathers about one shot before labelling it.
struct ShotInfo {
    const Shot* shot = nullptr;
    double duration_s = 0;
    std::vector<const FrameRecord*> frames;
    double picture_height = 1.0;  // active picture height as a fraction of the frame (letterbox)
    // faces and detections of the shot's sampled frames
    std::vector<const Face*> faces;
    std::vector<const Detection*> objects;
    int people = 0;
    json people_evidence = json::array();
    double largest_face = 0;  // fraction of the picture height
    int64_t largest_face_frame = -1;
    double tallest_person = 0;
    int64_t tallest_person_frame = -1;
    // expressions
    std::map<std::string, double> expression_mass;
    double expression_total = 0;
    std::map<std::string, std::vector<double>> expression_scores;
    std::vector<int64_t> expression_frames;
    // colour
    ColourStyle colour;
    std::vector<int64_t> colour_frames;
    double motion = 0;
    bool has_motion = false;
    double cuts_per_minute = 0;
    // nsfw
    std::map<std::string, std::pair<double, int64_t>> nsfw_max;  // class -> (max, frame)
    bool has_nsfw = false;
    // audio
    const AudioShares* audio = nullptr;
    // moods
    std::vector<RuleResult> moods;
};

json palette_json(const ColourStyle& s) {
    json p = json::array();
    for (const PaletteColour& c : s.palette)
        p.push_back({{"hex", c.hex}, {"share", round3(c.share)}, {"lab", {round3(c.L), round3(c.a), round3(c.b)}}});
    return p;
}

json colour_measures(const ColourStyle& s) {
    return {{"mean_luma", round3(s.mean_luma)},    {"median_luma", round3(s.median_luma)},
            {"dark_share", round3(s.dark_share)},  {"light_share", round3(s.light_share)},
            {"cct_k", std::round(s.cct_k)},        {"mean_lab", {round3(s.mean_L), round3(s.mean_a), round3(s.mean_b)}},
            {"colourfulness", round3(s.colourfulness)}, {"sky_share", round3(s.sky_share)},
            {"warmth", s.warmth()},                {"saturation", s.saturation()},
            {"key", s.key()}};
}

json rule_evidence(const RuleResult& r) {
    json conds = json::array();
    for (const ConditionOutcome& o : r.outcomes) {
        json c = {{"condition", describe(*o.condition)}, {"why", o.condition->why}, {"met", o.met}};
        c["value"] = o.known ? json(round3(o.value)) : json(nullptr);
        conds.push_back(c);
    }
    return {{"score", round3(r.score)}, {"known_share", round3(r.known_share)}, {"conditions", conds}};
}

// Colour, pace, loudness and expression measures of a shot (or the title) as rule inputs; unknowns left out.
RuleInputs rule_inputs(const ShotInfo& s) {
    RuleInputs in;
    if (s.expression_total > 0) {
        double happy = 0, tension = 0, sad = 0;
        for (const auto& [e, m] : s.expression_mass) {
            if (e == "happy") happy += m;
            if (e == "sad") sad += m;
            if (tension_expression(e)) tension += m;
        }
        in["happy_share"] = happy / s.expression_total;
        in["tension_share"] = tension / s.expression_total;
        in["sad_share"] = sad / s.expression_total;
    }
    in["cuts_per_minute"] = s.cuts_per_minute;
    if (s.has_motion) in["motion"] = s.motion;
    if (!s.colour.empty()) {
        in["mean_luma"] = s.colour.mean_luma;
        in["dark_share"] = s.colour.dark_share;
        in["cct_k"] = s.colour.cct_k;
        in["colourfulness"] = s.colour.colourfulness;
    }
    if (s.audio && s.audio->has_audio()) {
        in["loudness_lufs"] = s.audio->loudness.integrated_lufs;
        in["music_share"] = s.audio->music;
        in["speech_share"] = s.audio->speech;
    }
    return in;
}

// Cuts (shot starts after the first) per minute within [t0, t1).
double cuts_per_minute(const std::vector<Shot>& shots, double t0, double t1) {
    if (t1 <= t0) return 0;
    int cuts = 0;
    for (const Shot& s : shots)
        if (s.start_frame > 0 && s.start_s >= t0 && s.start_s < t1) ++cuts;
    return cuts * 60.0 / (t1 - t0);
}

std::string pace_label(double cpm, double motion, bool has_motion, double& confidence) {
    const double m = has_motion ? motion : 0.0;
    if (cpm >= kFastCutsPerMinute) {
        confidence = margin_confidence(cpm - kFastCutsPerMinute, kFastCutsPerMinute);
        return "fast";
    }
    if (cpm >= 12.0 && m >= kHighMotion) {
        confidence = 0.6;
        return "fast";
    }
    if (cpm <= kSlowCutsPerMinute && m < kHighMotion) {
        confidence = margin_confidence(kSlowCutsPerMinute - cpm, kSlowCutsPerMinute) * (has_motion ? 1.0 : 0.8);
        return "slow";
    }
    confidence = 0.5 + 0.3 * clamp01(std::min(cpm - kSlowCutsPerMinute, kFastCutsPerMinute - cpm) / 6.0);
    return "medium";
}

std::string loudness_label(double lufs, double& confidence) {
    if (lufs < kQuietLufs) {
        confidence = margin_confidence(kQuietLufs - lufs, 10.0);
        return "quiet";
    }
    if (lufs >= kLoudLufs) {
        confidence = margin_confidence(lufs - kLoudLufs, 6.0);
        return "loud";
    }
    confidence = 0.5 + 0.4 * clamp01(std::min(lufs - kQuietLufs, kLoudLufs - lufs) / 5.0);
    return "normal";
}

// Time of day from the colour measures; empty when nothing fits. See tags.h.
std::string time_of_day(const ColourStyle& c, double& confidence, std::string& reason) {
    if (c.mean_luma < 50 && c.dark_share >= 0.6) {
        confidence = 0.3 + 0.2 * clamp01((50 - c.mean_luma) / 30);
        reason = "dark picture (mean luma < 50, >= 60 % shadow tones)";
        return "night";
    }
    if (c.cct_k <= 4000 && c.mean_luma >= 60 && c.mean_luma <= 170 && c.colourfulness >= 33) {
        confidence = 0.3 + 0.2 * clamp01((4000 - c.cct_k) / 1500);
        reason = "warm (CCT <= 4000 K), mid-bright, colourful light";
        return "golden hour";
    }
    if (c.mean_luma >= 90 && c.sky_share >= 0.15) {
        confidence = 0.35 + 0.15 * clamp01((c.sky_share - 0.15) / 0.3);
        reason = "bright with sky-like blue in the top third";
        return "day";
    }
    if (c.mean_luma >= 120 && c.cct_k >= 5000 && c.cct_k <= 8000) {
        confidence = 0.3;
        reason = "bright, daylight-white colour temperature (5000-8000 K)";
        return "day";
    }
    return "";
}

std::map<std::string, double> parse_scores(const std::string& text, bool& ok) {
    std::map<std::string, double> out;
    ok = false;
    try {
        const json j = json::parse(text);
        if (!j.is_object()) return out;
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.value().is_number()) out[it.key()] = it.value().get<double>();
        ok = true;
    } catch (const json::exception&) {
    }
    return out;
}

}  // namespace

void derive_tags(const TitleFacts& facts, ModelRunOutput& out, const TagOptions& opt) {
    auto check_stop = [&] {
        if (opt.stop.stop_requested()) throw Cancelled();
    };
    const std::vector<Shot>& shots = facts.shots;
    double title_start = 0, title_end = facts.title.duration_s;
    if (!shots.empty()) {
        title_start = std::min(title_start, shots.front().start_s);
        title_end = std::max(title_end, shots.back().end_s);
    }
    const double title_len = std::max(1e-9, title_end - title_start);

    // Shots by their index field (facts may number them from 0 in order; be safe either way).
    std::map<int, size_t> shot_pos;
    for (size_t i = 0; i < shots.size(); ++i) shot_pos[shots[i].index] = i;
    std::vector<ShotInfo> info(shots.size());
    for (size_t i = 0; i < shots.size(); ++i) {
        info[i].shot = &shots[i];
        info[i].duration_s = std::max(0.0, shots[i].end_s - shots[i].start_s);
    }
    std::map<int64_t, size_t> frame_shot;  // frame index -> position in `info`
    size_t stray_frames = 0;
    for (const FrameRecord& f : facts.frames) {
        auto it = shot_pos.find(f.shot_index);
        if (it == shot_pos.end()) {
            ++stray_frames;
            continue;
        }
        info[it->second].frames.push_back(&f);
        frame_shot[f.frame_index] = it->second;
    }
    if (stray_frames) warn(opt, std::to_string(stray_frames) + " sampled frames name a shot the title does not have; skipped");

    // Audio: measured here, given, or none.
    std::optional<TitleAudioCharacter> measured;
    const TitleAudioCharacter* audio = opt.audio;
    if (!audio && opt.measure_audio && !facts.media.empty()) {
        std::error_code ec;
        if (!std::filesystem::exists(facts.media, ec)) {
            warn(opt, "audio not measured: " + facts.media.string() + " is missing (moved or on another machine)");
        } else {
            try {
                measured = analyse_audio_character(facts.media, shots, facts.audio_segments, opt.stop);
                audio = &*measured;
            } catch (const Cancelled&) {
                throw;
            } catch (const Error& e) {
                warn(opt, std::string("audio not measured: ") + e.what());
            }
        }
    }
    if (audio && audio->shots.size() != shots.size()) {
        warn(opt, "audio measures cover " + std::to_string(audio->shots.size()) + " shots, the title has " +
                      std::to_string(shots.size()) + "; audio tags skipped");
        audio = nullptr;
    }

    // Frame-level facts into their shots.
    for (const Face& f : facts.faces) {
        auto it = frame_shot.find(f.frame_index);
        if (it == frame_shot.end() || f.score < opt.face_min_score) continue;
        info[it->second].faces.push_back(&f);
    }
    for (const Detection& d : facts.objects) {
        auto it = frame_shot.find(d.frame_index);
        if (it == frame_shot.end() || d.score < opt.object_min_score || d.label.empty()) continue;
        info[it->second].objects.push_back(&d);
    }
    size_t bad_scores = 0;
    int nsfw_frames = 0, drawing_frames = 0;
    for (const FrameScores& fs : facts.frame_scores) {
        if (fs.model != "nsfw") continue;
        auto it = frame_shot.find(fs.frame_index);
        if (it == frame_shot.end()) continue;
        bool ok = false;
        const auto scores = parse_scores(fs.scores, ok);
        if (!ok) {
            ++bad_scores;
            continue;
        }
        ShotInfo& s = info[it->second];
        s.has_nsfw = true;
        ++nsfw_frames;
        if (auto d = scores.find("Drawing"); d != scores.end() && d->second >= kDrawingFrameMin) ++drawing_frames;
        for (const auto& [k, v] : scores) {
            auto [it2, inserted] = s.nsfw_max.try_emplace(k, v, fs.frame_index);
            if (!inserted && v > it2->second.first) it2->second = {v, fs.frame_index};
        }
    }
    if (bad_scores) warn(opt, std::to_string(bad_scores) + " nsfw score rows are not JSON objects; skipped");

    // Title-level accumulators.
    std::map<std::string, std::vector<std::pair<int, double>>> title_objects;  // label -> (shot, confidence)
    std::map<std::string, double> title_people, title_scale, title_expression, title_age, title_mood, title_tod;
    std::map<std::string, std::vector<int>> maturity_shots;
    double face_shot_duration = 0, measured_shot_duration = 0, low_key_duration = 0, happy_face_duration = 0;
    std::vector<ColourStyle> shot_styles;
    std::vector<double> shot_style_weights;
    double motion_sum = 0, motion_w = 0;
    int drawing_n = 0;
    double min_safe_conf = 1.0;
    int shots_with_frames = 0;

    for (size_t i = 0; i < info.size(); ++i) {
        check_stop();
        ShotInfo& s = info[i];
        const int si = s.shot->index;
        if (!s.frames.empty()) ++shots_with_frames;

        // Picture height (letterbox) from the first frame with an active rect.
        for (const FrameRecord* f : s.frames)
            if (f->height > 0 && f->active.height > 0) {
                s.picture_height = std::clamp(double(f->active.height) / f->height, 0.1, 1.0);
                break;
            }

        // ---- objects
        {
            std::map<std::string, std::map<int64_t, std::vector<double>>> per;  // label -> frame -> scores
            for (const Detection* d : s.objects) per[d->label][d->frame_index].push_back(d->score);
            for (const auto& [label, frames] : per) {
                int count = 0;
                double best = 0;
                json ev_frames = json::array();
                for (const auto& [fi, scores] : frames) {
                    count = std::max(count, int(scores.size()));
                    best = std::max(best, *std::max_element(scores.begin(), scores.end()));
                    json sc = json::array();
                    for (double v : scores) sc.push_back(round3(v));
                    ev_frames.push_back({{"frame", fi}, {"count", scores.size()}, {"scores", sc}});
                }
                out.tags.push_back(make_tag(si, "object", label, best,
                                            {{"count", count}, {"frames", ev_frames}, {"min_score", opt.object_min_score}}));
                title_objects[label].push_back({si, best});
            }
        }

        // ---- people and shot scale
        {
            std::map<int64_t, std::pair<int, int>> per;  // frame -> (faces, persons)
            double score_sum = 0;
            int score_n = 0;
            for (const Face* f : s.faces) {
                per[f->frame_index].first++;
                score_sum += f->score;
                ++score_n;
                const double h = f->height / s.picture_height;
                if (h > s.largest_face) {
                    s.largest_face = h;
                    s.largest_face_frame = f->frame_index;
                }
            }
            for (const Detection* d : s.objects)
                if (d->label == "person") {
                    per[d->frame_index].second++;
                    score_sum += d->score;
                    ++score_n;
                    const double h = d->height / s.picture_height;
                    if (h > s.tallest_person) {
                        s.tallest_person = h;
                        s.tallest_person_frame = d->frame_index;
                    }
                }
            for (const auto& [fi, c] : per) {
                const int n = std::max(c.first, c.second);
                s.people = std::max(s.people, n);
                s.people_evidence.push_back({{"frame", fi}, {"faces", c.first}, {"person_boxes", c.second}});
            }
            if (s.people > 0) {
                const std::string label = people_label(s.people);
                out.tags.push_back(make_tag(si, "people", label, score_n ? score_sum / score_n : 0.5,
                                            {{"count", s.people}, {"frames", s.people_evidence}}));
                title_people[label] += s.duration_s;
            }
            std::string scale;
            double conf = 0;
            json ev;
            if (s.largest_face > 0) {
                const double h = s.largest_face;
                if (h >= kCloseUpFaceHeight) {
                    scale = "close-up";
                    conf = margin_confidence(h - kCloseUpFaceHeight, 0.15);
                } else if (h >= kMediumFaceHeight) {
                    scale = "medium";
                    conf = margin_confidence(std::min(h - kMediumFaceHeight, kCloseUpFaceHeight - h), 0.06);
                } else {
                    scale = "wide";
                    conf = margin_confidence(kMediumFaceHeight - h, 0.05);
                }
                ev = {{"largest_face_height", round3(h)}, {"frame", s.largest_face_frame},
                      {"thresholds", {{"close-up", kCloseUpFaceHeight}, {"medium", kMediumFaceHeight}}}};
            } else if (s.tallest_person > 0 && s.tallest_person < kWidePersonHeight) {
                scale = "wide";
                conf = 0.5 * margin_confidence(kWidePersonHeight - s.tallest_person, 0.2);
                ev = {{"no_face", true}, {"tallest_person_height", round3(s.tallest_person)},
                      {"frame", s.tallest_person_frame}, {"threshold", kWidePersonHeight}};
            }
            if (!scale.empty()) {
                out.tags.push_back(make_tag(si, "shot_scale", scale, conf, ev));
                title_scale[scale] += s.duration_s;
            }
        }

        // ---- expression and age
        {
            std::map<std::string, std::vector<std::pair<int64_t, double>>> bands;  // band -> (frame, age)
            double band_conf_sum = 0;
            std::map<std::string, double> band_conf;
            for (const Face* f : s.faces) {
                if (f->height / s.picture_height < opt.min_face_height) continue;
                if (!f->expression.empty() && f->expression_score >= opt.clear_expression_score) {
                    s.expression_mass[f->expression] += f->expression_score;
                    s.expression_total += f->expression_score;
                    s.expression_scores[f->expression].push_back(f->expression_score);
                    s.expression_frames.push_back(f->frame_index);
                }
                if (f->age > 0) {
                    const std::string b = age_band(f->age);
                    bands[b].push_back({f->frame_index, f->age});
                    const double c = (0.5 + 0.4 * clamp01(age_band_margin(f->age) / 5.0)) * std::max(0.5, f->score);
                    band_conf[b] = std::max(band_conf[b], c);
                    band_conf_sum += c;
                }
            }
            if (s.expression_total > 0) {
                auto best = std::max_element(s.expression_mass.begin(), s.expression_mass.end(),
                                             [](auto& a, auto& b) { return a.second < b.second; });
                const double share = best->second / s.expression_total;
                if (share >= 0.5) {
                    const auto& sc = s.expression_scores[best->first];
                    double mean = 0;
                    for (double v : sc) mean += v;
                    mean /= double(sc.size());
                    json shares = json::object();
                    for (const auto& [e, m] : s.expression_mass) shares[e] = round3(m / s.expression_total);
                    out.tags.push_back(make_tag(si, "expression", best->first, mean * share,
                                                {{"share", round3(share)}, {"faces", sc.size()},
                                                 {"frames", s.expression_frames}, {"shares", shares},
                                                 {"min_expression_score", opt.clear_expression_score}}));
                    title_expression[best->first] += s.duration_s;
                }
            }
            for (const auto& [b, faces] : bands) {
                json fr = json::array();
                for (const auto& [fi, age] : faces) fr.push_back({{"frame", fi}, {"age", round3(age)}});
                out.tags.push_back(make_tag(si, "age_band", b, band_conf[b], {{"faces", fr}, {"bands", "child <13, young adult 13-29, adult 30-59, senior >=60"}}));
                title_age[b] += s.duration_s;
            }
        }

        // ---- maturity
        if (s.has_nsfw) {
            json scores = json::object();
            for (const auto& [k, v] : s.nsfw_max) scores[k] = {{"max", round3(v.first)}, {"frame", v.second}};
            auto get = [&](const char* k) {
                auto it = s.nsfw_max.find(k);
                return it == s.nsfw_max.end() ? 0.0 : it->second.first;
            };
            const double porn = get("Porn"), hentai = get("Hentai"), sexy = get("Sexy");
            ++drawing_n;
            json ev = {{"scores", scores}, {"thresholds", {{"Porn", kPornMin}, {"Hentai", kHentaiMin}, {"Sexy", kSexyMin}}}};
            bool flagged = false;
            for (auto [label, v, t] : {std::tuple{"porn", porn, kPornMin}, std::tuple{"hentai", hentai, kHentaiMin},
                                        std::tuple{"sexy", sexy, kSexyMin}})
                if (v >= t) {
                    out.tags.push_back(make_tag(si, "maturity", label, v, ev));
                    maturity_shots[label].push_back(si);
                    flagged = true;
                }
            if (!flagged) {
                const double c = 1.0 - std::max({porn, hentai, sexy});
                out.tags.push_back(make_tag(si, "maturity", "safe", c, ev));
                min_safe_conf = std::min(min_safe_conf, c);
            }
        }

        // ---- colour and time of day
        {
            ColourAccumulator acc;
            if (facts.thumbnail) {
                for (const FrameRecord* f : s.frames) {
                    if (f->flags & (kFlagBlack | kFlagWhite | kFlagInTransition)) continue;
                    try {
                        const RgbImage img = facts.thumbnail(f->id);
                        if (img.empty()) continue;
                        acc.add(img, f->active);
                        s.colour_frames.push_back(f->frame_index);
                    } catch (const Error& e) {
                        warn(opt, "frame " + std::to_string(f->frame_index) + ": thumbnail unreadable (" + e.what() + ")");
                    }
                }
            }
            s.colour = acc.finish();
            if (!s.colour.empty()) {
                const ColourStyle& c = s.colour;
                json ev = colour_measures(c);
                ev["frames"] = s.colour_frames;
                if (c.warmth() == "warm")
                    out.tags.push_back(make_tag(si, "colour", "warm", margin_confidence(1e6 / c.cct_k - 1e6 / kWarmBelowK, 60), ev));
                else if (c.warmth() == "cool")
                    out.tags.push_back(make_tag(si, "colour", "cool", margin_confidence(1e6 / kCoolAboveK - 1e6 / c.cct_k, 60), ev));
                if (c.saturation() == "saturated")
                    out.tags.push_back(make_tag(si, "colour", "saturated", margin_confidence(c.colourfulness - kSaturatedAbove, 20), ev));
                else if (c.saturation() == "muted")
                    out.tags.push_back(make_tag(si, "colour", "muted", margin_confidence(kMutedBelow - c.colourfulness, 15), ev));
                if (c.key() == "low-key")
                    out.tags.push_back(make_tag(si, "colour", "low-key", margin_confidence(c.dark_share - kLowKeyDarkShare, 0.3), ev));
                else if (c.key() == "high-key")
                    out.tags.push_back(make_tag(si, "colour", "high-key", margin_confidence(c.light_share - kHighKeyLightShare, 0.3), ev));
                json pev = ev;
                pev["palette"] = palette_json(c);
                out.tags.push_back(make_tag(si, "colour", "palette", 0.9, pev));
                shot_styles.push_back(c);
                shot_style_weights.push_back(std::max(1e-3, s.duration_s));
                double tconf = 0;
                std::string reason;
                const std::string tod = time_of_day(c, tconf, reason);
                if (!tod.empty()) {
                    json tev = ev;
                    tev["heuristic"] = true;
                    tev["reason"] = reason;
                    tev["limits"] = "brightness and colour temperature only: interiors are not told from exteriors";
                    out.tags.push_back(make_tag(si, "time_of_day", tod, std::min(kHeuristicCap, tconf), tev));
                    title_tod[tod] += s.duration_s;
                }
                if (c.key() == "low-key") low_key_duration += s.duration_s;
            }
        }

        // ---- motion and pace
        {
            double m = 0;
            int n = 0;
            json mf = json::array();
            for (const FrameRecord* f : s.frames) {
                m += f->motion;
                ++n;
                mf.push_back({{"frame", f->frame_index}, {"motion", round3(f->motion)}});
            }
            s.has_motion = n > 0;
            s.motion = n ? m / n : 0;
            if (s.has_motion) {
                motion_sum += s.motion * s.duration_s;
                motion_w += s.duration_s;
            }
            const double centre = 0.5 * (s.shot->start_s + s.shot->end_s);
            double w0 = centre - kPaceWindowS / 2, w1 = centre + kPaceWindowS / 2;
            if (w0 < title_start) {
                w1 = std::min(title_end, w1 + (title_start - w0));
                w0 = title_start;
            }
            if (w1 > title_end) {
                w0 = std::max(title_start, w0 - (w1 - title_end));
                w1 = title_end;
            }
            s.cuts_per_minute = cuts_per_minute(shots, w0, w1);
            double conf = 0;
            const std::string pace = pace_label(s.cuts_per_minute, s.motion, s.has_motion, conf);
            out.tags.push_back(make_tag(si, "pace", pace, conf,
                                        {{"cuts_per_minute", round3(s.cuts_per_minute)},
                                         {"window_s", {round3(w0), round3(w1)}},
                                         {"shot_length_s", round3(s.duration_s)},
                                         {"motion", s.has_motion ? json(round3(s.motion)) : json(nullptr)},
                                         {"frames", mf}}));
        }

        // ---- audio and loudness
        if (audio && audio->audio_stream) {
            const AudioShares& a = audio->shots[i];
            s.audio = &a;
            if (a.has_audio()) {
                json ev = {{"speech", round3(a.speech)},     {"music", round3(a.music)},
                           {"silence", round3(a.silence)},   {"other", round3(a.other)},
                           {"covered_s", round3(a.covered_s)}, {"tonality", round3(a.tonality)},
                           {"rhythm", round3(a.rhythm)},     {"heuristic", "music = tonal or rhythmic non-speech; see audio_character.h"}};
                for (auto [label, share, rel] : {std::tuple{"speech", a.speech, 0.9}, std::tuple{"music", a.music, 0.6},
                                                  std::tuple{"silence", a.silence, 0.9}})
                    if (share >= kAudioTagMinShare)
                        out.tags.push_back(make_tag(si, "audio", label, rel * std::min(1.0, 0.5 + share), ev));
                double conf = 0;
                const std::string l = loudness_label(a.loudness.integrated_lufs, conf);
                out.tags.push_back(make_tag(si, "loudness", l, conf,
                                            {{"integrated_lufs", round3(a.loudness.integrated_lufs)},
                                             {"momentary_max_lufs", round3(a.loudness.momentary_max_lufs)},
                                             {"loudness_range_lu", round3(a.loudness.loudness_range_lu)},
                                             {"thresholds_lufs", {{"quiet_below", kQuietLufs}, {"loud_from", kLoudLufs}}}}));
            }
        }

        // ---- mood
        {
            const RuleInputs in = rule_inputs(s);
            s.moods = evaluate_rules(mood_rules(), in);
            for (const RuleResult& r : s.moods) {
                if (!r.fired) continue;
                json ev = rule_evidence(r);
                ev["frames"] = s.colour_frames.empty() ? json(s.expression_frames) : json(s.colour_frames);
                out.tags.push_back(make_tag(si, "mood", r.label, r.confidence, ev));
                title_mood[r.label] += s.duration_s;
            }
        }

        if (!s.frames.empty()) measured_shot_duration += s.duration_s;
        if (!s.faces.empty()) face_shot_duration += s.duration_s;
        if (s.expression_total > 0) {
            auto it = s.expression_mass.find("happy");
            if (it != s.expression_mass.end()) happy_face_duration += s.duration_s * it->second / s.expression_total;
        }
    }

    // ================= title =================
    check_stop();
    const double total_s = [&] {
        double t = 0;
        for (const ShotInfo& s : info) t += s.duration_s;
        return t > 0 ? t : title_len;
    }();
    auto duration_shares = [&](const std::map<std::string, double>& m) {
        json j = json::object();
        for (const auto& [k, v] : m) j[k] = round3(v / total_s);
        return j;
    };

    for (const auto& [label, list] : title_objects) {
        double conf = 0;
        json sh = json::array();
        for (const auto& [shot, c] : list) {
            conf += c;
            sh.push_back(shot);
        }
        conf /= double(list.size());
        const double share = shots_with_frames ? double(list.size()) / shots_with_frames : 0;
        out.tags.push_back(make_tag(-1, "object", label, conf, {{"share_of_shots", round3(share)}, {"shots", sh}}));
    }
    auto dominant = [](const std::map<std::string, double>& m) {
        return std::max_element(m.begin(), m.end(), [](auto& a, auto& b) { return a.second < b.second; });
    };
    if (!title_people.empty()) {
        auto best = dominant(title_people);
        out.tags.push_back(make_tag(-1, "people", best->first, clamp01(best->second / total_s + 0.3),
                                    {{"duration_shares", duration_shares(title_people)}}));
    }
    if (!title_scale.empty()) {
        auto best = dominant(title_scale);
        out.tags.push_back(make_tag(-1, "shot_scale", best->first, clamp01(best->second / total_s + 0.3),
                                    {{"duration_shares", duration_shares(title_scale)}}));
    }
    {
        double face_total = 0;
        for (const auto& [k, v] : title_expression) face_total += v;
        for (const auto& [k, v] : title_expression)
            if (face_total > 0 && v / face_total >= 0.2)
                out.tags.push_back(make_tag(-1, "expression", k, clamp01(v / face_total),
                                            {{"share_of_expressive_duration", round3(v / face_total)},
                                             {"duration_shares", duration_shares(title_expression)}}));
        double age_total = 0;
        for (const auto& [k, v] : title_age) age_total += v;
        for (const auto& [k, v] : title_age)
            if (age_total > 0 && v / age_total >= 0.2)
                out.tags.push_back(make_tag(-1, "age_band", k, clamp01(v / age_total),
                                            {{"duration_shares", duration_shares(title_age)}}));
    }
    if (drawing_n > 0) {
        if (maturity_shots.empty()) {
            out.tags.push_back(make_tag(-1, "maturity", "safe", min_safe_conf,
                                        {{"shots_scored", drawing_n}, {"thresholds", {{"Porn", kPornMin}, {"Hentai", kHentaiMin}, {"Sexy", kSexyMin}}}}));
        } else {
            for (const auto& [label, list] : maturity_shots)
                out.tags.push_back(make_tag(-1, "maturity", label, 0.9, {{"shots", list}, {"shots_scored", drawing_n}}));
        }
    }

    // colour
    const ColourStyle title_colour = combine_colour_styles(shot_styles, shot_style_weights);
    if (!title_colour.empty()) {
        const ColourStyle& c = title_colour;
        json ev = colour_measures(c);
        ev["shots"] = shot_styles.size();
        if (c.warmth() == "warm")
            out.tags.push_back(make_tag(-1, "colour", "warm", margin_confidence(1e6 / c.cct_k - 1e6 / kWarmBelowK, 60), ev));
        else if (c.warmth() == "cool")
            out.tags.push_back(make_tag(-1, "colour", "cool", margin_confidence(1e6 / kCoolAboveK - 1e6 / c.cct_k, 60), ev));
        if (c.saturation() == "saturated")
            out.tags.push_back(make_tag(-1, "colour", "saturated", margin_confidence(c.colourfulness - kSaturatedAbove, 20), ev));
        else if (c.saturation() == "muted")
            out.tags.push_back(make_tag(-1, "colour", "muted", margin_confidence(kMutedBelow - c.colourfulness, 15), ev));
        if (c.key() == "low-key")
            out.tags.push_back(make_tag(-1, "colour", "low-key", margin_confidence(c.dark_share - kLowKeyDarkShare, 0.3), ev));
        else if (c.key() == "high-key")
            out.tags.push_back(make_tag(-1, "colour", "high-key", margin_confidence(c.light_share - kHighKeyLightShare, 0.3), ev));
        json pev = ev;
        pev["palette"] = palette_json(c);
        out.tags.push_back(make_tag(-1, "colour", "palette", 0.9, pev));
    }
    if (!title_tod.empty()) {
        auto best = dominant(title_tod);
        out.tags.push_back(make_tag(-1, "time_of_day", best->first, std::min(kHeuristicCap, best->second / total_s),
                                    {{"heuristic", true}, {"duration_shares", duration_shares(title_tod)},
                                     {"limits", "brightness and colour temperature only: interiors are not told from exteriors"}}));
    }

    // pace
    const double title_cpm = cuts_per_minute(shots, title_start, title_end);
    const bool title_has_motion = motion_w > 0;
    const double title_motion = title_has_motion ? motion_sum / motion_w : 0;
    {
        double conf = 0;
        const std::string pace = pace_label(title_cpm, title_motion, title_has_motion, conf);
        out.tags.push_back(make_tag(-1, "pace", pace, conf,
                                    {{"cuts_per_minute", round3(title_cpm)}, {"shots", shots.size()},
                                     {"duration_s", round3(title_len)},
                                     {"average_shot_length_s", shots.empty() ? 0.0 : round3(title_len / shots.size())},
                                     {"motion", title_has_motion ? json(round3(title_motion)) : json(nullptr)}}));
    }

    // audio
    RuleInputs title_in;
    if (audio && !audio->audio_stream) {
        out.tags.push_back(make_tag(-1, "audio", "no audio", 1.0, {{"audio_stream", false}}));
    } else if (audio && audio->title.has_audio()) {
        const AudioShares& a = audio->title;
        json ev = {{"speech", round3(a.speech)}, {"music", round3(a.music)},     {"silence", round3(a.silence)},
                   {"other", round3(a.other)},   {"covered_s", round3(a.covered_s)}, {"units", audio->units.size()}};
        for (auto [label, share, rel] : {std::tuple{"speech", a.speech, 0.9}, std::tuple{"music", a.music, 0.6},
                                          std::tuple{"silence", a.silence, 0.9}})
            if (share >= kAudioTagMinShare)
                out.tags.push_back(make_tag(-1, "audio", label, rel * std::min(1.0, 0.5 + share), ev));
        double conf = 0;
        const std::string l = loudness_label(a.loudness.integrated_lufs, conf);
        out.tags.push_back(make_tag(-1, "loudness", l, conf,
                                    {{"integrated_lufs", round3(a.loudness.integrated_lufs)},
                                     {"loudness_range_lu", round3(a.loudness.loudness_range_lu)},
                                     {"thresholds_lufs", {{"quiet_below", kQuietLufs}, {"loud_from", kLoudLufs}}}}));
        title_in["loudness_lufs"] = a.loudness.integrated_lufs;
        title_in["speech_share"] = a.speech;
        title_in["music_share"] = a.music;
        // the music (with tempo) and silence lanes, stored with this run (speech is the voice-activity run's)
        out.audio_segments.insert(out.audio_segments.end(), audio->lanes.begin(), audio->lanes.end());
    }

    // mood
    for (const auto& [mood, dur] : title_mood) {
        const double share = dur / total_s;
        if (share < kTitleMoodMinShare) continue;
        double conf = 0, w = 0;
        json sh = json::array();
        for (const ShotInfo& s : info)
            for (const RuleResult& r : s.moods)
                if (r.fired && r.label == mood) {
                    conf += r.confidence * s.duration_s;
                    w += s.duration_s;
                    sh.push_back(s.shot->index);
                }
        out.tags.push_back(make_tag(-1, "mood", mood, (w > 0 ? conf / w : 0) * std::min(1.0, 2 * share),
                                    {{"duration_share", round3(share)}, {"shots", sh}}));
    }

    // genre hints
    title_in["cuts_per_minute"] = title_cpm;
    if (title_has_motion) title_in["motion"] = title_motion;
    if (measured_shot_duration > 0) {
        title_in["face_shot_share"] = face_shot_duration / measured_shot_duration;
        if (!shot_styles.empty()) title_in["low_key_share"] = low_key_duration / measured_shot_duration;
    }
    if (!title_colour.empty()) title_in["mean_luma"] = title_colour.mean_luma;
    for (const Rule& r : mood_rules()) {
        auto it = title_mood.find(r.label);
        title_in["mood_" + r.label + "_share"] = it == title_mood.end() ? 0.0 : it->second / total_s;
    }
    if (nsfw_frames > 0) title_in["drawing_score"] = double(drawing_frames) / nsfw_frames;
    (void)happy_face_duration;
    for (const RuleResult& r : evaluate_rules(genre_rules(), title_in)) {
        if (!r.fired) continue;
        json ev = rule_evidence(r);
        ev["hint"] = true;
        out.tags.push_back(make_tag(-1, "genre", r.label, r.confidence, ev));
    }
}

}  // namespace frameline
