// Voice activity (Silero VAD) on real sound: JFK's "ask not" sentence (one stretch of speech), two music loops
// (no speech), speech right after music (clips joined from the test media by ffmpeg) and generated silence; plus
// silero's segmentation rules on hand-made probabilities.
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <random>

#include "core/media/audio_decoder.h"
#include "core/models/compute_device.h"
#include "core/models/voice_activity.h"
#include "tests/core/models/zoo_test_images.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {
QString describe(const VoiceActivityResult& r) {
    QString s = QString("%1 s audio, %2 s speech:").arg(r.duration_s(), 0, 'f', 2).arg(r.speech_s(), 0, 'f', 2);
    for (const SpeechSegment& g : r.segments)
        s += QString(" [%1 - %2 p %3]").arg(g.start_s, 0, 'f', 3).arg(g.end_s, 0, 'f', 3).arg(g.mean_probability, 0, 'f', 2);
    return s;
}
}  // namespace

class TestVoiceActivity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void segmentationFollowsSilero() {
        // 16 kHz, 512-sample chunks (32 ms). Speech from chunk 10 to 40, a 2-chunk dip (64 ms < 100 ms: bridged),
        // speech to chunk 60, silence, a 5-chunk blip (160 ms < 250 ms: dropped), silence, speech 100..130 that
        // dips only to 0.4 (between the thresholds: still speech).
        std::vector<float> p(160, 0.05f);
        for (int i = 10; i < 60; ++i) p[size_t(i)] = 0.9f;
        p[40] = p[41] = 0.1f;
        for (int i = 80; i < 85; ++i) p[size_t(i)] = 0.9f;
        for (int i = 100; i < 130; ++i) p[size_t(i)] = i % 3 ? 0.9f : 0.4f;
        const int64_t total = 160 * 512;
        const auto segs = speech_segments(p, total, 16000, 512, 2.0);
        QCOMPARE(segs.size(), size_t(2));
        // Starts: chunk 10 -> 0.32 s - 30 ms pad; ends: chunk 60 -> 1.92 s + 30 ms; all + 2 s start offset.
        QVERIFY(std::abs(segs[0].start_s - (2.0 + 0.32 - 0.03)) < 1e-9);
        QVERIFY(std::abs(segs[0].end_s - (2.0 + 1.92 + 0.03)) < 1e-9);
        QVERIFY(std::abs(segs[1].start_s - (2.0 + 3.2 - 0.03)) < 1e-9);
        QVERIFY(std::abs(segs[1].end_s - (2.0 + 4.16 + 0.03)) < 1e-9);
        QVERIFY(segs[0].mean_probability > 0.8 && segs[0].mean_probability < 0.9);
        // Speech to the end of the stream ends at the end; two close segments meet in the middle of the gap.
        std::vector<float> q(40, 0.0f);
        for (int i = 5; i < 15; ++i) q[size_t(i)] = 0.9f;
        for (int i = 20; i < 40; ++i) q[size_t(i)] = 0.9f;  // gap: chunks 15..19 = 160 ms > 100 ms, > 2 pads
        auto s2 = speech_segments(q, 40 * 512 - 100, 16000, 512, 0.0);
        QCOMPARE(s2.size(), size_t(2));
        QVERIFY(std::abs(s2[1].end_s - (40 * 512 - 100) / 16000.0) < 1e-9);
        VoiceActivityOptions wide;
        wide.speech_pad_ms = 90;  // 2 pads = 180 ms > the 160 ms gap: they meet halfway
        s2 = speech_segments(q, 40 * 512, 16000, 512, 0.0, wide);
        QCOMPARE(s2.size(), size_t(2));
        QVERIFY(std::abs(s2[0].end_s - s2[1].start_s) < 1e-9);
        QVERIFY(std::abs(s2[0].end_s - (15 + 2.5) * 0.032) < 1e-9);
    }

    void jfkIsOneStretchOfSpeech() {
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        const QString wav = testdata_file("speech/jfk.wav");
        if (wav.isEmpty()) QSKIP(testdata_missing("speech/jfk.wav").constData());
        VoiceActivity vad(choose_compute_device("cpu", 2));
        QElapsedTimer timer;
        timer.start();
        const VoiceActivityResult r = vad.run(wav.toStdString());
        const double took_s = timer.nsecsElapsed() / 1e9;
        qInfo("jfk.wav: %s; %.3f s to run, real-time factor %.4f", qPrintable(describe(r)), took_s, took_s / r.duration_s());
        QVERIFY(std::abs(r.duration_s() - 11.0) < 0.1);
        QCOMPARE(r.chunk_probabilities.size(), size_t(std::ceil(r.samples / 512.0)));
        // With silero's defaults the sentence is several stretches: its pauses ("And so, my fellow Americans ...
        // ask not ... what your country can do for you ... ask what you can do for your country") last 0.2-1.1 s,
        // longer than min_silence_ms (100). The whole of it runs from about 0.3 s to 10.5 s.
        QVERIFY2(r.segments.size() >= 3 && r.segments.size() <= 6, qPrintable(describe(r)));
        QVERIFY2(std::abs(r.segments.front().start_s - 0.3) <= 0.3, qPrintable(describe(r)));
        QVERIFY2(std::abs(r.segments.back().end_s - 10.5) <= 0.3, qPrintable(describe(r)));
        QVERIFY(r.speech_s() > 6.0 && r.speech_s() < 9.5);
        for (const SpeechSegment& g : r.segments) QVERIFY(g.mean_probability > 0.5);
        // Asking for pauses of 1.5 s before speech ends gives one segment; the 0.4 s of silence after "country" is
        // then too short to end it before the file does (11.0 s), as in silero.
        VoiceActivityOptions patient;
        patient.min_silence_ms = 1500;
        const auto one = speech_segments(r.chunk_probabilities, r.samples, 16000, 512, r.start_s, patient);
        QCOMPARE(one.size(), size_t(1));
        qInfo("jfk.wav with min_silence_ms 1500: [%.3f - %.3f p %.2f]", one[0].start_s, one[0].end_s, one[0].mean_probability);
        QVERIFY(std::abs(one[0].start_s - 0.3) <= 0.3 && one[0].end_s >= 10.2 && one[0].end_s <= 11.0 + 1e-9);
    }

    void streamingInAnyBlockSizeGivesTheSameProbabilities() {
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        const QString wav = testdata_file("speech/jfk.wav");
        if (wav.isEmpty()) QSKIP(testdata_missing("speech/jfk.wav").constData());
        VoiceActivity vad(choose_compute_device("cpu", 2));
        const VoiceActivityResult whole = vad.run(wav.toStdString());
        // The same samples again, pushed in odd blocks.
        std::vector<float> samples;
        {
            AudioDecoder dec(wav.toStdString());
            AudioBlock b;
            while (dec.next(b)) samples.insert(samples.end(), b.samples.begin(), b.samples.end());
        }
        QCOMPARE(int64_t(samples.size()), whole.samples);
        vad.begin(0);
        size_t at = 0;
        for (size_t block : {1u, 511u, 1000u, 7u, 3000u, 40000u}) {
            block = std::min(block, samples.size() - at);
            vad.push(samples.data() + at, block);
            at += block;
        }
        vad.push(samples.data() + at, samples.size() - at);
        const VoiceActivityResult pieces = vad.finish();
        QCOMPARE(pieces.chunk_probabilities.size(), whole.chunk_probabilities.size());
        for (size_t i = 0; i < pieces.chunk_probabilities.size(); ++i)
            QVERIFY(std::abs(pieces.chunk_probabilities[i] - whole.chunk_probabilities[i]) < 1e-5);
        QCOMPARE(pieces.segments.size(), whole.segments.size());
    }

    void musicIsNotSpeech_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("amen") << "music/loop_amen_full.flac";
        QTest::newRow("garzul") << "music/loop_garzul.flac";
    }
    void musicIsNotSpeech() {
        QFETCH(QString, file);
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        const QString path = testdata_file(file);
        if (path.isEmpty()) QSKIP(testdata_missing(file).constData());
        const VoiceActivityResult r = VoiceActivity(choose_compute_device("cpu", 2)).run(path.toStdString());
        double mean = 0;
        for (float p : r.chunk_probabilities) mean += p;
        mean /= std::max<size_t>(1, r.chunk_probabilities.size());
        qInfo("%s: %s; speech share %.1f %%, mean chunk probability %.3f", qPrintable(file), qPrintable(describe(r)),
              100 * r.speech_s() / r.duration_s(), mean);
        QVERIFY(r.duration_s() > 1.0);
        QVERIFY2(r.speech_s() < 0.1 * r.duration_s(), qPrintable(describe(r)));
    }

    void silenceIsNotSpeech() {
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        VoiceActivity vad(choose_compute_device("cpu", 2));
        const VoiceActivityResult zeros = vad.run(std::vector<float>(16000 * 5, 0.0f), 1.5);
        qInfo("5 s of digital silence: %s", qPrintable(describe(zeros)));
        QVERIFY(zeros.segments.empty());
        QCOMPARE(zeros.chunk_probabilities.size(), size_t(157));  // 80000 / 512, the last chunk zero-padded
        QCOMPARE(zeros.start_s, 1.5);
        // Room tone: quiet white noise at -60 dBFS.
        std::mt19937 rng(5);
        std::normal_distribution<float> noise(0.0f, 0.001f);
        std::vector<float> hiss(16000 * 5);
        for (float& v : hiss) v = noise(rng);
        const VoiceActivityResult quiet = vad.run(hiss);
        qInfo("5 s of -60 dBFS noise: %s", qPrintable(describe(quiet)));
        QVERIFY(quiet.segments.empty());
        // A silent audio file made by ffmpeg, through the decoder.
        QTemporaryDir dir;
        const QString path = dir.filePath("silence.wav");
        QVERIFY(run_ffmpeg_silence(path));
        const VoiceActivityResult file = vad.run(path.toStdString());
        QVERIFY(std::abs(file.duration_s() - 3.0) < 0.05);
        QVERIFY(file.segments.empty());
    }

    // Speech right after music (issue #8): plain silero streaming keeps its LSTM in a "music" state and found jfk's
    // speech 6-9 s late after garzul (with or without 3 s of digital silence between); the fresh stream finds it as
    // on its own. Fixtures: the test media joined by ffmpeg (every part at 16 kHz mono), the speech's reference is
    // the same VAD on the speech file alone.
    void speechAfterMusicIsFound_data() {
        QTest::addColumn<QString>("music");
        QTest::addColumn<double>("gap_s");  // digital silence between them
        QTest::addColumn<QString>("speech");
        QTest::addColumn<bool>("plain_misses");  // plain silero streaming finds the speech over 2 s late
        QTest::newRow("garzul -> jfk") << "music/loop_garzul.flac" << 0.0 << "speech/jfk.wav" << true;
        QTest::newRow("garzul, 3 s silence, jfk") << "music/loop_garzul.flac" << 3.0 << "speech/jfk.wav" << true;
        QTest::newRow("amen -> jfk") << "music/loop_amen_full.flac" << 0.0 << "speech/jfk.wav" << true;
        QTest::newRow("amen -> librivox 0870") << "music/loop_amen_full.flac" << 0.0
                                               << "speech/librivox/sense_and_sensibility_01_austen_64kb-0870.wav" << false;
    }
    void speechAfterMusicIsFound() {
        QFETCH(QString, music);
        QFETCH(double, gap_s);
        QFETCH(QString, speech);
        QFETCH(bool, plain_misses);
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        const QString music_path = testdata_file(music), speech_path = testdata_file(speech);
        if (music_path.isEmpty()) QSKIP(testdata_missing(music).constData());
        if (speech_path.isEmpty()) QSKIP(testdata_missing(speech).constData());
        QTemporaryDir dir;
        const QString clip = dir.filePath("music_then_speech.wav");
        QVERIFY2(run_ffmpeg_concat(music_path, gap_s, speech_path, clip), "ffmpeg could not join the test media");
        // Where the speech file starts in the clip: the music's length at 16 kHz, then the gap.
        AudioDecoder::Options o;
        o.sample_rate = 16000;
        int64_t music_samples = 0;
        {
            AudioDecoder dec(music_path.toStdString(), o);
            AudioBlock b;
            while (dec.next(b)) music_samples += int64_t(b.samples.size());
        }
        const double offset_s = double(music_samples) / 16000 + gap_s;
        VoiceActivity vad(choose_compute_device("cpu", 1));  // silero is many times slower on 2 threads here
        const VoiceActivityResult alone = vad.run(speech_path.toStdString());
        const VoiceActivityResult joined = vad.run(clip.toStdString());
        QVERIFY2(!alone.segments.empty(), qPrintable(describe(alone)));
        // Speech after the offset, on the speech file's clock; speech before it (in the music) is false.
        auto after = [&](const VoiceActivityResult& r, double* first_start_s, double* music_speech_s) {
            double speech_s = 0;
            *first_start_s = -1;
            *music_speech_s = 0;
            for (const SpeechSegment& g : r.segments) {
                *music_speech_s += std::max(0.0, std::min(g.end_s, offset_s) - g.start_s);
                if (g.end_s <= offset_s) continue;
                const double a = std::max(g.start_s, offset_s) - offset_s;
                if (*first_start_s < 0) *first_start_s = a;
                speech_s += g.end_s - offset_s - a;
            }
            return speech_s;
        };
        double first_s = 0, in_music_s = 0;
        const double found_s = after(joined, &first_s, &in_music_s);
        qInfo("alone: %s", qPrintable(describe(alone)));
        qInfo("after %.3f s of music and %.1f s of silence: first speech at +%.3f s (alone %.3f), %.2f s of speech "
              "(alone %.2f), %.2f s in the music",
              offset_s - gap_s, gap_s, first_s, alone.segments.front().start_s, found_s, alone.speech_s(), in_music_s);
        QVERIFY2(first_s >= 0, qPrintable(describe(joined)));
        QVERIFY2(std::abs(first_s - alone.segments.front().start_s) <= 0.2, qPrintable(describe(joined)));
        // (0.77-0.98 of it measured; plain streaming 0-0.41 on the jfk rows)
        QVERIFY2(found_s >= 0.7 * alone.speech_s(), qPrintable(describe(joined)));
        QVERIFY2(in_music_s < 0.25, qPrintable(describe(joined)));
        // The fault the fixture reproduces: one carried state only (silero's own streaming).
        VoiceActivityOptions plain_options;
        plain_options.fresh_state_ms = 0;
        const VoiceActivityResult plain = VoiceActivity(choose_compute_device("cpu", 1), plain_options).run(clip.toStdString());
        double plain_first_s = 0, plain_in_music_s = 0;
        const double plain_s = after(plain, &plain_first_s, &plain_in_music_s);
        qInfo("plain silero streaming: first speech at %s, %.2f s of speech",
              plain_first_s < 0 ? "none" : qPrintable(QString("+%1 s").arg(plain_first_s, 0, 'f', 3)), plain_s);
        if (plain_misses) QVERIFY2(plain_first_s < 0 || plain_first_s > alone.segments.front().start_s + 2.0, qPrintable(describe(plain)));
    }

    void freshStateOptionIsChecked() {
        // fresh_state_ms 0 is one carried stream; the default runs the fresh stream beside it. Both agree on the
        // first chunk (both states start at zero), and on digital silence.
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        VoiceActivityOptions plain_options;
        plain_options.fresh_state_ms = 0;
        VoiceActivity plain(choose_compute_device("cpu", 1), plain_options), both(choose_compute_device("cpu", 1));
        std::mt19937 rng(9);
        std::normal_distribution<float> noise(0.0f, 0.05f);
        std::vector<float> x(16000 * 3);
        for (float& v : x) v = noise(rng);
        const VoiceActivityResult a = plain.run(x), b = both.run(x);
        QCOMPARE(a.chunk_probabilities.size(), b.chunk_probabilities.size());
        QVERIFY(std::abs(a.chunk_probabilities[0] - b.chunk_probabilities[0]) < 1e-6);
        // Within the first reset period the fresh stream is the carried one: the same probabilities.
        for (size_t i = 0; i < 32; ++i) QVERIFY(std::abs(a.chunk_probabilities[i] - b.chunk_probabilities[i]) < 1e-5);
        // Afterwards the chunk probability is the higher of the two, never under the carried one.
        for (size_t i = 0; i < a.chunk_probabilities.size(); ++i) QVERIFY(b.chunk_probabilities[i] >= a.chunk_probabilities[i] - 1e-5);
    }

