// The soundtrack inside frameline-cli's ingest and analyse (issue #8 items 1, 2): voice activity and the transcript
// run beside the rest of the ingest and are stored as the "speech" and "transcript" runs; `show` and `search` read
// them; `--skip` leaves steps out; a title without audio is stored as having no speech.
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/cli_run.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;
using test::cli;
using test::one_line;

class TestCliSpeech : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    // 12 s of test pattern with jfk.wav ("... ask not what your country can do for you ...", speech from about 0.3
    // to 10.5 s) as its soundtrack.
    QString speech_title() {
        const QString jfk = test::testdata_file("speech/jfk.wav");
        if (jfk.isEmpty()) return {};
        const QString path = dir_.filePath("jfk-title.mkv");  // FLAC: the recogniser hears what jfk.wav says
        if (QFile::exists(path)) return path;
        const QString err = test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=12", "-i", jfk, "-af",
                                              "apad", "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-c:a",
                                              "flac", path});
        return err.isEmpty() ? path : QString();
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void ingestStoresTheTranscript() {
        const QString title = speech_title();
        if (title.isEmpty()) QSKIP(test::testdata_missing("speech/jfk.wav"));
        const QString db = dir_.filePath("speech.db");
        const test::CliRun ingest = cli({"ingest", title, "--db", db, "--skip", "ocr", "--json"});
        QVERIFY2(ingest.exit_code == 0, qPrintable(ingest.err));
        const QJsonObject row = ingest.json()["titles"].toArray()[0].toObject();
        QVERIFY2(!row.contains("ocr"), "--skip ocr still read on-screen text");
        const QJsonObject sound = row["models"].toObject()["soundtrack"].toObject();
        QVERIFY2(sound["speech_segments"].toInt() >= 1, qPrintable(ingest.out));
        QVERIFY2(sound["transcript_segments"].toInt() >= 1, qPrintable(ingest.out));
        QVERIFY2(sound["words"].toInt() >= 15, qPrintable(ingest.out));  // 22 words said
        QVERIFY(!sound["engine"].toString().isEmpty());
        QVERIFY(sound["audio_s"].toDouble() > 11.5);

        const test::CliRun show = cli({"show", QString::number(row["id"].toInt()), "--db", db, "--json"});
        QVERIFY2(show.exit_code == 0, qPrintable(show.err));
        QString said;
        double first_s = 1e9, last_s = 0;
        for (const QJsonValue& v : show.json()["transcript"].toArray()) {
            const QJsonObject seg = v.toObject();
            QCOMPARE(seg["source"].toString(), QString("speech"));
            said += seg["text"].toString() + ' ';
            for (const QJsonValue& w : seg["words"].toArray()) {
                first_s = std::min(first_s, w.toObject()["start_s"].toDouble());
                last_s = std::max(last_s, w.toObject()["end_s"].toDouble());
            }
        }
        QVERIFY2(said.contains("country"), qPrintable(said));
        QVERIFY2(said.contains("fellow america"), qPrintable(said));
        // The words sit where jfk.wav's speech is (0.32 s - 10.5 s), on the title's clock.
        QVERIFY2(first_s > 0.1 && first_s < 1.0, qPrintable(QString::number(first_s)));
        QVERIFY2(last_s > 9.5 && last_s < 11.0, qPrintable(QString::number(last_s)));

        const test::CliRun found = cli({"search", "--db", db, "--text", "country", "--json"});
        QVERIFY2(found.exit_code == 0, qPrintable(found.err));
        const QJsonArray hits = found.json()["results"].toArray();
        QVERIFY2(!hits.isEmpty(), qPrintable(found.out));
        QVERIFY2(hits[0].toObject()["why"].toString().contains("transcript"), qPrintable(found.out));

        // Analysed again without the transcript: the stored transcript stays (a run is replaced only by its own kind).
        const test::CliRun again = cli({"analyse", QString::number(row["id"].toInt()), "--db", db, "--skip",
                                        "ocr,transcript", "--json"});
        QVERIFY2(again.exit_code == 0, qPrintable(again.err));
        QVERIFY(!again.json()["titles"].toArray()[0].toObject()["soundtrack"].toObject().contains("words"));
        const test::CliRun after = cli({"show", QString::number(row["id"].toInt()), "--db", db, "--json"});
        QVERIFY(!after.json()["transcript"].toArray().isEmpty());
    }

    void titleWithoutAudioHasNoSpeech() {
        const QString clip = test::make_cut_clip(dir_.filePath("silent.mp4"), 2, 25, 25);
        QVERIFY(!clip.isEmpty());
        const QString db = dir_.filePath("silent.db");
        const test::CliRun ingest = cli({"ingest", clip, "--db", db, "--skip", "ocr", "--json"});
        QVERIFY2(ingest.exit_code == 0, qPrintable(ingest.err));
        const QJsonObject sound =
            ingest.json()["titles"].toArray()[0].toObject()["models"].toObject()["soundtrack"].toObject();
        QCOMPARE(sound["speech_segments"].toInt(), 0);
        QCOMPARE(sound["transcript_segments"].toInt(), 0);
        QCOMPARE(sound["audio_s"].toDouble(), 0.0);
        QCOMPARE(sound["engine"].toString(), QString("none"));  // known to have no speech, not "not analysed"
    }

    void unknownStepIsBadUsage() {
        const test::CliRun r = cli({"ingest", dir_.filePath("any.mp4"), "--skip", "faces", "--json"});
        QCOMPARE(r.exit_code, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("faces"), qPrintable(r.err));
        QCOMPARE(cli({"analyse", "1", "--skip", "ocr,bogus", "--json"}).exit_code, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliSpeech)
#include "tst_cli_speech.moc"
