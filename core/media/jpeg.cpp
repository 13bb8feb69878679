#include "core/media/jpeg.h"

#include <turbojpeg.h>

#include <memory>

#include "core/error.h"

namespace frameline {
namespace {
struct TjFree {
    void operator()(void* h) const { tjDestroy(h); }
};
}  // namespace

std::vector<uint8_t> encode_jpeg(const RgbImage& image, int quality) {
    if (image.empty()) return {};
    std::unique_ptr<void, TjFree> tj(tjInitCompress());
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    if (tjCompress2(tj.get(), image.rgb.data(), image.width, image.width * 3, image.height, TJPF_RGB, &buffer, &size,
                    TJSAMP_420, quality, TJFLAG_FASTDCT) != 0) {
        std::string why = tjGetErrorStr2(tj.get());
        tjFree(buffer);
        throw Error("JPEG encoding of a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                    " thumbnail failed: " + why);
    }
    std::vector<uint8_t> out(buffer, buffer + size);
    tjFree(buffer);
    return out;
}

RgbImage decode_jpeg(const std::vector<uint8_t>& jpeg) {
    RgbImage img;
    if (jpeg.empty()) return img;
    std::unique_ptr<void, TjFree> tj(tjInitDecompress());
    int w = 0, h = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(tj.get(), jpeg.data(), jpeg.size(), &w, &h, &subsampling, &colorspace) != 0)
        throw Error(std::string("not a JPEG image: ") + tjGetErrorStr2(tj.get()));
    img.width = w;
    img.height = h;
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    if (tjDecompress2(tj.get(), jpeg.data(), jpeg.size(), img.rgb.data(), w, w * 3, h, TJPF_RGB, 0) != 0)
        throw Error(std::string("damaged JPEG image: ") + tjGetErrorStr2(tj.get()));
    return img;
}

}  // namespace frameline
