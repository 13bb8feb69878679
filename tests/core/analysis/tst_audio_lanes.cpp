// Speech / music / silence lanes at the edges where music meets speech (issue #8): the voice-activity model's
// segments and analyse_audio_character() on clips joined from the test media by ffmpeg (every part at 16 kHz mono).
// Before the fixes, rhythmic music right before speech lost its last 2.4 s (the 6 s rhythm context straddled the
// speech) and Silero found speech 6 s late after music; bench/bench_audio_lanes measures the same on a longer clip.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "core/analysis/audio_character.h"
#include "core/media/audio_decoder.h"
#include "core/models/compute_device.h"
#include "core/models/voice_activity.h"
#include "tests/core/models/zoo_test_images.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {

constexpr int kRate = 16000;

double seconds_at_16k(const QString& path) {
    AudioDecoder::Options o;
    o.sample_rate = kRate;
    AudioDecoder d(path.toStdString(), o);
    AudioBlock b;
    int64_t n = 0;
    while (d.next(b)) n += int64_t(b.samples.size());
    return double(n) / kRate;
}

// ffmpeg joins the parts (a part "silence:S" is S seconds of digital silence) into `out`; "" on success.
QString join(const QStringList& parts, const QString& out) {
    const QString fmt = "aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono";
    QStringList args = {"-y", "-v", "error", "-nostdin"};
    QString graph, labels;
    for (int i = 0; i < parts.size(); ++i) {
        if (parts[i].startsWith("silence:"))
            args << "-f" << "lavfi" << "-t" << parts[i].mid(8) << "-i" << "anullsrc=r=16000:cl=mono";
        else
            args << "-i" << parts[i];
        graph += QString("[%1:a]%2[a%1];").arg(i).arg(fmt);
        labels += QString("[a%1]").arg(i);
    }
    graph += labels + QString("concat=n=%1:v=0:a=1[out]").arg(parts.size());
    args << "-filter_complex" << graph << "-map" << "[out]" << "-c:a" << "pcm_s16le" << out;
    return run_ffmpeg(args);
}

TitleAudioCharacter lanes_of(const QString& clip, std::vector<SpeechSegment>* speech_out = nullptr) {
    VoiceActivity vad(choose_compute_device("cpu", 1));  // silero is many times slower on 2 threads here
    const VoiceActivityResult v = vad.run(clip.toStdString());
    std::vector<AudioSegment> segs;
    for (const SpeechSegment& s : v.segments) segs.push_back(AudioSegment{0, 0, "speech", s.start_s, s.end_s, s.mean_probability});
    if (speech_out) *speech_out = v.segments;
    Shot whole;
    whole.end_s = 1e6;
    whole.end_frame = 25000000;
    TitleAudioCharacter c = analyse_audio_character(clip.toStdString(), {whole}, segs);
    for (const SpeechSegment& s : v.segments) qInfo("speech %.3f-%.3f s", s.start_s, s.end_s);
    for (const AudioSegment& l : c.lanes) qInfo("lane %s %.2f-%.2f s bpm %.2f", l.kind.c_str(), l.start_s, l.end_s, l.bpm);
    return c;
}

}  // namespace

class TestAudioLanes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rhythmicMusicRunsUpToSpeech() {
        // loop_amen_full (rhythmic, 140 BPM) then a LibriVox reading: the music lane ends at the join (it ended
        // 2.4 s early), speech starts there, and the whole loop is long enough for its tempo (it had none).
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        const QString amen = testdata_file("music/loop_amen_full.flac");
        const QString libri = testdata_file("speech/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
        if (amen.isEmpty()) QSKIP(testdata_missing("music/loop_amen_full.flac").constData());
        if (libri.isEmpty()) QSKIP(testdata_missing("speech/librivox/sense_and_sensibility_01_austen_64kb-0870.wav").constData());
        QTemporaryDir dir;
        const QString clip = dir.filePath("amen_librivox.wav");
        const QString err = join({amen, libri}, clip);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const double join_s = seconds_at_16k(amen);
        std::vector<SpeechSegment> speech;
        const TitleAudioCharacter c = lanes_of(clip, &speech);
        QVERIFY(!speech.empty());
        QVERIFY2(speech.front().start_s >= join_s && speech.front().start_s <= join_s + 0.5,
                 qPrintable(QString::number(speech.front().start_s)));
        const AudioSegment* music = nullptr;
        for (const AudioSegment& l : c.lanes)
            if (l.kind == "music" && l.start_s < join_s) music = &l;
        QVERIFY(music != nullptr);
        QVERIFY2(std::abs(music->end_s - join_s) <= 0.5, qPrintable(QString::number(music->end_s)));
        QVERIFY2(music->start_s <= 0.5, qPrintable(QString::number(music->start_s)));
        QVERIFY2(std::abs(music->bpm - 140) <= 3.0, qPrintable(QString::number(music->bpm)));
        // no music inside the reading
        for (const AudioSegment& l : c.lanes) QVERIFY(l.kind != "music" || l.end_s <= join_s + 0.5);
    }

    void musicBeyondSilenceIsNotRhythm() {
        // loop_garzul, 3 s of digital silence, jfk.wav: the quiet 0.32 s before jfk speaks is not music (a rhythm
        // context that slid away from the speech must not reach back over the silence into the loop), the silence
        // is one lane, and speech is found from about 0.3 s into jfk.wav (it was 6 s late).
        FRAMELINE_REQUIRE_MODELS("silero_vad");
        const QString garzul = testdata_file("music/loop_garzul.flac");
        const QString jfk = testdata_file("speech/jfk.wav");
        if (garzul.isEmpty()) QSKIP(testdata_missing("music/loop_garzul.flac").constData());
        if (jfk.isEmpty()) QSKIP(testdata_missing("speech/jfk.wav").constData());
        QTemporaryDir dir;
        const QString clip = dir.filePath("garzul_silence_jfk.wav");
        const QString err = join({garzul, "silence:3", jfk}, clip);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const double music_end_s = seconds_at_16k(garzul), jfk_s = music_end_s + 3.0;
        std::vector<SpeechSegment> speech;
        const TitleAudioCharacter c = lanes_of(clip, &speech);
        QVERIFY(!speech.empty());
        QVERIFY2(std::abs(speech.front().start_s - (jfk_s + 0.32)) <= 0.1, qPrintable(QString::number(speech.front().start_s)));
        int music_lanes = 0, silence_lanes = 0;
        for (const AudioSegment& l : c.lanes) {
            if (l.kind == "music") {
                ++music_lanes;
                QVERIFY2(l.end_s <= music_end_s + 1e-6, qPrintable(QString("music %1-%2").arg(l.start_s).arg(l.end_s)));
            }
            if (l.kind == "silence") {
                ++silence_lanes;
                QVERIFY(std::abs(l.start_s - music_end_s) < 1e-6 && std::abs(l.end_s - jfk_s) < 1e-6);
            }
        }
        QCOMPARE(music_lanes, 1);
        QCOMPARE(silence_lanes, 1);
    }
};

QTEST_GUILESS_MAIN(TestAudioLanes)
#include "tst_audio_lanes.moc"
