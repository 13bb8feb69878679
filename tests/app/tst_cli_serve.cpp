// `frameline-cli serve` (issue #9 item 5): the read-only HTTP JSON API on the review fixture, over real HTTP on
// loopback: the token, each route's answer (search equal to `frameline-cli search --json`), the error replies, a
// clean stop on SIGTERM, and the refusals at start (another host without a token, a port in use).
#include <httplib.h>
#include <signal.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/cli_run.h"
#include "tests/support/review_fixture.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {

const char* kToken = "s3cret-token";

QJsonObject json_of(const std::string& body) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

}  // namespace

class TestCliServe : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    QProcess server_;
    int port_ = 0;

    httplib::Result get(const std::string& path, bool with_token = true) {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(60, 0);
        client.set_tcp_nodelay(true);
        httplib::Headers headers;
        if (with_token) headers.emplace("Authorization", std::string("Bearer ") + kToken);
        return client.Get(path.c_str(), headers);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString made = test::make_review_fixture(dir_.path(), &fx_);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        QFile segments(dir_.filePath("segments.json"));
        QVERIFY(segments.open(QIODevice::WriteOnly));
        segments.write(R"({"segments":[{"id":"thrill","moods":{"tense":1.0},"tags":{"object:car":1.0}}]})");
        segments.close();
        server_.start(test::cli_path(), {"serve", "--db", fx_.db_path, "--port", "0", "--token", kToken,
                                         "--segments", segments.fileName(), "--json"});
        QVERIFY(server_.waitForStarted());
        QVERIFY2(server_.waitForReadyRead(60000), qPrintable(server_.readAllStandardError()));
        const QJsonObject started = QJsonDocument::fromJson(server_.readLine()).object();
        port_ = started["port"].toInt();
        QVERIFY2(port_ > 0, qPrintable(server_.readAllStandardError()));
        QCOMPARE(started["url"].toString(), QString("http://127.0.0.1:%1").arg(port_));
    }

    void cleanupTestCase() {
        if (server_.state() != QProcess::NotRunning) {
            server_.kill();
            server_.waitForFinished();
        }
    }

    void tokenIsRequired() {
        auto r = get("/v1/health", false);
        QVERIFY(r);
        QCOMPARE(r->status, 401);
        QVERIFY(json_of(r->body)["error"].toString().contains("Bearer"));
        httplib::Client client("127.0.0.1", port_);
        r = client.Get("/v1/health", {{"Authorization", "Bearer s3cret-tokeN"}});
        QVERIFY(r);
        QCOMPARE(r->status, 401);
        r = get("/v1/health");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(json_of(r->body)["titles"].toInt(), 1);
    }

    void titlesAndSearchAsTheCli() {
        auto r = get("/v1/titles");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonArray titles = json_of(r->body)["titles"].toArray();
        QCOMPARE(titles.size(), 1);
        QCOMPARE(titles[0].toObject()["id"].toInteger(), fx_.title_id);

        r = get("/v1/search?text=car&limit=10");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonObject api = json_of(r->body);
        QVERIFY(api["took_ms"].toDouble() >= 0);
        const test::CliRun cli = test::cli({"search", "--db", fx_.db_path, "--text", "car", "--limit", "10", "--json"});
        QVERIFY2(cli.exit_code == 0, qPrintable(cli.err));
        QVERIFY(!api["results"].toArray().isEmpty());
        QCOMPARE(api["results"].toArray(), cli.json()["results"].toArray());

        const qint64 example = fx_.frame_indices.back();
        r = get("/v1/search?like=" + std::to_string(fx_.title_id) + "%3A" + std::to_string(example));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonArray like = json_of(r->body)["results"].toArray();
        QCOMPARE(like.size(), 4);
        QCOMPARE(like[0].toObject()["frame_index"].toInteger(), example);

        // Titles by mood, as `search --mood M --titles --json`.
        r = get("/v1/moods/titles?mood=tense");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonObject moods = json_of(r->body);
        const test::CliRun by_mood = test::cli({"search", "--db", fx_.db_path, "--mood", "tense", "--titles", "--json"});
        QVERIFY2(by_mood.exit_code == 0, qPrintable(by_mood.err));
        QCOMPARE(moods["results"].toArray().size(), 1);
        QCOMPARE(moods["results"].toArray(), by_mood.json()["results"].toArray());
    }

    void artworkAndThumbnails() {
        auto r = get("/v1/titles/" + std::to_string(fx_.title_id) + "/artwork");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonArray picked = json_of(r->body)["artwork"].toArray();
        QCOMPARE(picked.size(), 3);
        QCOMPARE(picked[0].toObject()["id"].toInteger(), fx_.artwork_ids[0]);  // 0.82 first

        r = get("/v1/titles/" + std::to_string(fx_.title_id) + "/artwork?segment=thrill");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonObject ranked = json_of(r->body);
        QCOMPARE(ranked["segment"].toString(), QString("thrill"));
        QCOMPARE(ranked["artwork"].toArray().size(), 3);
        for (const QJsonValue& a : ranked["artwork"].toArray()) {
            QVERIFY(a.toObject().contains("segment_score"));
            QVERIFY(a.toObject()["variant"].toString().startsWith("art-"));
        }

        const int64_t frame_id = json_of(get("/v1/search?text=car")->body)["results"].toArray()[0].toObject()["frame_id"].toInteger();
        QVERIFY(frame_id > 0);
        r = get("/v1/frames/" + std::to_string(frame_id) + "/thumbnail");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(QString::fromStdString(r->get_header_value("Content-Type")), QString("image/jpeg"));
        QVERIFY(r->body.size() > 500 && uint8_t(r->body[0]) == 0xFF && uint8_t(r->body[1]) == 0xD8);
    }

    void errorsAreJsonWithTheRightStatus() {
        const struct {
            std::string path;
            int status;
            QString mention;
        } cases[] = {
            {"/v1/search", 400, "text="},
            {"/v1/search?text=car&limit=0", 400, "limit"},
            {"/v1/search?text=car&limit=abc", 400, "limit"},
            {"/v1/search?text=car&title=no-such-title", 404, "no-such-title"},
            {"/v1/search?like=12", 400, "TITLE:FRAME"},
            {"/v1/search?like=" + std::to_string(fx_.title_id) + "%3A9999", 400, "frame 9999"},
            {"/v1/titles/999/artwork", 404, "no title 999"},
            {"/v1/titles/abc/artwork", 400, "abc"},
            {"/v1/titles/" + std::to_string(fx_.title_id) + "/artwork?segment=nobody", 404, "nobody"},
            {"/v1/frames/99999/thumbnail", 404, "99999"},
            {"/v1/nothing", 404, "no route"},
            {"/v1/search?like_shot=" + std::to_string(fx_.title_id) + "%3A9", 400, "no shot 9"},
            {"/v1/search?like=1%3A1&like_shot=1%3A1", 400, "one example"},
            {"/v1/titles/" + std::to_string(fx_.title_id) + "/similar", 400, "title embedding"},
            {"/v1/titles/999/similar", 404, "no title 999"},
            {"/v1/moods/titles", 400, "mood="},
            {"/v1/moods/titles?mood=warm", 400, "tense"},
        };
        for (const auto& c : cases) {
            auto r = get(c.path);
            QVERIFY2(r, c.path.c_str());
            QVERIFY2(r->status == c.status, qPrintable(QString::fromStdString(c.path) + " -> " +
                                                      QString::number(r->status) + " " +
                                                      QString::fromStdString(r->body)));
            const QString error = json_of(r->body)["error"].toString();
            QVERIFY2(test::one_line(error) && error.contains(c.mention), qPrintable(error));
        }
    }

    void refusesToStartUnsafelyOrTwice() {
        // 30 s: a server that wrongly starts would run until killed.
        test::CliRun r = test::cli({"serve", "--db", fx_.db_path, "--host", "0.0.0.0", "--port", "0"}, 30000);
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(test::one_line(r.err) && r.err.contains("--token"), qPrintable(r.err));
        r = test::cli({"serve", "--db", fx_.db_path, "--port", QString::number(port_)}, 30000);
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(test::one_line(r.err) && r.err.contains(QString::number(port_)), qPrintable(r.err));
        r = test::cli({"serve", "--db", fx_.db_path, "--port", "70000"}, 30000);
        QCOMPARE(r.exit_code, 2);
        r = test::cli({"serve", "--db", dir_.filePath("missing/none.db"), "--port", "0"}, 30000);
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(test::one_line(r.err), qPrintable(r.err));
    }

    void stopsOnSigterm() {
        QVERIFY(server_.state() == QProcess::Running);
        ::kill(static_cast<pid_t>(server_.processId()), SIGTERM);
        QVERIFY(server_.waitForFinished(20000));
        QCOMPARE(server_.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server_.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliServe)
#include "tst_cli_serve.moc"
