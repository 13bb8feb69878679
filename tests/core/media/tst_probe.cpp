// Probing: streams, size, rate, rotation, and one-line errors for what is not a video.
#include <QTemporaryDir>
#include <QtTest>

#include "core/error.h"
#include "core/media/probe.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

class TestProbe : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static QString error_of(const QString& path) {
        try {
            probe_media(path.toStdString());
        } catch (const Error& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private slots:
    void generatedClip() {
        const QString clip = test::make_cut_clip(dir_.filePath("cuts.mp4"), 3, 25, 25);
        QVERIFY(!clip.isEmpty());
        MediaInfo info = probe_media(clip.toStdString());
        QCOMPARE(info.width, 320);
        QCOMPARE(info.height, 240);
        QCOMPARE(info.fps, 25.0);
        QCOMPARE(info.rotation_deg, 0);
        QCOMPARE(info.video_codec, std::string("h264"));
        QCOMPARE(info.frame_count_estimate, 75);
        QVERIFY(qAbs(info.duration_s - 3.0) < 0.05);
        QVERIFY(!info.has_audio);
        QCOMPARE(int(info.streams.size()), 1);
        QVERIFY(info.size_bytes > 0);
    }

    void audioStreamsAreListed() {
        const QString clip = dir_.filePath("av.mkv");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-f", "lavfi", "-i",
                                   "sine=f=440:d=1", "-metadata:s:a:0", "language=fra", "-c:v", "libx264", "-c:a",
                                   "flac", clip}),
                 QString());
        MediaInfo info = probe_media(clip.toStdString());
        QVERIFY(info.has_audio);
        QCOMPARE(int(info.streams.size()), 2);
        QCOMPARE(info.streams[1].kind, StreamKind::Audio);
        QCOMPARE(info.streams[1].language, std::string("fra"));
        QCOMPARE(info.streams[1].sample_rate, 44100);
    }

    void rotationSwapsDisplaySize() {
        const QString src = test::make_cut_clip(dir_.filePath("plain.mp4"), 1, 10, 25);
        const QString rotated = dir_.filePath("rotated.mp4");
        QCOMPARE(test::run_ffmpeg({"-i", src, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated}), QString());
        MediaInfo info = probe_media(rotated.toStdString());
        // FFmpeg 5.1 writes the "rotate=90" tag as a 90-degree counter-clockwise display matrix (ffprobe:
        // rotation=90), which a player shows turned 270 degrees clockwise.
        QCOMPARE(info.rotation_deg, 270);
        QCOMPARE(info.width, 240);
        QCOMPARE(info.height, 320);
    }

    void realRotatedFile() {
        const QString file = test::testdata_file("pyscenedetect/issue-134-rotate.mp4");
        if (file.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/issue-134-rotate.mp4"));
        MediaInfo info = probe_media(file.toStdString());
        QVERIFY(info.rotation_deg == 90 || info.rotation_deg == 270 || info.rotation_deg == 180);
        QVERIFY(info.has_audio);
    }

    void badInputsGiveOneLineErrors() {
        const QString text = test::make_text_file(dir_.filePath("notes.txt"));
        const QString audio = dir_.filePath("tone.wav");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "sine=d=0.5", audio}), QString());
        const QString empty = dir_.filePath("empty.mp4");
        QFile(empty).open(QIODevice::WriteOnly);

        const struct {
            QString path;
            QString expected;
        } cases[] = {
            {text, "notes.txt"},
            {audio, "has no video stream"},
            {empty, "empty.mp4"},
            {dir_.filePath("missing.mp4"), "no such file"},
            {dir_.path(), "is a folder"},
        };
        for (const auto& c : cases) {
            const QString message = error_of(c.path);
            QVERIFY2(message.contains(c.expected), qPrintable(c.path + " -> " + message));
            QVERIFY2(!message.contains('\n'), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
