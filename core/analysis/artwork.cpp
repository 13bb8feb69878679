#include "core/analysis/artwork.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/sampling/frame_quality.h"

namespace frameline {
namespace {

using json = nlohmann::ordered_json;

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }
double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

// Gaussian closeness of a distance, 1 at 0, ~0.46 at one sigma and a quarter of a third away.
double near(double d, double sigma = 0.08) { return std::exp(-d * d / (2 * sigma * sigma)); }

std::vector<uint8_t> luma_of(const RgbImage& img) {
    std::vector<uint8_t> y(static_cast<size_t>(img.width) * img.height);
    const uint8_t* p = img.rgb.data();
    for (size_t i = 0; i < y.size(); ++i, p += 3) y[i] = static_cast<uint8_t>((77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8);
    return y;
}

// The active picture (inside black bars) of a frame, in frame fractions.
FrameBox active_box(const FrameRecord& f) {
    if (f.width <= 0 || f.height <= 0 || f.active.width <= 0 || f.active.height <= 0) return {0, 0, 1, 1};
    return {double(f.active.x) / f.width, double(f.active.y) / f.height, double(f.active.width) / f.width,
            double(f.active.height) / f.height};
}

// Display aspect of the frame: the thumbnail's (it is scaled to display aspect), else the title's, else 16:9.
double frame_aspect_of(const FrameRecord& f, const TitleRecord& t) {
    if (f.width > 0 && f.height > 0) return double(f.width) / f.height;
    if (t.width > 0 && t.height > 0) return (t.rotation_deg % 180 != 0) ? double(t.height) / t.width : double(t.width) / t.height;
    return 16.0 / 9.0;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.empty() || a.size() != b.size()) return 0.0;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    return (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0.0;
}

// The sensitive share of an "nsfw" frame score, and the parsed scores (null when the frame was not scored).
struct Sensitivity {
    json scores;  // null: not scored
    double sensitive = 0;  // Porn + Hentai + 0.5 Sexy
    double explicit_share = 0;  // Porn + Hentai
};

Sensitivity sensitivity_of(const std::string& scores_json) {
    Sensitivity s;
    const json j = json::parse(scores_json, nullptr, false);
    if (!j.is_object()) return s;
    s.scores = j;
    auto get = [&](const char* k) { return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0; };
    s.explicit_share = get("Porn") + get("Hentai");
    s.sensitive = s.explicit_share + 0.5 * get("Sexy");
    return s;
}

struct Term {
    const char* name;
    double value;
    double weight;
    json measured;  // what the value came from
};

// Piecewise face-size term: nothing below min, linear to 1 at good, flat to 0.6 of the height, easing to 0.7 at 0.9.
double face_size_term(double h, const ArtworkOptions& o) {
    if (h < o.min_face_height) return 0.0;
    if (h < o.good_face_height) return (h - o.min_face_height) / std::max(1e-6, o.good_face_height - o.min_face_height);
    if (h <= 0.6) return 1.0;
    return 1.0 - 0.3 * clamp01((h - 0.6) / 0.3);
}

// Where the frame's counted faces and salient objects are, relative to the active picture.
struct Subject {
    std::vector<const Face*> faces;      // counted faces, largest first
    std::vector<FrameBox> face_boxes;    // frame fractions
    std::vector<FrameBox> salient;       // object boxes (score >= 0.4), largest first, frame fractions
};

// Composition term and its parts (see the header).
double composition_term(const Subject& s, const FrameBox& a, json& measured) {
    auto rel_x = [&](double x) { return (x - a.x) / std::max(1e-6, a.width); };
    auto rel_y = [&](double y) { return (y - a.y) / std::max(1e-6, a.height); };
    auto thirds_x = [](double x) {
        return std::max({near(std::abs(x - 1.0 / 3)), near(std::abs(x - 2.0 / 3)), 0.8 * near(std::abs(x - 0.5))});
    };
    if (!s.faces.empty()) {
        const Face& f = *s.faces.front();
        const double cx = rel_x(f.x + f.width / 2), eye_y = rel_y(f.y + 0.4 * f.height);
        const double thirds = 0.5 * thirds_x(cx) + 0.5 * near(std::abs(eye_y - 1.0 / 3));
        double top = 1.0;
        for (const Face* g : s.faces) top = std::min(top, rel_y(g->y));
        double headroom;
        if (top < 0.01) headroom = 0.2;
        else if (top < 0.04) headroom = 0.2 + 0.8 * (top - 0.01) / 0.03;
        else if (top <= 0.20) headroom = 1.0;
        else headroom = std::max(0.4, 1.0 - 0.6 * (top - 0.20) / 0.30);
        measured = {{"subject", "face"}, {"centre_x", round4(cx)}, {"eye_line_y", round4(eye_y)},
                    {"thirds", round4(thirds)}, {"headroom", round4(top)}, {"headroom_term", round4(headroom)}};
        return 0.6 * thirds + 0.4 * headroom;
    }
    if (!s.salient.empty()) {
        const FrameBox& b = s.salient.front();
        const double cx = rel_x(b.x + b.width / 2), cy = rel_y(b.y + b.height / 2);
        const double thirds =
            0.5 * thirds_x(cx) + 0.5 * std::max(near(std::abs(cy - 1.0 / 3)), near(std::abs(cy - 2.0 / 3)));
        measured = {{"subject", "object"}, {"centre_x", round4(cx)}, {"centre_y", round4(cy)}, {"thirds", round4(thirds)}};
        return thirds;
    }
    measured = {{"subject", "none"}};
    return 0.5;
}

bool in_transition_span(const TitleFacts& facts, int64_t frame) {
    for (const Shot& s : facts.shots)
        if ((s.transition == Transition::Fade || s.transition == Transition::Dissolve) && frame >= s.transition_start &&
            frame <= s.transition_end)
            return true;
    return false;
}

bool in_credits(const TitleFacts& facts, int64_t frame) {
    for (const Marker& m : facts.markers)
        if ((m.kind == CueKind::OpeningCredits || m.kind == CueKind::ClosingCredits) && frame >= m.start_frame &&
            frame <= m.end_frame)
            return true;
    return false;
}

// Everything scoring and picking need about one frame.
struct FrameInfo {
    const FrameRecord* frame = nullptr;
    FrameArtworkScore score;
    Subject subject;
    Sensitivity nsfw;
    std::vector<float> appearance;  // visual embedding or colour descriptor
    std::set<int64_t> characters;   // character keys of the counted faces
    bool faces_in_main = false;
    bool main_known = false;  // main characters were given or found
};

// Counted faces and salient objects of a frame.
Subject subject_of(const TitleFacts& facts, int64_t frame_index, const ArtworkOptions& o) {
    Subject s;
    for (const Face* f : facts.faces_in(frame_index))
        if (f->score >= o.min_face_score && f->width > 0 && f->height > 0) s.faces.push_back(f);
    std::sort(s.faces.begin(), s.faces.end(),
              [](const Face* a, const Face* b) { return a->width * a->height > b->width * b->height; });
    for (const Face* f : s.faces) s.face_boxes.push_back({f->x, f->y, f->width, f->height});
    for (const Detection& d : facts.objects)
        if (d.frame_index == frame_index && d.score >= 0.4 && d.width > 0 && d.height > 0)
            s.salient.push_back({d.x, d.y, d.width, d.height});
    std::sort(s.salient.begin(), s.salient.end(),
              [](const FrameBox& a, const FrameBox& b) { return a.width * a.height > b.width * b.height; });
    return s;
}

// Scores one frame; `thumb` may be empty (no text proxy then).
void score_frame(const TitleFacts& facts, FrameInfo& info, const RgbImage& thumb, const ArtworkOptions& o,
                 const std::unordered_set<int64_t>& main_faces) {
    const FrameRecord& fr = *info.frame;
    const ArtworkWeights& w = o.weights;
    const FrameBox active = active_box(fr);
    std::vector<Term> terms;
    json notes = json::array();

    // Sharpness: log scale between 30 and 600 (Laplacian variance of the thumbnail).
    const double sharp = fr.metrics.sharpness;
    double sharp_v = clamp01((std::log(std::max(1.0, sharp)) - std::log(30.0)) / (std::log(600.0) - std::log(30.0)));
    if (fr.flags & kFlagBlurry) sharp_v *= 0.5;
    terms.push_back({"sharpness", sharp_v, w.sharpness,
                     {{"laplacian_variance", round4(sharp)}, {"blurry", bool(fr.flags & kFlagBlurry)}}});

    // Exposure: mid-grey and enough contrast.
    const double b = fr.metrics.brightness, c = fr.metrics.contrast;
    double expo = clamp01(1.0 - std::abs(b - 118.0) / 118.0) * std::min(1.0, c / 40.0);
    for (uint32_t flag : {kFlagUnderexposed, kFlagOverexposed, kFlagLowContrast})
        if (fr.flags & flag) expo *= 0.5;
    terms.push_back({"exposure", expo, w.exposure,
                     {{"brightness", round4(b)}, {"contrast", round4(c)}, {"flags", quality_flags_to_string(fr.flags)}}});

    // Face: the largest counted face, its size and whether it is a main character's.
    const Subject& s = info.subject;
    double face_v = 0.0, expr_v = 0.0;
    json face_m = {{"faces", s.faces.size()}};
    info.main_known = !main_faces.empty();
    json expr_m = json::object();
    if (!s.faces.empty()) {
        const Face& f = *s.faces.front();
        const double h = f.height / std::max(1e-6, active.height);
        face_v = face_size_term(h, o);
        face_m["largest_height"] = round4(h);
        face_m["face_id"] = f.id;
        if (!main_faces.empty()) {
            info.faces_in_main = std::any_of(s.faces.begin(), s.faces.end(),
                                             [&](const Face* g) { return main_faces.count(g->id) > 0; });
            face_m["main_character"] = info.faces_in_main;
            if (!info.faces_in_main) face_v *= 0.5;
        } else {
            face_m["main_character"] = nullptr;  // not known
        }
        const bool neutral = f.expression.empty() || f.expression == "neutral";
        expr_v = f.expression.empty() ? 0.0 : clamp01(neutral ? 1.0 - f.expression_score : f.expression_score);
        expr_m = {{"expression", f.expression}, {"expression_score", round4(f.expression_score)}};
    }
    terms.push_back({"face", face_v, w.face, face_m});
    terms.push_back({"expression", expr_v, w.expression, expr_m});

    json comp_m;
    const double comp = composition_term(s, active, comp_m);
    terms.push_back({"composition", comp, w.composition, comp_m});

    const bool transition = (fr.flags & kFlagInTransition) || in_transition_span(facts, fr.frame_index);
    terms.push_back({"no_transition", transition ? 0.0 : 1.0, w.no_transition, {{"in_transition", transition}}});

    // No on-screen text. Where the OCR pass read the frame, its lines decide: the share of the picture's height
    // they cover (the union of their rows), on the proxy's scale, 1 - covered / 0.08 (one subtitle line of 5% of the
    // height leaves 0.375, two such lines 0). The PROXY below is only the fallback: for a title OCR never ran on, and
    // for a frame the OCR pass did not read (its gate is this same proxy, which found no text-like bands there).
    const bool credits = in_credits(facts, fr.frame_index);
    double text_v = 1.0;
    json text_m = {{"in_credits", credits}};
    if (std::binary_search(facts.ocr_frames.begin(), facts.ocr_frames.end(), fr.frame_index)) {
        std::vector<std::pair<double, double>> rows;
        json lines = json::array();
        for (const ScreenText& line : facts.screen_text)
            if (line.frame_index == fr.frame_index) {
                rows.emplace_back(line.y, line.y + line.height);
                lines.push_back(line.text);
            }
        std::sort(rows.begin(), rows.end());
        double covered = 0, reach = 0;
        for (const auto& [top, bottom] : rows) {  // union of the lines' rows
            const double from = std::max(top, reach);
            if (bottom > from) covered += bottom - from;
            reach = std::max(reach, bottom);
        }
        text_m["source"] = "ocr";
        text_m["lines"] = lines;
        text_m["text_height_share"] = round4(covered);
        text_v = 1.0 - clamp01(covered / 0.08);
    } else {
        text_m["source"] = facts.ocr_frames.empty() ? "proxy (no OCR run): thin high-contrast stroke bands"
                                                    : "proxy (OCR did not read this frame: no text-like bands)";
        if (!thumb.empty()) {
            const double t = text_likeness(thumb);
            text_m["text_likeness"] = round4(t);
            text_v = 1.0 - clamp01(t / 0.08);
        } else {
            notes.push_back("no thumbnail: text proxy from credits markers only");
        }
    }
    if (credits) text_v = 0.0;
    terms.push_back({"no_text", text_v, w.no_text, text_m});

    double sens_v = 1.0;
    json sens_m = json::object();
    if (info.nsfw.scores.is_null()) {
        notes.push_back("no nsfw scores for this frame: assumed not sensitive");
    } else {
        sens_v = 1.0 - clamp01(info.nsfw.sensitive);
        sens_m = {{"nsfw", info.nsfw.scores}, {"sensitive", round4(info.nsfw.sensitive)}};
    }
    terms.push_back({"not_sensitive", sens_v, w.not_sensitive, sens_m});

    double sum = 0, wsum = 0;
    json terms_j = json::object();
    for (const Term& t : terms) {
        sum += t.weight * t.value;
        wsum += t.weight;
        terms_j[t.name] = {{"value", round4(t.value)}, {"weight", t.weight}, {"measured", t.measured}};
    }
    const double weighted = wsum > 0 ? sum / wsum : 0.0;
    json gates = json::object();
    double gate = 1.0;
    auto apply = [&](bool when, const char* name, double factor) {
        if (!when) return;
        gates[name] = factor;
        gate *= factor;
    };
    apply(fr.flags & (kFlagBlack | kFlagWhite), "black_or_white", 0.1);
    apply(transition, "in_transition", 0.3);
    apply(credits, "in_credits", 0.5);
    apply(info.nsfw.explicit_share >= 0.5, "sensitive", 0.1);

    info.score.score = weighted * gate;
    info.score.breakdown = json{{"score", round4(info.score.score)},
                                {"weighted", round4(weighted)},
                                {"terms", terms_j},
                                {"gates", gates},
                                {"notes", notes}}
                               .dump();
}

// Appearance vectors: the frames' visual embeddings when the facts have a "visual..." model, else colour descriptors.
std::string appearance_source(const TitleFacts& facts, std::unordered_map<int64_t, const std::vector<float>*>& by_frame) {
    for (const auto& [model, rows] : facts.embeddings) {
        if (model.rfind("visual", 0) != 0) continue;
        for (const Embedding& e : rows)
            if (e.entity == "frame" && !e.vector.empty()) by_frame[e.entity_key] = &e.vector;
        if (!by_frame.empty()) return model;
    }
    return "colour_descriptor";
}

// The frames' pairwise appearance similarity, rescaled against the median pair (see the header).
std::vector<std::vector<double>> appearance_similarity(const std::vector<FrameInfo>& infos, double& median) {
    const size_t n = infos.size();
    std::vector<std::vector<double>> cos(n, std::vector<double>(n, 0.0));
    std::vector<double> pairs;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
            cos[i][j] = cos[j][i] = cosine(infos[i].appearance, infos[j].appearance);
            if (!infos[i].appearance.empty() && !infos[j].appearance.empty()) pairs.push_back(cos[i][j]);
        }
    median = 0.0;
    if (!pairs.empty()) {
        std::nth_element(pairs.begin(), pairs.begin() + pairs.size() / 2, pairs.end());
        median = pairs[pairs.size() / 2];
    }
    median = std::min(median, 0.98);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j)
            if (i != j) cos[i][j] = clamp01((cos[i][j] - median) / (1.0 - median));
    return cos;
}

