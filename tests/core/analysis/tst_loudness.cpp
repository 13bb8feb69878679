// EBU R128 loudness (libebur128) of generated signals with known loudness: a 1 kHz sine at amplitude A in one
// channel reads 20 log10(A) - 3.01 LUFS (BS.1770's K-weighting is ~0 dB at 1 kHz and -0.691 dB offset cancels the
// filter's gain there), so A = 10^(-19.99/20) is a -23 LUFS tone.
#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>

#include "core/analysis/loudness.h"

using namespace frameline;

namespace {
std::vector<float> sine(double hz, double amplitude, double seconds, int rate) {
    std::vector<float> s(size_t(seconds * rate));
    for (size_t i = 0; i < s.size(); ++i) s[i] = float(amplitude * std::sin(2 * std::numbers::pi * hz * double(i) / rate));
    return s;
}
double amplitude_for_lufs(double lufs) { return std::pow(10.0, (lufs + 3.0103) / 20.0); }
QString describe(const LoudnessStats& s) {
    return QString("I %1 LUFS, M mean %2 std %3 max %4, S mean %5 max %6, LRA %7 LU, silent %8, %9 readings, %10 s")
        .arg(s.integrated_lufs, 0, 'f', 3).arg(s.momentary_mean_lufs, 0, 'f', 3).arg(s.momentary_std_lu, 0, 'f', 3)
        .arg(s.momentary_max_lufs, 0, 'f', 3).arg(s.short_term_mean_lufs, 0, 'f', 3).arg(s.short_term_max_lufs, 0, 'f', 3)
        .arg(s.loudness_range_lu, 0, 'f', 3).arg(s.silent_fraction, 0, 'f', 2).arg(s.readings).arg(s.duration_s, 0, 'f', 2);
}
}  // namespace

class TestLoudness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void minus23LufsToneMeasuresMinus23_data() {
        QTest::addColumn<int>("rate");
        QTest::newRow("16 kHz (the embedder's rate)") << 16000;
        QTest::newRow("48 kHz") << 48000;
    }
    void minus23LufsToneMeasuresMinus23() {
        QFETCH(int, rate);
        const LoudnessStats s = measure_loudness(sine(1000, amplitude_for_lufs(-23), 10, rate), rate);
        qInfo("-23 LUFS 1 kHz tone, 10 s at %d Hz: %s", rate, qPrintable(describe(s)));
        QVERIFY2(std::abs(s.integrated_lufs + 23) <= 0.5, qPrintable(describe(s)));
        QVERIFY2(std::abs(s.momentary_mean_lufs + 23) <= 0.5, qPrintable(describe(s)));
        QVERIFY2(std::abs(s.short_term_max_lufs + 23) <= 0.5, qPrintable(describe(s)));
        QVERIFY2(s.loudness_range_lu < 0.5, qPrintable(describe(s)));  // a steady tone has no range
        QCOMPARE(s.silent_fraction, 0.0);
        QCOMPARE(s.readings, size_t(100));  // every 100 ms
    }

    void levelsTrackAndRangeOpensUp() {
        // 5 s at -33 LUFS then 5 s at -18 LUFS: BS.1770's relative gate (10 LU under the ungated level, -20.9)
        // drops the quiet half, so integrated reads about -18; the range is about 15 LU.
        const int rate = 16000;
        std::vector<float> a = sine(1000, amplitude_for_lufs(-33), 5, rate), b = sine(1000, amplitude_for_lufs(-18), 5, rate);
        const LoudnessStats quiet = measure_loudness(a, rate);
        a.insert(a.end(), b.begin(), b.end());
        const LoudnessStats both = measure_loudness(a, rate);
        qInfo("-33 LUFS: %s", qPrintable(describe(quiet)));
        qInfo("-33 then -18 LUFS: %s", qPrintable(describe(both)));
        QVERIFY(std::abs(quiet.integrated_lufs + 33) <= 0.5);
        QVERIFY(std::abs(both.momentary_max_lufs + 18) <= 0.5);
        QVERIFY2(std::abs(both.integrated_lufs + 18) <= 0.5, qPrintable(describe(both)));
        QVERIFY2(both.loudness_range_lu > 10 && both.loudness_range_lu < 16, qPrintable(describe(both)));
        QVERIFY(both.momentary_std_lu > 6);
    }

    void silenceReadsTheFloor() {
        const LoudnessStats s = measure_loudness(std::vector<float>(16000 * 2, 0.0f), 16000);
        qInfo("2 s of digital silence: %s", qPrintable(describe(s)));
        QCOMPARE(s.integrated_lufs, kLoudnessFloorLufs);
        QCOMPARE(s.momentary_max_lufs, kLoudnessFloorLufs);
        QCOMPARE(s.silent_fraction, 1.0);
        QVERIFY(std::isfinite(s.momentary_mean_lufs));
    }

    void shortShotsGetFiniteNumbers() {
        // 150 ms (under one 400 ms momentary window) and 1.2 s (under one 3 s short-term window) of the -23 tone
        for (double seconds : {0.15, 1.2}) {
            const LoudnessStats s = measure_loudness(sine(1000, amplitude_for_lufs(-23), seconds, 16000), 16000);
            qInfo("%.2f s of the -23 LUFS tone: %s", seconds, qPrintable(describe(s)));
            QVERIFY2(std::abs(s.integrated_lufs + 23) <= 0.7, qPrintable(describe(s)));
            QVERIFY2(std::abs(s.short_term_mean_lufs + 23) <= 0.7, qPrintable(describe(s)));  // not diluted by 3 s
        }
        QCOMPARE(measure_loudness({}, 16000).readings, size_t(0));
    }

    void streamingInPiecesEqualsOneBlock() {
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(0.0f, 0.05f);
        std::vector<float> x(16000 * 4);
        for (float& v : x) v = noise(rng);
        const LoudnessStats whole = measure_loudness(x, 16000);
        LoudnessMeter m(16000);
        for (size_t at = 0; at < x.size();) {
            const size_t n = std::min(x.size() - at, size_t(1 + rng() % 3000));
            m.add(x.data() + at, n);
            at += n;
        }
        const LoudnessStats pieces = m.stats();
        QCOMPARE(pieces.readings, whole.readings);
        QVERIFY(std::abs(pieces.integrated_lufs - whole.integrated_lufs) < 1e-9);
        QVERIFY(std::abs(pieces.momentary_mean_lufs - whole.momentary_mean_lufs) < 1e-9);
        m.reset();
        QCOMPARE(m.stats().readings, size_t(0));
        QVERIFY_THROWS_EXCEPTION(std::exception, LoudnessMeter(0));
    }
};

QTEST_GUILESS_MAIN(TestLoudness)
#include "tst_loudness.moc"
