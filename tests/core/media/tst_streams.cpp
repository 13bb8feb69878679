// Streams with their languages, the container's synopsis/description, and the analysis audio track chosen by a
// language preference (issue #8 item 3), on generated files: two audio tracks (eng 440 Hz, fra 1000 Hz) so that the
// decoded tone says which track was listened to.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/media/languages.h"
#include "core/media/streams.h"
#include "core/media/video_decoder.h"
#include "tests/support/fixtures.h"

using namespace frameline;

namespace {

// Rising zero crossings per second over the first `seconds` of the chosen track (16 kHz mono).
double decoded_frequency_hz(const QString& path, AudioDecoder::Options options, AudioStreamInfo* info = nullptr,
                            double seconds = 1.0) {
    options.sample_rate = 16000;
    AudioDecoder decoder(path.toStdString(), options);
    if (info) *info = decoder.info();
    std::vector<float> x;
    AudioBlock block;
    while (x.size() < size_t(seconds * 16000) && decoder.next(block))
        x.insert(x.end(), block.samples.begin(), block.samples.end());
    int crossings = 0;
    size_t first = 0, last = 0;
    for (size_t i = 1; i < x.size(); ++i)
        if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
            if (crossings++ == 0) first = i;
            last = i;
        }
    return crossings > 1 ? (crossings - 1) * 16000.0 / double(last - first) : 0.0;
}

struct CliRun {
    int exit_code = -1;
    QByteArray out, err;
};

CliRun run_cli(const QStringList& args) {
    QProcess p;
    p.start(FRAMELINE_CLI_PATH, args);
    CliRun r;
    if (!p.waitForFinished(120000)) return r;
    r.exit_code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

}  // namespace