json box_json(const FrameBox& b) { return json::array({round4(b.x), round4(b.y), round4(b.width), round4(b.height)}); }

}  // namespace

const std::vector<ArtworkShape>& artwork_shapes() {
    static const std::vector<ArtworkShape> shapes = {{"16:9", 16.0 / 9.0}, {"2:3", 2.0 / 3.0}, {"1:1", 1.0}, {"4:3", 4.0 / 3.0}};
    return shapes;
}

ArtworkCrop artwork_crop(double aspect, double frame_aspect, const std::vector<FrameBox>& faces, const FrameBox& active,
                         const std::vector<FrameBox>& salient) {
    ArtworkCrop out;
    if (!(aspect > 0) || !(frame_aspect > 0)) return out;
    // The largest crop of the shape inside the active picture (fractions: width_fraction * frame_aspect /
    // height_fraction == aspect).
    const double active_aspect = active.width * frame_aspect / std::max(1e-9, active.height);
    double cw, ch;
    if (aspect <= active_aspect) {
        ch = active.height;
        cw = aspect * ch / frame_aspect;
    } else {
        cw = active.width;
        ch = cw * frame_aspect / aspect;
    }
    const double ax0 = active.x, ay0 = active.y, ax1 = active.x + active.width, ay1 = active.y + active.height;
    auto place = [&](double x, double y) {
        out.box = {std::clamp(x, ax0, ax1 - cw), std::clamp(y, ay0, ay1 - ch), cw, ch};
    };
    if (faces.empty()) {
        if (!salient.empty()) {
            const FrameBox& b = salient.front();
            place(b.x + b.width / 2 - cw / 2, b.y + b.height / 2 - ch / 2);
        } else {
            place(ax0 + (active.width - cw) / 2, ay0 + (active.height - ch) / 2);
        }
        return out;
    }
    // The top face's eye line, for placing it on the upper third of the crop.
    const FrameBox* top = &faces.front();
    for (const FrameBox& f : faces)
        if (f.y < top->y) top = &f;
    const double eye_y = top->y + 0.4 * top->height;
    // The faces with margins (clamped to the active picture: a face at its edge cannot get more room there).
    auto union_of = [&](double side, double above, double below) {
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        for (const FrameBox& f : faces) {
            x0 = std::min(x0, f.x - side * f.width);
            x1 = std::max(x1, f.x + f.width + side * f.width);
            y0 = std::min(y0, f.y - above * f.height);
            y1 = std::max(y1, f.y + f.height + below * f.height);
        }
        return FrameBox{std::max(x0, ax0), std::max(y0, ay0), std::min(x1, ax1) - std::max(x0, ax0),
                        std::min(y1, ay1) - std::max(y0, ay0)};
    };
    const double eps = 1e-9;
    for (int attempt = 0; attempt < 2; ++attempt) {
        const FrameBox u = attempt == 0 ? union_of(0.25, 0.35, 0.25) : union_of(0, 0, 0);
        if (u.width > cw + eps || u.height > ch + eps) continue;
        // Crop left edge: centred on the faces, but within [u right - cw, u left] and the active picture.
        const double x_lo = std::max(ax0, u.x + u.width - cw), x_hi = std::min(ax1 - cw, u.x);
        const double y_lo = std::max(ay0, u.y + u.height - ch), y_hi = std::min(ay1 - ch, u.y);
        out.box = {std::clamp(u.x + u.width / 2 - cw / 2, x_lo, std::max(x_lo, x_hi)),
                   std::clamp(eye_y - ch / 3, y_lo, std::max(y_lo, y_hi)), cw, ch};
        out.flag = attempt == 0 ? "" : "reduced_margin";
        return out;
    }
    // Not all faces fit: keep as many of the largest faces whole as fit together (a poster with one whole face
    // beats one with two halves), centred on them; the rest are cut.
    std::vector<FrameBox> by_size = faces;
    std::stable_sort(by_size.begin(), by_size.end(),
                     [](const FrameBox& a, const FrameBox& b) { return a.width * a.height > b.width * b.height; });
    std::vector<FrameBox> kept;
    for (const FrameBox& f : by_size) {
        kept.push_back(f);
        double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
        for (const FrameBox& k : kept) {
            x0 = std::min(x0, k.x);
            x1 = std::max(x1, k.x + k.width);
            y0 = std::min(y0, k.y);
            y1 = std::max(y1, k.y + k.height);
        }
        if ((x1 - x0 > cw + eps || y1 - y0 > ch + eps) && kept.size() > 1) kept.pop_back();
    }
    if (kept.size() < faces.size()) {
        ArtworkCrop sub = artwork_crop(aspect, frame_aspect, kept, active, salient);
        sub.flag = "faces_cut";
        return sub;
    }
    const FrameBox u = union_of(0, 0, 0);
    place(u.x + u.width / 2 - cw / 2, u.y + u.height / 2 - ch / 2);
    out.flag = "faces_cut";
    return out;
}

