#include "core/models/nms.h"

#include <algorithm>
#include <numeric>

namespace frameline {

double iou(const FrameBox& a, const FrameBox& b) {
    const double iw = std::min(a.right(), b.right()) - std::max(a.x, b.x);
    const double ih = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
    if (iw <= 0 || ih <= 0) return 0.0;
    const double inter = iw * ih;
    const double uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.0;
}

namespace {
// Indices of candidates at or above min_score, best first (stable: ties keep input order).
std::vector<size_t> by_score(const std::vector<ScoredBox>& boxes, double min_score) {
    std::vector<size_t> order;
    order.reserve(boxes.size());
    for (size_t i = 0; i < boxes.size(); ++i)
        if (boxes[i].score >= min_score) order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return boxes[a].score > boxes[b].score; });
    return order;
}
}  // namespace

std::vector<size_t> nms(const std::vector<ScoredBox>& boxes, double iou_threshold, double min_score,
                        size_t max_keep, bool class_aware) {
    std::vector<size_t> kept;
    for (size_t i : by_score(boxes, min_score)) {
        bool suppressed = false;
        for (size_t k : kept) {
            if (class_aware && boxes[k].class_id != boxes[i].class_id) continue;
            if (iou(boxes[k].box, boxes[i].box) > iou_threshold) {
                suppressed = true;
                break;
            }
        }
        if (suppressed) continue;
        kept.push_back(i);
        if (max_keep > 0 && kept.size() >= max_keep) break;
    }
    return kept;
}

std::vector<std::vector<size_t>> nms_clusters(const std::vector<ScoredBox>& boxes, double iou_threshold,
                                              double min_score, size_t max_clusters) {
    std::vector<size_t> remaining = by_score(boxes, min_score);
    std::vector<std::vector<size_t>> clusters;
    while (!remaining.empty() && (max_clusters == 0 || clusters.size() < max_clusters)) {
        const size_t best = remaining.front();
        std::vector<size_t> cluster{best}, rest;
        for (size_t j = 1; j < remaining.size(); ++j) {
            const size_t i = remaining[j];
            (iou(boxes[best].box, boxes[i].box) > iou_threshold ? cluster : rest).push_back(i);
        }
        clusters.push_back(std::move(cluster));
        remaining = std::move(rest);
    }
    return clusters;
}

}  // namespace frameline
