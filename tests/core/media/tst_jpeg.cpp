// Thumbnails as JPEG: round trip and damaged data.
#include <QtTest>

#include "core/error.h"
#include "core/media/jpeg.h"

using namespace frameline;

class TestJpeg : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        RgbImage img;
        img.width = 64;
        img.height = 32;
        img.rgb.resize(64 * 32 * 3);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 64; ++x) {
                uint8_t* p = &img.rgb[(y * 64 + x) * 3];
                p[0] = uint8_t(x * 4), p[1] = uint8_t(y * 8), p[2] = 128;
            }
        auto jpeg = encode_jpeg(img, 90);
        QVERIFY(jpeg.size() > 100);
        QCOMPARE(int(jpeg[0]), 0xFF);
        QCOMPARE(int(jpeg[1]), 0xD8);
        RgbImage back = decode_jpeg(jpeg);
        QCOMPARE(back.width, 64);
        QCOMPARE(back.height, 32);
        double err = 0;
        for (size_t i = 0; i < img.rgb.size(); ++i) err += std::abs(int(img.rgb[i]) - int(back.rgb[i]));
        QVERIFY2(err / img.rgb.size() < 4.0, qPrintable(QString::number(err / img.rgb.size())));
    }

    void damagedData() {
        std::vector<uint8_t> junk = {1, 2, 3, 4, 5};
        QVERIFY_THROWS_EXCEPTION(Error, decode_jpeg(junk));
        QVERIFY(encode_jpeg(RgbImage{}).empty());
    }
};

QTEST_GUILESS_MAIN(TestJpeg)
#include "tst_jpeg.moc"