double text_likeness(const RgbImage& image) {
    if (image.empty() || image.width < 16 || image.height < 8) return 0.0;
    const int w = image.width, h = image.height;
    const std::vector<uint8_t> y = luma_of(image);
    constexpr int kStep = 48, kMaxStroke = 5;
    const int min_strokes = std::max(4, w / 32);
    std::vector<char> text_row(h, 0);
    for (int row = 0; row < h; ++row) {
        const uint8_t* l = &y[static_cast<size_t>(row) * w];
        int strokes = 0, last_x = -1000, last_sign = 0;
        for (int x = 0; x + 2 < w;) {
            const int d = int(l[x + 2]) - int(l[x]);  // over two pixels: anti-aliased edges count too
            if (std::abs(d) >= kStep) {
                const int sign = d > 0 ? 1 : -1;
                if (last_sign == -sign && x - last_x <= kMaxStroke) {
                    ++strokes;
                    last_sign = 0;  // a stroke closes; the next edge opens a new one
                } else {
                    last_sign = sign;
                }
                last_x = x;
                x += 2;
            } else {
                ++x;
            }
        }
        text_row[row] = strokes >= min_strokes;
    }
    // Bands of text-like rows (one-row gaps bridged), 3..24 rows high: a line of text, not a texture.
    int counted = 0;
    for (int row = 0; row < h;) {
        if (!text_row[row]) {
            ++row;
            continue;
        }
        int end = row;
        while (end + 1 < h && (text_row[end + 1] || (end + 2 < h && text_row[end + 2]))) ++end;
        const int band = end - row + 1;
        if (band >= 3 && band <= 24) counted += band;
        row = end + 1;
    }
    return double(counted) / h;
}

