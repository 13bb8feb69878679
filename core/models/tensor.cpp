#include "core/models/tensor.h"

#include <algorithm>

#include "core/error.h"

namespace frameline {

size_t element_count(const std::vector<int64_t>& shape) {
    size_t n = 1;
    for (int64_t d : shape) {
        if (d < 0) throw Error("tensor shape " + shape_string(shape) + " has a negative dimension");
        n *= static_cast<size_t>(d);
    }
    return n;
}

std::string shape_string(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

Tensor::Tensor(std::vector<int64_t> shape_, float fill) : shape(std::move(shape_)), data(element_count(shape), fill) {}

Tensor::Tensor(std::vector<int64_t> shape_, std::vector<float> data_) : shape(std::move(shape_)), data(std::move(data_)) {
    if (data.size() != element_count(shape))
        throw Error("tensor of shape " + shape_string(shape) + " needs " + std::to_string(element_count(shape)) +
                    " values, got " + std::to_string(data.size()));
}

size_t Tensor::item_size() const {
    if (shape.empty() || shape[0] == 0) return 0;
    return data.size() / static_cast<size_t>(shape[0]);
}

Tensor concat_batch(const std::vector<Tensor>& parts) {
    if (parts.empty()) return {};
    Tensor out;
    out.shape = parts.front().shape;
    if (out.shape.empty()) throw Error("cannot batch tensors without dimensions");
    out.shape[0] = 0;
    for (const Tensor& p : parts) {
        if (p.shape.size() != out.shape.size() || !std::equal(p.shape.begin() + 1, p.shape.end(), out.shape.begin() + 1))
            throw Error("cannot batch a tensor of shape " + shape_string(p.shape) + " with one of shape " +
                        shape_string(parts.front().shape));
        out.shape[0] += p.shape[0];
    }
    out.data.reserve(element_count(out.shape));
    for (const Tensor& p : parts) out.data.insert(out.data.end(), p.data.begin(), p.data.end());
    return out;
}

Tensor slice_batch(const Tensor& t, int64_t start, int64_t count) {
    if (t.shape.empty() || start < 0 || count < 0 || start + count > t.shape[0])
        throw Error("cannot take items [" + std::to_string(start) + ", " + std::to_string(start + count) +
                    ") of a tensor of shape " + shape_string(t.shape));
    Tensor out;
    out.shape = t.shape;
    out.shape[0] = count;
    const size_t n = t.item_size();
    out.data.assign(t.data.begin() + static_cast<ptrdiff_t>(start * n),
                    t.data.begin() + static_cast<ptrdiff_t>((start + count) * n));
    return out;
}

}  // namespace frameline
