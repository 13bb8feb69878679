#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace frameline {

struct Progress {
    std::string stage;        // "decode", "store", ...
    int64_t done = 0;         // frames (or items) finished in this stage
    int64_t total = 0;        // estimate; 0 when unknown
    double fraction() const { return total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0; }
};

// Called from the worker thread that does the work; keep it cheap and thread-safe.
using ProgressFn = std::function<void(const Progress&)>;

}  // namespace frameline