private:
    static bool run_ffmpeg_concat(const QString& music, double gap_s, const QString& speech, const QString& out) {
        const QString fmt = "aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono";
        QStringList args = {"-y", "-v", "error", "-nostdin", "-i", music};
        QString graph;
        int n = 0;
        if (gap_s > 0) {
            args << "-f" << "lavfi" << "-t" << QString::number(gap_s) << "-i" << "anullsrc=r=16000:cl=mono";
        }
        args << "-i" << speech;
        const int inputs = gap_s > 0 ? 3 : 2;
        QString labels;
        for (n = 0; n < inputs; ++n) {
            graph += QString("[%1:a]%2[a%1];").arg(n).arg(fmt);
            labels += QString("[a%1]").arg(n);
        }
        graph += labels + QString("concat=n=%1:v=0:a=1[out]").arg(inputs);
        args << "-filter_complex" << graph << "-map" << "[out]" << "-c:a" << "pcm_s16le" << out;
        QProcess p;
        p.start("ffmpeg", args);
        return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }
    static bool run_ffmpeg_silence(const QString& path) {
        QProcess p;
        p.start("ffmpeg", {"-y", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", path});
        return p.waitForFinished(60000) && p.exitCode() == 0;
    }
};

QTEST_GUILESS_MAIN(TestVoiceActivity)
#include "tst_voice_activity.moc"
