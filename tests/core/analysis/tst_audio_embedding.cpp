// The per-shot audio embedding (64-band log-mel mean and std + EBU R128 statistics): generated tone, noise and
// silence are clearly apart, and real speech (speech/jfk.wav) is farther from real music (music/*.flac) than the two
// halves of each file are from each other.
#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>

#include "core/analysis/audio_embedding.h"
#include "core/analysis/embedding_metrics.h"
#include "core/media/audio_decoder.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {
constexpr int kRate = 16000;
std::vector<float> tone(double hz, double amplitude, double seconds) {
    std::vector<float> s(size_t(seconds * kRate));
    for (size_t i = 0; i < s.size(); ++i) s[i] = float(amplitude * std::sin(2 * std::numbers::pi * hz * double(i) / kRate));
    return s;
}
std::vector<float> noise(double rms, double seconds, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, float(rms));
    std::vector<float> s(size_t(seconds * kRate));
    for (float& v : s) v = n(rng);
    return s;
}
std::vector<float> decode(const QString& path) {
    AudioDecoder d(path.toStdString(), {kRate, kRate});
    std::vector<float> all;
    AudioBlock b;
    while (d.next(b)) all.insert(all.end(), b.samples.begin(), b.samples.end());
    return all;
}
std::pair<std::vector<float>, std::vector<float>> halves(const std::vector<float>& x) {
    const auto mid = x.begin() + std::ptrdiff_t(x.size() / 2);
    return {audio_embedding(std::vector<float>(x.begin(), mid)), audio_embedding(std::vector<float>(mid, x.end()))};
}
QString norms(const std::vector<float>& e) {
    const auto n = audio_embedding_block_norms(e);
    return QString("block norms: shape %1, modulation %2, loudness %3").arg(n[0], 0, 'f', 3).arg(n[1], 0, 'f', 3).arg(n[2], 0, 'f', 3);
}
}  // namespace

