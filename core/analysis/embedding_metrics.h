#pragma once
// Vector arithmetic for embeddings and the numbers that say whether an embedding separates groups (camera set-ups,
// speakers, ...): mean distances within and between groups and nearest-neighbour accuracy.
#include <cstddef>
#include <string>
#include <vector>

namespace frameline {

// Scales `v` to unit length in place; a zero vector stays zero. Returns the length it had.
double l2_normalise(std::vector<float>& v);
double dot(const std::vector<float>& a, const std::vector<float>& b);  // throws frameline::Error on a size mismatch
// 1 - cos(a, b): 0 for the same direction, 1 for orthogonal, 2 for opposite; 1 when either vector is zero.
double cosine_distance(const std::vector<float>& a, const std::vector<float>& b);

struct Separation {
    size_t items = 0;
    size_t same_pairs = 0, other_pairs = 0;  // pairs counted (pairs within one `group` are not)
    double same_mean = 0.0;                  // mean cosine distance of pairs with the same label
    double other_mean = 0.0;                 // ... with different labels
    double ratio = 0.0;                      // other_mean / same_mean (> 1: same label is nearer)
    double same_max = 0.0, other_min = 0.0;  // the farthest same-label pair, the nearest different-label pair
    // For each item, its nearest neighbour outside its own group: share of items whose neighbour has the same label
    // (items whose label has no other group are left out).
    double nn_accuracy = 0.0;
    size_t nn_items = 0;
    // min over items of (distance to the nearest other-label item - distance to the nearest same-label item outside
    // its group): > 0 means every item's nearest neighbour is of its own label, and by how much.
    double worst_margin = 0.0;
    std::string summary() const;  // one line with all of the above
};

// `labels[i]` is item i's class (its camera set-up); `groups[i]` (optional, same size) says which items must not
// be compared (frames of one shot: "same set-up" should mean "same set-up at another time"). Every item is its own
// group when `groups` is empty.
Separation separation(const std::vector<std::vector<float>>& vectors, const std::vector<int>& labels,
                      const std::vector<int>& groups = {});

}  // namespace frameline
