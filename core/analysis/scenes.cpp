#include "core/analysis/scenes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/analysis/characters.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/sampling/frame_quality.h"

namespace frameline {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kWindowS = 0.1;  // audio level resolution

double cos_distance(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.empty() || a.size() != b.size()) return kNaN;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    if (aa <= 0 || bb <= 0) return kNaN;
    return 1.0 - ab / std::sqrt(aa * bb);
}

void normalise(std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    if (s <= 0) return;
    const double inv = 1.0 / std::sqrt(s);
    for (float& x : v) x = float(x * inv);
}

// The title's audio as RMS levels (dBFS) per 100 ms, from the first sample's time: loudness peaks and silences
// need a level over time, not a model. Empty when the title has no audio or it cannot be decoded (then no silence
// breaks and no loudness peaks: said in the evidence).
struct AudioLevels {
    double t0_s = 0.0;
    std::vector<float> db;
    std::string note;  // why there are none
    double level_at(size_t i) const { return db[i]; }
    // Index of the window holding time t, or -1.
    long index_of(double t) const {
        if (db.empty()) return -1;
        const long i = long(std::floor((t - t0_s) / kWindowS));
        return i >= 0 && size_t(i) < db.size() ? i : -1;
    }
};

AudioLevels audio_levels(const std::filesystem::path& media) {
    AudioLevels out;
    if (media.empty()) {
        out.note = "no media file";
        return out;
    }
    try {
        AudioDecoder::Options o;
        o.sample_rate = 16000;
        o.block_samples = 16000;
        std::optional<AudioDecoder> dec = AudioDecoder::open_if_audio(media, o);
        if (!dec) {
            out.note = "no audio stream";
            return out;
        }
        const size_t window = size_t(o.sample_rate * kWindowS);
        AudioBlock block;
        double sum2 = 0;
        size_t n = 0;
        bool first = true;
        while (dec->next(block)) {
            if (first) {
                out.t0_s = block.pts_s;
                first = false;
            }
            for (float s : block.samples) {
                sum2 += double(s) * s;
                if (++n == window) {
                    const double rms = std::sqrt(sum2 / double(n));
                    out.db.push_back(float(rms > 1e-7 ? 20.0 * std::log10(rms) : -140.0));
                    sum2 = 0;
                    n = 0;
                }
            }
        }
        if (out.db.empty()) out.note = "audio stream shorter than 100 ms";
    } catch (const Error& e) {
        out.db.clear();
        out.note = std::string("audio not decoded: ") + e.what();
    }
    return out;
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return kNaN;
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t i = size_t(std::floor(pos));
    const double f = pos - double(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

struct Peak {
    size_t shot = 0;  // position in time order
    double value = 0, z = 0;
};

// Peaks of one measure over the shots (NaN: not measured): robust z-score, local maximum, absolute floor.
// `min_scale` keeps a title whose shots are nearly all alike (MAD ~ 0) from calling every small wobble a peak.
std::vector<Peak> find_peaks(const std::vector<double>& x, double peak_z, int window, double floor_value,
                             double min_scale, int max_peaks) {
    std::vector<double> valid;
    for (double v : x)
        if (!std::isnan(v)) valid.push_back(v);
    if (valid.size() < 4) return {};  // no reference for "unusual"
    const double med = percentile(valid, 0.5);
    std::vector<double> dev;
    for (double v : valid) dev.push_back(std::abs(v - med));
    const double scale = std::max(1.4826 * percentile(dev, 0.5), min_scale);
    std::vector<Peak> peaks;
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i]) || x[i] < floor_value) continue;
        const double z = (x[i] - med) / scale;
        if (z < peak_z) continue;
        bool local_max = true;
        for (long k = long(i) - window; k <= long(i) + window && local_max; ++k)
            if (k >= 0 && size_t(k) < x.size() && size_t(k) != i && !std::isnan(x[size_t(k)]) &&
                (x[size_t(k)] > x[i] || (x[size_t(k)] == x[i] && size_t(k) < i)))
                local_max = false;
        if (local_max) peaks.push_back({i, x[i], z});
    }
    std::stable_sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) { return a.z > b.z; });
    if (peaks.size() > size_t(std::max(0, max_peaks))) peaks.resize(size_t(std::max(0, max_peaks)));
    return peaks;
}

