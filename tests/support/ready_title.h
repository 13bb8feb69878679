#pragma once
// A ready title made through the Store API, without media: `shots` two-second shots (50 frames at 25 fps), one
// sampled frame each (a tiny stand-in JPEG) and no proposals. For tests of what the store and the views make of rows.
#include <cstdint>
#include <string>

namespace frameline {
class Store;
}

namespace frameline::test {

int64_t add_ready_title(Store& store, const std::string& name, int shots);

}  // namespace frameline::test