class TestAudioEmbedding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filterbankPutsAToneInItsBand() {
        LogMelFilterbank mel;
        QCOMPARE(mel.options().bands, 64);
        qInfo("band centres: %.1f, %.1f, ... %.1f Hz", mel.centre_hz(0), mel.centre_hz(1), mel.centre_hz(63));
        QVERIFY(mel.centre_hz(0) > 125 && mel.centre_hz(0) < 200 && mel.centre_hz(63) > 7000 && mel.centre_hz(63) < 7500);
        for (int b = 1; b < 64; ++b) QVERIFY(mel.centre_hz(b) > mel.centre_hz(b - 1));
        for (double hz : {300.0, 1000.0, 4000.0}) {
            const std::vector<float> x = tone(hz, 0.1, 0.025);
            std::vector<float> db(64);
            mel.compute(x.data(), db.data());
            const int peak = int(std::max_element(db.begin(), db.end()) - db.begin());
            int nearest = 0;
            for (int b = 1; b < 64; ++b)
                if (std::abs(mel.centre_hz(b) - hz) < std::abs(mel.centre_hz(nearest) - hz)) nearest = b;
            qInfo("%.0f Hz tone: loudest band %d (centre %.0f Hz, %.1f dB), nearest centre band %d; band 0: %.1f dB", hz,
                  peak, mel.centre_hz(peak), db[size_t(peak)], nearest, db[0]);
            QVERIFY(std::abs(peak - nearest) <= 1);
            QVERIFY(db[size_t(peak)] - *std::min_element(db.begin(), db.end()) > 40);
        }
    }

    void toneNoiseAndSilenceAreClearlyApart() {
        const std::vector<float> t = audio_embedding(tone(440, 0.1, 2)), n = audio_embedding(noise(0.05, 2)),
                                 s = audio_embedding(std::vector<float>(kRate * 2, 0.0f));
        const std::vector<float> t2 = audio_embedding(tone(440, 0.1, 2.5)), n2 = audio_embedding(noise(0.05, 2, 99));
        QCOMPARE(int(t.size()), kAudioEmbeddingDims);
        for (const auto* e : {&t, &n, &s}) QVERIFY(std::abs(dot(*e, *e) - 1.0) < 1e-5);
        const double tn = cosine_distance(t, n), ts = cosine_distance(t, s), ns = cosine_distance(n, s);
        const double tt = cosine_distance(t, t2), nn = cosine_distance(n, n2);
        qInfo("tone %s", qPrintable(norms(t)));
        qInfo("noise %s", qPrintable(norms(n)));
        qInfo("silence %s", qPrintable(norms(s)));
        qInfo("cosine distance tone-noise %.4f, tone-silence %.4f, noise-silence %.4f; same kind again: tone %.4f, "
              "noise (other seed) %.4f", tn, ts, ns, tt, nn);
        // Measured: tone-noise 1.03, tone-silence 1.00, noise-silence 1.00; the same kind again <= 0.002.
        for (double d : {tn, ts, ns}) QVERIFY2(d > 0.5, qPrintable(QString::number(d)));
        QVERIFY(tt < 0.02 && nn < 0.02);
    }

    void levelMovesOnlyTheLoudnessBlock() {
        // The same noise 20 dB quieter: same spectral shape and modulation, other loudness.
        std::vector<float> loud = noise(0.1, 2), quiet = loud;
        for (float& v : quiet) v *= 0.1f;
        AudioEmbedder e;
        e.add(loud);
        const std::vector<float> a = e.finish();
        const LoudnessStats la = e.last_loudness();
        e.add(quiet);
        const std::vector<float> b = e.finish();
        const LoudnessStats lb = e.last_loudness();
        qInfo("loud noise %.2f LUFS, quiet %.2f LUFS; cosine distance %.4f", la.integrated_lufs, lb.integrated_lufs,
              cosine_distance(a, b));
        QVERIFY(std::abs((la.integrated_lufs - lb.integrated_lufs) - 20) < 0.5);
        // Measured 0.027: it notices, and a tone is much farther (1.03)
        QVERIFY(cosine_distance(a, b) > 0.01);
        QVERIFY(cosine_distance(a, b) < cosine_distance(a, audio_embedding(tone(440, 0.1, 2))));
    }

    void streamingAndEdgeCases() {
        const std::vector<float> x = noise(0.1, 1.3, 5);
        AudioEmbedder e;
        std::mt19937 rng(3);
        for (size_t at = 0; at < x.size();) {
            const size_t n = std::min(x.size() - at, size_t(1 + rng() % 700));
            e.add(x.data() + at, n);
            at += n;
        }
        const std::vector<float> pieces = e.finish(), whole = audio_embedding(x);
        double worst = 0;
        for (size_t i = 0; i < whole.size(); ++i) worst = std::max(worst, double(std::abs(pieces[i] - whole[i])));
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QVERIFY(e.finish().empty());  // nothing since the last finish
        const std::vector<float> tiny = audio_embedding(std::vector<float>(10, 0.2f));  // shorter than a window
        QCOMPARE(int(tiny.size()), kAudioEmbeddingDims);
        for (float v : tiny) QVERIFY(std::isfinite(v));
    }

    void speechAndMusicAreFartherApartThanHalvesOfOneFile() {
        const QString speech = testdata_file("speech/jfk.wav");
        const QString amen = testdata_file("music/loop_amen_full.flac"), garzul = testdata_file("music/loop_garzul.flac");
        if (speech.isEmpty() || amen.isEmpty() || garzul.isEmpty())
            QSKIP(testdata_missing("speech/jfk.wav and music/*.flac").constData());
        const auto [s1, s2] = halves(decode(speech));
        struct Music {
            const char* name;
            std::vector<float> a, b;
        };
        std::vector<Music> music;
        for (const auto& [name, path] : {std::pair{"loop_amen_full", amen}, std::pair{"loop_garzul", garzul}}) {
            auto [a, b] = halves(decode(path));
            music.push_back({name, a, b});
        }
        const double speech_halves = cosine_distance(s1, s2);
        qInfo("jfk.wav halves: %.4f (%s)", speech_halves, qPrintable(norms(s1)));
        for (const Music& m : music) {
            const double music_halves = cosine_distance(m.a, m.b);
            double nearest_cross = 2.0;
            for (const auto* s : {&s1, &s2})
                for (const auto* x : {&m.a, &m.b}) nearest_cross = std::min(nearest_cross, cosine_distance(*s, *x));
            qInfo("%s halves: %.4f; nearest speech-music pair: %.4f (%s)", m.name, music_halves, nearest_cross,
                  qPrintable(norms(m.a)));
            QVERIFY2(nearest_cross > speech_halves && nearest_cross > music_halves,
                     qPrintable(QString("%1: cross %2, speech halves %3, music halves %4")
                                    .arg(m.name).arg(nearest_cross).arg(speech_halves).arg(music_halves)));
        }
    }
};

QTEST_GUILESS_MAIN(TestAudioEmbedding)
#include "tst_audio_embedding.moc"
