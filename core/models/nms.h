#pragma once
// Box geometry shared by the detectors, and non-maximum suppression (plain greedy, per class or not, and the
// clusters that weighted NMS blends).
#include <cstddef>
#include <vector>

namespace frameline {

// A box in a frame as fractions of the frame (0..1), top-left origin; the same convention as the store's rows.
struct FrameBox {
    double x = 0, y = 0, width = 0, height = 0;
    double right() const { return x + width; }
    double bottom() const { return y + height; }
    double centre_x() const { return x + width / 2; }
    double centre_y() const { return y + height / 2; }
    double area() const { return width > 0 && height > 0 ? width * height : 0.0; }
};

struct FramePoint {
    double x = 0, y = 0;  // fractions of the frame
};

// Intersection over union; 0 for empty boxes.
double iou(const FrameBox& a, const FrameBox& b);

// A candidate for suppression: a box, its score, and its class (ignored when suppression is class-agnostic).
struct ScoredBox {
    FrameBox box;
    double score = 0;
    int class_id = 0;
};

// Greedy NMS: candidates by falling score (ties: lower index first), each kept unless it overlaps a kept one of the
// same class (or any class when !class_aware) by IoU > iou_threshold. Candidates below min_score are dropped first.
// Returns indices into `boxes`, best first, at most max_keep (0: no limit).
std::vector<size_t> nms(const std::vector<ScoredBox>& boxes, double iou_threshold, double min_score = 0.0,
                        size_t max_keep = 0, bool class_aware = true);

// For weighted NMS (MediaPipe's "WEIGHTED" overlap): the best remaining candidate starts a cluster and takes every
// remaining candidate that overlaps it by IoU > iou_threshold (itself first); the caller blends each cluster.
std::vector<std::vector<size_t>> nms_clusters(const std::vector<ScoredBox>& boxes, double iou_threshold,
                                              double min_score = 0.0, size_t max_clusters = 0);

}  // namespace frameline
