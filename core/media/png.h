#pragma once
// PNG files for pictures people look at outside Frameline (contact sheets). Lossless, so a reviewer's sheet shows the
// thumbnails exactly as stored; written with FFmpeg's PNG codec (already linked: no new dependency, and FFmpeg stays
// in core/media).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/media/image.h"

namespace frameline {

// The image as a PNG file's bytes (RGB, 8 bits per channel). Throws frameline::Error for an empty image or when the
// encoder fails.
std::vector<uint8_t> encode_png(const RgbImage& image);
// Decodes PNG bytes to RGB (any PNG pixel format is converted). Throws frameline::Error when they are not a PNG.
RgbImage decode_png(const std::vector<uint8_t>& png);
// encode_png() written to `path`. Throws frameline::Error naming the file when it cannot be written.
void write_png(const std::filesystem::path& path, const RgbImage& image);

}  // namespace frameline
