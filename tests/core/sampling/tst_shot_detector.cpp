// Shot boundaries on generated clips with known cuts, flashes and fades, and on real footage.
#include <QTemporaryDir>
#include <QtTest>

#include "core/pipeline/video_scan.h"
#include "core/sampling/shot_detector.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
ScanResult scan(const QString& path) {
    ScanOptions options;
    options.thumbnail_width = 0;
    return scan_video(path.toStdString(), options, {});
}
QList<int64_t> cuts(const ScanResult& r) {
    QList<int64_t> out;
    for (const Shot& s : r.shots)
        if (s.index > 0) out << s.start_frame;
    return out;
}
QString describe(const ScanResult& r) {
    QStringList parts;
    for (const Shot& s : r.shots) parts << QString("%1(%2)").arg(s.start_frame).arg(to_string(s.transition));
    return parts.join(' ');
}
}  // namespace

class TestShotDetector : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void hardCutsAtExactFrames() {
        const QString clip = test::make_cut_clip(dir_.filePath("cuts.mp4"), 4, 25, 25);
        ScanResult r = scan(clip);
        QCOMPARE(r.frame_count, int64_t(100));
        QCOMPARE(cuts(r), (QList<int64_t>{25, 50, 75}));
        QCOMPARE(r.shots[1].transition, Transition::Cut);
        QVERIFY(qAbs(r.shots[1].start_s - 1.0) < 1e-3);
        // Shots tile the title: each ends where the next begins, the last at the last frame.
        for (size_t i = 1; i < r.shots.size(); ++i) QCOMPARE(r.shots[i - 1].end_frame, r.shots[i].start_frame);
        QCOMPARE(r.shots.back().end_frame, int64_t(100));
    }

    void flashIsNotACut() {
        // One shot with two single white frames (camera flashes) at 20 and 40.
        const QString clip = dir_.filePath("flash.mp4");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=3", "-vf",
                                   "drawbox=c=white:t=fill:enable='eq(n\\,20)+eq(n\\,40)'", "-c:v", "libx264",
                                   "-preset", "ultrafast", clip}),
                 QString());
        ScanResult r = scan(clip);
        QCOMPARE(r.frame_count, int64_t(75));
        QVERIFY2(r.shots.size() == 1, qPrintable(describe(r)));
    }

    void fadeThroughBlack() {
        // testsrc2 fading out to black over 1-2 s, then smptebars fading in: one fade boundary at the new shot.
        const QString clip = dir_.filePath("fade.mp4");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-f", "lavfi", "-i",
                                   "smptebars=s=320x240:r=25:d=2", "-filter_complex",
                                   "[0]fade=t=out:st=1:d=1[a];[1]fade=t=in:st=0:d=1[b];[a][b]concat=n=2[v]", "-map",
                                   "[v]", "-c:v", "libx264", "-preset", "ultrafast", clip}),
                 QString());
        ScanResult r = scan(clip);
        QVERIFY2(r.shots.size() == 2, qPrintable(describe(r)));
        QCOMPARE(r.shots[1].transition, Transition::Fade);
        QVERIFY2(r.shots[1].start_frame >= 48 && r.shots[1].start_frame <= 56, qPrintable(describe(r)));
    }

    void sampleTitle() {
        const QString clip = test::make_sample_title(dir_.filePath("sample.mp4"));
        QVERIFY(!clip.isEmpty());
        ScanResult r = scan(clip);
        QCOMPARE(r.frame_count, int64_t(610));
        // Ground truth in scripts/make-sample.sh: cut 125, fade 240-289 through black, dissolve 375-399, cut 500.
        QVERIFY2(r.shots.size() == 5, qPrintable(describe(r)));
        QCOMPARE(r.shots[1].start_frame, int64_t(125));
        QVERIFY(r.shots[2].start_frame >= 260 && r.shots[2].start_frame <= 290);
        QCOMPARE(r.shots[2].transition, Transition::Fade);
        QCOMPARE(r.shots[3].transition, Transition::Dissolve);
        QVERIFY(qAbs(r.shots[3].start_frame - 387) <= 2);
        QCOMPARE(r.shots[4].start_frame, int64_t(500));
        // Spans: the fade from its fade-out to its fade-in, the dissolve over its mixed frames.
        QCOMPARE(int(r.boundaries.size()), 4);
        QVERIFY2(qAbs(r.boundaries[1].span_start - 240) <= 3 && qAbs(r.boundaries[1].span_end - 289) <= 3, qPrintable(describe(r)));
        QVERIFY2(qAbs(r.boundaries[2].span_start - 375) <= 3 && qAbs(r.boundaries[2].span_end - 399) <= 3, qPrintable(describe(r)));
        QCOMPARE(r.boundaries[3].span_start, r.boundaries[3].span_end);
    }

    void realFootageVariableFrameRate() {
        const QString file = test::testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (file.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4"));
        ScanResult r = scan(file);
        QCOMPARE(r.frame_count, int64_t(160));
        QCOMPARE(cuts(r), (QList<int64_t>{60, 140}));  // PySceneDetect's 90 and 210 by timestamp x nominal fps
        QVERIFY(qAbs(r.shots[1].start_s - 3.754) < 1e-3);
        QVERIFY(qAbs(r.shots[2].start_s - 8.759) < 1e-3);
    }

    void realCounter() {
        // Three flat colours, 10 frames each: two cuts (PySceneDetect's default minimum shot length hides the first).
        const QString file = test::testdata_file("pyscenedetect/counter.mp4");
        if (file.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/counter.mp4"));
        QCOMPARE(cuts(scan(file)), (QList<int64_t>{10, 20}));
    }
};

QTEST_GUILESS_MAIN(TestShotDetector)
#include "tst_shot_detector.moc"
