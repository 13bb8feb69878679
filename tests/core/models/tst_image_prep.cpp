// Pictures to model input: known pictures give known numbers (resampling, colour order, scale and offset, NCHW),
// letterbox geometry maps boxes back, and strong downscales do not alias.
#include <QtTest>
#include <cmath>

#include "core/error.h"
#include "core/models/image_prep.h"

using namespace frameline;

namespace {
RgbImage image(int w, int h, const std::function<std::array<uint8_t, 3>(int, int)>& f) {
    RgbImage img{w, h, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto p = f(x, y);
            for (int c = 0; c < 3; ++c) img.rgb[(size_t(y) * w + x) * 3 + c] = p[c];
        }
    return img;
}
ImagePrep prep(int w, int h, const std::string& colour = "rgb", bool letterbox = false) {
    ImagePrep p;
    p.width = w;
    p.height = h;
    p.colour = colour;
    p.channels = 3;
    p.scale = {1, 1, 1};
    p.offset = {0, 0, 0};
    p.letterbox = letterbox;
    return p;
}
float at(const Tensor& t, int n, int c, int y, int x) {
    return t.data[((size_t(n) * t.shape[1] + c) * t.shape[2] + y) * t.shape[3] + x];
}
}  // namespace

class TestImagePrep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSizeIsExactWithScaleOffsetAndChannelOrder() {
        const RgbImage img = image(3, 2, [](int x, int y) {
            return std::array<uint8_t, 3>{uint8_t(10 * x + y), uint8_t(100 + x), uint8_t(200 + y)};
        });
        ImagePrep p = prep(3, 2, "bgr");
        p.scale = {0.5, 2.0, 1.0 / 255};
        p.offset = {-1.0, 0.0, 0.25};
        const Tensor t = prepare_images({img}, p);
        QCOMPARE(t.shape, (std::vector<int64_t>{1, 3, 2, 3}));
        // Model channel 0 is blue, 1 green, 2 red.
        QCOMPARE(at(t, 0, 0, 1, 2), float((200 + 1) * 0.5 - 1.0));
        QCOMPARE(at(t, 0, 1, 0, 1), float(101 * 2.0));
        QVERIFY(std::abs(at(t, 0, 2, 1, 2) - float((20 + 1) / 255.0 + 0.25)) < 1e-6);
    }

    void greyIsBt601Luma() {
        const RgbImage img = image(2, 2, [](int, int) { return std::array<uint8_t, 3>{200, 100, 50}; });
        ImagePrep p = prep(2, 2, "grey");
        p.channels = 1;
        p.scale = {1};
        p.offset = {0};
        const Tensor t = prepare_images({img}, p);
        QCOMPARE(t.shape, (std::vector<int64_t>{1, 1, 2, 2}));
        QVERIFY(std::abs(at(t, 0, 0, 1, 1) - (0.299f * 200 + 0.587f * 100 + 0.114f * 50)) < 1e-3);
    }

    void enlargingIsBilinearWithPixelCentres() {
        // A row [0, 100] doubled: centres at -0.25, 0.25, 0.75, 1.25 source pixels -> 0, 25, 75, 100.
        const RgbImage img = image(2, 1, [](int x, int) { return std::array<uint8_t, 3>{uint8_t(100 * x), 0, 0}; });
        const std::vector<float> out = resize_rgb(img, 4, 1);
        QCOMPARE(out[0], 0.0f);
        QCOMPARE(out[3], 25.0f);
        QCOMPARE(out[6], 75.0f);
        QCOMPARE(out[9], 100.0f);
    }

    void shrinkingByTwoAveragesWithATriangle() {
        // 4 -> 2: output 0 is centred at source 1.0 with taps 0.75, 0.75, 0.25 (renormalised) on pixels 0, 1, 2.
        const RgbImage img = image(4, 1, [](int x, int) {
            const uint8_t v[4] = {0, 40, 80, 120};
            return std::array<uint8_t, 3>{v[x], 0, 0};
        });
        const std::vector<float> out = resize_rgb(img, 2, 1);
        QVERIFY(std::abs(out[0] - (0.75f * 0 + 0.75f * 40 + 0.25f * 80) / 1.75f) < 1e-4);
        QVERIFY(std::abs(out[3] - (0.25f * 40 + 0.75f * 80 + 0.75f * 120) / 1.75f) < 1e-4);
    }

    void strongDownscaleDoesNotAlias() {
        // A one-pixel checkerboard shrunk 16x must come out mid-grey everywhere; point sampling would give 0 or 255.
        const RgbImage img = image(512, 256, [](int x, int y) {
            const uint8_t v = ((x + y) % 2) ? 255 : 0;
            return std::array<uint8_t, 3>{v, v, v};
        });
        const std::vector<float> out = resize_rgb(img, 32, 16);
        for (float v : out) QVERIFY2(std::abs(v - 127.5f) < 3.0f, qPrintable(QString::number(v)));
        // And a constant picture stays exactly constant at any size.
        const RgbImage flat = image(301, 97, [](int, int) { return std::array<uint8_t, 3>{7, 77, 177}; });
        const std::vector<float> flat_out = resize_rgb(flat, 64, 64);
        const float want[3] = {7, 77, 177};
        for (size_t i = 0; i < flat_out.size(); ++i) QVERIFY(std::abs(flat_out[i] - want[i % 3]) < 1e-3);
    }

    void letterboxGeometryMapsBoxesBack() {
        // 200x100 into 64x64: scale 0.32, content 64x32, bars of 16 rows above and below.
        const RgbImage img = image(200, 100, [](int, int) { return std::array<uint8_t, 3>{255, 255, 255}; });
        ImagePrep p = prep(64, 64, "rgb", true);
        p.pad_pixel = 0;
        std::vector<LetterboxTransform> tr;
        const Tensor t = prepare_images({img, img}, p, &tr);
        QCOMPARE(tr.size(), size_t(2));
        const LetterboxTransform& g = tr[0];
        QCOMPARE(g.content_width, 64);
        QCOMPARE(g.content_height, 32);
        QCOMPARE(g.pad_x, 0.0);
        QCOMPARE(g.pad_y, 16.0);
        QCOMPARE(g.scale_x, 0.32);
        QCOMPARE(g.scale_y, 0.32);
        // A box on the model input [16, 24] - [48, 40] is [50, 25] - [150, 75] in the picture.
        QCOMPARE(g.to_source_x(16), 50.0);
        QCOMPARE(g.to_source_y(24), 25.0);
        QCOMPARE(g.to_source_x(48), 150.0);
        QCOMPARE(g.to_source_y(40), 75.0);
        QCOMPARE(g.to_input_y(g.to_source_y(33)), 33.0);
        // Bars hold the pad value, the picture its own; the second item is filled too.
        for (int n = 0; n < 2; ++n) {
            QCOMPARE(at(t, n, 0, 15, 10), 0.0f);
            QCOMPARE(at(t, n, 1, 16, 10), 255.0f);
            QCOMPARE(at(t, n, 2, 47, 63), 255.0f);
            QCOMPARE(at(t, n, 2, 48, 63), 0.0f);
        }
        // Portrait: bars left and right.
        const LetterboxTransform v = fit_transform(100, 200, p);
        QCOMPARE(v.pad_x, 16.0);
        QCOMPARE(v.pad_y, 0.0);
        QCOMPARE(v.content_width, 32);
    }

    void stretchScalesEachAxis() {
        const LetterboxTransform s = fit_transform(200, 100, prep(64, 64));
        QCOMPARE(s.scale_x, 0.32);
        QCOMPARE(s.scale_y, 0.64);
        QCOMPARE(s.pad_x + s.pad_y, 0.0);
        QCOMPARE(s.to_source_y(32), 50.0);
    }

    void preparationFollowsTheManifest() {
        ModelManifest m;
        m.path = "models/x/manifest.json";
        m.input.kind = "image";
        m.input.shape = {1, 3, 48, 96};
        m.input.colour = "bgr";
        m.input.scale = {1, 2, 3};
        m.input.offset = {0, 0, 0};
        m.input.resize = "letterbox";
        const ImagePrep p = image_prep_for(m);
        QCOMPARE(p.width, 96);
        QCOMPARE(p.height, 48);
        QVERIFY(p.letterbox);
        QCOMPARE(p.scale, (std::vector<double>{1, 2, 3}));
        m.input.kind = "audio";
        QVERIFY_THROWS_EXCEPTION(Error, image_prep_for(m));
    }

    void badInputsThrowInsteadOfCrashing() {
        QVERIFY_THROWS_EXCEPTION(Error, resize_rgb(RgbImage{}, 4, 4));
        RgbImage lying{10, 10, std::vector<uint8_t>(5)};
        QVERIFY_THROWS_EXCEPTION(Error, resize_rgb(lying, 4, 4));
        Tensor wrong({1, 3, 8, 8});
        const RgbImage img = image(4, 4, [](int, int) { return std::array<uint8_t, 3>{1, 2, 3}; });
        QVERIFY_THROWS_EXCEPTION(Error, write_image_input(img, prep(16, 16), wrong, 0));
        Tensor right({1, 3, 16, 16});
        QVERIFY_THROWS_EXCEPTION(Error, write_image_input(img, prep(16, 16), right, 1));
    }
};

QTEST_GUILESS_MAIN(TestImagePrep)
#include "tst_image_prep.moc"