std::vector<float> colour_descriptor(const RgbImage& image) {
    if (image.empty()) return {};
    std::vector<float> d(64 + 12, 0.0f);
    std::vector<double> hist(64, 0.0), grid(12, 0.0), grid_n(4, 0.0);
    const int w = image.width, h = image.height;
    for (int yy = 0; yy < h; ++yy)
        for (int xx = 0; xx < w; ++xx) {
            const uint8_t* p = &image.rgb[(static_cast<size_t>(yy) * w + xx) * 3];
            hist[(p[0] >> 6) * 16 + (p[1] >> 6) * 4 + (p[2] >> 6)] += 1;
            const int cell = (yy * 2 / h) * 2 + (xx * 2 / w);
            for (int k = 0; k < 3; ++k) grid[cell * 3 + k] += p[k];
            grid_n[cell] += 1;
        }
    const double n = double(w) * h;
    for (int i = 0; i < 64; ++i) d[i] = float(std::sqrt(hist[i] / n));
    // Mean colours (0..1) at half weight: the palette's layout, which a histogram alone ignores.
    for (int c = 0; c < 4; ++c)
        for (int k = 0; k < 3; ++k)
            d[64 + c * 3 + k] = float(0.5 * (grid_n[c] > 0 ? grid[c * 3 + k] / grid_n[c] / 255.0 : 0.0) / std::sqrt(4.0));
    double norm = 0;
    for (float v : d) norm += double(v) * v;
    norm = std::sqrt(norm);
    if (norm > 0)
        for (float& v : d) v = float(v / norm);
    return d;
}

