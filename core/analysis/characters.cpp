#include "core/analysis/characters.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/error.h"

namespace frameline {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

double dot_unchecked(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

// Upper triangle of a symmetric n x n matrix without the diagonal, row by row: half the memory of a full matrix,
// which is what bounds how many faces one clustering can take.
class CondensedMatrix {
public:
    explicit CondensedMatrix(size_t n) : n_(n), d_(n < 2 ? 0 : n * (n - 1) / 2, 0.0f) {}
    float& at(size_t i, size_t j) {
        if (i > j) std::swap(i, j);
        return d_[i * n_ - i * (i + 1) / 2 + (j - i - 1)];
    }

private:
    size_t n_;
    std::vector<float> d_;
};

// Laplacian variance of the face's box on the thumbnail (luma): the usual focus measure, taken on the face itself
// because a sharp background says nothing about a blurred face. -1 when the box holds fewer than 5x5 pixels.
double face_sharpness(const RgbImage& img, const Face& f) {
    if (img.empty()) return -1;
    const int x0 = std::clamp(int(std::floor(f.x * img.width)), 0, img.width - 1);
    const int y0 = std::clamp(int(std::floor(f.y * img.height)), 0, img.height - 1);
    const int x1 = std::clamp(int(std::ceil((f.x + f.width) * img.width)), 0, img.width);
    const int y1 = std::clamp(int(std::ceil((f.y + f.height) * img.height)), 0, img.height);
    if (x1 - x0 < 5 || y1 - y0 < 5) return -1;
    auto luma = [&](int x, int y) {
        const uint8_t* p = &img.rgb[(size_t(y) * img.width + x) * 3];
        return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    };
    double sum = 0, sum2 = 0;
    size_t n = 0;
    for (int y = y0 + 1; y < y1 - 1; ++y)
        for (int x = x0 + 1; x < x1 - 1; ++x) {
            const double l = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1) - 4 * luma(x, y);
            sum += l;
            sum2 += l * l;
            ++n;
        }
    if (n == 0) return -1;
    const double mean = sum / double(n);
    return std::max(0.0, sum2 / double(n) - mean * mean);
}

}  // namespace

std::vector<std::vector<size_t>> cluster_agglomerative(const std::vector<std::vector<float>>& vectors,
                                                       const std::vector<int64_t>& frames, double threshold,
                                                       Linkage linkage) {
    const size_t n = vectors.size();
    if (!frames.empty() && frames.size() != n)
        throw Error("clustering: " + std::to_string(frames.size()) + " frame numbers for " + std::to_string(n) +
                    " vectors");
    if (!(threshold >= 0)) throw Error("clustering: the distance threshold must be >= 0");
    std::vector<std::vector<size_t>> members(n);
    for (size_t i = 0; i < n; ++i) members[i] = {i};
    if (n < 2) return members;
    const size_t dims = vectors[0].size();
    for (size_t i = 0; i < n; ++i)
        if (vectors[i].size() != dims)
            throw Error("clustering: vector " + std::to_string(i) + " has " + std::to_string(vectors[i].size()) +
                        " values, vector 0 has " + std::to_string(dims));

    // Cosine distances; the vectors are unit length (faceres descriptors as stored), so 1 - dot. Faces of one frame
    // are different people: infinitely far apart.
    CondensedMatrix d(n);
    std::vector<double> norms(n);
    for (size_t i = 0; i < n; ++i) norms[i] = std::sqrt(dot_unchecked(vectors[i], vectors[i]));
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
            if (!frames.empty() && frames[i] == frames[j]) {
                d.at(i, j) = kInf;
                continue;
            }
            const double nn = norms[i] * norms[j];
            d.at(i, j) = nn > 0 ? float(1.0 - dot_unchecked(vectors[i], vectors[j]) / nn) : 1.0f;
        }

    // Nearest-neighbour chain: follow nearest neighbours until two clusters are each other's nearest, merge them.
    // Average and complete linkage are "reducible" (a merged cluster is never nearer to a third than the nearer of
    // its parts was), so this gives the same merges as always merging the globally nearest pair, in O(n^2). The same
    // property lets a cluster whose nearest neighbour is farther than the threshold retire: no later merge can bring
    // anything within the threshold of it. Infinite distances (cannot-link) propagate through both updates.
    std::vector<bool> live(n, true);
    std::vector<size_t> size(n, 1);
    size_t remaining = n;
    std::vector<size_t> chain;
    size_t next_start = 0;
    while (remaining > 1) {
        if (chain.empty()) {
            while (!live[next_start]) ++next_start;
            chain.push_back(next_start);
        }
        const size_t x = chain.back();
        // Ties go to the previous chain element so that the chain cannot cycle.
        size_t y = n;
        float best = kInf;
        if (chain.size() >= 2) {
            y = chain[chain.size() - 2];
            best = d.at(x, y);
        }
        for (size_t k = 0; k < n; ++k)
            if (live[k] && k != x && d.at(x, k) < best) {
                best = d.at(x, k);
                y = k;
            }
        if (y == n || !(double(best) <= threshold)) {  // nothing within reach, now or later
            live[x] = false;
            --remaining;
            chain.pop_back();
            continue;
        }
        if (chain.size() >= 2 && y == chain[chain.size() - 2]) {
            chain.pop_back();
            chain.pop_back();
            const size_t a = std::min(x, y), b = std::max(x, y);
            for (size_t k = 0; k < n; ++k) {
                if (!live[k] || k == a || k == b) continue;
                const float da = d.at(a, k), db = d.at(b, k);
                d.at(a, k) = linkage == Linkage::Complete
                                 ? std::max(da, db)
                                 : float((double(size[a]) * da + double(size[b]) * db) / double(size[a] + size[b]));
            }
            size[a] += size[b];
            live[b] = false;
            members[a].insert(members[a].end(), members[b].begin(), members[b].end());
            members[b].clear();
            --remaining;
        } else {
            chain.push_back(y);
        }
    }
    std::vector<std::vector<size_t>> out;
    for (auto& m : members)
        if (!m.empty()) {
            std::sort(m.begin(), m.end());
            out.push_back(std::move(m));
        }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    return out;
}

