// Clip export (issue #6, item 6): stream copy from a key frame, re-encode from mid-GOP, exact frames and timestamps
// (also with a variable frame rate), audio trimmed to the video, clear errors that leave no file, and the CLI.
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/media/clip_export.h"
#include "core/media/video_decoder.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {

std::vector<SmallFrame> decode_all(const QString& path) {
    VideoDecoder decoder(path.toStdString(), VideoDecoder::Options{1, 128});
    std::vector<SmallFrame> frames;
    SmallFrame f;
    while (decoder.next(f)) frames.push_back(f);
    return frames;
}

// Mean absolute difference of the luma planes (0-255): 0 for the same decoded picture, a few units after a
// re-encode, tens between neighbouring frames of testsrc2 (its counter and moving pattern change every frame).
double luma_difference(const SmallFrame& a, const SmallFrame& b) {
    if (a.y.pixels.size() != b.y.pixels.size()) return 255.0;
    double sum = 0;
    for (size_t i = 0; i < a.y.pixels.size(); ++i) sum += std::abs(int(a.y.pixels[i]) - int(b.y.pixels[i]));
    return sum / static_cast<double>(a.y.pixels.size());
}

// Seconds of audio in a file, by decoding all of it.
double audio_seconds(const QString& path) {
    AudioDecoder decoder(path.toStdString(), AudioDecoder::Options{48000, 48000, -1});
    AudioBlock block;
    int64_t samples = 0;
    while (decoder.next(block)) samples += static_cast<int64_t>(block.samples.size());
    return static_cast<double>(samples) / 48000.0;
}

// Everything in `dir` besides the source files: a failed export must add nothing, not even a partial file.
QStringList clip_files(const QString& dir) {
    return QDir(dir).entryList(QStringList{"*.mp4", "*.mkv", "*.mov", "*.m4v", ".*partial*", "*.avi"},
                               QDir::Files | QDir::Hidden);
}

struct Run {
    int exit_code = -1;
    QByteArray out;
    QString err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(test::cli_path(), args);
    p.waitForFinished(300000);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
               QString::fromUtf8(p.readAllStandardError())};
}

ClipRequest request(const QString& source, int64_t start, int64_t end, const QString& output) {
    ClipRequest r;
    r.source = source.toStdString();
    r.start_frame = start;
    r.end_frame = end;
    r.output = output.toStdString();
    return r;
}

}  // namespace

class TestClipExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString out_;      // where clips go (a folder of its own, so that "no file left" is checkable)
    QString source_;   // 100 frames at 25 fps, key frames at 0, 25, 50, 75 (B-frames), and a 440 Hz tone
    std::vector<SmallFrame> source_frames_;

    // Decodes `clip` and checks it holds exactly source frames [start, end]: same count, each frame the source's
    // picture (within `tolerance`, and clearly closer to it than to its neighbours), timestamps from 0 that follow the
    // source's spacing.
    void check_frames(const QString& clip, int64_t start, int64_t end, double tolerance,
                      const std::vector<SmallFrame>& source) {
        const auto frames = decode_all(clip);
        QCOMPARE(int64_t(frames.size()), end - start + 1);
        for (size_t i = 0; i < frames.size(); ++i) {
            const SmallFrame& want = source[start + i];
            const double same = luma_difference(frames[i], want);
            QVERIFY2(same <= tolerance, qPrintable(QString("clip frame %1 vs source frame %2: difference %3")
                                                       .arg(i).arg(start + i).arg(same)));
            const double expected_pts = want.pts_s - source[start].pts_s;
            QVERIFY2(std::abs(frames[i].pts_s - expected_pts) < 1e-3,
                     qPrintable(QString("clip frame %1 at %2 s, expected %3 s").arg(i).arg(frames[i].pts_s).arg(expected_pts)));
        }
        // The first frame is the requested one, not a neighbour: it matches its source frame at least twice as well
        // as the frames either side (measured: 0-0.2 against 0.45-2.4 for a neighbour).
        const double same = luma_difference(frames.front(), source[start]);
        for (int64_t n : {start - 1, start + 1}) {
            if (n < 0 || n >= int64_t(source.size())) continue;
            const double other = luma_difference(frames.front(), source[n]);
            QVERIFY2(other > 2 * same && other > 0.25,
                     qPrintable(QString("clip frame 0 vs source %1: %2, vs %3: %4").arg(start).arg(same).arg(n).arg(other)));
        }
    }

