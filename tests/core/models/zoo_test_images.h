#pragma once
// Shared by the model zoo's task tests (tst_detectors, tst_face_analysis, tst_voice_activity): real pictures
// (scikit-image's public-domain test images from Debian's python3-skimage), frames of the shared test media, and
// the rule for a zoo model that is not converted (FAIL with what to do, or SKIP with FRAMELINE_ALLOW_MISSING_MODELS=1).
#include <QFileInfo>
#include <QImage>
#include <QString>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "core/media/image.h"
#include "core/media/video_decoder.h"
#include "core/models/model_zoo.h"

namespace frameline::test {

inline const char* kSkimageData = "/usr/lib/python3/dist-packages/skimage/data/";

// An RGB picture from a PNG/JPEG file (Qt's image readers); empty when it cannot be read.
inline RgbImage load_rgb(const QString& path) {
    QImage img(path);
    if (img.isNull()) return {};
    img = img.convertToFormat(QImage::Format_RGB888);
    RgbImage out{img.width(), img.height(), std::vector<uint8_t>(size_t(img.width()) * img.height() * 3)};
    for (int y = 0; y < img.height(); ++y)
        std::memcpy(&out.rgb[size_t(y) * img.width() * 3], img.constScanLine(y), size_t(img.width()) * 3);
    return out;
}

inline QString skimage_file(const char* name) { return QString(kSkimageData) + name; }
inline QByteArray skimage_missing(const char* name) {
    return QByteArray("needs ") + skimage_file(name).toUtf8() +
           " from Debian's python3-skimage (apt-get install python3-skimage; scripts/debian-packages.txt)";
}

// Frame `index` (decoder order) of a video, scaled to `width`; empty when the file is shorter.
inline RgbImage video_frame(const QString& path, int64_t index, int width) {
    VideoDecoder dec(path.toStdString());
    SmallFrame f;
    while (dec.next(f))
        if (f.index == index) return dec.current_rgb(width);
    return {};
}

// A flat picture of one grey level.
inline RgbImage flat_image(int w, int h, uint8_t level) {
    return RgbImage{w, h, std::vector<uint8_t>(size_t(w) * h * 3, level)};
}

// The same picture moved by (dx, dy) pixels and scaled by `scale` about its centre (bilinear, edges repeated).
inline RgbImage shift_scale(const RgbImage& in, double dx, double dy, double scale) {
    RgbImage out{in.width, in.height, std::vector<uint8_t>(in.rgb.size())};
    const double cx = in.width / 2.0, cy = in.height / 2.0;
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x) {
            const double sx = std::clamp((x + 0.5 - cx - dx) / scale + cx - 0.5, 0.0, in.width - 1.0);
            const double sy = std::clamp((y + 0.5 - cy - dy) / scale + cy - 0.5, 0.0, in.height - 1.0);
            const int x0 = int(sx), y0 = int(sy), x1 = std::min(x0 + 1, in.width - 1), y1 = std::min(y0 + 1, in.height - 1);
            const double fx = sx - x0, fy = sy - y0;
            for (int c = 0; c < 3; ++c) {
                auto p = [&](int xx, int yy) { return double(in.rgb[(size_t(yy) * in.width + xx) * 3 + c]); };
                const double v = (p(x0, y0) * (1 - fx) + p(x1, y0) * fx) * (1 - fy) + (p(x0, y1) * (1 - fx) + p(x1, y1) * fx) * fy;
                out.rgb[(size_t(y) * in.width + x) * 3 + c] = uint8_t(std::lround(v));
            }
        }
    return out;
}

inline bool allow_missing_models() { return qgetenv("FRAMELINE_ALLOW_MISSING_MODELS") == "1"; }

// Empty when every named model is converted and up to date; else the message the test fails (or skips) with.
inline QString models_not_ready(std::initializer_list<const char*> names) {
    const auto all = discover_models();
    QString why;
    for (const char* name : names) {
        bool found = false;
        for (const ModelEntry& e : all) {
            if (e.name != name) continue;
            found = true;
            if (e.state != ModelState::ready)
                why += QString::fromStdString(e.name + " is " + to_string(e.state) + ": " + e.message + ". ");
        }
        if (!found) why += QString(name) + " has no manifest; run scripts/convert-models.sh. ";
    }
    return why;
}

}  // namespace frameline::test

// In a test function: FAIL (or SKIP with FRAMELINE_ALLOW_MISSING_MODELS=1) unless the models are converted.
#define FRAMELINE_REQUIRE_MODELS(...)                                                                              \
    do {                                                                                                           \
        const QString why_ = frameline::test::models_not_ready({__VA_ARGS__});                                     \
        if (!why_.isEmpty()) {                                                                                     \
            if (frameline::test::allow_missing_models())                                                           \
                QSKIP(qPrintable(why_ + "(skipped: FRAMELINE_ALLOW_MISSING_MODELS=1)"));                          \
            QFAIL(qPrintable(why_ + "(or set FRAMELINE_ALLOW_MISSING_MODELS=1 to skip)")); \
        }                                                                                                          \
    } while (0)

#define FRAMELINE_REQUIRE_SKIMAGE(name)                                                                            \
    do {                                                                                                           \
        if (!QFileInfo::exists(frameline::test::skimage_file(name))) {                                             \
            if (frameline::test::allow_missing_models()) QSKIP(frameline::test::skimage_missing(name).constData()); \
            QFAIL(frameline::test::skimage_missing(name).constData());                                             \
        }                                                                                                          \
    } while (0)