// One cut between consecutive shots: whether it ends a scene, and why.
struct Cut {
    bool is_break = false;
    double strength = 0;  // as a chapter boundary (see scenes.h)
    nlohmann::json reasons = nlohmann::json::array();
    double visual_distance = kNaN;  // to the nearest of the scene's last shots
};

}  // namespace

std::vector<float> colour_descriptor(const RgbImage& img, int ax, int ay, int aw, int ah) {
    constexpr int kHue = 8, kSat = 3, kVal = 3, kGrid = 4;
    std::vector<float> out(size_t(kHue * kSat * kVal + kGrid * kGrid * 3), 0.0f);
    if (img.empty() || img.width <= 0 || img.height <= 0) return out;
    if (aw <= 0 || ah <= 0 || ax < 0 || ay < 0 || ax + aw > img.width || ay + ah > img.height) {
        ax = 0;
        ay = 0;
        aw = img.width;
        ah = img.height;
    }
    std::vector<double> hist(size_t(kHue * kSat * kVal), 0.0), grid(size_t(kGrid * kGrid * 3), 0.0),
        cell_n(size_t(kGrid * kGrid), 0.0);
    for (int y = ay; y < ay + ah; ++y)
        for (int x = ax; x < ax + aw; ++x) {
            const uint8_t* p = &img.rgb[(size_t(y) * img.width + x) * 3];
            const double r = p[0] / 255.0, g = p[1] / 255.0, b = p[2] / 255.0;
            const double mx = std::max({r, g, b}), mn = std::min({r, g, b}), c = mx - mn;
            double h = 0;
            if (c > 1e-9) {
                if (mx == r) h = std::fmod((g - b) / c + 6.0, 6.0);
                else if (mx == g) h = (b - r) / c + 2.0;
                else h = (r - g) / c + 4.0;
            }
            const double s = mx > 0 ? c / mx : 0;
            const int hi = std::min(kHue - 1, int(h / 6.0 * kHue));
            const int si = std::min(kSat - 1, int(s * kSat));
            const int vi = std::min(kVal - 1, int(mx * kVal));
            hist[size_t((hi * kSat + si) * kVal + vi)] += 1;
            const int gx = std::min(kGrid - 1, (x - ax) * kGrid / aw), gy = std::min(kGrid - 1, (y - ay) * kGrid / ah);
            const size_t cell = size_t(gy * kGrid + gx);
            grid[cell * 3 + 0] += r - 0.5;
            grid[cell * 3 + 1] += g - 0.5;
            grid[cell * 3 + 2] += b - 0.5;
            cell_n[cell] += 1;
        }
    const double total = double(aw) * double(ah);
    double hn = 0, gn = 0;
    for (double& v : hist) {
        v = std::sqrt(v / total);
        hn += v * v;
    }
    for (size_t c = 0; c < cell_n.size(); ++c)
        for (int k = 0; k < 3; ++k) {
            double& v = grid[c * 3 + size_t(k)];
            v = cell_n[c] > 0 ? v / cell_n[c] : 0.0;
            gn += v * v;
        }
    hn = std::sqrt(hn);
    gn = std::sqrt(gn);
    // Each block unit length, the layout block at 0.7 of the histogram's weight: colour statistics lead, the layout
    // separates two set-ups of the same palette. A mid-grey picture has no layout block (all cells at 0.5).
    for (size_t i = 0; i < hist.size(); ++i) out[i] = float(hn > 0 ? hist[i] / hn : 0.0);
    for (size_t i = 0; i < grid.size(); ++i) out[hist.size() + i] = float(gn > 1e-9 ? 0.7 * grid[i] / gn : 0.0);
    normalise(out);
    return out;
}