double face_frontality(const std::string& landmarks_json) {
    const nlohmann::json j = nlohmann::json::parse(landmarks_json, nullptr, false);
    if (!j.is_array() || j.size() < 6) return 0.5;
    double px[6], py[6];
    for (int i = 0; i < 6; ++i) {
        if (!j[i].is_array() || j[i].size() < 2 || !j[i][0].is_number() || !j[i][1].is_number()) return 0.5;
        px[i] = j[i][0].get<double>();
        py[i] = j[i][1].get<double>();
    }
    (void)py;
    // Keypoints 0/1: eyes (picture left/right), 2: nose tip, 4/5: ears. A turned head moves the nose towards one
    // eye and one ear out of sight (towards the nose).
    const double eye_span = px[1] - px[0];
    if (!(std::abs(eye_span) > 1e-6)) return 0.0;
    const double nose_pos = (px[2] - px[0]) / eye_span;  // 0.5 frontal
    const double eyes = std::clamp(1.0 - 2.0 * std::abs(nose_pos - 0.5), 0.0, 1.0);
    const double left = std::abs(px[2] - px[4]), right = std::abs(px[5] - px[2]);
    const double ears = (left + right) > 1e-6 ? std::min(left, right) / std::max(left, right) : 0.0;
    return 0.5 * eyes + 0.5 * ears;
}

