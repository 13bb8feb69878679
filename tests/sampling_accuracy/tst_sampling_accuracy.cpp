// Floors for the shot detector on the transition benchmark: clips cut from real footage with exact ground truth
// (scripts/make-transition-bench.sh; definitions in bench/README.md). Prints every clip's numbers, like
// bench/shot_accuracy, and fails when the detector falls under a floor. Raise the floors as the detector improves.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "bench/accuracy.h"
#include "core/pipeline/video_scan.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
// The sampling issue's targets (measured: hard-cut F1 1.00 frame-exact, gradual recall 1.00, nothing on flashes
// or pans).
constexpr double kMinHardCutF1 = 0.98;
constexpr double kMinGradualRecall = 0.9;
constexpr double kMinRightKind = 0.9;              // matched transitions reported with the right kind
constexpr int kMaxBoundariesOnFlashesAndPans = 0;  // a flash or a pan reported as a shot change is the worst error
constexpr int kTolerance = 0;                       // frames: cuts must be frame-exact (bench/README.md)
}  // namespace

class TestSamplingAccuracy : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void transitionBenchmark() {
        if (test::testdata_file("pyscenedetect/testvideo.mp4").isEmpty() ||
            test::testdata_file("pyscenedetect/issue-134-rotate.mp4").isEmpty())
            QSKIP(test::testdata_missing("pyscenedetect/{testvideo,issue-134-rotate}.mp4"));
        QVERIFY(dir_.isValid());

        QProcess make;
        make.setProcessChannelMode(QProcess::MergedChannels);
        make.start("bash", {test::source_dir() + "/scripts/make-transition-bench.sh", dir_.path()});
        QVERIFY(make.waitForFinished(120000));
        QVERIFY2(make.exitStatus() == QProcess::NormalExit && make.exitCode() == 0, make.readAll().constData());

        const QStringList truths = QDir(dir_.path()).entryList({"*.truth.json"}, QDir::Files, QDir::Name);
        QVERIFY2(truths.size() >= 8, qPrintable(truths.join(' ')));
        bench::Score total;
        QStringList problems;
        for (const QString& truth_name : truths) {
            const QString name = truth_name.chopped(QString(".truth.json").size());
            const bench::Truth truth = bench::load_truth(dir_.filePath(truth_name).toStdString());
            ScanOptions options;
            options.thumbnail_width = 0;
            const ScanResult r = scan_video(dir_.filePath(name + ".mp4").toStdString(), options, {});
            QCOMPARE(r.frame_count, truth.frames);
            // The fast detection pass (no deblocking, as `frameline-cli shots`) must find the same boundaries.
            options.skip_loop_filter = true;
            const ScanResult fast = scan_video(dir_.filePath(name + ".mp4").toStdString(), options, {});
            QCOMPARE(fast.boundaries.size(), r.boundaries.size());
            for (size_t k = 0; k < r.boundaries.size(); ++k) {
                QCOMPARE(fast.boundaries[k].frame, r.boundaries[k].frame);
                QCOMPARE(fast.boundaries[k].kind, r.boundaries[k].kind);
            }
            const auto found = bench::detections_from(r.boundaries);
            const bench::Match m = bench::match(truth, found, kTolerance);
            const bench::Score s = bench::score(truth, found, m);
            qInfo("%-12s cuts %2d/%-2d P %.2f R %.2f | gradual %2d/%-2d | false %d (flash %d, pan %d)", qPrintable(name),
                  s.cuts_found, s.cuts, s.cut_precision(), s.cut_recall(), s.gradual_found, s.gradual,
                  s.false_detections, s.on_flash, s.on_pan);
            for (const std::string& line : bench::explain(truth, found, m))
                problems << name + ": " + QString::fromStdString(line);
            total.add(s);
        }
        qInfo("TOTAL        cuts %d/%d P %.2f R %.2f F1 %.2f | gradual %d/%d (dissolves %d/%d, fades %d/%d) | "
              "flash %d, pan %d",
              total.cuts_found, total.cuts, total.cut_precision(), total.cut_recall(), total.cut_f1(),
              total.gradual_found, total.gradual, total.dissolves_found, total.dissolves, total.fades_found,
              total.fades, total.on_flash, total.on_pan);
        for (const QString& p : problems) qInfo("  %s", qPrintable(p));

        QVERIFY2(total.cuts >= 30, "the benchmark lost its cuts");
        QVERIFY2(total.on_flash + total.on_pan <= kMaxBoundariesOnFlashesAndPans,
                 qPrintable(problems.filter("ON A").join('\n')));
        QVERIFY2(total.cut_f1() >= kMinHardCutF1, qPrintable(problems.join('\n')));
        QVERIFY2(total.gradual_found >= kMinGradualRecall * total.gradual, qPrintable(problems.join('\n')));
        QVERIFY2(total.kind_right >= kMinRightKind * total.kind_checked, qPrintable(problems.join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestSamplingAccuracy)
#include "tst_sampling_accuracy.moc"
