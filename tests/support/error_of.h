#pragma once
// The message of the frameline::Error that `f` throws, or an empty string when it throws none: for the tests of bad
// input, which check what the one-line error says.
#include <QString>

#include <functional>

#include "core/error.h"

namespace frameline::test {

inline QString error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace frameline::test
