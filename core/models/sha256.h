#pragma once
// SHA-256 (FIPS 180-4), for telling whether a converted model was made from the manifest on disk.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace frameline {

// Lower-case hex digest of `bytes`.
std::string sha256_hex(std::string_view bytes);
// Lower-case hex digest of a file's bytes; throws frameline::Error naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace frameline
