// The SQLite store: migration from an empty file, round trips, atomic replacement, and bad databases.
#include <sqlite3.h>

#include <QFileInfo>
#include <QProcess>
#include <unistd.h>
#include <QTemporaryDir>
#include <QtTest>

#include "core/error.h"
#include "core/store/sqlite_store.h"
#include "core/store/schema.h"
#include "core/store/store.h"

using namespace frameline;

namespace {
NewTitle a_title(const std::string& hash = "abc123") {
    NewTitle t;
    t.name = "Planet";
    t.media_path = "/media/planet.mp4";
    t.content_hash = hash;
    t.size_bytes = 1234;
    t.container = "mov,mp4";
    t.video_codec = "h264";
    t.duration_s = 10;
    t.fps = 25;
    t.width = 1920;
    t.height = 1080;
    return t;
}

TitleAnalysis an_analysis(int shots) {
    TitleAnalysis a;
    a.frame_count = shots * 50;
    a.duration_s = shots * 2.0;
    a.fps = 25;
    for (int i = 0; i < shots; ++i) {
        Shot s;
        s.index = i;
        s.start_frame = i * 50;
        s.end_frame = (i + 1) * 50;
        s.start_s = i * 2.0;
        s.end_s = (i + 1) * 2.0;
        s.transition = i == 0 ? Transition::None : i == 2 ? Transition::Dissolve : Transition::Cut;
        s.transition_start = i == 2 ? s.start_frame - 10 : s.start_frame;
        s.transition_end = i == 2 ? s.start_frame + 9 : s.start_frame;
        a.shots.push_back(s);
        TitleAnalysis::Frame f;
        f.record.shot_index = i;
        f.record.frame_index = i * 50 + 25;
        f.record.pts_s = i * 2.0 + 1.0;
        f.record.representative = true;
        f.record.metrics.sharpness = 100 + i;
        f.record.kind = i == 2 ? FrameKind::KeyFrame : FrameKind::Representative;
        f.record.flags = i == 1 ? (kFlagBlurry | kFlagLetterboxed) : 0;
        f.record.active = CropRect{0, i == 1 ? 20 : 0, 320, i == 1 ? 140 : 180};
        f.record.motion = 1.5 * i;
        f.record.width = 320;
        f.record.height = 180;
        f.jpeg = {0xFF, 0xD8, uint8_t(i), 0xFF, 0xD9};
        a.frames.push_back(f);
    }
    a.markers.push_back(Marker{CueKind::Black, 0, 9, 0.0, 0.4, 1.0});
    a.markers.push_back(Marker{CueKind::ClosingCredits, 60, shots * 50 - 1, 2.4, shots * 2.0, 0.9});
    return a;
}

int count_rows(const std::string& file, const char* table) {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, (std::string("SELECT COUNT(*) FROM ") + table).c_str(), -1, &st, nullptr);
    sqlite3_step(st);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}
}  // namespace

class TestSqliteStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void migratesAnEmptyFile() {
        const std::string file = dir_.filePath("empty.db").toStdString();
        auto store = open_store(file);
        QCOMPARE(store->schema_version(), sqlite_migrations().back().version);
        QVERIFY(store->titles().empty());
        QCOMPARE(count_rows(file, "shots"), 0);
        // Reopening does not migrate twice.
        store.reset();
        store = open_store("sqlite://" + file);
        QCOMPARE(store->schema_version(), sqlite_migrations().back().version);
    }

    void migratesVersionOneWithItsData() {
        // A database as the first release left it: schema 1 with a title, a shot and a frame.
        const std::string file = dir_.filePath("v1.db").toStdString();
        sqlite3* db = nullptr;
        sqlite3_open(file.c_str(), &db);
        QCOMPARE(sqlite3_exec(db, sqlite_migrations()[0].sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        const char* rows = R"sql(
            PRAGMA user_version = 1;
            INSERT INTO titles (id, name, status) VALUES (1, 'Old', 'ready');
            INSERT INTO media_files (title_id, path, size_bytes, content_hash) VALUES (1, '/old.mp4', 10, 'h1');
            INSERT INTO shots (title_id, shot_index, start_frame, end_frame, start_s, end_s, transition)
                VALUES (1, 0, 0, 40, 0, 1.6, 'none'), (1, 1, 40, 90, 1.6, 3.6, 'cut');
            INSERT INTO sampled_frames (title_id, shot_index, frame_index, pts_s, representative, width, height,
                thumbnail_jpeg) VALUES (1, 1, 60, 2.4, 1, 32, 18, x'FFD8FFD9');)sql";
        QCOMPARE(sqlite3_exec(db, rows, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);

        auto store = open_store(file);
        QCOMPARE(store->schema_version(), sqlite_migrations().back().version);
        auto shots = store->shots(1);
        QCOMPARE(int(shots.size()), 2);
        QCOMPARE(shots[1].transition_start, int64_t(40));  // a cut's span is its frame
        QCOMPARE(shots[1].transition_end, int64_t(40));
        auto frames = store->frames(1);
        QCOMPARE(int(frames.size()), 1);
        QCOMPARE(frames[0].kind, FrameKind::Representative);
        QCOMPARE(frames[0].flags, uint32_t(0));
        QCOMPARE(store->thumbnail_jpeg(frames[0].id), (std::vector<uint8_t>{0xFF, 0xD8, 0xFF, 0xD9}));
        QVERIFY(store->markers(1).empty());
    }

    void walModeAndForeignKeys() {
        const std::string file = dir_.filePath("wal.db").toStdString();
        auto store = open_store(file);
        sqlite3* db = nullptr;
        sqlite3_open(file.c_str(), &db);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
        sqlite3_step(st);
        QCOMPARE(QString(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), QString("wal"));
        sqlite3_finalize(st);
        sqlite3_close(db);
    }

    void roundTrip() {
        auto store = open_store(dir_.filePath("round.db").toStdString());
        int64_t id = store->create_title(a_title());
        auto t = store->title(id);
        QVERIFY(t);
        QCOMPARE(t->status, TitleStatus::Ingesting);
        QCOMPARE(t->media_path, std::string("/media/planet.mp4"));
        QCOMPARE(t->width, 1920);

        store->save_analysis(id, an_analysis(3));
        t = store->title(id);
        QCOMPARE(t->status, TitleStatus::Ready);
        QCOMPARE(t->shot_count, 3);
        QCOMPARE(t->frame_count, int64_t(150));
        auto shots = store->shots(id);
        QCOMPARE(int(shots.size()), 3);
        QCOMPARE(shots[2].start_frame, int64_t(100));
        QCOMPARE(shots[2].transition, Transition::Dissolve);
        QCOMPARE(shots[2].transition_start, int64_t(90));
        QCOMPARE(shots[2].transition_end, int64_t(109));
        QCOMPARE(shots[1].transition, Transition::Cut);
        auto frames = store->frames(id);
        QCOMPARE(int(frames.size()), 3);
        QCOMPARE(frames[1].frame_index, int64_t(75));
        QCOMPARE(frames[1].metrics.sharpness, 101.0);
        QCOMPARE(frames[1].flags, uint32_t(kFlagBlurry | kFlagLetterboxed));
        QCOMPARE(frames[1].active.y, 20);
        QCOMPARE(frames[1].active.height, 140);
        QCOMPARE(frames[2].kind, FrameKind::KeyFrame);
        QVERIFY(!frames[2].representative);
        QCOMPARE(frames[2].motion, 3.0);
        auto markers = store->markers(id);
        QCOMPARE(int(markers.size()), 2);
        QCOMPARE(markers[1].kind, CueKind::ClosingCredits);
        QCOMPARE(markers[1].end_frame, int64_t(149));
        QCOMPARE(markers[1].confidence, 0.9);
        QCOMPARE(store->thumbnail_jpeg(frames[1].id), (std::vector<uint8_t>{0xFF, 0xD8, 1, 0xFF, 0xD9}));

        QCOMPARE(store->find_title(std::to_string(id))->id, id);
        QCOMPARE(store->find_title("Planet")->id, id);
        QVERIFY(!store->find_title("Nope"));
        QCOMPARE(store->find_title_by_hash("abc123")->id, id);
    }

    void reanalysisReplacesAtomically() {
        const std::string file = dir_.filePath("replace.db").toStdString();
        auto store = open_store(file);
        int64_t id = store->create_title(a_title("r1"));
        store->save_analysis(id, an_analysis(4));
        store->save_analysis(id, an_analysis(2));
        QCOMPARE(int(store->shots(id).size()), 2);
        QCOMPARE(count_rows(file, "sampled_frames"), 2);

        // A broken analysis (a shot that ends before it starts) fails as a whole: the stored one stays.
        TitleAnalysis broken = an_analysis(5);
        broken.shots[4].end_frame = broken.shots[4].start_frame;
        QVERIFY_THROWS_EXCEPTION(Error, store->save_analysis(id, broken));
        QCOMPARE(int(store->shots(id).size()), 2);
        QCOMPARE(count_rows(file, "sampled_frames"), 2);
        QCOMPARE(count_rows(file, "markers"), 2);
        QCOMPARE(store->title(id)->status, TitleStatus::Ready);
    }

    void duplicateContentIsRefused() {
        auto store = open_store(dir_.filePath("dup.db").toStdString());
        store->create_title(a_title("same"));
        QVERIFY_THROWS_EXCEPTION(Error, store->create_title(a_title("same")));
        QCOMPARE(int(store->titles().size()), 1);  // the title row of the refused one was rolled back too
    }

    void readOnlyFileSaysWhatToDo() {
        // A database someone may read but not write: as root the permission bits do not stop us, so the check
        // runs the CLI as the unprivileged user `nobody` then.
        QTemporaryDir shared;
        QFile::setPermissions(shared.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                 QFileDevice::ExeOwner | QFileDevice::ReadOther | QFileDevice::ExeOther);
        const QString file = shared.filePath("team.db");
        open_store(file.toStdString()).reset();
        QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::ReadOther);
        QString err;
        if (geteuid() == 0) {
            QProcess cli;
            cli.start("setpriv", {"--reuid=65534", "--regid=65534", "--clear-groups", FRAMELINE_CLI_PATH, "titles",
                                  "--db", file});
            QVERIFY(cli.waitForFinished(30000));
            err = QString::fromUtf8(cli.readAllStandardError()).trimmed();
            QCOMPARE(cli.exitCode(), 1);
        } else {
            try {
                open_store(file.toStdString());
                QFAIL("a read-only database opened for writing");
            } catch (const Error& e) {
                err = e.what();
            }
        }
        QVERIFY2(err.contains("team.db") && err.contains("read-only") && err.contains("writable"), qPrintable(err));
        QVERIFY2(!err.contains('\n'), qPrintable(err));
    }

    void lockedDatabaseSaysWhatToDo() {
        // Another program keeps a write transaction open for longer than the busy timeout (10 s).
        const std::string file = dir_.filePath("locked.db").toStdString();
        auto store = open_store(file);
        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(file.c_str(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO titles (name) VALUES ('held');", nullptr, nullptr,
                              nullptr),
                 SQLITE_OK);
        try {
            store->create_title(a_title("waits"));
            QFAIL("wrote through another program's lock");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("another program holds the database"), e.what());
        }
        QVERIFY(store->titles().empty());  // reading goes on meanwhile (WAL)
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        store->create_title(a_title("after"));
        QCOMPARE(int(store->titles().size()), 1);
    }

    void corruptDatabaseSaysWhatToDo() {
        const std::string file = dir_.filePath("corrupt.db").toStdString();
        {
            auto store = open_store(file);
            for (int i = 0; i < 30; ++i) store->create_title(a_title("c" + std::to_string(i)));
        }
        QFile f(QString::fromStdString(file));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.size() > 3 * 4096);
        f.seek(4096);  // the pages after the header: tables and indexes
        f.write(QByteArray(f.size() - 4096, char(0x5a)));
        f.close();
        QFile::remove(QString::fromStdString(file) + "-wal");
        try {
            auto store = open_store(file);
            store->titles();
            QFAIL("read a damaged database without an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("corrupt.db") && QString(e.what()).contains("damaged"), e.what());
        }
    }

    void badDatabases() {
        const QString text = dir_.filePath("notes.db");
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        try {
            open_store(text.toStdString());
            QFAIL("a text file opened as a database");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("notes.db"), e.what());
        }

        // A database from a newer Frameline is not touched.
        const std::string newer = dir_.filePath("newer.db").toStdString();
        open_store(newer).reset();
        sqlite3* db = nullptr;
        sqlite3_open(newer.c_str(), &db);
        sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        try {
            open_store(newer);
            QFAIL("opened a newer schema");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("update Frameline"), e.what());
        }

        QVERIFY_THROWS_EXCEPTION(Error, open_store(dir_.path().toStdString()));  // a folder
        try {  // a typo in the folder must not create a new, empty database somewhere
            open_store(dir_.filePath("no/such/folder/x.db").toStdString());
            QFAIL("opened a database in a missing folder");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("does not exist"), e.what());
        }
        QVERIFY(!QFileInfo::exists(dir_.filePath("no")));
        QVERIFY_THROWS_EXCEPTION(Error, open_store("mysql://x"));
        QVERIFY_THROWS_EXCEPTION(Error, open_store(""));
    }
};

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlite_store.moc"
