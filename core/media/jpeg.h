#pragma once
#include <cstdint>
#include <vector>

#include "core/media/image.h"

namespace frameline {

// JPEG encoding of thumbnails (libjpeg-turbo). quality 1..100.
std::vector<uint8_t> encode_jpeg(const RgbImage& image, int quality = 85);
RgbImage decode_jpeg(const std::vector<uint8_t>& jpeg);

}  // namespace frameline
