// The one query syntax of scene search (core/search/query_syntax.h): words, quoted phrases and the four filters,
// and a clear error for each malformed query.
#include <QtTest>

#include "core/error.h"
#include "core/search/query_syntax.h"

using namespace frameline;

class TestQuerySyntax : public QObject {
    Q_OBJECT
private slots:
    void wordsAndFilters() {
        const ParsedQuery q = parse_query(R"(night "red car" TAG:object:car tag:close-up character:"Le Chiffre" )"
                                          R"(character:Boris mood:tense like:1234 12:30)");
        QCOMPARE(q.text, std::string("night red car 12:30"));
        QCOMPARE(q.tags, (std::vector<std::string>{"object:car", "close-up"}));
        QCOMPARE(q.characters, (std::vector<std::string>{"Le Chiffre", "Boris"}));
        QCOMPARE(q.mood, std::string("tense"));
        QCOMPARE(q.like_frame_id, int64_t(1234));
    }

    void emptyAndPlain() {
        const ParsedQuery empty = parse_query("   ");
        QVERIFY(empty.text.empty() && empty.tags.empty() && empty.characters.empty() && empty.mood.empty());
        QCOMPARE(empty.like_frame_id, int64_t(0));
        QCOMPARE(parse_query("chase").text, std::string("chase"));
        QCOMPARE(parse_query("mood:\"very tense\"").mood, std::string("very tense"));
    }

    void malformedQueriesSayWhat() {
        const struct {
            const char* query;
            const char* mention;
        } cases[] = {
            {"tag:", "tag:"},
            {"character:\"\"", "character:"},
            {"like:abc", "like:abc"},
            {"like:0", "like:0"},
            {"like:-3", "like:-3"},
            {"like:99999999999999999999", "like:9999"},
            {"mood:tense mood:calm", "two moods"},
            {"like:1 like:2", "two like:"},
            {"\"unclosed phrase", "unclosed quote"},
        };
        for (const auto& c : cases) {
            try {
                parse_query(c.query);
                QFAIL(qPrintable(QString("no error for %1").arg(c.query)));
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains(c.mention), e.what());
                QVERIFY(!QString(e.what()).contains('\n'));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestQuerySyntax)
#include "tst_query_syntax.moc"
