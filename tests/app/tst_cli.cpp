// frameline-cli's contract: JSON on stdout, exit codes 0/1/2, one-line errors on stderr.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/fixtures.h"
#include "tests/support/postgres_server.h"
#include "tests/support/cli_run.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {
using Run = test::CliRun;
using test::cli;
using test::one_line;
}  // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString clip_;
    QString db_;

private slots:
    void initTestCase() {
        clip_ = test::make_cut_clip(dir_.filePath("cuts.mp4"), 3, 25, 25);
        QVERIFY(!clip_.isEmpty());
        db_ = dir_.filePath("cli.db");
    }

    void version() {
        Run r = cli({"--version"});
        QCOMPARE(r.exit_code, 0);
        QVERIFY(r.out.startsWith("frameline-cli "));
        QVERIFY(r.out.contains("LibTorch"));
    }

    void shotsJson() {
        Run r = cli({"shots", clip_, "--json"});
        QCOMPARE(r.exit_code, 0);
        QJsonObject doc = r.json();
        QCOMPARE(doc["frames"].toInt(), 75);
        QCOMPARE(doc["fps"].toDouble(), 25.0);
        QCOMPARE(doc["cuts"].toArray(), (QJsonArray{25, 50}));
        QJsonArray shots = doc["shots"].toArray();
        QCOMPARE(shots.size(), 3);
        QJsonObject second = shots[1].toObject();
        QCOMPARE(second["start_frame"].toInt(), 25);
        QCOMPARE(second["end_frame"].toInt(), 50);
        QCOMPARE(second["start_s"].toDouble(), 1.0);
        QCOMPARE(second["end_s"].toDouble(), 2.0);
        QCOMPARE(second["transition"].toString(), QString("cut"));
        QJsonArray transitions = doc["transitions"].toArray();
        QCOMPARE(transitions.size(), 2);
        QCOMPARE(transitions[0].toObject()["kind"].toString(), QString("cut"));
        QCOMPARE(transitions[0].toObject()["start_frame"].toInt(), 25);
        QCOMPARE(transitions[0].toObject()["end_frame"].toInt(), 25);
        QVERIFY(doc["markers"].isArray());
        QCOMPARE(doc["warnings"].toArray().size(), 0);
        // How it was decoded, also as the log line on stderr (issue #10).
        const QJsonObject decoder = doc["decoder"].toObject();
        QCOMPARE(decoder["codec"].toString(), QString("h264"));
        const bool nvdec = decoder["hardware"].toString() == "nvdec";
        QVERIFY2(nvdec ? decoder["why"].toString().isEmpty() : decoder["why"].toString().startsWith("NVDEC: "),
                 qPrintable(decoder["why"].toString()));
        QVERIFY2(r.err.contains("cuts.mp4': h264 " + QString(nvdec ? "on NVDEC" : "in software (NVDEC: ")),
                 qPrintable(r.err));

        // --decoder software: the same cuts, no explanation needed; --decoder nvdec: NVDEC or one line saying why not.
        Run software = cli({"shots", clip_, "--json", "--decoder", "software"});
        QCOMPARE(software.exit_code, 0);
        QCOMPARE(software.json()["cuts"].toArray(), (QJsonArray{25, 50}));
        QCOMPARE(software.json()["decoder"].toObject()["why"].toString(), QString());
        Run strict = cli({"shots", clip_, "--json", "--decoder", "nvdec"});
        if (nvdec) {
            QCOMPARE(strict.exit_code, 0);
            QCOMPARE(strict.json()["cuts"].toArray(), (QJsonArray{25, 50}));
        } else {
            QCOMPARE(strict.exit_code, 1);
            QVERIFY2(one_line(strict.err) && strict.err.contains("cuts.mp4' on NVDEC: ") &&
                         strict.err.contains("use --decoder auto or software"),
                     qPrintable(strict.err));
            QVERIFY(strict.out.isEmpty());
        }
    }

    void sampleTitleTransitionsAndCues() {
        const QString sample = test::make_sample_title(dir_.filePath("sample.mp4"));
        QVERIFY(!sample.isEmpty());
        Run r = cli({"shots", sample, "--json"});
        QCOMPARE(r.exit_code, 0);
        QJsonArray transitions = r.json()["transitions"].toArray();
        QStringList kinds;
        for (const auto& t : transitions) kinds << t.toObject()["kind"].toString();
        QCOMPARE(kinds, (QStringList{"cut", "fade", "dissolve", "cut"}));
        QJsonObject dissolve = transitions[2].toObject();
        QVERIFY(qAbs(dissolve["start_frame"].toInt() - 375) <= 2 && qAbs(dissolve["end_frame"].toInt() - 399) <= 2);
        QJsonArray markers = r.json()["markers"].toArray();
        QCOMPARE(markers.size(), 1);  // the black between the fade's ramps
        QCOMPARE(markers[0].toObject()["kind"].toString(), QString("black"));

        // One representative per second (at most 6): a 5 s shot gets 5 instead of 1.
        Run ingest = cli({"ingest", sample, "--db", dir_.filePath("sample.db"), "--frame-every", "1", "--json"});
        QCOMPARE(ingest.exit_code, 0);
        QVERIFY2(ingest.json()["titles"].toArray()[0].toObject()["frames"].toInt() >= 15, ingest.out.constData());
        QCOMPARE(cli({"ingest", sample, "--frame-every", "0", "--json"}).exit_code, 2);
        Run show = cli({"show", "sample", "--db", dir_.filePath("sample.db"), "--json"});
        QCOMPARE(show.exit_code, 0);
        QJsonObject doc = show.json();
        QCOMPARE(doc["markers"].toArray().size(), 1);
        QCOMPARE(doc["shots"].toArray()[3].toObject()["transition"].toString(), QString("dissolve"));
        QCOMPARE(doc["shots"].toArray()[3].toObject()["transition_frames"].toArray().size(), 2);
        QJsonArray frames = doc["frames"].toArray();
        QVERIFY(frames.size() >= 5);

        // Review the black marker from a script: accept, a stale second reviewer, undo, the log.
        const QString db = dir_.filePath("sample.db");
        const QJsonObject black = doc["markers"].toArray()[0].toObject();
        QCOMPARE(black["state"].toString(), QString("proposed"));
        const QString marker_id = QString::number(black["id"].toInt());
        Run accept = cli({"review", "marker", marker_id, "accept", "--version", "1", "--reviewer", "ann", "--db", db,
                          "--json"});
        QCOMPARE(accept.exit_code, 0);
        QCOMPARE(accept.json()["applied"].toBool(), true);
        QCOMPARE(accept.json()["marker"].toObject()["version"].toInt(), 2);
        Run stale = cli({"review", "marker", marker_id, "reject", "--version", "1", "--reviewer", "ben", "--db", db,
                         "--json"});
        QCOMPARE(stale.exit_code, 1);
        QVERIFY2(one_line(stale.err) && stale.err.contains("conflict"), qPrintable(stale.err));
        QCOMPARE(stale.json()["applied"].toBool(), false);
        QCOMPARE(stale.json()["marker"].toObject()["state"].toString(), QString("accepted"));
        const QString event = QString::number(accept.json()["event"].toInt());
        QCOMPARE(cli({"review", "marker", marker_id, "undo", "--version", "2", "--event", event, "--db", db}).exit_code,
                 0);
        QCOMPARE(cli({"review", "marker", marker_id, "correct", "--version", "3", "--db", db}).exit_code, 2);
        Run log = cli({"review", "log", "sample", "--db", db, "--json"});
        QCOMPARE(log.exit_code, 0);
        QJsonArray events = log.json()["events"].toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].toObject()["reviewer"].toString(), QString("ann"));
        QCOMPARE(events[1].toObject()["action"].toString(), QString("undo"));
        QCOMPARE(events[1].toObject()["after"].toObject()["state"].toString(), QString("proposed"));
        for (const auto& f : frames) {
            const QJsonObject o = f.toObject();
            QVERIFY(o["kind"].toString() == "representative" || o["kind"].toString() == "key_frame");
            QVERIFY(o["flags"].isString());
            QCOMPARE(o["picture"].toArray().size(), 4);
        }
    }

    void goldeneyeExactCuts() {
        const QString file = test::testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (file.isEmpty()) QSKIP(test::testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4"));
        Run r = cli({"shots", file, "--json"});
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(r.json()["cuts"].toArray(), (QJsonArray{60, 140}));
        QJsonArray shots = r.json()["shots"].toArray();
        QCOMPARE(shots[1].toObject()["start_s"].toDouble(), 3.754);
        QCOMPARE(shots[2].toObject()["start_s"].toDouble(), 8.759);
    }

    void ingestTitlesShow() {
        Run ingest = cli({"ingest", clip_, "--db", db_, "--json"});
        QCOMPARE(ingest.exit_code, 0);
        QJsonArray titles = ingest.json()["titles"].toArray();
        QCOMPARE(titles.size(), 1);
        const int id = titles[0].toObject()["id"].toInt();
        QCOMPARE(titles[0].toObject()["shots"].toInt(), 3);
        QCOMPARE(titles[0].toObject()["already_present"].toBool(), false);
        // The converted zoo ran over the 3 sampled frames, then the analysis (setup converts the zoo).
        const QJsonObject models = titles[0].toObject()["models"].toObject();
        QVERIFY2(!models.isEmpty(), qPrintable(ingest.err));
        QCOMPARE(models["frames"].toInt(), 3);
        QVERIFY(models["analysis"].toObject()["run"].toInt() > 0);
        QVERIFY(models["analysis"].toObject()["tags"].toInt() > 0);

        Run again = cli({"ingest", clip_, "--db", "sqlite://" + db_, "--json"});
        QCOMPARE(again.exit_code, 0);
        QCOMPARE(again.json()["titles"].toArray()[0].toObject()["already_present"].toBool(), true);

        Run list = cli({"titles", "--db", db_, "--json"});
        QCOMPARE(list.exit_code, 0);
        QJsonArray rows = list.json()["titles"].toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].toObject()["name"].toString(), QString("cuts"));
        QCOMPARE(rows[0].toObject()["status"].toString(), QString("ready"));
        QCOMPARE(rows[0].toObject()["frames"].toInt(), 75);

        for (const QString& key : {QString::number(id), QString("cuts")}) {
            Run show = cli({"show", key, "--db", db_, "--json"});
            QCOMPARE(show.exit_code, 0);
            QJsonObject doc = show.json();
            QCOMPARE(doc["title"].toObject()["id"].toInt(), id);
            QCOMPARE(doc["shots"].toArray().size(), 3);
            QJsonArray frames = doc["frames"].toArray();
            QCOMPARE(frames.size(), 3);
            QVERIFY(frames[0].toObject()["quality"].toObject()["sharpness"].toDouble() > 0);
        }
    }

    void reviewTagsAndChaptersFromScripts() {
        // The title ingested above; a person's own tag and chapter, reviewed like any proposal.
        Run tag = cli({"review", "add-tag", "cuts", "--category", "mood", "--label", "calm", "--shot", "1",
                       "--reviewer", "ann", "--db", db_, "--json"});
        QVERIFY2(tag.exit_code == 0, qPrintable(tag.err));
        const QString id = QString::number(tag.json()["tag"].toInt());
        Run fix = cli({"review", "tag", id, "correct", "--label", "tense", "--version", "1", "--reviewer", "bob",
                       "--db", db_, "--json"});
        QVERIFY2(fix.exit_code == 0, qPrintable(fix.err));
        QCOMPARE(fix.json()["state"].toString(), QString("corrected"));
        QCOMPARE(fix.json()["version"].toInt(), 2);
        // A script that read version 1 gets a conflict: exit 1, one line, the stored value in the JSON.
        Run stale = cli({"review", "tag", id, "reject", "--version", "1", "--db", db_, "--json"});
        QCOMPARE(stale.exit_code, 1);
        QVERIFY2(one_line(stale.err) && stale.err.contains("conflict"), qPrintable(stale.err));
        QCOMPARE(stale.json()["current"].toObject()["label"].toString(), QString("tense"));

        Run chapter = cli({"review", "add-chapter", "cuts", "--start", "0", "--end", "49", "--label", "Opening",
                           "--db", db_, "--json"});
        QVERIFY2(chapter.exit_code == 0, qPrintable(chapter.err));
        Run beyond = cli({"review", "add-chapter", "cuts", "--start", "60", "--end", "20", "--db", db_});
        QCOMPARE(beyond.exit_code, 1);
        QVERIFY2(one_line(beyond.err), qPrintable(beyond.err));
        Run move = cli({"review", "chapter", QString::number(chapter.json()["chapter"].toInt()), "correct", "--start",
                        "0", "--end", "74", "--version", "1", "--db", db_, "--json"});
        QVERIFY2(move.exit_code == 0, qPrintable(move.err));
        QCOMPARE(move.json()["current"].toObject()["end_s"].toDouble(), 3.0);
        Run bad = cli({"review", "tag", id, "correct", "--version", "2", "--db", db_});
        QCOMPARE(bad.exit_code, 2);  // a correction with nothing to change is a usage error

        Run show = cli({"show", "cuts", "--db", db_, "--json"});
        QCOMPARE(show.exit_code, 0);
        // Beside the analysis' own proposals: the person's tag and chapter, as corrected.
        auto human = [](const QJsonArray& rows) {
            QJsonArray out;
            for (const auto& row : rows)
                if (row.toObject()["source"].toString() == "human") out.append(row);
            return out;
        };
        const QJsonArray tags = human(show.json()["tags"].toArray());
        QCOMPARE(tags.size(), 1);
        QCOMPARE(tags[0].toObject()["id"].toInt(), id.toInt());
        QCOMPARE(tags[0].toObject()["label"].toString(), QString("tense"));
        QCOMPARE(tags[0].toObject()["shot"].toInt(), 1);
        const QJsonArray chapters = human(show.json()["chapters"].toArray());
        QCOMPARE(chapters.size(), 1);
        QCOMPARE(chapters[0].toObject()["end_frame"].toInt(), 74);
        Run log = cli({"review", "log", "cuts", "--db", db_, "--json"});
        const QJsonArray events = log.json()["events"].toArray();
        QCOMPARE(events.size(), 4);
        QCOMPARE(events[1].toObject()["reviewer"].toString(), QString("bob"));
        QCOMPARE(events[1].toObject()["before"].toObject()["label"].toString(), QString("calm"));
    }

    void ingestIntoPostgres() {
        test::PostgresServer server;
        if (!server.available()) QSKIP(qPrintable(server.why()));
        QVERIFY2(server.running(), qPrintable(server.why()));
        const QString url = server.create_database("cli");
        Run ingest = cli({"ingest", clip_, "--db", url, "--json"});
        QVERIFY2(ingest.exit_code == 0, qPrintable(ingest.err));
        QCOMPARE(ingest.json()["titles"].toArray()[0].toObject()["shots"].toInt(), 3);
        Run show = cli({"show", "cuts", "--db", url, "--json"});
        QCOMPARE(show.exit_code, 0);
        QCOMPARE(show.json()["shots"].toArray().size(), 3);
        QVERIFY(show.json()["frames"].toArray().size() >= 3);
        // A server that is not there: one line naming it (no password) and what to do, exit 1.
        server.stop();
        Run down = cli({"titles", "--db", "postgresql://frameline:secret@127.0.0.1:" +
                                              QString::number(server.port()) + "/cli", "--json"});
        QCOMPARE(down.exit_code, 1);
        QVERIFY2(one_line(down.err) && down.err.contains("127.0.0.1") && !down.err.contains("secret"),
                 qPrintable(down.err));
    }

    // --jobs: several titles at once, each with its own connection and models; the report keeps the order given,
    // a bad file fails alone, the same content named twice is ingested once, and every title is stored as one at a
    // time stores it.
    void severalTitlesAtOnce() {
        const QString other = test::make_cut_clip(dir_.filePath("other.mp4"), 2, 25, 25);
        const QString third = test::make_cut_clip(dir_.filePath("third.mp4"), 4, 20, 25);
        const QString text = test::make_text_file(dir_.filePath("jobs-notes.txt"));
        const QString copy = dir_.filePath("other-copy.mp4");  // the same content twice: one title, never raced
        QVERIFY(QFile::copy(other, copy));
        const QStringList media = {other, text, third, clip_, copy};
        const QString parallel_db = dir_.filePath("jobs.db"), serial_db = dir_.filePath("serial.db");
        Run parallel = cli(QStringList{"ingest"} + media + QStringList{"--db", parallel_db, "--jobs", "3", "--json"});
        Run serial = cli(QStringList{"ingest"} + media + QStringList{"--db", serial_db, "--json"});
        for (const Run* r : {&parallel, &serial}) {
            QCOMPARE(r->exit_code, 1);
            const QJsonArray titles = r->json()["titles"].toArray();
            QCOMPARE(titles.size(), 4);
            QCOMPARE(titles[3].toObject()["path"].toString(), copy);
            QCOMPARE(titles[3].toObject()["id"].toInt(), titles[0].toObject()["id"].toInt());
            QCOMPARE(titles[3].toObject()["already_present"].toBool(), true);
            QCOMPARE(titles[0].toObject()["already_present"].toBool(), false);
            QCOMPARE(titles[0].toObject()["path"].toString(), other);
            QCOMPARE(titles[1].toObject()["path"].toString(), third);
            QCOMPARE(titles[2].toObject()["path"].toString(), clip_);
            QCOMPARE(titles[0].toObject()["shots"].toInt(), 2);
            QCOMPARE(titles[1].toObject()["shots"].toInt(), 4);
            QCOMPARE(titles[2].toObject()["shots"].toInt(), 3);
            const QJsonArray errors = r->json()["errors"].toArray();
            QCOMPARE(errors.size(), 1);
            QCOMPARE(errors[0].toObject()["path"].toString(), text);
            QVERIFY2(r->err.count("jobs-notes.txt") == 1, qPrintable(r->err));
        }
        const QJsonArray a = parallel.json()["titles"].toArray(), b = serial.json()["titles"].toArray();
        for (int i = 0; i < 3; ++i) {
            const QJsonObject x = a[i].toObject(), y = b[i].toObject();
            QCOMPARE(x["frames"].toInt(), y["frames"].toInt());
            QCOMPARE(x["models"].toObject()["frames"].toInt(), y["models"].toObject()["frames"].toInt());
            QCOMPARE(x["models"].toObject()["objects"].toInt(), y["models"].toObject()["objects"].toInt());
            QCOMPARE(x["ocr"].toObject()["frames_read"].toInt(), y["ocr"].toObject()["frames_read"].toInt());
        }
        const QJsonArray stored = cli({"titles", "--db", parallel_db, "--json"}).json()["titles"].toArray();
        QCOMPARE(stored.size(), 3);
        for (const QJsonValue& t : stored) QCOMPARE(t.toObject()["status"].toString(), QString("ready"));
    }

    void usageErrorsExitTwo() {
        for (const QStringList& args : {QStringList{}, QStringList{"frobnicate"}, QStringList{"shots"},
                                        QStringList{"shots", clip_, "--bogus"},
                                        QStringList{"ingest", clip_, "--device", "tpu"},
                                        QStringList{"shots", clip_, "--decoder", "gpu"},
                                        QStringList{"ingest", clip_, "--decoder", "cuvid"},
                                        QStringList{"ingest", clip_, "--jobs", "0"}}) {
            Run r = cli(args);
            QVERIFY2(r.exit_code == 2, qPrintable(args.join(' ') + " -> " + QString::number(r.exit_code)));
            QVERIFY(r.out.isEmpty());
        }
    }

    void failuresExitOneWithOneLine() {
        const QString text = test::make_text_file(dir_.filePath("notes.txt"));
        const struct {
            QStringList args;
            QString mention;
        } cases[] = {
            {{"shots", dir_.filePath("missing.mp4"), "--json"}, "missing.mp4"},
            {{"shots", text, "--json"}, "notes.txt"},
            {{"ingest", text, "--db", db_, "--json"}, "notes.txt"},
            {{"show", "no-such-title", "--db", db_, "--json"}, "no-such-title"},
            {{"titles", "--db", text, "--json"}, "notes.txt"},
        };
        for (const auto& c : cases) {
            Run r = cli(c.args);
            QVERIFY2(r.exit_code == 1, qPrintable(c.args.join(' ') + " -> " + QString::number(r.exit_code)));
            QVERIFY2(one_line(r.err) && r.err.contains(c.mention), qPrintable(r.err));
        }
        // The failed ingest added nothing.
        QCOMPARE(cli({"titles", "--db", db_, "--json"}).json()["titles"].toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
