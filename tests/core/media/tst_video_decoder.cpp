// Decoding: exact frame indices and timestamps (also with a variable frame rate), rotation, thumbnails, seeking;
// NVDEC or software (issue #10): the fallback, the refusal when NVDEC is required, and NV12 frames (what NVDEC hands
// back).
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
std::vector<SmallFrame> decode_all(const QString& path, VideoDecoder::Options options = {},
                                   std::vector<RgbImage>* pictures = nullptr) {
    VideoDecoder decoder(path.toStdString(), options);
    std::vector<SmallFrame> frames;
    SmallFrame f;
    while (decoder.next(f)) {
        frames.push_back(f);
        if (pictures) pictures->push_back(decoder.current_rgb(320));
    }
    return frames;
}

VideoDecoder::Options with_hardware(HardwareDecode h) {
    VideoDecoder::Options o;
    o.hardware = h;
    return o;
}

void compare_frames(const std::vector<SmallFrame>& a, const std::vector<SmallFrame>& b) {
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].index, b[i].index);
        QCOMPARE(a[i].pts_s, b[i].pts_s);
        QVERIFY2(a[i].y.pixels == b[i].y.pixels && a[i].u.pixels == b[i].u.pixels && a[i].v.pixels == b[i].v.pixels,
                 qPrintable(QString("frame %1 differs").arg(i)));
    }
}