void derive_characters(const TitleFacts& facts, ModelRunOutput& out, const CharacterOptions& o) {
    if (!(o.distance_threshold >= 0 && o.distance_threshold <= 2))
        throw Error("characters: distance_threshold must be between 0 and 2 (cosine distance)");
    if (o.max_clustered_faces < 2) throw Error("characters: max_clustered_faces must be at least 2");

    // Faces worth clustering: an identity vector, big and clear enough. All vectors must have one length.
    std::vector<const Face*> faces;
    size_t dims = 0;
    for (const Face& f : facts.faces) {
        if (f.identity.empty() || f.height < o.min_face_height || f.score < o.min_face_score) continue;
        if (dims == 0) dims = f.identity.size();
        if (f.identity.size() != dims)
            throw Error("characters: face " + std::to_string(f.id) + " (frame " + std::to_string(f.frame_index) +
                        ") has an identity vector of " + std::to_string(f.identity.size()) + " values, others " +
                        std::to_string(dims) + "; re-run the model pass");
        faces.push_back(&f);
    }
    if (faces.empty()) return;
    // Largest, clearest first: when there are more than the clustering takes, those are the ones it takes.
    std::stable_sort(faces.begin(), faces.end(),
                     [](const Face* a, const Face* b) { return a->height * a->score > b->height * b->score; });
    const size_t clustered = std::min(faces.size(), o.max_clustered_faces);
    std::vector<std::vector<float>> vecs(clustered);
    std::vector<int64_t> frames(clustered);
    for (size_t i = 0; i < clustered; ++i) {
        vecs[i] = faces[i]->identity;
        frames[i] = faces[i]->frame_index;
    }
    std::vector<std::vector<size_t>> clusters = cluster_agglomerative(vecs, frames, o.distance_threshold, o.linkage);

    // Unit-length vectors: the mean distance to a cluster's members is 1 - dot(v, mean of members), so a centroid
    // answers the overflow faces' average-linkage question exactly.
    auto centroid_of = [&](const std::vector<size_t>& m) {
        std::vector<double> c(dims, 0.0);
        for (size_t i : m)
            for (size_t k = 0; k < dims; ++k) c[k] += faces[i]->identity[k];
        for (double& v : c) v /= double(m.size());
        return c;
    };
    std::vector<std::vector<double>> centroids;
    for (const auto& m : clusters) centroids.push_back(centroid_of(m));
    if (faces.size() > clustered) {
        std::vector<std::set<int64_t>> cluster_frames(clusters.size());
        for (size_t c = 0; c < clusters.size(); ++c)
            for (size_t i : clusters[c]) cluster_frames[c].insert(faces[i]->frame_index);
        for (size_t i = clustered; i < faces.size(); ++i) {
            double best = std::numeric_limits<double>::infinity();
            size_t best_c = clusters.size();
            for (size_t c = 0; c < clusters.size(); ++c) {
                if (cluster_frames[c].count(faces[i]->frame_index)) continue;
                double s = 0;
                for (size_t k = 0; k < dims; ++k) s += centroids[c][k] * faces[i]->identity[k];
                if (1.0 - s < best) {
                    best = 1.0 - s;
                    best_c = c;
                }
            }
            if (best_c < clusters.size() && best <= o.distance_threshold) {
                clusters[best_c].push_back(i);
                cluster_frames[best_c].insert(faces[i]->frame_index);
            }
        }
        for (size_t c = 0; c < clusters.size(); ++c) centroids[c] = centroid_of(clusters[c]);
    }

    // Sampled frames per shot and the shot of each sampled frame, for screen time.
    std::map<int, int> sampled_in_shot;
    std::unordered_map<int64_t, const FrameRecord*> frame_by_index;
    for (const FrameRecord& fr : facts.frames) {
        ++sampled_in_shot[fr.shot_index];
        frame_by_index[fr.frame_index] = &fr;
    }
    std::map<int, const Shot*> shot_by_index;
    for (const Shot& s : facts.shots) shot_by_index[s.index] = &s;
    auto shot_of = [&](int64_t frame_index) -> const Shot* {
        auto it = frame_by_index.find(frame_index);
        if (it != frame_by_index.end()) {
            auto s = shot_by_index.find(it->second->shot_index);
            if (s != shot_by_index.end()) return s->second;
        }
        return facts.shot_at(frame_index);
    };

    std::vector<Character> made;
    for (size_t c = 0; c < clusters.size(); ++c) {
        std::vector<const Face*> members;
        for (size_t i : clusters[c]) members.push_back(faces[i]);
        std::sort(members.begin(), members.end(), [](const Face* a, const Face* b) {
            return a->frame_index != b->frame_index ? a->frame_index < b->frame_index : a->id < b->id;
        });
        std::set<int64_t> frame_set;
        for (const Face* f : members) frame_set.insert(f->frame_index);
        const bool single_frame = frame_set.size() == 1;
        if (single_frame) {
            const Face* f = members.front();
            if (!o.keep_single_frame || f->height < o.single_frame_min_height || f->score < o.single_frame_min_score)
                continue;  // noise: one small or doubtful face once
        }

        // Screen time, shot by shot: k of n sampled frames x the shot's duration.
        std::map<int, int> frames_with;  // shot index -> sampled frames showing the character
        std::map<int, const Shot*> shots_seen;
        for (int64_t fi : frame_set) {
            const Shot* s = shot_of(fi);
            if (!s) continue;
            ++frames_with[s->index];
            shots_seen[s->index] = s;
        }
        double screen_s = 0;
        nlohmann::json shots_json = nlohmann::json::array();
        for (const auto& [si, k] : frames_with) {
            const Shot* s = shots_seen[si];
            const int n = std::max(k, sampled_in_shot.count(si) ? sampled_in_shot[si] : 0);
            const double sec = double(k) / double(n) * facts.shot_duration_s(*s);
            screen_s += sec;
            shots_json.push_back({{"shot", si}, {"sampled_frames", n}, {"frames_with_character", k},
                                  {"shot_s", facts.shot_duration_s(*s)}, {"seconds", sec}});
        }

        // Cohesion: mean pairwise cosine distance of unit vectors from the centroid's length:
        // mean_{i != j} cos = (n |m|^2 - 1) / (n - 1).
        const auto& m = centroids[c];
        double m2 = 0;
        for (double v : m) m2 += v * v;
        const double nm = double(members.size());
        const double mean_distance = members.size() > 1 ? 1.0 - (nm * m2 - 1.0) / (nm - 1.0) : 0.0;
        const double cohesion = std::clamp(1.0 - mean_distance / std::max(o.distance_threshold, 1e-9), 0.0, 1.0);
        const double support = 1.0 - std::exp(-double(frame_set.size()) / 2.0);  // 1 frame 0.39, 2: 0.63, 4: 0.86
        double confidence = support * (0.5 + 0.5 * cohesion);
        if (single_frame) confidence = std::min(confidence, o.single_frame_confidence);

        // Best face: detector score x size x sharpness x frontality, each a factor 0.4..1 so that no single
        // weak measure rules a face out. Sharpness needs the thumbnail: only the largest, clearest few are decoded.
        std::vector<const Face*> cand = members;
        std::stable_sort(cand.begin(), cand.end(),
                         [](const Face* a, const Face* b) { return a->height * a->score > b->height * b->score; });
        if (cand.size() > o.best_face_candidates) cand.resize(o.best_face_candidates);
        const Face* best = nullptr;
        double best_score = -1;
        nlohmann::json best_json;
        for (const Face* f : cand) {
            double sharp = -1;
            auto fr = frame_by_index.find(f->frame_index);
            if (facts.thumbnail && fr != frame_by_index.end()) sharp = face_sharpness(facts.thumbnail(fr->second->id), *f);
            // Laplacian variance of a face on a 320 px thumbnail: ~20 for a soft face, several hundred for a crisp one.
            const double sharp_n = sharp < 0 ? 0.5 : sharp / (sharp + 100.0);
            const double size_n = std::min(1.0, f->height / 0.3);
            const double frontal = face_frontality(f->landmarks);
            const double s = f->score * (0.4 + 0.6 * size_n) * (0.4 + 0.6 * sharp_n) * (0.4 + 0.6 * frontal);
            if (s > best_score) {
                best_score = s;
                best = f;
                best_json = {{"face", f->id},         {"frame", f->frame_index},  {"score", s},
                             {"detector", f->score},  {"height", f->height},      {"size", size_n},
                             {"sharpness", sharp},    {"sharpness_n", sharp_n},   {"frontal", frontal}};
            }
        }

        Character ch;
        ch.face_ids.reserve(members.size());
        for (const Face* f : members) ch.face_ids.push_back(f->id);
        ch.screen_time_s = screen_s;
        ch.best_face_id = best ? best->id : members.front()->id;
        ch.confidence = confidence;
        nlohmann::json ev;
        ev["frames"] = std::vector<int64_t>(frame_set.begin(), frame_set.end());
        ev["faces"] = members.size();
        ev["shots"] = shots_json;
        ev["first_frame"] = *frame_set.begin();
        if (auto fr = frame_by_index.find(*frame_set.begin()); fr != frame_by_index.end())
            ev["first_s"] = fr->second->pts_s;
        ev["mean_distance"] = mean_distance;
        ev["threshold"] = o.distance_threshold;
        ev["linkage"] = o.linkage == Linkage::Average ? "average" : "complete";
        ev["single_frame"] = single_frame;
        ev["best_face"] = best_json;
        std::map<std::string, int> expressions, genders;
        double age_sum = 0;
        for (const Face* f : members) {
            if (!f->expression.empty()) ++expressions[f->expression];
            if (!f->gender.empty()) ++genders[f->gender];
            age_sum += f->age;
        }
        ev["expressions"] = expressions;
        ev["genders"] = genders;
        ev["mean_age"] = age_sum / nm;
        ch.evidence = ev.dump();
        made.push_back(std::move(ch));
    }
    // Longest on screen first; then more faces; then whoever appears first.
    std::stable_sort(made.begin(), made.end(), [](const Character& a, const Character& b) {
        if (std::abs(a.screen_time_s - b.screen_time_s) > 1e-9) return a.screen_time_s > b.screen_time_s;
        return a.face_ids.size() > b.face_ids.size();
    });
    for (size_t r = 0; r < made.size(); ++r) {
        nlohmann::json ev = nlohmann::json::parse(made[r].evidence);
        ev["rank"] = r + 1;
        made[r].evidence = ev.dump();
        out.characters.push_back(std::move(made[r]));
    }
}

}  // namespace frameline
