// Audio for the models: mono float32 at 16 kHz in blocks, with exact sample timestamps, from generated fixtures.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "tests/support/fixtures.h"

using namespace frameline;

namespace {

struct Decoded {
    std::vector<float> samples;
    double first_pts_s = 0.0;
    QString block_error;  // what was wrong with the blocks, empty when all were right
    int64_t corrupt = 0;
    int64_t jumps = 0;
    int64_t silence_filled = 0;
    AudioStreamInfo info;
};

// Decodes a whole file, checking on the way that blocks are full-sized (but the last), numbered without gaps,
// and timed as first_pts_s + first_sample / rate.
Decoded decode_all(const QString& path, int block_samples = 16000) {
    AudioDecoder decoder(path.toStdString(), {16000, block_samples});
    Decoded d;
    d.info = decoder.info();
    AudioBlock block;
    bool short_block_seen = false;
    while (decoder.next(block)) {
        if (d.samples.empty()) d.first_pts_s = block.pts_s;
        QString wrong;
        if (short_block_seen) wrong = "a short block before the end";
        if (block.samples.size() > size_t(block_samples)) wrong = "a block larger than asked";
        if (block.first_sample != int64_t(d.samples.size())) wrong = "block numbering has a gap";
        if (std::abs(block.pts_s - (d.first_pts_s + block.first_sample / 16000.0)) > 1e-9) wrong = "block time drifts";
        if (d.block_error.isEmpty() && !wrong.isEmpty())
            d.block_error = QString("%1 at sample %2 (%3 s)").arg(wrong).arg(block.first_sample).arg(block.pts_s);
        short_block_seen = block.samples.size() < size_t(block_samples);
        d.samples.insert(d.samples.end(), block.samples.begin(), block.samples.end());
    }
    d.corrupt = decoder.corrupt_packets();
    d.jumps = decoder.timestamp_jumps();
    d.silence_filled = decoder.silence_filled_samples();
    return d;
}

// Rising zero crossings per second over samples [from, to).
double frequency_hz(const std::vector<float>& x, size_t from, size_t to) {
    int crossings = 0;
    size_t first = 0, last = 0;
    for (size_t i = from + 1; i < to; ++i) {
        if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
            if (crossings == 0) first = i;
            last = i;
            ++crossings;
        }
    }
    return crossings > 1 ? (crossings - 1) * 16000.0 / double(last - first) : 0.0;
}

double rms(const std::vector<float>& x, size_t from, size_t to) {
    double sum = 0.0;
    for (size_t i = from; i < to; ++i) sum += double(x[i]) * x[i];
    return std::sqrt(sum / double(to - from));
}

// Index of the first sample louder than `level`, or -1.
int64_t onset(const std::vector<float>& x, float level) {
    for (size_t i = 0; i < x.size(); ++i)
        if (std::abs(x[i]) > level) return int64_t(i);
    return -1;
}

