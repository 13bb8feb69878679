#include "core/analysis/embedding_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "core/error.h"

namespace frameline {

double l2_normalise(std::vector<float>& v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    n = std::sqrt(n);
    if (n > 0)
        for (float& x : v) x = float(x / n);
    return n;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size())
        throw Error("embedding: vectors of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                    " values cannot be compared");
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

double cosine_distance(const std::vector<float>& a, const std::vector<float>& b) {
    const double ab = dot(a, b), aa = dot(a, a), bb = dot(b, b);
    if (aa <= 0 || bb <= 0) return 1.0;
    return 1.0 - ab / std::sqrt(aa * bb);
}

Separation separation(const std::vector<std::vector<float>>& v, const std::vector<int>& labels,
                      const std::vector<int>& groups_in) {
    const size_t n = v.size();
    if (labels.size() != n || (!groups_in.empty() && groups_in.size() != n))
        throw Error("separation: " + std::to_string(n) + " vectors, " + std::to_string(labels.size()) + " labels, " +
                    std::to_string(groups_in.size()) + " groups");
    std::vector<int> groups = groups_in;
    if (groups.empty())
        for (size_t i = 0; i < n; ++i) groups.push_back(int(i));
    Separation s;
    s.items = n;
    std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.0));
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) d[i][j] = d[j][i] = cosine_distance(v[i], v[j]);
    double same_sum = 0, other_sum = 0;
    s.same_max = 0;
    s.other_min = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
            if (groups[i] == groups[j]) continue;
            if (labels[i] == labels[j]) {
                same_sum += d[i][j];
                ++s.same_pairs;
                s.same_max = std::max(s.same_max, d[i][j]);
            } else {
                other_sum += d[i][j];
                ++s.other_pairs;
                s.other_min = std::min(s.other_min, d[i][j]);
            }
        }
    s.same_mean = s.same_pairs ? same_sum / double(s.same_pairs) : 0.0;
    s.other_mean = s.other_pairs ? other_sum / double(s.other_pairs) : 0.0;
    s.ratio = s.same_mean > 0 ? s.other_mean / s.same_mean : 0.0;
    size_t hits = 0;
    s.worst_margin = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i) {
        double near_same = std::numeric_limits<double>::infinity(), near_other = near_same;
        for (size_t j = 0; j < n; ++j) {
            if (j == i || groups[j] == groups[i]) continue;
            if (labels[j] == labels[i]) near_same = std::min(near_same, d[i][j]);
            else near_other = std::min(near_other, d[i][j]);
        }
        if (!std::isfinite(near_same)) continue;  // nothing of its label outside its group
        ++s.nn_items;
        if (near_same < near_other) ++hits;
        s.worst_margin = std::min(s.worst_margin, near_other - near_same);
    }
    s.nn_accuracy = s.nn_items ? double(hits) / double(s.nn_items) : 0.0;
    if (!std::isfinite(s.worst_margin)) s.worst_margin = 0.0;
    if (!std::isfinite(s.other_min)) s.other_min = 0.0;
    return s;
}

std::string Separation::summary() const {
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "same %.4f  other %.4f  ratio %.2f  NN %5.1f%% (%zu/%zu)  worst margin %+.4f  same max %.4f  other "
                  "min %.4f",
                  same_mean, other_mean, ratio, 100.0 * nn_accuracy, size_t(std::lround(nn_accuracy * double(nn_items))),
                  nn_items, worst_margin, same_max, other_min);
    return buf;
}

}  // namespace frameline
