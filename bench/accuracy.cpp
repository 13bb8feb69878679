#include "bench/accuracy.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>

namespace frameline::bench {

Truth load_truth(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path.string() + ": cannot open the truth file");
    try {
        const auto j = nlohmann::json::parse(in);
        Truth t;
        t.frames = j.at("frames").get<int64_t>();
        for (const auto& x : j.at("transitions"))
            t.transitions.push_back({x.at("kind").get<std::string>(), x.at("start").get<int64_t>(),
                                     x.at("end").get<int64_t>(), x.at("frame").get<int64_t>()});
        for (const auto& x : j.value("no_cut_events", nlohmann::json::array()))
            t.no_cut_events.push_back({x.at("kind").get<std::string>(), x.at("start").get<int64_t>(),
                                       x.at("end").get<int64_t>()});
        return t;
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path.string() + ": not a truth file (" + e.what() + ")");
    }
}

std::vector<Detection> detections_from(const std::vector<Boundary>& boundaries) {
    std::vector<Detection> out;
    for (const Boundary& b : boundaries) out.push_back({b.frame, b.span_start, b.span_end, b.kind});
    return out;
}

std::vector<Detection> detections_from_frames(const std::vector<int64_t>& cut_frames) {
    std::vector<Detection> out;
    for (int64_t f : cut_frames) out.push_back({f, f, f, Transition::Cut});
    return out;
}

namespace {
bool matches(const TruthTransition& t, const Detection& d, int tol) {
    if (!t.gradual()) return std::llabs(d.frame - t.frame) <= tol;
    const int64_t lo = t.start - tol, hi = t.end + tol;
    const bool frame_inside = d.frame >= lo && d.frame <= hi;
    const bool span_overlaps = d.span_start <= hi && d.span_end >= lo;
    return frame_inside || span_overlaps;
}

// A boundary at the frame after a flash (where the picture returns) is as much the flash's fault as one on it.
bool inside(const TruthEvent& e, int64_t frame) { return frame >= e.start && frame <= e.end + 1; }

bool kind_agrees(const std::string& truth_kind, Transition k) {
    return (truth_kind == "cut" && k == Transition::Cut) || (truth_kind == "dissolve" && k == Transition::Dissolve) ||
           (truth_kind == "fade" && k == Transition::Fade);
}
}  // namespace

Match match(const Truth& truth, const std::vector<Detection>& detections, int tolerance) {
    std::vector<std::tuple<int64_t, int, int>> pairs;  // distance, truth, detection
    for (size_t t = 0; t < truth.transitions.size(); ++t)
        for (size_t d = 0; d < detections.size(); ++d)
            if (matches(truth.transitions[t], detections[d], tolerance))
                pairs.emplace_back(std::llabs(detections[d].frame - truth.transitions[t].frame), int(t), int(d));
    std::sort(pairs.begin(), pairs.end());
    Match m{std::vector<int>(truth.transitions.size(), -1), std::vector<int>(detections.size(), -1)};
    for (auto [dist, t, d] : pairs)
        if (m.truth_to_detection[t] < 0 && m.detection_to_truth[d] < 0) {
            m.truth_to_detection[t] = d;
            m.detection_to_truth[d] = t;
        }
    return m;
}

Score score(const Truth& truth, const std::vector<Detection>& detections, const Match& m) {
    Score s;
    for (size_t t = 0; t < truth.transitions.size(); ++t) {
        const TruthTransition& tr = truth.transitions[t];
        const bool found = m.truth_to_detection[t] >= 0;
        if (!tr.gradual()) {
            ++s.cuts;
            s.cuts_found += found;
        } else {
            ++s.gradual;
            s.gradual_found += found;
            if (tr.kind == "dissolve") ++s.dissolves, s.dissolves_found += found;
            if (tr.kind == "fade") ++s.fades, s.fades_found += found;
        }
        if (found) {
            ++s.kind_checked;
            s.kind_right += kind_agrees(tr.kind, detections[m.truth_to_detection[t]].kind);
        }
    }
    s.detections = int(detections.size());
    for (size_t d = 0; d < detections.size(); ++d) {
        if (m.detection_to_truth[d] >= 0) continue;
        ++s.false_detections;
        for (const TruthEvent& e : truth.no_cut_events)
            if (inside(e, detections[d].frame)) {
                (e.kind == "flash" ? s.on_flash : s.on_pan) += 1;
                break;
            }
    }
    return s;
}

void Score::add(const Score& o) {
    cuts += o.cuts, cuts_found += o.cuts_found, gradual += o.gradual, gradual_found += o.gradual_found;
    dissolves += o.dissolves, dissolves_found += o.dissolves_found, fades += o.fades, fades_found += o.fades_found;
    detections += o.detections, false_detections += o.false_detections, on_flash += o.on_flash, on_pan += o.on_pan;
    kind_right += o.kind_right, kind_checked += o.kind_checked;
}

namespace {
double ratio(int a, int b) { return b > 0 ? double(a) / b : 1.0; }  // nothing to find / nothing claimed: perfect
}  // namespace

double Score::cut_precision() const { return ratio(cuts_found, cuts_found + false_detections); }
double Score::cut_recall() const { return ratio(cuts_found, cuts); }
double Score::cut_f1() const {
    const double p = cut_precision(), r = cut_recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}
double Score::gradual_recall() const { return ratio(gradual_found, gradual); }

std::vector<std::string> explain(const Truth& truth, const std::vector<Detection>& detections, const Match& m) {
    std::vector<std::string> out;
    for (size_t t = 0; t < truth.transitions.size(); ++t) {
        const TruthTransition& tr = truth.transitions[t];
        if (m.truth_to_detection[t] >= 0) {
            const Detection& d = detections[m.truth_to_detection[t]];
            if (!kind_agrees(tr.kind, d.kind))
                out.push_back("wrong kind: " + tr.kind + " at " + std::to_string(tr.frame) + " reported as " +
                              to_string(d.kind));
            continue;
        }
        if (tr.gradual())
            out.push_back("missed " + tr.kind + " " + std::to_string(tr.start) + "-" + std::to_string(tr.end) + " (" +
                          std::to_string(tr.end - tr.start + 1) + " frames)");
        else
            out.push_back("missed cut " + std::to_string(tr.frame));
    }
    for (size_t d = 0; d < detections.size(); ++d) {
        if (m.detection_to_truth[d] >= 0) continue;
        std::string where;
        for (const TruthEvent& e : truth.no_cut_events)
            if (inside(e, detections[d].frame))
                where = " ON A " + e.kind + " (" + std::to_string(e.start) + "-" + std::to_string(e.end) + ")";
        out.push_back("false " + std::string(to_string(detections[d].kind)) + " " + std::to_string(detections[d].frame) +
                      where);
    }
    return out;
}

std::string describe(const std::vector<Detection>& detections) {
    std::string s;
    for (const Detection& d : detections) {
        if (!s.empty()) s += ' ';
        s += std::to_string(d.frame);
        if (d.kind != Transition::Cut)
            s += std::string("(") + to_string(d.kind) + " " + std::to_string(d.span_start) + "-" +
                 std::to_string(d.span_end) + ")";
    }
    return s.empty() ? "-" : s;
}

}  // namespace frameline::bench