std::vector<int64_t> main_character_face_ids(const std::vector<Character>& characters, int max_characters) {
    std::vector<const Character*> sorted;
    for (const Character& c : characters) sorted.push_back(&c);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Character* a, const Character* b) { return a->screen_time_s > b->screen_time_s; });
    std::vector<int64_t> ids;
    if (sorted.empty()) return ids;
    const double top = sorted.front()->screen_time_s;
    for (int i = 0; i < int(sorted.size()) && i < max_characters; ++i) {
        if (sorted[i]->screen_time_s < 0.25 * top) break;
        ids.insert(ids.end(), sorted[i]->face_ids.begin(), sorted[i]->face_ids.end());
    }
    return ids;
}

std::vector<int64_t> main_character_face_ids(const std::vector<Character>& characters, const std::vector<Face>& faces,
                                             double min_face_score, int max_characters) {
    std::unordered_map<int64_t, double> score_of;
    for (const Face& f : faces) score_of[f.id] = f.score;
    std::vector<Character> trusted;
    for (const Character& c : characters)
        if (std::any_of(c.face_ids.begin(), c.face_ids.end(), [&](int64_t id) {
                auto it = score_of.find(id);
                return it != score_of.end() && it->second >= min_face_score;
            }))
            trusted.push_back(c);
    return main_character_face_ids(trusted, max_characters);
}

