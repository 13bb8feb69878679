// The full-text index (Store::search_text, titles_matching_text; issue #9 item 3) on both backends (SQLite FTS5 and a
// throwaway PostgreSQL with tsvector + GIN): every field is indexed with its time span, words match by prefix as in
// scene search, any user input is taken as words (never as query syntax), edits through the store update the
// index, an old database gets its index on migration, and scene search's title prefilter changes no result.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "core/search/media_text_sources.h"
#include "core/search/scene_search.h"
#include "core/search/title_text_source.h"
#include "core/store/schema.h"
#include "core/store/store.h"
#include "tests/support/ready_title.h"
#include "tests/support/store_backends.h"

using namespace frameline;

#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {

Tag a_tag(int shot, const std::string& category, const std::string& label) {
    Tag t;
    t.shot_index = shot;
    t.category = category;
    t.label = label;
    t.confidence = 0.8;
    return t;
}

Review a_review(const std::string& entity, int64_t id, int64_t version, ReviewAction action,
                const std::string& label = "") {
    Review r;
    r.entity = entity;
    r.id = id;
    r.expected_version = version;
    r.reviewer = "ann";
    r.action = action;
    r.label = label;
    return r;
}

// A title of 3 two-second shots (25 fps) with one of each kind of text.
int64_t add_rich_title(Store& store, const std::string& name) {
    const int64_t id = test::add_ready_title(store, name, 3);
    ModelRunOutput run;
    run.model = "analysis";
    run.tags = {a_tag(1, "object", "red car"), a_tag(-1, "genre", "thriller")};
    Character c;
    c.name = "Émile Zola";
    c.confidence = 0.9;
    run.characters = {c};
    Chapter ch;
    ch.kind = ChapterKind::Chapter;
    ch.start_frame = 100;
    ch.end_frame = 149;
    ch.start_s = 4;
    ch.end_s = 6;
    ch.label = "The Heist";
    ch.confidence = 0.7;
    run.chapters = {ch};
    store.save_model_run(id, run);
    ModelRunOutput speech;
    speech.model = "speech";
    TranscriptSegment seg;
    seg.source = "speech";
    seg.language = "eng";
    seg.start_s = 0.5;
    seg.end_s = 1.5;
    seg.text = "Don't move, \"partner\"!";
    speech.transcript = {seg};
    ScreenText line;
    line.frame_index = 75;  // the sampled frame of shot 1
    line.text = "EXIT 42 ANDES";
    line.x = 0.1;
    line.y = 0.8;
    line.width = 0.5;
    line.height = 0.1;
    line.confidence = 0.9;
    speech.screen_text = {line};
    store.save_model_run(id, speech);
    TitleText synopsis;
    synopsis.title_id = id;
    synopsis.kind = "synopsis";
    synopsis.text = "A getaway driver plans one last job.";
    store.add_title_text(synopsis);
    return id;
}

const Store::TextMatch* find_field(const std::vector<Store::TextMatch>& matches, const std::string& field) {
    for (const Store::TextMatch& m : matches)
        if (m.field == field) return &m;
    return nullptr;
}

std::string fields(const std::vector<Store::TextMatch>& matches) {
    std::string out;
    for (const Store::TextMatch& m : matches) out += (out.empty() ? "" : ",") + m.field;
    return out;
}

// Rows of a schema-7 database (before the index), in SQL both dialects accept.
const char* kVersion7Rows = R"sql(
INSERT INTO titles (name, status, fps, frame_count, duration_s) VALUES ('Old', 'ready', 25, 100, 4);
INSERT INTO shots (title_id, shot_index, start_frame, end_frame, start_s, end_s, transition)
    VALUES (1, 0, 0, 50, 0, 2, 'none'), (1, 1, 50, 100, 2, 4, 'cut');
INSERT INTO tags (title_id, shot_index, category, label, confidence) VALUES (1, 1, 'object', 'bicycle', 0.9);
INSERT INTO tags (title_id, shot_index, category, label, confidence, status) VALUES (1, 0, 'object', 'umbrella', 0.9, 'rejected');
INSERT INTO title_texts (title_id, kind, text) VALUES (1, 'synopsis', 'Rain over Lisbon.');
)sql";

