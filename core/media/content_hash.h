#pragma once
#include <filesystem>
#include <string>

namespace frameline {

// A content fingerprint that recognises a moved or renamed file without reading all of it: XXH3-128 over the
// size, the first and the last MiB. Hex string. Throws frameline::Error when the file cannot be read.
std::string content_hash(const std::filesystem::path& path);

}  // namespace frameline