namespace {

// Per-frame facts for scoring and picking; thumbnails are decoded once here.
std::vector<FrameInfo> collect(const TitleFacts& facts, const ModelRunOutput& out, const ArtworkOptions& o,
                               std::string& appearance_model) {
    std::vector<int64_t> main_ids = o.main_character_face_ids;
    if (main_ids.empty()) main_ids = main_character_face_ids(out.characters, facts.faces, o.min_face_score);
    const std::unordered_set<int64_t> main_faces(main_ids.begin(), main_ids.end());

    // Face -> character key: the run's characters (by position, 1-based), else the stored assignment.
    std::unordered_map<int64_t, int64_t> character_of;
    for (size_t i = 0; i < out.characters.size(); ++i)
        for (int64_t id : out.characters[i].face_ids) character_of[id] = int64_t(i) + 1;
    if (character_of.empty())
        for (const Face& f : facts.faces)
            if (f.character_id != 0) character_of[f.id] = f.character_id;

    std::unordered_map<int64_t, const std::vector<float>*> embedded;
    appearance_model = appearance_source(facts, embedded);
    std::unordered_map<int64_t, const FrameScores*> nsfw;
    for (const FrameScores& s : facts.frame_scores)
        if (s.model == "nsfw") nsfw[s.frame_index] = &s;

    std::vector<FrameInfo> infos;
    infos.reserve(facts.frames.size());
    for (const FrameRecord& fr : facts.frames) {
        FrameInfo info;
        info.frame = &fr;
        info.score.frame_index = fr.frame_index;
        info.score.frame_id = fr.id;
        info.score.shot_index = fr.shot_index;
        info.subject = subject_of(facts, fr.frame_index, o);
        for (const Face* f : info.subject.faces) {
            info.score.face_ids.push_back(f->id);
            if (auto it = character_of.find(f->id); it != character_of.end()) info.characters.insert(it->second);
        }
        if (auto it = nsfw.find(fr.frame_index); it != nsfw.end()) info.nsfw = sensitivity_of(it->second->scores);
        RgbImage thumb;
        if (facts.thumbnail && fr.id != 0) thumb = facts.thumbnail(fr.id);
        if (auto it = embedded.find(fr.frame_index); it != embedded.end()) info.appearance = *it->second;
        else info.appearance = colour_descriptor(thumb);
        score_frame(facts, info, thumb, o, main_faces);
        infos.push_back(std::move(info));
    }
    return infos;
}

}  // namespace