int max_difference(const RgbImage& a, const RgbImage& b) {
    if (a.width != b.width || a.height != b.height) return 256;
    int worst = 0;
    for (size_t i = 0; i < a.rgb.size(); ++i) worst = std::max(worst, std::abs(int(a.rgb[i]) - int(b.rgb[i])));
    return worst;
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
        // A kept picture (the ingest's sampled frames) is the same picture, rotation included.
        const auto kept = decoder.current_picture();
        QVERIFY(kept);
        QVERIFY(kept->rgb(120).rgb == thumb.rgb);
    }

    // A kept picture holds its frame after the decoder moved on and after the decoder is gone.
    void keptPictureOutlivesTheDecoder() {
        const QString clip = test::make_cut_clip(dir_.filePath("kept.mp4"), 3, 10, 25);
        std::shared_ptr<const DecodedPicture> first;
        RgbImage first_rgb, last_rgb;
        {
            VideoDecoder decoder(clip.toStdString());
            QVERIFY(!decoder.current_picture());  // nothing decoded yet
            SmallFrame f;
            QVERIFY(decoder.next(f));
            first = decoder.current_picture();
            first_rgb = decoder.current_rgb(160);
            while (decoder.next(f)) last_rgb = decoder.current_rgb(160);
        }
        const RgbImage again = first->rgb(160);
        QVERIFY(again.rgb == first_rgb.rgb);
        QVERIFY(again.rgb != last_rgb.rgb);  // the first segment's pattern, not the last frame's
    }

    // A seek lands on the key frame at or before the time asked for (the clip has one every 25 frames); from there the
    // frames are the sequential decode's, with their timestamps, and index -1 (indices count from the file's start).
    void seekLandsOnTheKeyFrameBefore() {
        const QString clip = test::make_cut_clip(dir_.filePath("seek.mp4"), 4, 25, 25);
        std::vector<RgbImage> pictures;
        const std::vector<SmallFrame> all = decode_all(clip, {}, &pictures);
        QCOMPARE(int(all.size()), 100);
        VideoDecoder decoder(clip.toStdString());
        SmallFrame f;
        for (const auto& [seconds, key_frame] : {std::pair{2.5, 50}, {0.0, 0}, {1.0, 25}, {-3.0, 0}, {0.99, 0}}) {
            QVERIFY(decoder.seek(seconds));
            for (int i = key_frame; i < key_frame + 30 && i < 100; ++i) {
                QVERIFY(decoder.next(f));
                QCOMPARE(f.index, int64_t(-1));
                QCOMPARE(f.pts_s, all[i].pts_s);
                QVERIFY2(decoder.current_rgb(320).rgb == pictures[i].rgb,
                         qPrintable(QString("frame %1 after a seek to %2 s").arg(i).arg(seconds)));
            }
        }
        // Past the end: the last key frame, then the end of the stream; no error.
        QVERIFY(decoder.seek(60.0));
        int after = 0;
        while (decoder.next(f)) {
            QVERIFY(f.pts_s >= all[75].pts_s);
            ++after;
        }
        QVERIFY(after <= 25);
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

    // NVDEC hands back NV12 (U and V interleaved); the small planes come from it as directly as from planar 4:2:0.
    void nv12FramesMatchPlanarOnes() {
        const QString planar = dir_.filePath("planar.nut"), nv12 = dir_.filePath("nv12.nut");
        for (const auto& [file, format] : {std::pair{planar, "yuv420p"}, std::pair{nv12, "nv12"}})
            QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=640x360:r=25", "-frames:v", "12", "-pix_fmt",
                                       format, "-c:v", "rawvideo", file}),
                     QString());
        std::vector<RgbImage> planar_rgb, nv12_rgb;
        const auto a = decode_all(planar, with_hardware(HardwareDecode::Software), &planar_rgb);
        const auto b = decode_all(nv12, with_hardware(HardwareDecode::Software), &nv12_rgb);
        QCOMPARE(int(a.size()), 12);
        QCOMPARE(b[0].y.width, 128);
        QCOMPARE(b[0].y.height, 72);
        compare_frames(a, b);
        for (size_t i = 0; i < a.size(); ++i) QVERIFY(max_difference(planar_rgb[i], nv12_rgb[i]) <= 2);
        // Not all grey: the chroma planes were read from the right bytes.
        QVERIFY(*std::max_element(b[5].u.pixels.begin(), b[5].u.pixels.end()) -
                    *std::min_element(b[5].u.pixels.begin(), b[5].u.pixels.end()) > 100);
    }

    // auto: NVDEC where there is one, else software, saying why; the frames are the same either way.
    void autoFallsBackToSoftware() {
        const QString clip = test::make_cut_clip(dir_.filePath("auto.mp4"), 3, 10, 25);
        VideoDecoder probe(clip.toStdString(), with_hardware(HardwareDecode::Auto));
        SmallFrame f;
        QVERIFY(probe.next(f));
        const DecoderUsed used = probe.decoder();
        QCOMPARE(QString::fromStdString(used.codec), QString("h264"));
        if (used.hardware) {
            QVERIFY(used.why.empty());
            QCOMPARE(QString::fromStdString(used.describe()), QString("h264 on NVDEC"));
        } else {
            QVERIFY2(QString::fromStdString(used.why).startsWith("NVDEC: "), used.why.c_str());
            QVERIFY2(QString::fromStdString(used.describe()).startsWith("h264 in software (NVDEC: "),
                     used.describe().c_str());
        }
        std::vector<RgbImage> hw_rgb, sw_rgb;
        const auto hw = decode_all(clip, with_hardware(HardwareDecode::Auto), &hw_rgb);
        const auto sw = decode_all(clip, with_hardware(HardwareDecode::Software), &sw_rgb);
        QCOMPARE(int(sw.size()), 30);
        compare_frames(hw, sw);
        for (size_t i = 0; i < sw.size(); ++i) QVERIFY(max_difference(hw_rgb[i], sw_rgb[i]) <= 2);

        VideoDecoder software(clip.toStdString(), with_hardware(HardwareDecode::Software));
        QVERIFY(!software.decoder().hardware);
        QVERIFY(software.decoder().why.empty());  // asked for software: nothing to explain
    }

    // nvdec: NVDEC or a one-line error naming the file and what to do; never a silent software decode.
    void nvdecRequiredIsNvdecOrAClearError() {
        const QString clip = test::make_cut_clip(dir_.filePath("nvdec.mp4"), 2, 10, 25);
        const bool have_nvdec = VideoDecoder(clip.toStdString(), with_hardware(HardwareDecode::Auto)).decoder().hardware;
        try {
            const auto frames = decode_all(clip, with_hardware(HardwareDecode::Nvdec));
            QVERIFY2(have_nvdec, "decoded with --decoder nvdec where auto found no NVDEC");
            QCOMPARE(int(frames.size()), 20);
        } catch (const Error& e) {
            const QString text = e.what();
            QVERIFY2(!have_nvdec, qPrintable(text));
            QVERIFY2(text.startsWith("cannot decode '") && text.contains("nvdec.mp4' on NVDEC: ") &&
                         text.endsWith("use --decoder auto or software") && !text.contains('\n'),
                     qPrintable(text));
        }
        // H.264 in 4:4:4, which NVDEC does not decode: with auto, FFmpeg falls back to software inside the stream
        // (get_format is offered no CUDA surfaces), and the decoder says so.
        const QString yuv444 = dir_.filePath("yuv444.mp4");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-frames:v", "10", "-pix_fmt",
                                   "yuv444p", "-c:v", "libx264", "-preset", "ultrafast", yuv444}),
                 QString());
        VideoDecoder decoder(yuv444.toStdString(), with_hardware(HardwareDecode::Auto));
        SmallFrame f;
        int frames = 0;
        while (decoder.next(f)) ++frames;
        QCOMPARE(frames, 10);
        QVERIFY(!decoder.decoder().hardware);
        if (have_nvdec)
            QVERIFY2(decoder.decoder().why.find("NVDEC does not decode this stream") != std::string::npos,
                     decoder.decoder().why.c_str());
    }

    void unknownDecoderName() {
        QCOMPARE(parse_hardware_decode("software"), HardwareDecode::Software);
        try {
            parse_hardware_decode("gpu");
            QFAIL("'gpu' accepted");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("unknown decoder 'gpu' — use auto, software or nvdec"));
        }
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
