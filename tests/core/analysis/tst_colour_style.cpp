// Colour style on synthetic pictures with known answers: colour temperature of sRGB white and of orange and blue
// fields, colourfulness, key from the luma histogram, the k-means palette, sky share, and bad input.
#include <QtTest>

#include <cmath>

#include "core/analysis/colour_style.h"
#include "core/error.h"

using namespace frameline;

namespace {
RgbImage solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    RgbImage img;
    img.width = w;
    img.height = h;
    img.rgb.resize(size_t(w) * h * 3);
    for (size_t i = 0; i < img.rgb.size(); i += 3) {
        img.rgb[i] = r;
        img.rgb[i + 1] = g;
        img.rgb[i + 2] = b;
    }
    return img;
}
void fill_rows(RgbImage& img, int y0, int y1, uint8_t r, uint8_t g, uint8_t b) {
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < img.width; ++x) {
            uint8_t* p = img.rgb.data() + (size_t(y) * img.width + x) * 3;
            p[0] = r;
            p[1] = g;
            p[2] = b;
        }
}
}  // namespace

class TestColourStyle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void colourTemperature() {
        // sRGB white is D65: 6504 K by definition; McCamy's approximation gives it within a few kelvin.
        QVERIFY(std::abs(mccamy_cct_k(1, 1, 1) - 6504) < 10);
        const ColourStyle grey = measure_colour_style(solid(64, 48, 128, 128, 128));
        QVERIFY(std::abs(grey.cct_k - 6504) < 10);
        QCOMPARE(grey.warmth(), std::string("neutral"));
        const ColourStyle orange = measure_colour_style(solid(64, 48, 224, 112, 32));
        const ColourStyle blue = measure_colour_style(solid(64, 48, 32, 80, 192));
        qInfo("CCT grey %.0f K, orange %.0f K, blue %.0f K", grey.cct_k, orange.cct_k, blue.cct_k);
        QVERIFY(orange.cct_k < 2500);
        QCOMPARE(orange.warmth(), std::string("warm"));
        QVERIFY(blue.cct_k > 15000);
        QCOMPARE(blue.warmth(), std::string("cool"));
        // A tungsten-like tint (3200 K is about RGB 255,180,110) is warm, a shade-like tint (about 200,215,255) cool.
        QCOMPARE(measure_colour_style(solid(8, 8, 255, 180, 110)).warmth(), std::string("warm"));
        QCOMPARE(measure_colour_style(solid(8, 8, 200, 215, 255)).warmth(), std::string("cool"));
        // Deep red and violet are past McCamy's valid range: clamped to their ends, never flipped.
        QCOMPARE(measure_colour_style(solid(8, 8, 200, 0, 0)).warmth(), std::string("warm"));
        QCOMPARE(measure_colour_style(solid(8, 8, 20, 0, 200)).warmth(), std::string("cool"));
        // Lab sanity: sRGB white is L* 100, a* = b* = 0.
        double L, A, B;
        srgb_to_lab(255, 255, 255, L, A, B);
        QVERIFY(std::abs(L - 100) < 0.01 && std::abs(A) < 0.01 && std::abs(B) < 0.01);
        QCOMPARE(lab_to_hex(L, A, B), std::string("#ffffff"));
        srgb_to_lab(224, 112, 32, L, A, B);
        QCOMPARE(lab_to_hex(L, A, B), std::string("#e07020"));
    }

    void saturationAndKey() {
        const ColourStyle grey = measure_colour_style(solid(64, 48, 128, 128, 128));
        QCOMPARE(grey.colourfulness, 0.0);
        QCOMPARE(grey.saturation(), std::string("muted"));
        QCOMPARE(grey.key(), std::string("mid-key"));
        RgbImage stripes = solid(64, 48, 220, 30, 30);
        fill_rows(stripes, 0, 24, 30, 200, 40);
        const ColourStyle vivid = measure_colour_style(stripes);
        qInfo("colourfulness of red/green halves %.1f", vivid.colourfulness);
        QVERIFY(vivid.colourfulness > 100);
        QCOMPARE(vivid.saturation(), std::string("saturated"));

        // Low-key: 70 % shadow tones (luma 20), 30 % mid grey; high-key: 60 % light (230), 40 % mid.
        RgbImage dark = solid(100, 100, 128, 128, 128);
        fill_rows(dark, 0, 70, 20, 20, 20);
        const ColourStyle d = measure_colour_style(dark);
        QVERIFY(std::abs(d.dark_share - 0.7) < 1e-9);
        QCOMPARE(d.median_luma, 20.0);
        QCOMPARE(d.key(), std::string("low-key"));
        RgbImage light = solid(100, 100, 128, 128, 128);
        fill_rows(light, 0, 60, 230, 230, 230);
        const ColourStyle l = measure_colour_style(light);
        QVERIFY(std::abs(l.light_share - 0.6) < 1e-9);
        QCOMPARE(l.key(), std::string("high-key"));
        // The active picture excludes letterbox bars: a mid-grey picture between black bars is not low-key.
        RgbImage boxed = solid(100, 100, 128, 128, 128);
        fill_rows(boxed, 0, 30, 0, 0, 0);
        fill_rows(boxed, 70, 100, 0, 0, 0);
        QCOMPARE(measure_colour_style(boxed).key(), std::string("low-key"));
        const ColourStyle inside = measure_colour_style(boxed, CropRect{0, 30, 100, 40});
        QCOMPARE(inside.dark_share, 0.0);
        QCOMPARE(inside.key(), std::string("mid-key"));
    }

    void palette() {
        // Three blocks: 50 % orange, 30 % navy, 20 % cream.
        RgbImage img = solid(100, 100, 224, 112, 32);
        fill_rows(img, 50, 80, 20, 30, 90);
        fill_rows(img, 80, 100, 240, 230, 200);
        const ColourStyle s = measure_colour_style(img);
        QCOMPARE(s.palette.size(), size_t(3));
        QCOMPARE(s.palette[0].hex, std::string("#e07020"));
        QCOMPARE(s.palette[1].hex, std::string("#141e5a"));
        QCOMPARE(s.palette[2].hex, std::string("#f0e6c8"));
        QVERIFY(std::abs(s.palette[0].share - 0.5) < 0.02);
        QVERIFY(std::abs(s.palette[1].share - 0.3) < 0.02);
        QVERIFY(std::abs(s.palette[2].share - 0.2) < 0.02);
        // One flat colour is one palette colour (not k shades of it); two shades 3 delta E apart merge.
        QCOMPARE(measure_colour_style(solid(50, 50, 40, 90, 200)).palette.size(), size_t(1));
        RgbImage shades = solid(50, 50, 128, 128, 128);
        fill_rows(shades, 0, 25, 134, 134, 134);
        QCOMPARE(measure_colour_style(shades).palette.size(), size_t(1));
        // A colour under 3 % of the picture is dropped: 98 % grey, 2 % red.
        RgbImage speck = solid(100, 100, 128, 128, 128);
        fill_rows(speck, 0, 2, 255, 0, 0);
        QCOMPARE(measure_colour_style(speck).palette.size(), size_t(1));
        // Deterministic.
        QCOMPARE(measure_colour_style(img).palette[1].share, s.palette[1].share);
    }

    void skyAndCombine() {
        RgbImage img = solid(90, 90, 90, 110, 60);  // green field
        fill_rows(img, 0, 30, 110, 170, 235);      // blue sky on the top third
        const ColourStyle s = measure_colour_style(img);
        QVERIFY(std::abs(s.sky_share - 1.0) < 0.02);
        QCOMPARE(measure_colour_style(solid(90, 90, 90, 110, 60)).sky_share, 0.0);
        // Title = duration-weighted: 3 s warm and 1 s cool is warm overall; colour temperature averages in mired.
        const ColourStyle warm = measure_colour_style(solid(32, 32, 224, 112, 32));
        const ColourStyle cool = measure_colour_style(solid(32, 32, 32, 80, 192));
        const ColourStyle t = combine_colour_styles({warm, cool}, {3.0, 1.0});
        const double mired = (3 * 1e6 / warm.cct_k + 1e6 / cool.cct_k) / 4;
        QVERIFY(std::abs(t.cct_k - 1e6 / mired) < 1);
        QCOMPARE(t.warmth(), std::string("warm"));
        QCOMPARE(t.palette.size(), size_t(2));
        QVERIFY(std::abs(t.palette[0].share - 0.75) < 1e-6);
        QVERIFY(combine_colour_styles({}, {}).empty());
        QVERIFY_THROWS_EXCEPTION(Error, combine_colour_styles({warm}, {}));
    }

    void badInput() {
        RgbImage broken;
        broken.width = 10;
        broken.height = 10;
        broken.rgb.resize(5);
        ColourAccumulator acc;
        QVERIFY_THROWS_EXCEPTION(Error, acc.add(broken));
        acc.add(RgbImage{});  // empty: ignored
        QVERIFY(acc.finish().empty());
        // A crop outside the picture is clamped, not read out of bounds.
        const ColourStyle s = measure_colour_style(solid(10, 10, 50, 50, 50), CropRect{8, 8, 100, 100});
        QVERIFY(!s.empty());
        QVERIFY(lab_palette({}).empty());
    }
};

QTEST_GUILESS_MAIN(TestColourStyle)
#include "tst_colour_style.moc"
