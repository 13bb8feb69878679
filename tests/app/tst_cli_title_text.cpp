// frameline-cli title-text (synopsis, description, reviews) and what `show --json` reports of issue #8's records:
// title texts, the transcript with its words, on-screen text with boxes, music tempo.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/cli_run.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {

using Run = test::CliRun;
using test::cli;
using test::one_line;

const QString kHostile = QString::fromUtf8("Robert'); DROP TABLE title_texts;-- \"q\" ñandú 東京 %s $1 ?1 ?\n"
                                           "A second paragraph: five stars.");

}  // namespace

class TestCliTitleText : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    QString title_;

private Q_SLOTS:
    void initTestCase() {
        const QString clip = test::make_cut_clip(dir_.filePath("cuts.mp4"), 3, 25, 25);
        QVERIFY(!clip.isEmpty());
        db_ = dir_.filePath("texts.db");
        const Run r = cli({"ingest", clip, "--db", db_, "--models", "none", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        title_ = QString::number(r.json()["titles"].toArray()[0].toObject()["id"].toInteger());
    }

    void synopsisAndReviews() {
        Run r = cli({"title-text", title_, "--db", db_, "--synopsis", QString::fromUtf8("Une histoire — ñandú"),
                     "--language", "fra", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QJsonArray texts = r.json()["title_texts"].toArray();
        QCOMPARE(texts.size(), 1);
        QCOMPARE(texts[0].toObject()["kind"].toString(), QString("synopsis"));
        QCOMPARE(texts[0].toObject()["text"].toString(), QString::fromUtf8("Une histoire — ñandú"));
        QCOMPARE(texts[0].toObject()["language"].toString(), QString("fre"));  // ISO 639-2/B, as subtitles store it
        QCOMPARE(texts[0].toObject()["source"].toString(), QString("human"));

        const QString review = dir_.filePath("review-guardian.txt");
        {
            QFile f(review);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("\xEF\xBB\xBF" + kHostile.toUtf8());  // with a byte order mark, which is not kept
        }
        r = cli({"title-text", title_, "--db", db_, "--review-file", review, "--language", "eng", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        texts = r.json()["title_texts"].toArray();
        QCOMPARE(texts.size(), 2);
        const QJsonObject rv = texts[1].toObject();
        QCOMPARE(rv["kind"].toString(), QString("review"));
        QCOMPARE(rv["text"].toString(), kHostile);
        QCOMPARE(rv["source"].toString(), QString("review-guardian.txt"));
        QCOMPARE(rv["language"].toString(), QString("eng"));
        QVERIFY(rv["created_at"].toString().endsWith('Z'));

        // Setting the synopsis again replaces the one entered before (same language); another language adds one.
        r = cli({"title-text", title_, "--db", db_, "--synopsis", "A story.", "--language", "fra", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        r = cli({"title-text", title_, "--db", db_, "--synopsis", "A story, in English.", "--language", "English",
                 "--json"});
        texts = r.json()["title_texts"].toArray();
        QCOMPARE(texts.size(), 3);
        QStringList synopses;
        for (const auto& t : texts)
            if (t.toObject()["kind"] == "synopsis")
                synopses << t.toObject()["language"].toString() + ":" + t.toObject()["text"].toString();
        synopses.sort();
        QCOMPARE(synopses, (QStringList{"eng:A story, in English.", "fre:A story."}));

        // show --json has them.
        r = cli({"show", title_, "--db", db_, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(r.json()["title_texts"].toArray().size(), 3);

        // Deleting one.
        const QString id = QString::number(rv["id"].toInteger());
        r = cli({"title-text", title_, "--db", db_, "--delete", id, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(r.json()["title_texts"].toArray().size(), 2);
        // Without --json: one line per text.
        r = cli({"title-text", title_, "--db", db_});
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(QString::fromUtf8(r.out).trimmed().split('\n').size(), 2);
    }

    void badUse() {
        Run r = cli({"title-text", title_, "--db", db_, "--synopsis", "x", "--language", "elvish"});
        QCOMPARE(r.exit_code, 2);
        r = cli({"title-text", title_, "--db", db_, "--review-file", dir_.filePath("missing.txt")});
        QCOMPARE(r.exit_code, 2);
        const QString latin1 = dir_.filePath("latin1.txt");
        {
            QFile f(latin1);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("Caf\xE9 cr\xE8me, tr\xE8s bon.");
        }
        r = cli({"title-text", title_, "--db", db_, "--review-file", latin1});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(one_line(r.err) && r.err.contains("not UTF-8") && r.err.contains("latin1.txt"), qPrintable(r.err));
        const QString empty = dir_.filePath("empty.txt");
        {
            QFile f(empty);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("  \n");
        }
        r = cli({"title-text", title_, "--db", db_, "--review-file", empty});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(one_line(r.err) && r.err.contains("empty"), qPrintable(r.err));
        r = cli({"title-text", "no such title", "--db", db_, "--synopsis", "x"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(one_line(r.err) && r.err.contains("no title"), qPrintable(r.err));
        r = cli({"title-text", title_, "--db", db_, "--delete", "999999"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(one_line(r.err) && r.err.contains("999999"), qPrintable(r.err));
        // Nothing changed by the failures.
        QCOMPARE(cli({"title-text", title_, "--db", db_, "--json"}).json()["title_texts"].toArray().size(), 2);
    }

    // What other steps store (transcripts, on-screen text, tempo) as show --json prints it.
    void showReportsTranscriptScreenTextAndTempo() {
        {
            auto store = open_store(db_.toStdString());
            const int64_t id = title_.toLongLong();
            ModelRunOutput said;
            said.model = "transcript";
            said.transcript = {TranscriptSegment{0, 0, "speech", "eng", 0.32, 2.5, "ask not what",
                                                 {TranscriptWord{"ask", 0.32, 0.61, 0.9},
                                                  TranscriptWord{"not", 0.61, 0.9, 0.8},
                                                  TranscriptWord{"what", 0.9, 1.2, 0.7}}}};
            store->save_model_run(id, said);
            ModelRunOutput seen;
            seen.model = "ocr";
            seen.screen_text = {ScreenText{0, 0, 30, 0.078, 0.278, 0.328, 0.053, "Directed by Jane Doe", 0.96}};
            seen.audio_segments = {AudioSegment{0, 0, "music", 1.0, 3.0, 0.8, 120.04}};
            store->save_model_run(id, seen);
        }
        const Run r = cli({"show", title_, "--db", db_, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QJsonObject doc = r.json();
        const QJsonArray transcript = doc["transcript"].toArray();
        QCOMPARE(transcript.size(), 1);
        const QJsonObject seg = transcript[0].toObject();
        QCOMPARE(seg["source"].toString(), QString("speech"));
        QCOMPARE(seg["language"].toString(), QString("eng"));
        QCOMPARE(seg["start_s"].toDouble(), 0.32);
        QCOMPARE(seg["text"].toString(), QString("ask not what"));
        const QJsonArray words = seg["words"].toArray();
        QCOMPARE(words.size(), 3);
        QCOMPARE(words[1].toObject()["word"].toString(), QString("not"));
        QCOMPARE(words[1].toObject()["start_s"].toDouble(), 0.61);
        QCOMPARE(words[1].toObject()["confidence"].toDouble(), 0.8);
        const QJsonArray screen = doc["screen_text"].toArray();
        QCOMPARE(screen.size(), 1);
        QCOMPARE(screen[0].toObject()["frame"].toInt(), 30);
        QCOMPARE(screen[0].toObject()["text"].toString(), QString("Directed by Jane Doe"));
        QCOMPARE(screen[0].toObject()["box"].toArray(), (QJsonArray{0.078, 0.278, 0.328, 0.053}));
        bool music = false;
        for (const auto& a : doc["audio_segments"].toArray())
            if (a.toObject()["kind"] == "music") {
                music = true;
                QCOMPARE(a.toObject()["bpm"].toDouble(), 120.0);
            }
        QVERIFY(music);
    }
};

QTEST_GUILESS_MAIN(TestCliTitleText)
#include "tst_cli_title_text.moc"
