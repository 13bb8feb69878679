#pragma once
// A small dense float tensor: the project's own type for model inputs and outputs, so that nothing outside
// core/models/*.cpp needs a torch header. Row-major (C order), contiguous.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace frameline {

struct Tensor {
    std::vector<int64_t> shape;
    std::vector<float> data;  // element_count(shape) values, row-major

    Tensor() = default;
    explicit Tensor(std::vector<int64_t> shape_, float fill = 0.0f);
    Tensor(std::vector<int64_t> shape_, std::vector<float> data_);  // throws frameline::Error on a size mismatch

    size_t size() const { return data.size(); }
    bool empty() const { return data.empty(); }
    int64_t dim(size_t i) const { return shape.at(i); }
    // Values per item along dim 0 (the batch dimension).
    size_t item_size() const;
    float* item(int64_t n) { return data.data() + static_cast<size_t>(n) * item_size(); }
    const float* item(int64_t n) const { return data.data() + static_cast<size_t>(n) * item_size(); }
};

// Product of the dimensions; throws frameline::Error for a negative dimension.
size_t element_count(const std::vector<int64_t>& shape);
// "[1, 3, 512, 512]"
std::string shape_string(const std::vector<int64_t>& shape);

// Joins tensors along dim 0 (their other dimensions must match; throws frameline::Error otherwise).
Tensor concat_batch(const std::vector<Tensor>& parts);
// Items [start, start + count) along dim 0.
Tensor slice_batch(const Tensor& t, int64_t start, int64_t count);

}  // namespace frameline
