// Technical cues on a generated title: colour bars, black, programme, closing credits.
#include <QTemporaryDir>
#include <QtTest>

#include "core/pipeline/video_scan.h"
#include "tests/support/fixtures.h"

using namespace frameline;

class TestCueDetector : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void barsBlackProgrammeCredits() {
        // 0-49 colour bars (2 s), 50-74 black (1 s), 75-474 programme (16 s), 475-774 rolling credits (12 s).
        const QString font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        if (!QFile::exists(font)) QSKIP("needs fonts-dejavu-core (scripts/debian-packages.txt)");
        const QString clip = dir_.filePath("cues.mp4");
        QString credits = "color=c=0x101010:s=640x360:r=25:d=12,";
        for (int line = 0; line < 12; ++line)
            credits += QString("drawtext=fontfile=%1:fontsize=20:fontcolor=white:x=(w-text_w)/2:"
                               "y=h-t*40+%2:text='Person Number %3   Role %3',")
                           .arg(font).arg(line * 60).arg(line);
        credits.chop(1);
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i", "smptebars=s=640x360:r=25:d=2", "-f", "lavfi", "-i",
                                   "color=c=black:s=640x360:r=25:d=1", "-f", "lavfi", "-i",
                                   "testsrc2=s=640x360:r=25:d=16", "-f", "lavfi", "-i", credits, "-filter_complex",
                                   "[0][1][2][3]concat=n=4,format=yuv420p[v]", "-map", "[v]", "-c:v", "libx264",
                                   "-preset", "ultrafast", clip}),
                 QString());
        ScanOptions options;
        options.thumbnail_width = 0;
        const ScanResult r = scan_video(clip.toStdString(), options, {});
        QCOMPARE(r.frame_count, int64_t(775));
        QStringList found;
        for (const Marker& m : r.markers)
            found << QString("%1 %2-%3").arg(to_string(m.kind)).arg(m.start_frame).arg(m.end_frame);
        qInfo() << found;

        auto find = [&](CueKind k) -> const Marker* {
            for (const Marker& m : r.markers)
                if (m.kind == k) return &m;
            return nullptr;
        };
        const Marker* bars = find(CueKind::ColourBars);
        QVERIFY2(bars && bars->start_frame <= 1 && qAbs(bars->end_frame - 49) <= 1, qPrintable(found.join(", ")));
        const Marker* black = find(CueKind::Black);
        QVERIFY2(black && qAbs(black->start_frame - 50) <= 1 && qAbs(black->end_frame - 74) <= 1,
                 qPrintable(found.join(", ")));
        const Marker* credits_marker = find(CueKind::ClosingCredits);
        QVERIFY2(credits_marker && credits_marker->start_frame >= 470 && credits_marker->start_frame <= 520 &&
                     credits_marker->end_frame >= 740,
                 qPrintable(found.join(", ")));
        QVERIFY(!find(CueKind::OpeningCredits));
        QCOMPARE(int(r.markers.size()), 3);
    }
};

QTEST_GUILESS_MAIN(TestCueDetector)
#include "tst_cue_detector.moc"