void derive_chapters(const TitleFacts& facts, ModelRunOutput& out, const ChapterOptions& o) {
    if (o.lookback_shots < 1) throw Error("chapters: lookback_shots must be at least 1");
    if (!(o.target_share > 0 && o.min_share >= 0 && o.max_share >= o.target_share && o.target_share >= o.min_share))
        throw Error("chapters: shares must satisfy 0 <= min_share <= target_share <= max_share");
    if (!(o.colour_threshold >= 0 && o.embedding_threshold >= 0)) throw Error("chapters: thresholds must be >= 0");
    if (facts.shots.empty()) return;

    std::vector<const Shot*> shots;
    for (const Shot& s : facts.shots) shots.push_back(&s);
    std::stable_sort(shots.begin(), shots.end(),
                     [](const Shot* a, const Shot* b) { return a->start_frame < b->start_frame; });
    const size_t n = shots.size();
    std::map<int, size_t> pos_of_index;  // Shot::index -> position in time order
    for (size_t p = 0; p < n; ++p) pos_of_index[shots[p]->index] = p;
    std::vector<std::vector<const FrameRecord*>> frames(n);
    std::unordered_map<int64_t, size_t> shot_of_frame;
    for (const FrameRecord& f : facts.frames) {
        auto it = pos_of_index.find(f.shot_index);
        size_t p;
        if (it != pos_of_index.end()) {
            p = it->second;
        } else if (const Shot* s = facts.shot_at(f.frame_index)) {
            p = pos_of_index[s->index];
        } else {
            continue;
        }
        frames[p].push_back(&f);
        shot_of_frame[f.frame_index] = p;
    }
    const double title_start_s = shots.front()->start_s, title_end_s = shots.back()->end_s;
    const double title_s = facts.title.duration_s > 0 ? facts.title.duration_s : title_end_s - title_start_s;

    // A shot whose sampled frames are all black: what a fade to black leaves between two shots.
    std::vector<bool> black_shot(n, false);
    for (size_t p = 0; p < n; ++p) {
        if (frames[p].empty()) continue;
        black_shot[p] = std::all_of(frames[p].begin(), frames[p].end(),
                                    [](const FrameRecord* f) { return (f->flags & kFlagBlack) != 0; });
    }

    // Visual descriptors per shot: the mean of a stored frame embedding, else colours of the thumbnails. Black
    // frames are left out when the shot has others (a fade's tail says nothing about the set-up).
    std::string visual_source = "colour";
    double visual_threshold = o.colour_threshold;
    std::unordered_map<int64_t, const std::vector<float>*> frame_vectors;
    if (o.use_embeddings)
        for (const auto& [model, rows] : facts.embeddings) {
            if (!o.embedding_model.empty() && model != o.embedding_model) continue;
            for (const Embedding& e : rows)
                if (e.entity == "frame" && !e.vector.empty()) frame_vectors[e.entity_key] = &e.vector;
            if (!frame_vectors.empty()) {
                visual_source = "embedding:" + model;
                visual_threshold = o.embedding_threshold;
                break;
            }
        }
    std::vector<std::vector<float>> desc(n);
    for (size_t p = 0; p < n; ++p) {
        std::vector<double> sum;
        int used = 0;
        for (int pass = 0; pass < 2 && used == 0; ++pass)
            for (const FrameRecord* f : frames[p]) {
                if (pass == 0 && (f->flags & kFlagBlack) && !black_shot[p]) continue;
                std::vector<float> v;
                if (!frame_vectors.empty()) {
                    auto it = frame_vectors.find(f->frame_index);
                    if (it == frame_vectors.end()) continue;
                    v = *it->second;
                } else if (facts.thumbnail) {
                    const RgbImage img = facts.thumbnail(f->id);
                    if (img.empty()) continue;
                    v = colour_descriptor(img, f->active.x, f->active.y, f->active.width, f->active.height);
                } else {
                    continue;
                }
                normalise(v);
                if (sum.empty()) sum.assign(v.size(), 0.0);
                if (v.size() != sum.size()) continue;
                for (size_t k = 0; k < v.size(); ++k) sum[k] += v[k];
                ++used;
            }
        desc[p].assign(sum.begin(), sum.end());
        normalise(desc[p]);
    }

    // Characters per shot (ranked as in out.characters: character r is number r + 1).
    std::vector<Character> own_characters;
    const std::vector<Character>* characters = &out.characters;
    if (out.characters.empty()) {
        ModelRunOutput tmp;
        derive_characters(facts, tmp);
        own_characters = std::move(tmp.characters);
        characters = &own_characters;
    }
    std::unordered_map<int64_t, const Face*> face_by_id;
    for (const Face& f : facts.faces) face_by_id[f.id] = &f;
    std::vector<std::set<int>> chars_in(n);
    std::vector<size_t> first_shot_of(characters->size(), n);
    std::vector<int64_t> first_frame_of(characters->size(), -1);
    for (size_t c = 0; c < characters->size(); ++c)
        for (int64_t id : (*characters)[c].face_ids) {
            auto f = face_by_id.find(id);
            if (f == face_by_id.end()) continue;
            auto s = shot_of_frame.find(f->second->frame_index);
            size_t p = n;
            if (s != shot_of_frame.end()) p = s->second;
            else if (const Shot* sh = facts.shot_at(f->second->frame_index)) p = pos_of_index[sh->index];
            if (p == n) continue;
            chars_in[p].insert(int(c) + 1);
            if (first_frame_of[c] < 0 || f->second->frame_index < first_frame_of[c]) {
                first_frame_of[c] = f->second->frame_index;
                first_shot_of[c] = p;
            }
        }

    AudioLevels audio;
    if (o.measure_audio) audio = audio_levels(facts.media);
    else audio.note = "not measured (measure_audio off)";

    // Silence around time t: the length of the run of silent windows holding t (0 when t is not silent).
    auto silence_at = [&](double t) {
        const long i = audio.index_of(t);
        if (i < 0 || audio.db[size_t(i)] >= o.silence_dbfs) return 0.0;
        long a = i, b = i;
        while (a > 0 && audio.db[size_t(a - 1)] < o.silence_dbfs) --a;
        while (size_t(b + 1) < audio.db.size() && audio.db[size_t(b + 1)] < o.silence_dbfs) ++b;
        return double(b - a + 1) * kWindowS;
    };
    std::vector<const AudioSegment*> speech;
    for (const AudioSegment& a : facts.audio_segments)
        if (a.kind == "speech") speech.push_back(&a);

    // ---- Scenes: decide every cut.
    std::vector<Cut> cuts(n);  // cuts[p]: the cut before shot p (p >= 1)
    std::vector<size_t> scene_start = {0};
    for (size_t p = 1; p < n; ++p) {
        Cut& c = cuts[p];
        const Shot& s = *shots[p];
        const double t = s.start_s;
        if (s.transition == Transition::Fade) {
            c.is_break = true;
            c.strength = 1.0;
            c.reasons.push_back({{"break", "fade"}, {"span", {s.transition_start, s.transition_end}}});
        }
        for (const Marker& m : facts.markers) {
            if (m.kind == CueKind::Black && m.start_s <= t + o.black_tolerance_s && m.end_s >= t - o.black_tolerance_s) {
                c.is_break = true;
                c.strength = 1.0;
                c.reasons.push_back({{"break", "black"}, {"marker", {m.start_frame, m.end_frame}}});
            }
            if ((m.kind == CueKind::OpeningCredits || m.kind == CueKind::ClosingCredits) &&
                (std::abs(m.start_s - t) <= 2 * o.black_tolerance_s || std::abs(m.end_s - t) <= 2 * o.black_tolerance_s)) {
                c.is_break = true;
                c.strength = std::max(c.strength, 0.9);
                c.reasons.push_back({{"break", "credits"}, {"marker", {m.start_frame, m.end_frame}}});
            }
        }
        if (black_shot[p - 1] && !black_shot[p]) {  // the picture comes back after black
            c.is_break = true;
            c.strength = 1.0;
            c.reasons.push_back({{"break", "after black shot"}});
        }
        const double silent_s = silence_at(t);
        if (silent_s >= o.long_silence_s) {
            c.is_break = true;
            c.strength = std::max(c.strength, 0.6);
            c.reasons.push_back({{"break", "silence"}, {"seconds", silent_s}});
        }
        // Links to the scene's last shots (also recorded on a break, as evidence of what was overruled).
        const size_t from = std::max(scene_start.back(), p >= size_t(o.lookback_shots) ? p - size_t(o.lookback_shots) : 0);
        bool linked = false;
        for (size_t q = from; q < p; ++q) {
            const double d = cos_distance(desc[p], desc[q]);
            if (!std::isnan(d) && (std::isnan(c.visual_distance) || d < c.visual_distance)) c.visual_distance = d;
            for (int ch : chars_in[p])
                if (chars_in[q].count(ch)) {
                    linked = true;
                    c.reasons.push_back({{"link", "character"}, {"character", ch}, {"shot", shots[q]->index}});
                    break;
                }
        }
        if (!std::isnan(c.visual_distance) && c.visual_distance <= visual_threshold) {
            linked = true;
            c.reasons.push_back({{"link", "visual"}, {"distance", c.visual_distance}});
        }
        for (const AudioSegment* a : speech)
            if (a->start_s <= t - o.speech_bridge_s && a->end_s >= t + o.speech_bridge_s) {
                linked = true;
                c.reasons.push_back({{"link", "speech"}, {"segment", {a->start_s, a->end_s}}});
                break;
            }
        if (black_shot[p] && !c.is_break) {  // black joins the scene it ends (a fade out)
            linked = true;
            c.reasons.push_back({{"link", "black shot ends the scene"}});
        }
        if (!c.is_break && !linked) {
            c.is_break = true;
            c.strength = 0.3;
            c.reasons.push_back({{"break", "no link"}, {"visual_distance", std::isnan(c.visual_distance) ? nlohmann::json() : nlohmann::json(c.visual_distance)}});
        }
        if (c.is_break) scene_start.push_back(p);
    }

    // Scenes as [first shot, last shot] in time order.
    struct Span {
        size_t first = 0, last = 0;
    };
    std::vector<Span> scenes;
    for (size_t k = 0; k < scene_start.size(); ++k)
        scenes.push_back({scene_start[k], k + 1 < scene_start.size() ? scene_start[k + 1] - 1 : n - 1});
    const size_t ns = scenes.size();
    std::vector<std::set<int>> scene_chars(ns);
    for (size_t k = 0; k < ns; ++k)
        for (size_t p = scenes[k].first; p <= scenes[k].last; ++p) scene_chars[k].insert(chars_in[p].begin(), chars_in[p].end());
    // A plain scene change is a stronger chapter boundary when the people change too.
    std::vector<double> boundary(ns, 1.0);  // boundary[k]: strength of the boundary before scene k (k >= 1)
    for (size_t k = 1; k < ns; ++k) {
        Cut& c = cuts[scenes[k].first];
        if (c.strength <= 0.3) {
            bool shared = false;
            for (int ch : scene_chars[k]) shared = shared || scene_chars[k - 1].count(ch);
            c.strength = shared ? 0.2 : 0.3;
        }
        boundary[k] = c.strength;
    }

    auto make = [&](ChapterKind kind, size_t first, size_t last, std::string label) {
        Chapter ch;
        ch.kind = kind;
        ch.start_frame = shots[first]->start_frame;
        ch.end_frame = shots[last]->end_frame - 1;
        ch.start_s = shots[first]->start_s;
        ch.end_s = shots[last]->end_s;
        ch.label = std::move(label);
        return ch;
    };
    auto shot_list = [&](size_t first, size_t last) {
        nlohmann::json a = nlohmann::json::array();
        for (size_t p = first; p <= last; ++p) a.push_back(shots[p]->index);
        return a;
    };
    auto frame_list = [&](size_t first, size_t last) {
        nlohmann::json a = nlohmann::json::array();
        for (size_t p = first; p <= last; ++p)
            for (const FrameRecord* f : frames[p]) a.push_back(f->frame_index);
        return a;
    };

    for (size_t k = 0; k < ns; ++k) {
        const Span& sc = scenes[k];
        Chapter ch = make(ChapterKind::Scene, sc.first, sc.last, "Scene " + std::to_string(k + 1));
        const double end_strength = k + 1 < ns ? boundary[k + 1] : 1.0;
        ch.confidence = 0.5 + 0.25 * (boundary[k] + end_strength);
        nlohmann::json ev;
        ev["shots"] = shot_list(sc.first, sc.last);
        ev["frames"] = frame_list(sc.first, sc.last);
        ev["start"] = k == 0 ? nlohmann::json{{"break", "title start"}} : cuts[sc.first].reasons;
        nlohmann::json links = nlohmann::json::array();
        for (size_t p = sc.first + 1; p <= sc.last; ++p)
            links.push_back({{"shot", shots[p]->index}, {"frame", shots[p]->start_frame}, {"reasons", cuts[p].reasons}});
        ev["links"] = links;
        ev["characters"] = scene_chars[k];
        ev["visual"] = visual_source;
        ev["visual_threshold"] = visual_threshold;
        if (!audio.note.empty()) ev["audio"] = audio.note;
        ch.evidence = ev.dump();
        out.chapters.push_back(std::move(ch));
    }

    // ---- Chapters: dynamic programming over scene boundaries.
    const double target_s = std::max(o.target_share * title_s, o.target_floor_s);
    const double min_s = std::max(o.min_share * title_s, o.min_chapter_floor_s);
    const double max_s = std::max(o.max_share * title_s, o.max_chapter_floor_s);
    std::vector<double> scene_s(ns), prefix(ns + 1, 0.0);
    for (size_t k = 0; k < ns; ++k) {
        scene_s[k] = shots[scenes[k].last]->end_s - shots[scenes[k].first]->start_s;
        prefix[k + 1] = prefix[k] + scene_s[k];
    }
    auto length_cost = [&](double d) {
        d = std::max(d, 1e-3);
        const double l = std::log(d / target_s);
        double c = 2.0 * l * l;
        if (d < min_s && title_s >= min_s) c += 10.0;
        if (d > max_s) c += d / max_s - 1.0;
        return c;
    };
    std::vector<double> best(ns + 1, std::numeric_limits<double>::infinity());
    std::vector<size_t> from(ns + 1, 0);
    best[0] = 0;
    for (size_t j = 1; j <= ns; ++j)
        for (size_t i = 0; i < j; ++i) {
            const double bonus = i > 0 ? 4.0 * boundary[i] * boundary[i] * boundary[i] : 0.0;
            const double c = best[i] + length_cost(prefix[j] - prefix[i]) - bonus;
            if (c < best[j]) {
                best[j] = c;
                from[j] = i;
            }
        }
    std::vector<std::pair<size_t, size_t>> chapters;  // scene ranges [a, b)
    for (size_t j = ns; j > 0; j = from[j]) chapters.push_back({from[j], j});
    std::reverse(chapters.begin(), chapters.end());
    for (size_t c = 0; c < chapters.size(); ++c) {
        const auto [a, b] = chapters[c];
        Chapter ch = make(ChapterKind::Chapter, scenes[a].first, scenes[b - 1].last, "Chapter " + std::to_string(c + 1));
        const double start_strength = a == 0 ? 1.0 : boundary[a];
        const double end_strength = b == ns ? 1.0 : boundary[b];
        ch.confidence = 0.4 + 0.3 * (start_strength + end_strength);
        nlohmann::json ev;
        nlohmann::json sc = nlohmann::json::array();
        for (size_t k = a; k < b; ++k) sc.push_back(k + 1);
        ev["scenes"] = sc;
        ev["shots"] = shot_list(scenes[a].first, scenes[b - 1].last);
        ev["start"] = a == 0 ? nlohmann::json{{"break", "title start"}} : cuts[scenes[a].first].reasons;
        ev["start_strength"] = start_strength;
        ev["duration_s"] = prefix[b] - prefix[a];
        ev["target_s"] = target_s;
        ev["min_s"] = min_s;
        ev["max_s"] = max_s;
        ch.evidence = ev.dump();
        out.chapters.push_back(std::move(ch));
    }

    // ---- Key scenes.
    std::vector<double> motion(n, kNaN), loudness(n, kNaN), emotion(n, kNaN);
    for (size_t p = 0; p < n; ++p) {
        for (const FrameRecord* f : frames[p]) motion[p] = std::isnan(motion[p]) ? f->motion : std::max(motion[p], f->motion);
        if (!audio.db.empty()) {
            std::vector<double> levels;
            for (long i = std::max(0L, long(std::floor((shots[p]->start_s - audio.t0_s) / kWindowS)));
                 i < long(audio.db.size()) && audio.t0_s + double(i) * kWindowS < shots[p]->end_s; ++i)
                levels.push_back(audio.db[size_t(i)]);
            if (!levels.empty()) loudness[p] = percentile(levels, 0.9);
        }
        if (!frames[p].empty()) emotion[p] = 0.0;
        for (const FrameRecord* f : frames[p])
            for (const Face* face : facts.faces_in(f->frame_index))
                if (!face->expression.empty() && face->expression != "neutral")
                    emotion[p] = std::max(emotion[p], face->expression_score);
    }
    std::map<size_t, nlohmann::json> key;  // shot position -> reasons
    auto add_peaks = [&](const std::vector<double>& x, const char* what, double floor_value, double min_scale) {
        for (const Peak& pk : find_peaks(x, o.peak_z, o.peak_window, floor_value, min_scale, o.max_peaks_per_kind))
            key[pk.shot].push_back({{"why", std::string(what) + " peak"}, {"value", pk.value}, {"z", pk.z}});
    };
    add_peaks(motion, "motion", o.min_motion, 0.5);
    add_peaks(loudness, "loudness", o.min_loudness_dbfs, 1.0);
    add_peaks(emotion, "emotion", o.min_emotion, 0.05);
    for (size_t c = 0; c < characters->size() && c < size_t(std::max(0, o.main_characters)); ++c)
        if (first_shot_of[c] < n)
            key[first_shot_of[c]].push_back({{"why", "first appearance: character " + std::to_string(c + 1)},
                                             {"character", c + 1},
                                             {"frame", first_frame_of[c]},
                                             {"confidence", (*characters)[c].confidence}});
    for (const auto& [p, reasons] : key) {
        std::string label;
        double conf = 0;
        for (const auto& r : reasons) {
            label += (label.empty() ? "" : ", ") + r["why"].get<std::string>();
            // A peak's confidence grows with its z-score; a first appearance is as sure as its character.
            const double c = r.contains("z") ? std::min(1.0, 0.4 + 0.1 * r["z"].get<double>())
                                             : r["confidence"].get<double>();
            conf = std::max(conf, c);
        }
        Chapter ch = make(ChapterKind::KeyScene, p, p, label);
        ch.confidence = conf;
        size_t scene = 0;
        while (scene + 1 < ns && scenes[scene + 1].first <= p) ++scene;
        nlohmann::json ev;
        ev["reasons"] = reasons;
        ev["shot"] = shots[p]->index;
        ev["scene"] = scene + 1;
        ev["frames"] = frame_list(p, p);
        ev["motion"] = std::isnan(motion[p]) ? nlohmann::json() : nlohmann::json(motion[p]);
        ev["loudness_dbfs"] = std::isnan(loudness[p]) ? nlohmann::json() : nlohmann::json(loudness[p]);
        ev["emotion"] = std::isnan(emotion[p]) ? nlohmann::json() : nlohmann::json(emotion[p]);
        ch.evidence = ev.dump();
        out.chapters.push_back(std::move(ch));
    }
}

}  // namespace frameline
