#include "core/media/content_hash.h"

#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "core/error.h"

namespace frameline {

std::string content_hash(const std::filesystem::path& path) {
    constexpr std::streamoff kChunk = 1 << 20;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read '" + path.string() + "' — check that it exists and is readable");
    std::error_code ec;
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path, ec));
    if (ec) throw Error("cannot read the size of '" + path.string() + "': " + ec.message());

    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    const uint64_t size_u64 = static_cast<uint64_t>(size);
    XXH3_128bits_update(state, &size_u64, sizeof size_u64);
    std::vector<char> buffer(static_cast<size_t>(kChunk));
    auto read_at = [&](std::streamoff offset) {
        in.clear();
        in.seekg(offset);
        in.read(buffer.data(), kChunk);
        XXH3_128bits_update(state, buffer.data(), static_cast<size_t>(in.gcount()));
    };
    read_at(0);
    if (size > kChunk) read_at(std::max<std::streamoff>(kChunk, size - kChunk));
    XXH128_hash_t h = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return hex;
}

}  // namespace frameline
