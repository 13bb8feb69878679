// Decoding: exact frame indices and timestamps (also with a variable frame rate), rotation, thumbnails.
#include <QTemporaryDir>
#include <QtTest>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
std::vector<SmallFrame> decode_all(const QString& path, VideoDecoder::Options options = {}) {
    VideoDecoder decoder(path.toStdString(), options);
    std::vector<SmallFrame> frames;
    SmallFrame f;
    while (decoder.next(f)) frames.push_back(f);
    return frames;
}
}  // namespace

class TestVideoDecoder : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void framesAndTimestamps() {
        const QString clip = test::make_cut_clip(dir_.filePath("cuts.mp4"), 3, 25, 25);
        QVERIFY(!clip.isEmpty());
        auto frames = decode_all(clip);
        QCOMPARE(int(frames.size()), 75);
        for (int i = 0; i < 75; ++i) {
            QCOMPARE(frames[i].index, int64_t(i));
            QVERIFY2(qAbs(frames[i].pts_s - i / 25.0) < 1e-3, qPrintable(QString::number(frames[i].pts_s)));
        }
        // Small planes keep the aspect: 320x240 -> 128x96, YUV 4:4:4.
        QCOMPARE(frames[0].y.width, 128);
        QCOMPARE(frames[0].y.height, 96);
        QCOMPARE(frames[0].u.pixels.size(), frames[0].y.pixels.size());
    }

    void sameFramesWithOneOrManyThreads() {
        const QString clip = test::make_cut_clip(dir_.filePath("threads.mp4"), 2, 20, 25);
        auto one = decode_all(clip, {1, 64});
        auto four = decode_all(clip, {4, 64});
        QCOMPARE(one.size(), four.size());
        for (size_t i = 0; i < one.size(); ++i) {
            QCOMPARE(one[i].pts_s, four[i].pts_s);
            QVERIFY(one[i].y.pixels == four[i].y.pixels);
        }
    }

    void variableFrameRate() {
        // 30 frames; from frame 10 on, each frame lasts twice as long: timestamps 0..0.36 by 0.04, then by 0.08.
        const QString clip = dir_.filePath("vfr.mkv");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=160x120:r=25", "-frames:v", "30", "-vf",
                                   "setpts='if(lt(N,10),N,2*N-10)/(25*TB)'", "-fps_mode", "passthrough", "-c:v",
                                   "libx264", "-preset", "ultrafast", clip}),
                 QString());
        auto frames = decode_all(clip);
        QCOMPARE(int(frames.size()), 30);
        for (int i = 0; i < 30; ++i) {
            const double expected = (i < 10 ? i : 2 * i - 10) / 25.0;
            QVERIFY2(qAbs(frames[i].pts_s - expected) < 2e-3,
                     qPrintable(QString("frame %1 at %2 s, expected %3").arg(i).arg(frames[i].pts_s).arg(expected)));
        }
    }

    void realVariableFrameRateFile() {
        const QString file = test::testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (file.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4"));
        auto frames = decode_all(file);
        QCOMPARE(int(frames.size()), 160);
        QVERIFY(qAbs(frames[60].pts_s - 3.754) < 1e-3);
        QVERIFY(qAbs(frames[140].pts_s - 8.759) < 1e-3);
    }

    void rotatedThumbnail() {
        const QString src = test::make_cut_clip(dir_.filePath("plain.mp4"), 1, 5, 25);
        const QString rotated = dir_.filePath("rotated.mp4");
        QCOMPARE(test::run_ffmpeg({"-i", src, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated}), QString());
        VideoDecoder decoder(rotated.toStdString());
        SmallFrame f;
        QVERIFY(decoder.next(f));
        RgbImage thumb = decoder.current_rgb(120);
        QCOMPARE(thumb.width, 120);  // portrait: 240x320 displayed
        QCOMPARE(thumb.height, 160);
        QCOMPARE(thumb.rgb.size(), size_t(120 * 160 * 3));
    }

    void truncatedFileDecodesWhatIsThere() {
        const QString clip = test::make_cut_clip(dir_.filePath("whole.mkv"), 2, 25, 25);
        QFile whole(clip);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        QByteArray bytes = whole.readAll();
        QFile cut(dir_.filePath("truncated.mkv"));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() * 2 / 3));
        cut.close();
        auto frames = decode_all(cut.fileName());  // no crash, no exception: the frames that are there
        QVERIFY(frames.size() > 5);
        QVERIFY(frames.size() < 50);
    }

    void notAVideo() {
        const QString text = test::make_text_file(dir_.filePath("readme.txt"));
        try {
            VideoDecoder decoder(text.toStdString());
            QFAIL("a text file opened as video");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("readme.txt"));
        }
    }
};

QTEST_GUILESS_MAIN(TestVideoDecoder)
#include "tst_video_decoder.moc"
