// Chosen frames decoded again by seeking (core/pipeline/frame_seek.h, the text reader's credits frames after the
// ingest's scan): each frame found is the very picture the sequential decode gives at that time, whether reached by
// a seek or by decoding on; times that are no frame's, or past the end, are counted as missing; formats that seek
// only roughly (MPEG-TS) and variable frame rates work too.
#include <QTemporaryDir>
#include <QtTest>

#include <map>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/frame_seek.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {

struct Sequential {
    std::vector<FrameAt> frames;
    std::vector<RgbImage> pictures;
};

Sequential decode_all(const QString& path) {
    Sequential all;
    VideoDecoder decoder(path.toStdString());
    SmallFrame f;
    while (decoder.next(f)) {
        all.frames.push_back(FrameAt{f.index, f.pts_s});
        all.pictures.push_back(decoder.current_rgb(160));
    }
    return all;
}

// Decodes `wanted` (indices into `all`) by seeking; checks each picture found against the sequential decode's.
int seek_and_check(const QString& path, const Sequential& all, const std::vector<int>& wanted, double gap_s,
                   std::vector<int64_t>* found_frames = nullptr) {
    std::vector<FrameAt> at;
    for (int i : wanted) at.push_back(all.frames[i]);
    std::map<int64_t, int> position;
    for (int i : wanted) position[all.frames[i].frame_index] = i;
    FrameSeekOptions options;
    options.gap_s = gap_s;
    std::vector<int64_t> found;
    const int missing = decode_frames_at(
        path.toStdString(), at,
        [&](const FrameAt& f, const DecodedPicture& picture) {
            found.push_back(f.frame_index);
            const int i = position.at(f.frame_index);
            if (picture.rgb(160).rgb != all.pictures[i].rgb) throw Error("frame " + std::to_string(i) + " differs");
            return true;
        },
        options);
    if (found_frames) *found_frames = found;
    return missing;
}

}  // namespace

class TestFrameSeek : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString clip_;
    Sequential all_;

private Q_SLOTS:
    void initTestCase() {
        clip_ = test::make_cut_clip(dir_.filePath("seek.mp4"), 6, 25, 25);  // a key frame every 25 frames
        QVERIFY(!clip_.isEmpty());
        all_ = decode_all(clip_);
        QCOMPARE(int(all_.frames.size()), 150);
    }

    // Out of order, close together and far apart; every frame found, in time order, seek or decode on alike.
    void findsTheSequentialPictures() {
        const std::vector<int> wanted = {149, 3, 4, 60, 61, 99, 12, 130, 0, 74, 75};
        std::vector<int> sorted = wanted;
        std::sort(sorted.begin(), sorted.end());
        for (double gap_s : {0.0, 1.0, 1000.0}) {  // a seek for each frame; some; one seek and decode on
            std::vector<int64_t> found;
            QCOMPARE(seek_and_check(clip_, all_, wanted, gap_s, &found), 0);
            QCOMPARE(int(found.size()), int(wanted.size()));
            for (size_t k = 0; k < found.size(); ++k) QCOMPARE(found[k], int64_t(sorted[k]));
        }
    }

    // Times that are no frame's (between two frames, past the end) are missing; the others are still found.
    void missingFramesAreCounted() {
        std::vector<FrameAt> at = {all_.frames[10], FrameAt{1000, 0.4 + 0.02}, all_.frames[80], FrameAt{1001, 99.0},
                                   FrameAt{1002, 6.0}};
        for (double gap_s : {0.0, 1000.0}) {
            FrameSeekOptions options;
            options.gap_s = gap_s;
            std::vector<int64_t> found;
            const int missing = decode_frames_at(
                clip_.toStdString(), at,
                [&](const FrameAt& f, const DecodedPicture&) {
                    found.push_back(f.frame_index);
                    return true;
                },
                options);
            QCOMPARE(missing, 3);
            QCOMPARE(found, (std::vector<int64_t>{10, 80}));
        }
    }

    // The callback can stop the decoding; nothing is asked of an empty list; a missing file is an error naming it.
    void stopsAndBadInput() {
        int calls = 0;
        decode_frames_at(clip_.toStdString(), {all_.frames[1], all_.frames[2], all_.frames[3]},
                         [&](const FrameAt&, const DecodedPicture&) { return ++calls < 2; });
        QCOMPARE(calls, 2);
        QCOMPARE(decode_frames_at(dir_.filePath("none.mp4").toStdString(), {}, {}), 0);
        try {
            decode_frames_at(dir_.filePath("none.mp4").toStdString(), {all_.frames[1]},
                             [](const FrameAt&, const DecodedPicture&) { return true; });
            QFAIL("a missing file gave no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("none.mp4"), e.what());
        }
    }

    // MPEG-TS seeks by bytes, roughly: the frames are found all the same (a second seek, further back).
    void roughSeekingFormat() {
        const QString ts = dir_.filePath("seek.ts");
        QCOMPARE(test::run_ffmpeg({"-i", clip_, "-c", "copy", ts}), QString());
        const Sequential all = decode_all(ts);
        QCOMPARE(int(all.frames.size()), 150);
        QCOMPARE(seek_and_check(ts, all, {140, 26, 100, 55, 56}, 0.0), 0);
    }

    // A real variable-frame-rate file (dropped frames): frames are matched by time, not by a count.
    void variableFrameRate() {
        const QString file = test::testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (file.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4"));
        const Sequential all = decode_all(file);
        QCOMPARE(int(all.frames.size()), 160);
        QCOMPARE(seek_and_check(file, all, {5, 60, 61, 140, 159}, 0.0), 0);
    }
};

QTEST_GUILESS_MAIN(TestFrameSeek)
#include "tst_frame_seek.moc"