QString error_of(const QString& path) {
    try {
        AudioDecoder decoder(path.toStdString());
        AudioBlock block;
        while (decoder.next(block)) {
        }
    } catch (const NoAudioStream& e) {
        return QString("NoAudioStream: ") + e.what();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

class TestAudioDecoder : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    // 440 Hz at amplitude 0.5, starting at `tone_at_s` after silence, `seconds` long in all.
    QStringList tone_source(double seconds, int rate, double tone_at_s = 0.0) {
        return {"-f", "lavfi", "-i",
                QString("aevalsrc='if(gte(t,%1),0.5*sin(2*PI*440*t),0)':s=%2:d=%3")
                    .arg(tone_at_s)
                    .arg(rate)
                    .arg(seconds)};
    }

private slots:
    void toneLengthAndFrequency_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("codec");
        QTest::addColumn<double>("level_tolerance");  // lossy encoders change a pure tone's level a little
        QTest::newRow("aac 44.1 kHz in mp4") << "tone.m4a" << QStringList{"-c:a", "aac", "-b:a", "128k"} << 0.01;
        QTest::newRow("pcm 22.05 kHz in wav") << "tone.wav" << QStringList{"-c:a", "pcm_s16le"} << 0.002;
        // LAME at 128k plays this tone 0.4 dB quieter (the ffmpeg tool decodes it the same)
        QTest::newRow("mp3 48 kHz") << "tone.mp3" << QStringList{"-c:a", "libmp3lame", "-b:a", "128k"} << 0.03;
    }
    void toneLengthAndFrequency() {
        QFETCH(QString, file);
        QFETCH(QStringList, codec);
        QFETCH(double, level_tolerance);
        const int rate = file.endsWith(".wav") ? 22050 : file.endsWith(".mp3") ? 48000 : 44100;
        const QString path = dir_.filePath(file);
        QCOMPARE(test::run_ffmpeg(tone_source(3.0, rate) + codec + QStringList{path}), QString());
        Decoded d = decode_all(path, 512);
        QVERIFY2(d.block_error.isEmpty(), qPrintable(d.block_error));
        QCOMPARE(d.info.input_sample_rate, rate);
        QCOMPARE(d.info.input_channels, 1);
        QCOMPARE(d.info.sample_rate, 16000);
        // 3 s at 16 kHz, within one 512-sample chunk (codec padding, resampler edges)
        QVERIFY2(std::abs(int64_t(d.samples.size()) - 48000) <= 512, qPrintable(QString::number(d.samples.size())));
        QVERIFY2(std::abs(d.first_pts_s) < 0.002, qPrintable(QString::number(d.first_pts_s)));
        const double hz = frequency_hz(d.samples, 8000, 40000);
        QVERIFY2(std::abs(hz - 440.0) < 0.5, qPrintable(QString::number(hz)));
        const double level = rms(d.samples, 8000, 40000);
        // the tone's level survives: no gain in resampling
        QVERIFY2(std::abs(level - 0.5 / std::sqrt(2.0)) < level_tolerance, qPrintable(QString::number(level)));
        QCOMPARE(d.corrupt, int64_t(0));
        QCOMPARE(d.silence_filled, int64_t(0));  // a clean file has no holes to fill
        QCOMPARE(d.jumps, int64_t(0));
    }

    void stereo48kIsDownmixed() {
        // Left and right in phase for 1 s (the mix is the tone), then in opposite phase (the mix cancels): a decoder
        // that took one channel would hear the tone throughout.
        const QString path = dir_.filePath("stereo.flac");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i",
                                   "aevalsrc='0.5*sin(2*PI*440*t)|if(lt(t,1),1,-1)*0.5*sin(2*PI*440*t)':s=48000:d=2",
                                   "-c:a", "flac", path}),
                 QString());
        Decoded d = decode_all(path);
        QCOMPARE(d.info.input_channels, 2);
        QCOMPARE(d.info.input_sample_rate, 48000);
        QVERIFY(std::abs(int64_t(d.samples.size()) - 32000) <= 512);
        const double together = rms(d.samples, 1600, 14400), opposed = rms(d.samples, 17600, 30400);
        QVERIFY2(std::abs(together - 0.354) < 0.01, qPrintable(QString::number(together)));
        QVERIFY2(opposed < 0.005, qPrintable(QString::number(opposed)));
        QVERIFY(std::abs(frequency_hz(d.samples, 1600, 14400) - 440.0) < 0.5);
    }

    void toneStartTime_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("args");  // output options
        QTest::addColumn<double>("audio_offset_s");
        QTest::addColumn<bool>("with_video");
        QTest::newRow("wav") << "onset.wav" << QStringList{"-c:a", "pcm_s16le"} << 0.0 << false;
        QTest::newRow("aac in mp4") << "onset.m4a" << QStringList{"-c:a", "aac"} << 0.0 << false;
        QTest::newRow("opus in mkv with video, audio 0.5 s late")
            << "onset.mkv" << QStringList{"-c:a", "libopus", "-c:v", "libx264", "-preset", "ultrafast"} << 0.5 << true;
        QTest::newRow("aac in mp4 with video, audio 0.3 s late")
            << "onset.mp4" << QStringList{"-c:a", "aac", "-c:v", "libx264", "-preset", "ultrafast"} << 0.3 << true;
    }
    void toneStartTime() {
        QFETCH(QString, file);
        QFETCH(QStringList, args);
        QFETCH(double, audio_offset_s);
        QFETCH(bool, with_video);
        const QString path = dir_.filePath(file);
        QStringList cmd;
        if (with_video) cmd << "-f" << "lavfi" << "-i" << "testsrc2=s=160x120:r=25:d=3";
        if (audio_offset_s > 0) cmd << "-itsoffset" << QString::number(audio_offset_s);
        cmd << tone_source(2.5, 48000, 1.0) << args << path;
        QCOMPARE(test::run_ffmpeg(cmd), QString());
        Decoded d = decode_all(path, 4096);
        QVERIFY2(d.block_error.isEmpty(), qPrintable(d.block_error));
        // Where the audio starts; an AAC encoder's priming frame (1024 samples, 21 ms) may come first, ahead of it
        QVERIFY2(d.first_pts_s > audio_offset_s - 0.025 && d.first_pts_s < audio_offset_s + 0.002,
                 qPrintable(QString::number(d.first_pts_s)));
        const int64_t at = onset(d.samples, 0.25f);
        QVERIFY(at > 0);
        const double tone_s = d.first_pts_s + at / 16000.0;
        const double expected = audio_offset_s + 1.0;
        QVERIFY2(std::abs(tone_s - expected) < 0.010,
                 qPrintable(QString("tone at %1 s, expected %2 s").arg(tone_s, 0, 'f', 4).arg(expected)));
    }

    void videoOnlyHasNoAudio() {
        const QString clip = test::make_cut_clip(dir_.filePath("silent.mp4"), 1, 10, 25);
        QVERIFY(!clip.isEmpty());
        try {
            AudioDecoder decoder(clip.toStdString());
            QFAIL("a video-only file gave audio");
        } catch (const NoAudioStream& e) {
            QVERIFY(QString(e.what()).contains("silent.mp4"));
            QVERIFY(QString(e.what()).contains("no audio"));
        }
        QVERIFY(!AudioDecoder::open_if_audio(clip.toStdString()).has_value());
        const QString with_audio = dir_.filePath("beep.wav");
        QCOMPARE(test::run_ffmpeg(tone_source(0.5, 16000) + QStringList{with_audio}), QString());
        auto decoder = AudioDecoder::open_if_audio(with_audio.toStdString());
        QVERIFY(decoder.has_value());
        AudioBlock block;
        QVERIFY(decoder->next(block));
        QCOMPARE(int(block.samples.size()), 8000);  // 0.5 s at 16 kHz in one block (16000 asked)
    }

    void garbageAndTruncatedFilesSayWhichFile() {
        const QString text = test::make_text_file(dir_.filePath("notes.txt"));
        QString message = error_of(text);
        QVERIFY2(message.contains("notes.txt") && !message.startsWith("NoAudioStream"), qPrintable(message));
        QVERIFY(!message.contains('\n'));

        // An MP4 cut before its index (moov at the end): not readable at all.
        const QString whole = dir_.filePath("whole.m4a");
        QCOMPARE(test::run_ffmpeg(tone_source(3.0, 44100) + QStringList{"-c:a", "aac", whole}), QString());
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        QFile cut(dir_.filePath("cut.m4a"));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 2));
        cut.close();
        message = error_of(cut.fileName());
        QVERIFY2(message.contains("cut.m4a") && !message.startsWith("NoAudioStream"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }

    void truncatedStreamDecodesWhatIsThere() {
        const QString whole = dir_.filePath("long.mkv");
        QCOMPARE(test::run_ffmpeg(tone_source(4.0, 48000) + QStringList{"-c:a", "libopus", whole}), QString());
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        QFile cut(dir_.filePath("half.mkv"));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 2));
        cut.close();
        Decoded d = decode_all(cut.fileName());  // no exception: the first half or so
        QVERIFY2(d.samples.size() > 16000 && d.samples.size() < 48000, qPrintable(QString::number(d.samples.size())));
    }

    void damageInTheMiddleKeepsTheTimeline() {
        // Opus in Matroska: a tone with a pause at 4.0-4.5 s; a stretch of the file around 1.8 s overwritten with
        // garbage. Decoding goes on to the end and the tone after the pause still starts at 4.5 s: the hole is
        // filled with silence, not closed up (which would pull everything after it earlier).
        const QString path = dir_.filePath("damaged.mkv");
        QCOMPARE(test::run_ffmpeg({"-f", "lavfi", "-i",
                                   "aevalsrc='if(between(t,4,4.5),0,0.5*sin(2*PI*440*t))':s=48000:d=6", "-c:a",
                                   "libopus", "-b:a", "96k", "-cluster_time_limit", "200", path}),
                 QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QByteArray junk(int(size / 8), '\0');
        for (int i = 0; i < junk.size(); ++i) junk[i] = char((i * 7919 + 13) & 0xff);
        f.seek(size * 3 / 10);  // about 1.8 s in (the tone is everywhere, so bytes are about even over time)
        f.write(junk);
        f.close();
        Decoded d = decode_all(path);
        QVERIFY2(d.block_error.isEmpty(), qPrintable(d.block_error));
        const size_t pause = size_t((4.2 - d.first_pts_s) * 16000);
        QVERIFY(d.samples.size() > pause);
        std::vector<float> after(d.samples.begin() + ptrdiff_t(pause), d.samples.end());
        const int64_t at = onset(after, 0.25f);
        QVERIFY(at > 0);
        const double tone_s = d.first_pts_s + double(pause + size_t(at)) / 16000.0;
        QVERIFY2(std::abs(tone_s - 4.5) < 0.010, qPrintable(QString("tone at %1 s").arg(tone_s, 0, 'f', 4)));
        QVERIFY2(std::abs(int64_t(d.samples.size()) - 96000) <= 1024, qPrintable(QString::number(d.samples.size())));
        QVERIFY2(d.silence_filled > 3200, qPrintable(QString::number(d.silence_filled)));  // the hole: > 0.2 s
    }
};

QTEST_GUILESS_MAIN(TestAudioDecoder)
#include "tst_audio_decoder.moc"
