#pragma once
// Errors at core's edges: one line a person can act on (the file, frame or row, and what to do).
#include <stdexcept>
#include <string>

namespace frameline {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown when a std::stop_token asked long work to stop; not a failure.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace frameline