std::vector<FrameArtworkScore> score_artwork_frames(const TitleFacts& facts, const ArtworkOptions& options) {
    std::string model;
    std::vector<FrameArtworkScore> out;
    for (FrameInfo& i : collect(facts, ModelRunOutput{}, options, model)) out.push_back(std::move(i.score));
    return out;
}

void derive_artwork(const TitleFacts& facts, ModelRunOutput& out, const ArtworkOptions& o) {
    if (facts.frames.empty() || o.count <= 0) return;
    std::string appearance_model;
    const std::vector<FrameInfo> infos = collect(facts, out, o, appearance_model);
    const size_t n = infos.size();
    double median = 0;
    const std::vector<std::vector<double>> appearance = appearance_similarity(infos, median);

    // Scene of each frame, from Scene chapters in the same run (when the chapter analyser ran first).
    std::vector<int> scene(n, -1);
    for (size_t i = 0; i < n; ++i)
        for (size_t c = 0; c < out.chapters.size(); ++c)
            if (out.chapters[c].kind == ChapterKind::Scene && infos[i].frame->frame_index >= out.chapters[c].start_frame &&
                infos[i].frame->frame_index <= out.chapters[c].end_frame)
                scene[i] = int(c);

    auto similarity = [&](size_t a, size_t b, json* parts) {
        double context = 0.0;
        if (infos[a].frame->shot_index == infos[b].frame->shot_index) context = 1.0;
        else if (scene[a] >= 0 && scene[a] == scene[b]) context = 0.5;
        double chars = 0.0;
        const auto& ca = infos[a].characters;
        const auto& cb = infos[b].characters;
        if (!ca.empty() || !cb.empty()) {
            size_t common = 0;
            for (int64_t k : ca) common += cb.count(k);
            chars = double(common) / double(ca.size() + cb.size() - common);
        }
        const double s = 0.5 * appearance[a][b] + 0.3 * context + 0.2 * chars;
        if (parts)
            *parts = {{"appearance", round4(appearance[a][b])}, {"context", context}, {"characters", round4(chars)},
                      {"similarity", round4(s)}};
        return s;
    };

    // Greedy maximal marginal relevance.
    const double lambda = std::clamp(o.diversity_lambda, 0.0, 1.0);
    std::vector<size_t> picked;
    std::vector<char> used(n, 0);
    double top_score = 0;
    for (size_t i = 0; i < n; ++i) top_score = std::max(top_score, infos[i].score.score);
    for (size_t i = 0; i < n; ++i)
        if (infos[i].score.score < o.min_relative_score * top_score) used[i] = 1;  // too poor to offer
    std::vector<json> why(n);
    while (picked.size() < std::min(n, size_t(o.count))) {
        size_t best = n;
        double best_value = -1e18, best_sim = 0;
        for (size_t i = 0; i < n; ++i) {
            if (used[i]) continue;
            double max_sim = 0, max_appearance = 0;
            for (size_t p : picked) {
                max_sim = std::max(max_sim, similarity(i, p, nullptr));
                max_appearance = std::max(max_appearance, appearance[i][p]);
            }
            if (max_appearance >= o.duplicate_appearance) continue;  // a near-duplicate of a pick: never a variant
            const double value = lambda * infos[i].score.score - (1 - lambda) * max_sim;
            if (value > best_value + 1e-12 ||
                (std::abs(value - best_value) <= 1e-12 && best < n && infos[i].score.score > infos[best].score.score)) {
                best = i;
                best_value = value;
                best_sim = max_sim;
            }
        }
        if (best == n) break;
        used[best] = 1;
        json nearest = nullptr;
        double top = -1;
        for (size_t p : picked) {
            json parts;
            const double s = similarity(best, p, &parts);
            if (s > top) {
                top = s;
                parts["frame_index"] = infos[p].frame->frame_index;
                nearest = parts;
            }
        }
        why[best] = {{"rank", picked.size() + 1}, {"mmr_value", round4(best_value)}, {"max_similarity", round4(best_sim)},
                     {"nearest_pick", nearest}};
        picked.push_back(best);
    }

    for (size_t p : picked) {
        const FrameInfo& info = infos[p];
        const FrameRecord& fr = *info.frame;
        const double aspect = frame_aspect_of(fr, facts.title);
        const FrameBox active = active_box(fr);
        json crops = json::object(), crop_flags = json::object();
        for (const ArtworkShape& shape : artwork_shapes()) {
            const ArtworkCrop c = artwork_crop(shape.aspect, aspect, info.subject.face_boxes, active, info.subject.salient);
            crops[shape.name] = box_json(c.box);
            if (!c.flag.empty()) crop_flags[shape.name] = c.flag;
        }
        json breakdown = json::parse(info.score.breakdown);
        breakdown["crop_flags"] = crop_flags;
        json faces = json::array();
        for (const Face* f : info.subject.faces)
            faces.push_back({{"face_id", f->id},
                             {"box", box_json({f->x, f->y, f->width, f->height})},
                             {"score", round4(f->score)},
                             {"expression", f->expression},
                             {"character", f->character_id ? json(f->character_id) : json(nullptr)}});
        json evidence = {{"frames", json::array({fr.frame_index})},
                         {"frame_id", fr.id},
                         {"pts_s", round4(fr.pts_s)},
                         {"shot_index", fr.shot_index},
                         {"faces", faces},
                         {"main_character", info.main_known ? json(info.faces_in_main) : json(nullptr)},
                         {"nsfw", info.nsfw.scores},
                         {"appearance", appearance_model},
                         {"appearance_median_cosine", round4(median)},
                         {"pick", why[p]},
                         {"frame_aspect", round4(aspect)}};
        ArtworkCandidate a;
        a.title_id = facts.title.id;
        a.frame_index = fr.frame_index;
        a.score = info.score.score;
        a.confidence = info.score.score;
        a.breakdown = breakdown.dump();
        a.crops = crops.dump();
        a.evidence = evidence.dump();
        out.artwork.push_back(std::move(a));
    }
}

}  // namespace frameline
