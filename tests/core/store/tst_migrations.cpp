// Every earlier schema version, with data in it, migrates to the current one on open, on both backends, and the
// data reads back through the store.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>

#include "core/store/schema.h"
#include "core/store/store.h"
#include "tests/support/postgres_server.h"

using namespace frameline;

namespace {

// Rows that a database of schema `version` can hold, in SQL both dialects accept.
std::string rows_for(int version) {
    std::string sql = R"sql(
INSERT INTO titles (name, status, fps, frame_count) VALUES ('Old ''n'' Gold', 'ready', 25, 90);
INSERT INTO media_files (title_id, path, size_bytes, content_hash) VALUES (1, '/old.mp4', 10, 'h1');
INSERT INTO shots (title_id, shot_index, start_frame, end_frame, start_s, end_s, transition)
    VALUES (1, 0, 0, 40, 0, 1.6, 'none'), (1, 1, 40, 90, 1.6, 3.6, 'cut');
INSERT INTO sampled_frames (title_id, shot_index, frame_index, pts_s, representative, width, height)
    VALUES (1, 1, 60, 2.4, 1, 32, 18);
)sql";
    if (version >= 2)
        sql += "UPDATE shots SET transition_start_frame = start_frame, transition_end_frame = start_frame;\n"
               "INSERT INTO markers (title_id, kind, start_frame, end_frame, start_s, end_s, confidence) "
               "VALUES (1, 'black', 0, 9, 0, 0.4, 1);\n";
    if (version >= 3)
        sql += "UPDATE markers SET status = 'accepted', version = 2;\n"
               "INSERT INTO review_events (reviewer, entity, entity_id, title_id, action, before, after) "
               "VALUES ('ann', 'marker', 1, 1, 'accept', '{}', '{}');\n";
    if (version >= 5)
        sql += "INSERT INTO model_runs (title_id, model) VALUES (1, 'speech');\n"
               "INSERT INTO audio_segments (title_id, run_id, kind, start_s, end_s, confidence) "
               "VALUES (1, 1, 'speech', 0.32, 10.5, 0.9);\n";
    return sql;
}

void check_migrated(Store& store, int from) {
    QCOMPARE(store.schema_version(), sqlite_migrations().back().version);
    const auto titles = store.titles();
    QCOMPARE(int(titles.size()), 1);
    QCOMPARE(titles[0].name, std::string("Old 'n' Gold"));
    QCOMPARE(titles[0].media_path, std::string("/old.mp4"));
    const auto shots = store.shots(1);
    QCOMPARE(int(shots.size()), 2);
    QCOMPARE(shots[1].transition_start, int64_t(40));  // v2: a cut's span is its frame
    QCOMPARE(int(store.frames(1).size()), 1);
    const auto markers = store.marker_records(1);
    QCOMPARE(int(markers.size()), from >= 2 ? 1 : 0);
    if (from >= 2) QCOMPARE(markers[0].state, from >= 3 ? ReviewState::Accepted : ReviewState::Proposed);
    QCOMPARE(int(store.review_events(1).size()), from >= 3 ? 1 : 0);
    // The newest tables work on a migrated database.
    ModelRunOutput run;
    run.model = "analysis";
    Tag t;
    t.shot_index = 1;
    t.category = "mood";
    t.label = "calm";
    run.tags = {t};
    store.save_model_run(1, run);
    QCOMPARE(int(store.tags(1).size()), 1);
    // v7: an older run's audio segment reads with no tempo; transcripts, on-screen text and title texts work.
    const auto speech = store.audio_segments(1, "speech");
    QCOMPARE(int(speech.size()), from >= 5 ? 1 : 0);
    if (from >= 5) {
        QCOMPARE(speech[0].end_s, 10.5);
        QCOMPARE(speech[0].bpm, 0.0);
    }
    ModelRunOutput said;
    said.model = "transcript";
    said.transcript = {TranscriptSegment{0, 0, "speech", "eng", 0.32, 2.0, "ask not", {TranscriptWord{"ask", 0.32, 0.6, 0.9}}}};
    said.screen_text = {ScreenText{0, 0, 60, 0.1, 0.8, 0.5, 0.05, "THE END", 0.9}};
    said.audio_segments = {AudioSegment{0, 0, "music", 3.0, 3.6, 0.7, 96.0}};
    store.save_model_run(1, said);
    QCOMPARE(store.transcript(1).at(0).words.at(0).word, std::string("ask"));
    QCOMPARE(store.screen_text(1).at(0).text, std::string("THE END"));
    QCOMPARE(store.audio_segments(1, "music").at(0).bpm, 96.0);
    QVERIFY(store.add_title_text(TitleText{0, 1, "synopsis", "human", "eng", "Gold, old.", ""}) > 0);
    QCOMPARE(store.title_texts(1).at(0).text, std::string("Gold, old."));
}

}  // namespace

class TestMigrations : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<test::PostgresServer> postgres_;

private Q_SLOTS:
    void initTestCase() { postgres_ = std::make_unique<test::PostgresServer>(); }
    void cleanupTestCase() { postgres_.reset(); }

    void sameVersionsOnBothBackends() {
        QCOMPARE(sqlite_migrations().size(), postgres_migrations().size());
        for (size_t i = 0; i < sqlite_migrations().size(); ++i) {
            QCOMPARE(sqlite_migrations()[i].version, int(i + 1));
            QCOMPARE(postgres_migrations()[i].version, int(i + 1));
        }
    }

    void fromEveryVersion_data() {
        QTest::addColumn<int>("from");
        for (size_t v = 1; v < sqlite_migrations().size(); ++v)
            QTest::newRow(qPrintable(QString("v%1").arg(v))) << int(v);
    }

    void fromEveryVersion() {
        QFETCH(int, from);
        const std::string file = dir_.filePath(QString("v%1.db").arg(from)).toStdString();
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
        std::string sql = "PRAGMA foreign_keys = ON; BEGIN;";
        for (int v = 1; v <= from; ++v) sql += sqlite_migrations()[v - 1].sql;
        sql += "PRAGMA user_version = " + std::to_string(from) + ";" + rows_for(from) + "COMMIT;";
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        const QString why = err ? err : "";
        sqlite3_free(err);
        sqlite3_close(db);
        QVERIFY2(rc == SQLITE_OK, qPrintable(why));
        auto store = open_store(file);
        check_migrated(*store, from);
    }

    void fromEveryVersionPostgres_data() { fromEveryVersion_data(); }
    void fromEveryVersionPostgres() {
        QFETCH(int, from);
        if (!postgres_->available()) QSKIP(qPrintable(postgres_->why()));
        QVERIFY2(postgres_->running(), qPrintable(postgres_->why()));
        const QString url = postgres_->create_database();
        QVERIFY(!url.isEmpty());
        PGconn* conn = PQconnectdb(url.toUtf8().constData());
        QCOMPARE(PQstatus(conn), CONNECTION_OK);
        std::string sql = "BEGIN; CREATE TABLE schema_version (version INTEGER NOT NULL);";
        for (int v = 1; v <= from; ++v)
            sql += postgres_migrations()[v - 1].sql + "INSERT INTO schema_version VALUES (" + std::to_string(v) + ");";
        sql += rows_for(from) + "COMMIT;";
        PGresult* r = PQexec(conn, sql.c_str());
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const QString why = PQresultErrorMessage(r);
        PQclear(r);
        PQfinish(conn);
        QVERIFY2(ok, qPrintable(why));
        auto store = open_store(url.toStdString());
        check_migrated(*store, from);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
