// Frame quality: exposure, contrast, blur, black bars and near-duplicates, on synthetic pictures with known answers.
#include <QtTest>
#include <cmath>

#include "core/sampling/frame_quality.h"

using namespace frameline;

namespace {
// A detailed picture: a colourful checkerboard of 8 px squares with a gradient.
RgbImage detailed(int w = 320, int h = 180, int shift = 0) {
    RgbImage img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &img.rgb[(size_t(y) * w + x) * 3];
            const bool on = (((x + shift) / 8) + (y / 8)) % 2;
            p[0] = uint8_t(on ? 200 : 40 + x / 4);
            p[1] = uint8_t(on ? 120 + y / 4 : 60);
            p[2] = uint8_t(on ? 60 : 180);
        }
    return img;
}
RgbImage uniform(int w, int h, uint8_t v) { return RgbImage{w, h, std::vector<uint8_t>(size_t(w) * h * 3, v)}; }
RgbImage blurred(const RgbImage& in, int radius) {
    RgbImage out = in;
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x)
            for (int c = 0; c < 3; ++c) {
                int sum = 0, n = 0;
                for (int dy = -radius; dy <= radius; ++dy)
                    for (int dx = -radius; dx <= radius; ++dx) {
                        const int xx = std::clamp(x + dx, 0, in.width - 1), yy = std::clamp(y + dy, 0, in.height - 1);
                        sum += in.rgb[(size_t(yy) * in.width + xx) * 3 + c];
                        ++n;
                    }
                out.rgb[(size_t(y) * in.width + x) * 3 + c] = uint8_t(sum / n);
            }
    return out;
}
RgbImage scaled_brightness(RgbImage img, double k) {
    for (auto& v : img.rgb) v = uint8_t(std::clamp(v * k, 0.0, 255.0));
    return img;
}
}  // namespace

class TestFrameQuality : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void goodFrameHasNoFaults() {
        FrameQuality q = assess_frame(detailed());
        QCOMPARE(quality_flags_to_string(q.flags), std::string());
        QVERIFY(q.metrics.sharpness > 1000);
        QVERIFY(q.metrics.colourfulness > 30);
        QCOMPARE(q.active.width, 320);
        QCOMPARE(q.active.height, 180);
    }

    void blurIsFlagged() {
        const RgbImage sharp = detailed();
        FrameQuality soft = assess_frame(blurred(sharp, 4));
        QVERIFY2(soft.flags & kFlagBlurry, quality_flags_to_string(soft.flags).c_str());
        QVERIFY(representative_score(assess_frame(sharp)) > 2 * representative_score(soft));
        // A smooth gradient has no edges to be soft: not blurry.
        RgbImage gradient{320, 180, std::vector<uint8_t>(320 * 180 * 3)};
        for (int y = 0; y < 180; ++y)
            for (int x = 0; x < 320; ++x) {
                uint8_t* p = &gradient.rgb[(size_t(y) * 320 + x) * 3];
                p[0] = uint8_t(40 + x / 2), p[1] = uint8_t(60 + y / 2), p[2] = uint8_t(200 - x / 3);
            }
        QVERIFY(!(assess_frame(gradient).flags & kFlagBlurry));
    }

    void exposure() {
        QCOMPARE(assess_frame(uniform(64, 36, 16)).flags & (kFlagBlack | kFlagBlurry), uint32_t(kFlagBlack));
        QVERIFY(assess_frame(uniform(64, 36, 245)).flags & kFlagWhite);
        const FrameQuality dark = assess_frame(scaled_brightness(detailed(), 0.35));
        QVERIFY2(dark.flags & kFlagUnderexposed, quality_flags_to_string(dark.flags).c_str());
        const FrameQuality bright = assess_frame(scaled_brightness(detailed(), 3.0));
        QVERIFY2(bright.flags & kFlagOverexposed, quality_flags_to_string(bright.flags).c_str());
        RgbImage flat = detailed();
        for (auto& v : flat.rgb) v = uint8_t(110 + v / 20);  // detail squeezed into a narrow range
        QVERIFY(assess_frame(flat).flags & kFlagLowContrast);
    }

    void barsAreFoundAndMeasuredAround() {
        RgbImage boxed = detailed();
        for (int y = 0; y < 180; ++y)
            for (int x = 0; x < 320; ++x)
                if (y < 22 || y >= 158) std::fill_n(&boxed.rgb[(size_t(y) * 320 + x) * 3], 3, uint8_t(16));
        FrameQuality q = assess_frame(boxed);
        QVERIFY(q.flags & kFlagLetterboxed);
        QVERIFY(!(q.flags & kFlagPillarboxed));
        QCOMPARE(q.active.y, 22);
        QCOMPARE(q.active.height, 136);
        QVERIFY(!(q.flags & (kFlagUnderexposed | kFlagBlurry)));  // judged on the picture, not the bars

        RgbImage pillar = detailed();
        for (int y = 0; y < 180; ++y)
            for (int x = 0; x < 320; ++x)
                if (x < 40 || x >= 280) std::fill_n(&pillar.rgb[(size_t(y) * 320 + x) * 3], 3, uint8_t(0));
        q = assess_frame(pillar);
        QVERIFY(q.flags & kFlagPillarboxed);
        QCOMPARE(q.active.x, 40);
        QCOMPARE(q.active.width, 240);
    }

    void nearDuplicatesShareTheirHash() {
        const FrameQuality a = assess_frame(detailed());
        const FrameQuality brighter = assess_frame(scaled_brightness(detailed(), 1.1));
        const FrameQuality moved = assess_frame(detailed(320, 180, 8));  // the checkerboard shifted by a square
        QVERIFY(hamming_distance(a.dhash, brighter.dhash) <= 5);
        QVERIFY(hamming_distance(a.dhash, moved.dhash) > 5);
    }

    void flagNamesRoundTrip() {
        const uint32_t flags = kFlagBlurry | kFlagUnderexposed | kFlagInTransition;
        const std::string text = quality_flags_to_string(flags);
        QCOMPARE(text, std::string("underexposed,blurry,in_transition"));
        QCOMPARE(quality_flags_from_string(text), flags);
        QCOMPARE(quality_flags_from_string("bogus,blurry"), uint32_t(kFlagBlurry));
    }
};

QTEST_GUILESS_MAIN(TestFrameQuality)
#include "tst_frame_quality.moc"