class TestStreams : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString two_audio_;  // mkv: audio eng 440 Hz "Main", audio fra 1000 Hz default, subrip ger forced; metadata
    QString no_default_;  // mkv: audio commentary eng (first), audio eng, audio jpn; no default flags
    QString mp4_;         // mp4: mov_text fra, description and synopsis atoms
    QString silent_;      // mp4: video only

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString srt = dir_.filePath("cues.srt");
        QFile f(srt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("1\n00:00:00,500 --> 00:00:01,000\nHallo\n");
        f.close();
        two_audio_ = dir_.filePath("two_audio.mkv");
        QString err = test::run_ffmpeg(
            {"-f", "lavfi", "-i", "testsrc=d=2:s=160x120:r=10", "-f", "lavfi", "-i", "sine=f=440:d=2:r=48000",
             "-f", "lavfi", "-i", "sine=f=1000:d=2:r=48000", "-i", srt, "-map", "0", "-map", "1", "-map", "2",
             "-map", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-c:s", "srt",
             "-metadata", "title=Test Title", "-metadata", "synopsis=Two tones meet in a field.",
             "-metadata", "description=A test of languages.", "-metadata", "comment=made by tst_streams",
             "-metadata:s:a:0", "language=eng", "-metadata:s:a:0", "title=Main",
             "-metadata:s:a:1", "language=fra", "-metadata:s:s:0", "language=ger",
             "-disposition:a:0", "0", "-disposition:a:1", "default", "-disposition:s:0", "forced", two_audio_});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        no_default_ = dir_.filePath("no_default.mkv");
        err = test::run_ffmpeg(
            {"-f", "lavfi", "-i", "testsrc=d=1:s=160x120:r=10", "-f", "lavfi", "-i", "sine=f=300:d=1",
             "-f", "lavfi", "-i", "sine=f=500:d=1", "-f", "lavfi", "-i", "sine=f=700:d=1", "-map", "0", "-map", "1",
             "-map", "2", "-map", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
             "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=eng", "-metadata:s:a:2",
             "language=jpn", "-disposition:a:0", "comment", "-disposition:a:1", "0", "-disposition:a:2", "0",
             no_default_});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        mp4_ = dir_.filePath("described.mp4");
        err = test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc=d=2:s=160x120:r=10", "-i", srt, "-c:v", "libx264",
                                "-preset", "ultrafast", "-c:s", "mov_text", "-metadata:s:s:0", "language=fra",
                                "-metadata", "synopsis=Long synopsis.", "-metadata", "description=Short one.",
                                mp4_});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        silent_ = test::make_cut_clip(dir_.filePath("silent.mp4"), 1, 10, 10);
        QVERIFY(!silent_.isEmpty());
    }

    void cleanup() { set_audio_language_preference({}); }

    void languagesNormalised() {
        QCOMPARE(known_language("fra").value_or("-"), std::string("fre"));
        QCOMPARE(known_language("fre").value_or("-"), std::string("fre"));
        QCOMPARE(known_language("fr").value_or("-"), std::string("fre"));
        QCOMPARE(known_language("FR-ca").value_or("-"), std::string("fre"));
        QCOMPARE(known_language("French").value_or("-"), std::string("fre"));
        QCOMPARE(known_language("deu").value_or("-"), std::string("ger"));
        QCOMPARE(known_language("pt_BR").value_or("-"), std::string("por"));
        QCOMPARE(known_language("eng").value_or("-"), std::string("eng"));
        QVERIFY(!known_language("xx").has_value());
        QVERIFY(!known_language("part2").has_value());
        QVERIFY(!known_language("").has_value());
        QCOMPARE(stream_language(""), std::string("und"));
        QCOMPARE(stream_language("yue"), std::string("yue"));  // ISO 639-3, not in 639-2: kept as the file says
        QCOMPARE(stream_language("12"), std::string("und"));
        QCOMPARE(language_name("fra"), std::string("French"));
        QVERIFY(same_language("fra", "fr"));
        QVERIFY(!same_language("und", "und"));
        QCOMPARE(parse_language_list("eng, fra;de eng"), (std::vector<std::string>{"eng", "fre", "ger"}));
        QVERIFY(parse_language_list("").empty());
        try {
            parse_language_list("eng,xx");
            QFAIL("'xx' was taken as a language");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("'xx'"), e.what());
        }
    }

    void listsStreamsWithLanguages() {
        const MediaStreams s = list_streams(two_audio_.toStdString());
        QCOMPARE(s.audio.size(), size_t(2));
        QCOMPARE(s.audio[0].index, 1);
        QCOMPARE(s.audio[0].language, std::string("eng"));
        QCOMPARE(s.audio[0].title, std::string("Main"));
        QCOMPARE(s.audio[0].codec, std::string("aac"));
        QCOMPARE(s.audio[0].channels, 1);
        QCOMPARE(s.audio[0].sample_rate, 48000);
        QCOMPARE(s.audio[0].channel_layout, std::string("mono"));
        QVERIFY(!s.audio[0].is_default);
        QCOMPARE(s.audio[1].index, 2);
        QCOMPARE(s.audio[1].language, std::string("fre"));  // ISO 639-2/B; the file says "fra"
        QCOMPARE(s.audio[1].language_tag, std::string("fra"));
        QVERIFY(s.audio[1].is_default);
        QCOMPARE(s.subtitles.size(), size_t(1));
        QCOMPARE(s.subtitles[0].index, 3);
        QCOMPARE(s.subtitles[0].codec, std::string("subrip"));
        QCOMPARE(s.subtitles[0].language, std::string("ger"));
        QVERIFY(s.subtitles[0].text);
        QVERIFY(s.subtitles[0].forced);

        QCOMPARE(s.metadata.title, std::string("Test Title"));
        QCOMPARE(s.metadata.comment, std::string("made by tst_streams"));
        QCOMPARE(s.metadata.texts.size(), size_t(2));
        for (const MetadataText& t : s.metadata.texts) {
            if (t.kind == "synopsis") QCOMPARE(t.text, std::string("Two tones meet in a field."));
            else QCOMPARE(t.text, std::string("A test of languages."));
            QCOMPARE(t.language, std::string("und"));
        }

        const MediaStreams none = list_streams(silent_.toStdString());
        QVERIFY(none.audio.empty());
        QVERIFY(none.subtitles.empty());
        QVERIFY(none.metadata.texts.empty());
    }

    void readsMp4Metadata() {
        const MediaStreams s = list_streams(mp4_.toStdString());
        QCOMPARE(s.subtitles.size(), size_t(1));
        QCOMPARE(s.subtitles[0].codec, std::string("mov_text"));
        QCOMPARE(s.subtitles[0].language, std::string("fre"));
        QVERIFY(s.subtitles[0].text);
        std::string synopsis, description;
        for (const MetadataText& t : s.metadata.texts) (t.kind == "synopsis" ? synopsis : description) = t.text;
        QCOMPARE(synopsis, std::string("Long synopsis."));
        QCOMPARE(description, std::string("Short one."));
    }

    void missingFileIsOneLine() {
        try {
            list_streams(dir_.filePath("nope.mkv").toStdString());
            QFAIL("a missing file was listed");
        } catch (const Error& e) {
            const QString m = e.what();
            QVERIFY2(m.contains("nope.mkv") && m.contains("no such file") && !m.contains('\n'), e.what());
        }
    }

    void choosesAudioTrackByLanguage() {
        const MediaStreams s = list_streams(two_audio_.toStdString());
        AudioChoice c = choose_audio_stream(s.audio, {});
        QCOMPARE(c.stream_index, 2);  // the default track
        QCOMPARE(c.why, std::string("default track"));
        c = choose_audio_stream(s.audio, {"eng"});
        QCOMPARE(c.stream_index, 1);
        QCOMPARE(c.why, std::string("preferred language eng"));
        c = choose_audio_stream(s.audio, {"jpn", "eng", "fre"});
        QCOMPARE(c.stream_index, 1);  // the first preference the file has
        c = choose_audio_stream(s.audio, {"fra"});
        QCOMPARE(c.stream_index, 2);  // "fra" and the file's "fra" (= "fre") are one language
        c = choose_audio_stream(s.audio, {"jpn"});
        QCOMPARE(c.stream_index, 2);
        QCOMPARE(c.why, std::string("default track (no track in jpn)"));

        // No default flag: the first track that is not commentary among the language's, else the first.
        const MediaStreams n = list_streams(no_default_.toStdString());
        QCOMPARE(n.audio.size(), size_t(3));
        QVERIFY(n.audio[0].commentary);
        QCOMPARE(choose_audio_stream(n.audio, {"eng"}).stream_index, 2);
        QCOMPARE(choose_audio_stream(n.audio, {"jpn"}).stream_index, 3);
        QCOMPARE(choose_audio_stream(n.audio, {}).stream_index, 1);
        QCOMPARE(choose_audio_stream(n.audio, {}).why, std::string("first track"));
        QCOMPARE(choose_audio_stream({}, {"eng"}).stream_index, -1);
    }

    // The decoder listens to the chosen track: the tone says which.
    void decoderDecodesChosenTrack() {
        AudioStreamInfo info;
        AudioDecoder::Options o;
        o.languages = {"eng"};
        QVERIFY(std::abs(decoded_frequency_hz(two_audio_, o, &info) - 440.0) < 5.0);
        QCOMPARE(info.stream_index, 1);
        QCOMPARE(info.language, std::string("eng"));
        QCOMPARE(info.title, std::string("Main"));
        QCOMPARE(info.choice, std::string("preferred language eng"));
        o.languages = {"fre"};
        QVERIFY(std::abs(decoded_frequency_hz(two_audio_, o, &info) - 1000.0) < 5.0);
        QCOMPARE(info.stream_index, 2);
        QCOMPARE(info.language, std::string("fre"));
        o.languages = {};
        QVERIFY(std::abs(decoded_frequency_hz(two_audio_, o, &info) - 1000.0) < 5.0);  // the default track
        QCOMPARE(info.choice, std::string("default track"));
        o.stream_index = 1;  // an explicit stream wins over any language
        o.languages = {"fre"};
        QVERIFY(std::abs(decoded_frequency_hz(two_audio_, o, &info) - 440.0) < 5.0);
        QCOMPARE(info.choice, std::string("asked for stream 1"));

        // The program-wide preference (frameline-cli --audio-language) reaches decoders that were not told one:
        // voice activity, loudness, audio character and embeddings all build their options like this.
        set_audio_language_preference({"eng"});
        QVERIFY(std::abs(decoded_frequency_hz(two_audio_, AudioDecoder::Options{}, &info) - 440.0) < 5.0);
        QCOMPARE(info.stream_index, 1);
        set_audio_language_preference({});
        QVERIFY(std::abs(decoded_frequency_hz(two_audio_, AudioDecoder::Options{}, &info) - 1000.0) < 5.0);

        QVERIFY(!AudioDecoder::open_if_audio(silent_.toStdString()).has_value());
    }

    void cliStreams() {
        CliRun r = run_cli({"streams", two_audio_, "--audio-language", "eng,fra", "--json"});
        QVERIFY2(r.exit_code == 0, r.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc["audio"].toArray().size(), 2);
        QCOMPARE(doc["audio"].toArray()[1].toObject()["language"].toString(), QString("fre"));
        QCOMPARE(doc["audio"].toArray()[1].toObject()["language_name"].toString(), QString("French"));
        QCOMPARE(doc["audio_choice"].toObject()["stream"].toInt(), 1);
        QVERIFY(doc["audio"].toArray()[0].toObject()["analysed"].toBool());
        QCOMPARE(doc["subtitles"].toArray()[0].toObject()["language"].toString(), QString("ger"));
        QCOMPARE(doc["metadata"].toObject()["title"].toString(), QString("Test Title"));
        QCOMPARE(doc["metadata"].toObject()["texts"].toArray().size(), 2);
        QVERIFY(r.err.isEmpty());

        r = run_cli({"streams", two_audio_, "--json"});
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["audio_choice"].toObject()["stream"].toInt(), 2);

        r = run_cli({"streams", two_audio_, "--audio-language", "klingonish", "--json"});
        QCOMPARE(r.exit_code, 2);  // bad usage
        QVERIFY2(r.err.contains("klingonish"), r.err.constData());
        r = run_cli({"streams", dir_.filePath("nope.mkv"), "--json"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("nope.mkv") && r.err.trimmed().count('\n') == 0, r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    // `ingest --audio-language` records the chosen track with the "subtitles" run, which holds the file's cues; the
    // synopsis and description become title texts. An ingest of the same content again reports what is stored.
    void cliIngest() {
        const QString db = dir_.filePath("ingest.db");
        const QStringList args = {"ingest", two_audio_, "--db", db, "--models", "none", "--audio-language", "eng",
                                  "--json"};
        CliRun r = run_cli(args);
        QVERIFY2(r.exit_code == 0, r.err.constData());
        QJsonObject subs = QJsonDocument::fromJson(r.out).object()["titles"].toArray()[0].toObject()["subtitles"]
                               .toObject();
        QCOMPARE(subs["audio"].toObject()["stream"].toInt(), 1);
        QCOMPARE(subs["audio"].toObject()["why"].toString(), QString("preferred language eng"));
        QCOMPARE(subs["tracks"].toArray().size(), 1);
        QCOMPARE(subs["tracks"].toArray()[0].toObject()["language"].toString(), QString("ger"));
        QCOMPARE(subs["cues"].toInt(), 1);
        QCOMPARE(subs["metadata_texts"].toInt(), 2);
        const int run = subs["run"].toInt();
        QVERIFY(run > 0);

        r = run_cli(args);
        QVERIFY2(r.exit_code == 0, r.err.constData());
        subs = QJsonDocument::fromJson(r.out).object()["titles"].toArray()[0].toObject()["subtitles"].toObject();
        QVERIFY(subs["already_present"].toBool());
        QCOMPARE(subs["run"].toInt(), run);

        r = run_cli({"show", "1", "--db", db, "--json"});
        QVERIFY2(r.exit_code == 0, r.err.constData());
        const QJsonObject show = QJsonDocument::fromJson(r.out).object();
        const QJsonArray transcript = show["transcript"].toArray();
        QCOMPARE(transcript.size(), 1);
        QCOMPARE(transcript[0].toObject()["text"].toString(), QString("Hallo"));
        QCOMPARE(transcript[0].toObject()["source"].toString(), QString("subtitle"));
        // The muxer delayed every stream by the AAC encoder's priming (1024 samples at 48 kHz, 21 ms), so that the
        // audio does not start before 0: the cue keeps its place relative to the picture, 0.5 s after frame 0.
        VideoDecoder video(two_audio_.toStdString());
        SmallFrame frame;
        QVERIFY(video.next(frame));
        QVERIFY2(std::abs(frame.pts_s - 0.021) < 0.001, qPrintable(QString::number(frame.pts_s)));
        const double cue_s = transcript[0].toObject()["start_s"].toDouble();
        QVERIFY2(std::abs(cue_s - frame.pts_s - 0.5) <= 0.001, qPrintable(QString::number(cue_s)));
        QCOMPARE(show["title_texts"].toArray().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestStreams)
#include "tst_streams.moc"