void check_migrated_index(Store& store) {
    QCOMPARE(store.schema_version(), sqlite_migrations().back().version);
    auto m = store.search_text("bicy");
    QCOMPARE(int(m.size()), 1);
    QCOMPARE(m[0].field, std::string("tag"));
    QCOMPARE(m[0].start_s, 2.0);
    QCOMPARE(m[0].end_s, 4.0);
    QCOMPARE(int(store.search_text("lisbon").size()), 1);
    QVERIFY(store.search_text("umbrella").empty());  // rejected: no evidence
    QCOMPARE(store.titles_matching_text("rain bicycle"), std::vector<int64_t>{1});
}

}  // namespace

class TestTextIndex : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;
    QTemporaryDir dir_;

    void add_backends() { test::StoreBackends::add_rows(); }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void everyFieldWithItsSpan_data() { add_backends(); }
    void everyFieldWithItsSpan() {
        OPEN_STORE(store);
        const int64_t id = add_rich_title(*store, "Heist");
        auto m = store->search_text("car");
        QCOMPARE(fields(m), std::string("tag"));
        QCOMPARE(m[0].title_id, id);
        QCOMPARE(m[0].text, std::string("object:red car"));
        QCOMPARE(m[0].start_s, 2.0);  // shot 1
        QCOMPARE(m[0].end_s, 4.0);
        QVERIFY(m[0].rank > 0);
        m = store->search_text("thrill");
        QCOMPARE(fields(m), std::string("tag"));
        QCOMPARE(m[0].end_s, 6.0);  // title-wide: the whole title
        m = store->search_text("Émi zol");
        QCOMPARE(fields(m), std::string("character"));
        QCOMPARE(m[0].text, std::string("Émile Zola"));
        m = store->search_text("heis");
        QCOMPARE(fields(m), std::string("chapter"));
        QCOMPARE(m[0].start_s, 4.0);
        m = store->search_text("partner");
        QCOMPARE(fields(m), std::string("transcript"));
        QCOMPARE(m[0].start_s, 0.5);
        QCOMPARE(m[0].end_s, 1.5);
        m = store->search_text("exit 4");
        QCOMPARE(fields(m), std::string("on-screen text"));
        QVERIFY(m[0].start_s >= 2.0 && m[0].start_s < 4.0);  // frame 75 lies in shot 1
        m = store->search_text("getaway");
        QCOMPARE(fields(m), std::string("synopsis"));
        // A word must start a word: "ar" is inside "car" and "partner", never at a start.
        QVERIFY(store->search_text("ar").empty());
        // Every word in one span for search_text; in any span of the title for titles_matching_text.
        QVERIFY(store->search_text("red heist").empty());
        QCOMPARE(store->titles_matching_text("red heist"), std::vector<int64_t>{id});
        QVERIFY(store->titles_matching_text("red zebra").empty());
        // Upper and lower case alike (ASCII), and the title filter.
        QCOMPARE(int(store->search_text("RED CAR").size()), 1);
        const int64_t other = test::add_ready_title(*store, "Other", 1);
        QCOMPARE(int(store->search_text("car", other).size()), 0);
        QCOMPARE(int(store->search_text("car", id).size()), 1);
        QCOMPARE(store->titles_matching_text(""), (std::vector<int64_t>{id, other}));
    }

    // Whatever people type is words, not FTS5 or tsquery syntax: no error, and the words it has are matched.
    void trickyInput_data() {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");  // the fields found, in rank order ("" = none)
        const char* backends[] = {"sqlite", "postgres"};
        struct Case {
            const char* name;
            const char* query;
            const char* expected;
        };
        const Case cases[] = {
            {"empty", "", ""},
            {"blanks", "   \t", ""},
            {"double quote", "\"", ""},
            {"quoted word", "\"car\"", "tag"},
            {"unbalanced quote", "car\"", "tag"},
            {"single quote", "'car", "tag"},
            {"tsquery prefix", "'car':*", "tag"},
            {"star", "*", ""},
            {"star word", "car*", "tag"},
            {"AND is a word", "AND", "on-screen text"},
            {"OR is a word", "car OR", ""},
            {"NOT is a word", "NOT car", ""},
            {"NEAR", "NEAR(car exit)", ""},
            {"column filter", "words:car", ""},
            {"operators", "-car +red ^car !car & | ( ) :", "tag"},
            {"backslash", "\\car\\", "tag"},
            {"apostrophe", "don't", "transcript"},
            {"unicode", "Émile", "character"},
            {"long word", std::string(300, 'x').c_str(), ""},
        };
        for (const char* b : backends)
            for (const Case& c : cases)
                QTest::newRow(qPrintable(QString("%1 %2").arg(b, c.name))) << b << QString::fromUtf8(c.query)
                                                                           << c.expected;
    }
    void trickyInput() {
        QFETCH(QString, query);
        QFETCH(QString, expected);
        OPEN_STORE(store);
        add_rich_title(*store, "Heist");
        const std::string q = query.toStdString();
        std::vector<Store::TextMatch> m;
        try {
            m = store->search_text(q);
            store->titles_matching_text(q);
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("query '%1' failed: %2").arg(query, e.what())));
        }
        QCOMPARE(QString::fromStdString(fields(m)), expected);
    }

    void editsUpdateTheIndex_data() { add_backends(); }
    void editsUpdateTheIndex() {
        OPEN_STORE(store);
        const int64_t id = add_rich_title(*store, "Heist");
        QCOMPARE(int(store->search_text("car").size()), 1);
        QCOMPARE(store->refresh_text_index(), 0);  // nothing changed since
        // A reviewer corrects the tag: the old words go, the new ones come, in the review's own transaction.
        Tag car;
        for (const Tag& t : store->tags(id))
            if (t.label == "red car") car = t;
        QVERIFY(store->review(a_review("tag", car.id, car.version, ReviewAction::Correct, "blue truck")).applied);
        QVERIFY(store->search_text("car").empty());
        QCOMPARE(fields(store->search_text("truck")), std::string("tag"));
        // A character renamed.
        const Character emile = store->characters(id).at(0);
        QVERIFY(store->review(a_review("character", emile.id, emile.version, ReviewAction::Correct, "Nana")).applied);
        QVERIFY(store->search_text("zola").empty());
        QCOMPARE(fields(store->search_text("nana")), std::string("character"));
        // A chapter rejected, a tag added by a person.
        const Chapter heist = store->chapters(id).at(0);
        QVERIFY(store->review(a_review("chapter", heist.id, heist.version, ReviewAction::Reject)).applied);
        QVERIFY(store->search_text("heist").empty());
        Tag lighthouse = a_tag(0, "object", "lighthouse");
        lighthouse.title_id = id;
        store->add_tag("ann", lighthouse);
        QCOMPARE(fields(store->search_text("lighth")), std::string("tag"));
        // A title text deleted.
        store->delete_title_text(store->title_texts(id).at(0).id);
        QVERIFY(store->search_text("getaway").empty());
        // A new speech run supersedes the old one: its words replace the old ones.
        ModelRunOutput speech;
        speech.model = "speech";
        TranscriptSegment seg;
        seg.source = "speech";
        seg.start_s = 3;
        seg.end_s = 4;
        seg.text = "Freeze";
        speech.transcript = {seg};
        store->save_model_run(id, speech);
        QVERIFY(store->search_text("partner").empty());
        QVERIFY(store->search_text("exit").empty());  // the old run's on-screen text went with it
        QCOMPARE(fields(store->search_text("freeze")), std::string("transcript"));
    }

    // Another connection's edit is seen too: the stale mark is in the database, not in this object.
    void secondConnectionSeesEdits_data() { add_backends(); }
    void secondConnectionSeesEdits() {
        OPEN_STORE(store);
        const int64_t id = add_rich_title(*store, "Heist");
        QCOMPARE(int(store->search_text("car").size()), 1);  // built here
        const std::string url = store->url();
        if (url.rfind("postgresql://", 0) == 0 && url.find("…") != std::string::npos)
            QSKIP("the display URL hides the password");
        auto other = open_store(url);
        TitleText review;
        review.title_id = id;
        review.kind = "review";
        review.text = "Breathless and taut.";
        other->add_title_text(review);
        QCOMPARE(fields(store->search_text("breathless")), std::string("review"));
    }

    void migratesAnOldSqliteDatabase() {
        const std::string file = dir_.filePath("v7.db").toStdString();
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
        std::string sql = "PRAGMA foreign_keys = ON; BEGIN;";
        for (int v = 1; v <= 7; ++v) sql += sqlite_migrations()[v - 1].sql;
        sql += std::string("PRAGMA user_version = 7;") + kVersion7Rows + "COMMIT;";
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        const QString why = err ? err : "";
        sqlite3_free(err);
        sqlite3_close(db);
        QVERIFY2(rc == SQLITE_OK, qPrintable(why));
        auto store = open_store(file);
        check_migrated_index(*store);
    }

    void migratesAnOldPostgresDatabase() {
        test::PostgresServer& pg = backends_->postgres();
        if (!pg.available()) QSKIP(qPrintable(pg.why()));
        QVERIFY2(pg.running(), qPrintable(pg.why()));
        const QString url = pg.create_database();
        QVERIFY(!url.isEmpty());
        PGconn* conn = PQconnectdb(url.toUtf8().constData());
        QCOMPARE(PQstatus(conn), CONNECTION_OK);
        std::string sql = "BEGIN; CREATE TABLE schema_version (version INTEGER NOT NULL);";
        for (int v = 1; v <= 7; ++v)
            sql += postgres_migrations()[v - 1].sql + "INSERT INTO schema_version VALUES (" + std::to_string(v) + ");";
        sql += std::string(kVersion7Rows) + "COMMIT;";
        PGresult* r = PQexec(conn, sql.c_str());
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const QString why = PQresultErrorMessage(r);
        PQclear(r);
        PQfinish(conn);
        QVERIFY2(ok, qPrintable(why));
        auto store = open_store(url.toStdString());
        check_migrated_index(*store);
    }

    // Scene search over every title asks the index for candidate titles; its hits must be the full scan's. The
    // reference search wraps the same sources in lambdas of other types, which turns the prefilter off.
    void prefilterKeepsSceneSearchResults_data() { add_backends(); }
    void prefilterKeepsSceneSearchResults() {
        OPEN_STORE(store);
        add_rich_title(*store, "Heist");
        add_rich_title(*store, "Heist 2");
        const int64_t plain = test::add_ready_title(*store, "Plain", 2);
        ModelRunOutput run;
        run.model = "analysis";
        run.tags = {a_tag(0, "object", "car park"), a_tag(1, "object", "dog")};
        store->save_model_run(plain, run);
        const int64_t empty = test::add_ready_title(*store, "Empty", 1);

        SceneSearch indexed(*store);
        add_standard_text_sources(indexed);
        SceneSearch scan(*store);
        for (const TextSource& s : std::vector<TextSource>{title_text_source(), transcript_source(), screen_text_source()})
            scan.add_text_source([s](Store& st, int64_t title) { return s(st, title); });
        const char* queries[] = {"car", "red car", "park", "dog", "getaway", "Émile", "exit and", "heist driver",
                                 "zebra", "car dog", "don't", "\"car\" AND*", "thriller"};
        for (const char* q : queries) {
            SceneQuery query;
            query.text = q;
            query.limit = 0;
            const auto a = indexed.search(query);
            const auto b = scan.search(query);
            if (std::string(q) == "car") QVERIFY(b.size() >= 3);  // both Heists' shot 1 and Plain's shot 0
            QCOMPARE(a.size(), b.size());
            for (size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(a[i].title_id, b[i].title_id);
                QCOMPARE(a[i].shot_index, b[i].shot_index);
                QCOMPARE(a[i].score, b[i].score);
                QCOMPARE(a[i].why, b[i].why);
            }
        }
        // And it does prune: "dog" can only be in "Plain".
        QCOMPARE(store->titles_matching_text("dog"), std::vector<int64_t>{plain});
        QVERIFY(!text_sources_indexed(std::vector<TextSource>{[](Store&, int64_t) { return std::vector<TextSpan>{}; }}));
        Q_UNUSED(empty);
    }
};

QTEST_GUILESS_MAIN(TestTextIndex)
#include "tst_text_index.moc"