private slots:
    void initTestCase() {
        out_ = dir_.filePath("out");
        QVERIFY(QDir().mkpath(out_));
        source_ = dir_.filePath("source.mp4");
        // A fixed GOP (no scene-cut key frames): key frames exactly at multiples of 25; x264's default B-frames.
        // (-t on each input: 4 s of both; "-frames:v 100" would cut the audio short where the video stops.)
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-t", "4", "-i", "testsrc2=s=320x240:r=25", "-f", "lavfi", "-t",
                                   "4", "-i", "sine=frequency=440:sample_rate=48000", "-c:v", "libx264", "-preset",
                                   "fast", "-pix_fmt", "yuv420p", "-g", "25", "-keyint_min", "25", "-sc_threshold",
                                   "0", "-c:a", "aac", "-b:a", "96k", source_}),
                 QString());
        source_frames_ = decode_all(source_);
        QCOMPARE(int(source_frames_.size()), 100);
    }

    void keyFrameRangeIsStreamCopied() {
        const QString clip = out_ + "/key.mp4";
        const ClipPlan plan = plan_clip(request(source_, 25, 74, clip));
        QCOMPARE(plan.method, ClipMethod::StreamCopy);
        QCOMPARE(plan.frame_count, int64_t(50));
        QVERIFY(std::abs(plan.start_s - 1.0) < 1e-6);
        QVERIFY(std::abs(plan.end_s - 3.0) < 1e-6);
        QVERIFY(!QFile::exists(clip));  // planning writes nothing

        const ClipResult result = export_clip(request(source_, 25, 74, clip));
        QCOMPARE(result.plan.method, ClipMethod::StreamCopy);
        QCOMPARE(result.frames_written, int64_t(50));
        QVERIFY2(std::abs(result.video_duration_s - 2.0) < 1e-3, qPrintable(QString::number(result.video_duration_s)));
        check_frames(clip, 25, 74, 0.0, source_frames_);  // copied bits decode to the very same pictures
        const double audio_s = audio_seconds(clip);
        QVERIFY2(std::abs(audio_s - 2.0) < 0.05, qPrintable(QString("audio %1 s for 2 s of video").arg(audio_s)));
        QVERIFY2(std::abs(result.audio_duration_s - 2.0) < 0.05, qPrintable(QString::number(result.audio_duration_s)));
        QCOMPARE(clip_files(out_), QStringList{"key.mp4"});
        QFile::remove(clip);
    }

    void midGopRangeIsReencoded() {
        const QString clip = out_ + "/mid.mp4";
        const ClipPlan plan = plan_clip(request(source_, 37, 61, clip));
        QCOMPARE(plan.method, ClipMethod::Reencode);
        QCOMPARE(plan.decode_from_frame, int64_t(25));
        QVERIFY2(QString::fromStdString(plan.reason).contains("frame 37 is not a key frame"), plan.reason.c_str());

        const ClipResult result = export_clip(request(source_, 37, 61, clip));
        QCOMPARE(result.plan.method, ClipMethod::Reencode);
        QCOMPARE(result.plan.video_codec, std::string("h264"));
        QCOMPARE(result.frames_written, int64_t(25));
        QVERIFY2(std::abs(result.video_duration_s - 1.0) < 1e-3, qPrintable(QString::number(result.video_duration_s)));
        check_frames(clip, 37, 61, 0.5, source_frames_);  // CRF 18: measured 0.15-0.25 levels of 255
        const double audio_s = audio_seconds(clip);
        QVERIFY2(std::abs(audio_s - 1.0) < 0.05, qPrintable(QString("audio %1 s for 1 s of video").arg(audio_s)));
        QFile::remove(clip);
    }

    void reencodeOnRequestAndToTheLastFrameInMatroska() {
        // A key-frame range re-encoded because it was asked for; and a range to the title's last frame in MKV.
        const QString forced = out_ + "/forced.mkv";
        ClipRequest r = request(source_, 50, 99, forced);
        r.force_reencode = true;
        const ClipResult result = export_clip(r);
        QCOMPARE(result.plan.method, ClipMethod::Reencode);
        QCOMPARE(result.frames_written, int64_t(50));
        check_frames(forced, 50, 99, 0.5, source_frames_);

        const QString copied = out_ + "/tail.mkv";
        const ClipResult tail = export_clip(request(source_, 50, 99, copied));
        QCOMPARE(tail.plan.method, ClipMethod::StreamCopy);
        QVERIFY2(std::abs(tail.video_duration_s - 2.0) < 1e-3, qPrintable(QString::number(tail.video_duration_s)));
        check_frames(copied, 50, 99, 0.0, source_frames_);
        QVERIFY(std::abs(audio_seconds(copied) - 2.0) < 0.05);
        QFile::remove(forced);
        QFile::remove(copied);
    }

    void anyEndFrameGivesExactlyTheRange() {
        // Ends inside a GOP land on B- or P-frames: whichever method the plan picks, the clip holds exactly the range.
        for (int64_t end : {26, 27, 28, 29, 30, 31, 40, 49}) {
            const QString clip = out_ + QString("/end%1.mp4").arg(end);
            const ClipResult result = export_clip(request(source_, 25, end, clip));
            check_frames(clip, 25, end, result.plan.method == ClipMethod::StreamCopy ? 0.0 : 0.5, source_frames_);
            QFile::remove(clip);
        }
    }

    void variableFrameRateShot() {
        const QString vfr = test::testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (vfr.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4"));
        const auto source = decode_all(vfr);
        QVERIFY(source.size() >= 160);
        // Shot 2 of this title is frames 60-139 (a key frame starts it); dropped frames make the spacing uneven, so
        // "timestamp x fps" would miss it.
        const QString clip = out_ + "/shot2.mp4";
        const ClipResult result = export_clip(request(vfr, 60, 139, clip));
        QCOMPARE(result.frames_written, int64_t(80));
        QVERIFY2(std::abs(result.plan.start_s - source[60].pts_s) < 1e-6, qPrintable(QString::number(result.plan.start_s)));
        QVERIFY(std::abs(result.plan.end_s - source[140].pts_s) < 1e-6);
        QCOMPARE(result.plan.method, ClipMethod::StreamCopy);
        check_frames(clip, 60, 139, 0.0, source);  // also: each clip timestamp follows the source's uneven spacing
        QFile::remove(clip);

        // The same shot from mid-GOP, re-encoded: the uneven timestamps survive the encoder.
        const QString mid = out_ + "/shot2mid.mkv";
        const ClipResult re = export_clip(request(vfr, 70, 139, mid));
        QCOMPARE(re.plan.method, ClipMethod::Reencode);
        check_frames(mid, 70, 139, 0.5, source);
        QFile::remove(mid);
    }

    void badRequestsFailInOneLineAndLeaveNothing() {
        const QString text = test::make_text_file(dir_.filePath("notes.txt"));
        struct Case {
            ClipRequest r;
            QString expect;  // a phrase the message must hold
        };
        const std::vector<Case> cases = {
            {request(source_, 90, 100, out_ + "/beyond.mp4"), "the title has 100 frames (0-99)"},
            {request(source_, 40, 30, out_ + "/backwards.mp4"), "ends before it starts"},
            {request(source_, 0, 10, out_ + "/no/such/folder/x.mp4"), "does not exist"},
            {request(text, 0, 10, out_ + "/text.mp4"), "notes.txt"},
            {request(source_, 0, 10, out_ + "/clip.avi"), "unknown output extension '.avi'"},
            {request(source_, -1, 10, out_ + "/negative.mp4"), "counted from 0"},
        };
        for (const Case& c : cases) {
            QString message;
            try {
                export_clip(c.r);
            } catch (const Error& e) {
                message = QString::fromUtf8(e.what());
            }
            QVERIFY2(message.contains(c.expect), qPrintable(message));
            QVERIFY2(!message.contains('\n'), qPrintable(message));
            // Names the source, the range and the output.
            QVERIFY2(message.contains(QString::fromStdString(c.r.source.filename().string())), qPrintable(message));
            QVERIFY2(message.contains(QString("frames %1-%2").arg(c.r.start_frame).arg(c.r.end_frame)), qPrintable(message));
            QVERIFY2(clip_files(out_).isEmpty(), qPrintable(clip_files(out_).join(", ")));
        }
    }

    void cliExportsByFramesShotAndChapter() {
        // Frames of a media file, no database.
        const QString clip = out_ + "/cli.mp4";
        Run r = cli({"export", source_, "--frames", "25-74", "--clip", clip, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["method"].toString(), QString("stream-copy"));
        QCOMPARE(j["frames"].toInt(), 50);
        QCOMPARE(j["start_frame"].toInt(), 25);
        QCOMPARE(j["end_frame"].toInt(), 74);
        QCOMPARE(j["start_s"].toDouble(), 1.0);
        QCOMPARE(j["end_s"].toDouble(), 3.0);
        QCOMPARE(j["duration_s"].toDouble(), 2.0);
        QCOMPARE(j["file"].toString(), clip);
        QCOMPARE(int(decode_all(clip).size()), 50);
        QFile::remove(clip);

        // Bad usage: exit 2; failure: exit 1 with one line and no file.
        r = cli({"export", source_, "--clip", clip});
        QCOMPARE(r.exit_code, 2);
        r = cli({"export", source_, "--frames", "25-200", "--clip", clip});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.trimmed().count('\n') == 0 && r.err.contains("frames 25-200"), qPrintable(r.err));
        QVERIFY(clip_files(out_).isEmpty());

        // A stored title: a shot by index and a chapter by id.
        const QString db = dir_.filePath("clips.db");
        r = cli({"ingest", source_, "--db", db, "--models", "none", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        auto store = open_store(db.toStdString());
        const auto titles = store->titles();
        QCOMPARE(int(titles.size()), 1);
        const int64_t title = titles.front().id;
        const auto shots = store->shots(title);
        QVERIFY(!shots.empty());
        const Shot& shot = shots.back();
        r = cli({"export", QString::number(title), "--db", db, "--shot", QString::number(shot.index), "--clip", clip,
                 "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["start_frame"].toInt(), int(shot.start_frame));
        QCOMPARE(j["end_frame"].toInt(), int(shot.end_frame - 1));
        QCOMPARE(int(decode_all(clip).size()), int(shot.end_frame - shot.start_frame));
        QFile::remove(clip);

        ModelRunOutput run;
        run.model = "analysis";
        Chapter chapter;
        chapter.kind = ChapterKind::Chapter;
        chapter.start_frame = 30;
        chapter.end_frame = 69;
        chapter.start_s = 1.2;
        chapter.end_s = 2.8;
        chapter.label = "middle";
        chapter.confidence = 0.9;
        run.chapters.push_back(chapter);
        store->save_model_run(title, run);
        const auto chapters = store->chapters(title);
        QCOMPARE(int(chapters.size()), 1);
        const QString mkv = out_ + "/chapter.mkv";
        r = cli({"export", QString::number(title), "--db", db, "--chapter", QString::number(chapters[0].id), "--clip",
                 mkv, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["method"].toString(), QString("re-encode"));  // frame 30 is inside the GOP that starts at 25
        QCOMPARE(j["frames"].toInt(), 40);
        QCOMPARE(j["start_s"].toDouble(), 1.2);
        check_frames(mkv, 30, 69, 0.5, source_frames_);
        QFile::remove(mkv);

        r = cli({"export", QString::number(title), "--db", db, "--chapter", "9999", "--clip", mkv});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("no chapter with id 9999"), qPrintable(r.err));
        QVERIFY(clip_files(out_).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClipExport)
#include "tst_clip_export.moc"
