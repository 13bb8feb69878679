// A title's texts (core/analysis/title_text_analysis.h): words and lemmas, RAKE keywords of a synopsis, their links
// to the title's tags, and the lexicon sentiment of reviews, on real sentences: positive, negative, negated, turned
// by "but", empty, and non-ASCII text.
#include <QtTest>

#include <algorithm>

#include "core/analysis/title_text_analysis.h"

using namespace frameline;

namespace {

const char* const kSynopsis =
    "Paris, 1962. A retired detective and his loyal dog are on the trail of a gang of car thieves. When the thieves "
    "kidnap his daughter, the detective must team up with a young police officer. A tense car chase through the "
    "night streets ends at the harbour, where the gang's boat is waiting. Car chases, rooftop fights and a final "
    "showdown on the river make it a classic thriller.";

Tag tag(const std::string& category, const std::string& label, int shot = -1, ReviewState state = ReviewState::Proposed) {
    Tag t;
    t.category = category;
    t.label = label;
    t.shot_index = shot;
    t.state = state;
    return t;
}

const TextKeyword* find_keyword(const std::vector<TextKeyword>& k, const std::string& lemma) {
    auto it = std::find_if(k.begin(), k.end(), [&](const TextKeyword& x) { return x.lemma == lemma; });
    return it == k.end() ? nullptr : &*it;
}

QString describe(const LexiconSentiment& s) {
    QString out = QString("%1 %2 (%3 hits:").arg(QString::fromStdString(s.label)).arg(s.score, 0, 'f', 3).arg(s.hits.size());
    for (const SentimentHit& h : s.hits)
        out += QString(" %1 %2->%3%4").arg(QString::fromStdString(h.term)).arg(h.valence).arg(h.applied, 0, 'f', 2).arg(h.negated ? " negated" : "");
    return out + ")";
}

}  // namespace

class TestTitleTextAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lemmasFoldPlurals() {
        const std::pair<const char*, const char*> cases[] = {
            {"stories", "story"}, {"movies", "movie"},    {"watches", "watch"},     {"boxes", "box"},
            {"heroes", "hero"},   {"children", "child"},  {"people", "person"},     {"classes", "class"},
            {"news", "news"},     {"close-ups", "close-up"}, {"detective's", "detective"}, {"bus", "bus"},
            {"politics", "politics"}, {"wolves", "wolf"}, {"cars", "car"},          {"thieves", "thief"},
            {"series", "series"}, {"shoes", "shoe"},      {"cafés", "café"},        {"glass", "glass"}};
        for (auto [word, lemma] : cases) QVERIFY2(english_lemma(word) == lemma, word);
    }

    void wordsOfUtf8Text() {
        // curly apostrophe, em dash, accented capitals, Cyrillic, a name inside a sentence, invalid bytes
        const std::vector<TextWord> w = text_words("Amélie\xe2\x80\x99s CAFÉ \xe2\x80\x94 ПРИВЕТ мир; meet James \xff\xfe ok");
        QStringList got;
        for (const TextWord& x : w) got << QString::fromStdString(x.word + "/" + x.lemma);
        qInfo("%s", qPrintable(got.join(' ')));
        QCOMPARE(got, QStringList({"amélie's/amélie", "café/café", "привет/привет", "мир/мир", "meet/meet",
                                   "james/james", "ok/ok"}));
        // a script without spaces is one word per run of letters; its full stop ends it
        const std::vector<TextWord> ja = text_words("東京物語は素晴らしい。");
        QCOMPARE(ja.size(), size_t(1));
        QCOMPARE(ja[0].word, std::string("東京物語は素晴らしい"));
        QVERIFY(text_words("").empty());
        QVERIFY(text_words(" ... !!! \xe2\x80\x94 ").empty());
    }

    void keywordsOfASynopsis() {
        const std::vector<TextKeyword> k = extract_keywords(kSynopsis, 20);
        for (const TextKeyword& x : k) qInfo("keyword %-28s lemma %-24s score %.2f count %d", x.phrase.c_str(), x.lemma.c_str(), x.score, x.count);
        // plurals fold ("car thieves" is "car thief"), the year is no keyword, "paris" starts the text
        for (const char* lemma : {"retired detective", "loyal dog", "car thief", "young police officer", "tense car chase",
                                  "car chase", "final showdown", "classic thriller", "gang boat", "paris"})
            QVERIFY2(find_keyword(k, lemma), lemma);
        QCOMPARE(find_keyword(k, "car chase")->phrase, std::string("car chases"));
        QVERIFY(!find_keyword(k, "1962"));
        // the same lemmas merge into one keyword and count
        const std::vector<TextKeyword> twice = extract_keywords("Car chases. A car chase!", 5);
        QCOMPARE(twice.size(), size_t(1));
        QCOMPARE(twice[0].count, 2);
        QCOMPARE(twice[0].phrase, std::string("car chases"));
        // best first; no stop word, number or the word "film" ever starts or ends a keyword
        for (size_t i = 1; i < k.size(); ++i) QVERIFY(k[i - 1].score >= k[i].score);
        for (const TextKeyword& x : k) {
            const std::vector<TextWord> w = text_words(x.phrase);
            QVERIFY(!w.empty() && w.size() <= 3);
            for (const TextWord& y : w) QVERIFY2(!is_stop_word(y.word), x.phrase.c_str());
        }
        // a 3-word phrase outranks its own 2-word part (RAKE sums word scores)
        QVERIFY(find_keyword(k, "young police officer")->score > find_keyword(k, "loyal dog")->score);
        QVERIFY(find_keyword(k, "loyal dog")->score > find_keyword(k, "paris")->score);
        QVERIFY(extract_keywords("", 10).empty());
        QVERIFY(extract_keywords("It was the one and only, and it is what it is.", 10).empty());
        QCOMPARE(extract_keywords(kSynopsis, 3).size(), size_t(3));
    }

    void keywordsLinkToTags() {
        const std::vector<Tag> tags = {tag("object", "car", 0),       tag("object", "car", 3),
                                       tag("object", "dog", 1),       tag("object", "person"),
                                       tag("mood", "tense"),          tag("genre", "horror/thriller"),
                                       tag("genre", "action"),        tag("object", "boat", 5),
                                       tag("object", "cat", 2, ReviewState::Rejected)};
        const std::vector<TextKeyword> k = extract_keywords(kSynopsis, 20);
        const std::vector<KeywordTagLink> links = link_keywords_to_tags(k, tags);
        QStringList got;
        for (const KeywordTagLink& l : links)
            got << QString::fromStdString(l.keyword + " -> " + l.category + ":" + l.label + " (" + l.match + ", " +
                                          std::to_string(l.tags) + ")");
        qInfo("%s", qPrintable(got.join("\n")));
        QVERIFY(got.contains("car chases -> object:car (word, 2)"));
        QVERIFY(got.contains("car chases -> genre:action (alias, 1)"));
        QVERIFY(got.contains("classic thriller -> genre:horror/thriller (word, 1)"));
        QVERIFY(got.contains("loyal dog -> object:dog (word, 1)"));
        QVERIFY(got.contains("retired detective -> object:person (alias, 1)"));
        QVERIFY(got.contains("tense car chase -> mood:tense (word, 1)"));
        QVERIFY(got.contains("daughter -> object:person (alias, 1)"));
        QVERIFY(std::none_of(links.begin(), links.end(), [](const KeywordTagLink& l) { return l.label == "cat"; }));
        // exact lemma matches: a plural keyword, a label with alternatives
        const std::vector<KeywordTagLink> exact =
            link_keywords_to_tags(extract_keywords("Boats. Thrillers!", 5), tags);
        QCOMPARE(exact.size(), size_t(2));
        QCOMPARE(exact[0].label, std::string("boat"));
        QCOMPARE(exact[0].match, std::string("lemma"));
        QCOMPARE(exact[1].label, std::string("horror/thriller"));
        QCOMPARE(exact[1].match, std::string("lemma"));
        QVERIFY(link_keywords_to_tags(k, {}).empty());
    }

    void sentimentOfReviews_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("label");
        QTest::newRow("positive") << "A gripping, beautifully shot thriller with a superb performance from its lead. Highly recommended." << "positive";
        QTest::newRow("negative") << "The plot is predictable and the dialogue is wooden; two tedious hours I will not get back." << "negative";
        QTest::newRow("negated praise") << "The script is not good and the jokes are never funny." << "negative";
        QTest::newRow("negated fault") << "This is not a bad film at all, and it is never boring." << "positive";
        QTest::newRow("contraction") << "I didn't enjoy a single minute of it." << "negative";
        QTest::newRow("not only") << "Not only good but brilliant." << "positive";
        QTest::newRow("turned by but") << "The cast is great, but the script is awful." << "negative";
        QTest::newRow("phrase") << "A waste of time." << "negative";
        QTest::newRow("curly apostrophe, accents") << "Amélie\xe2\x80\x99s café scenes are wonderful \xe2\x80\x94 utterly charming." << "positive";
        QTest::newRow("French: no English lexicon word") << "Un film magnifique, vraiment émouvant." << "neutral";
        QTest::newRow("facts only") << "The film runs 120 minutes and was shot in Paris in 1962." << "neutral";
        QTest::newRow("empty") << "" << "neutral";
    }
    void sentimentOfReviews() {
        QFETCH(QString, text);
        QFETCH(QString, label);
        const LexiconSentiment s = lexicon_sentiment(text.toStdString());
        qInfo("%s => %s", qPrintable(text), qPrintable(describe(s)));
        QCOMPARE(QString::fromStdString(s.label), label);
        QCOMPARE(s.method, std::string("lexicon sentiment"));
        QVERIFY(s.score > -1 && s.score < 1);
        if (label == "neutral") QVERIFY(s.hits.empty());
    }

    void sentimentRulesInNumbers() {
        // good = +2; very good = 2 x 1.3; not good = 2 x -0.74; slightly boring = -2 x 0.7
        QCOMPARE(lexicon_sentiment("good").hits.at(0).applied, 2.0);
        QVERIFY(qFuzzyCompare(lexicon_sentiment("very good").hits.at(0).applied, 2.6));
        const LexiconSentiment n = lexicon_sentiment("not good");
        QVERIFY(n.hits.at(0).negated);
        QVERIFY(qFuzzyCompare(n.hits.at(0).applied, -1.48));
        QVERIFY(qFuzzyCompare(lexicon_sentiment("slightly boring").hits.at(0).applied, -1.4));
        // the negator's scope ends at punctuation: "No doubt, a masterpiece." is praise
        const LexiconSentiment d = lexicon_sentiment("No doubt, a masterpiece.");
        QCOMPARE(d.hits.size(), size_t(1));
        QVERIFY(!d.hits[0].negated);
        QCOMPARE(d.label, std::string("positive"));
        // "but": before x0.5, after x1.5
        const LexiconSentiment b = lexicon_sentiment("great, but awful");
        QCOMPARE(b.hits.at(0).applied, 1.0);
        QCOMPARE(b.hits.at(1).applied, -4.5);
        // the longest lexicon entry wins: "waste of time" (-3), not "waste" (-2)
        const LexiconSentiment w = lexicon_sentiment("a waste of time");
        QCOMPARE(w.hits.size(), size_t(1));
        QCOMPARE(w.hits[0].term, std::string("waste of time"));
        // lemmas find entries: "flaws" -> "flaw"
        QCOMPARE(lexicon_sentiment("flaws").hits.at(0).term, std::string("flaw"));
        // score: VADER's normalisation of the sum, sum / sqrt(sum^2 + 15)
        QVERIFY(qFuzzyCompare(lexicon_sentiment("good").score, 2.0 / std::sqrt(4.0 + 15.0)));
        const LexiconSentiment empty = lexicon_sentiment("");
        QCOMPARE(empty.score, 0.0);
        QCOMPARE(empty.positive + empty.negative, 0);
    }

    void analysesStoredTexts() {
        TitleText review;
        review.kind = "review";
        review.text = "A tense, superb thriller; the car chase alone is worth seeing.";
        TitleText synopsis;
        synopsis.kind = "synopsis";
        synopsis.text = kSynopsis;
        const std::vector<Tag> tags = {tag("object", "car")};
        const TitleTextAnalysis r = analyse_title_text(review, tags), s = analyse_title_text(synopsis, tags);
        QVERIFY(r.has_sentiment);
        QCOMPARE(r.sentiment.label, std::string("positive"));
        QVERIFY(!r.keywords.empty());
        QVERIFY(!r.tag_links.empty());
        QVERIFY(!s.has_sentiment);  // a synopsis is not an opinion
        QCOMPARE(s.keywords.size(), size_t(10));
        QCOMPARE(s.text.kind, std::string("synopsis"));
    }
};

QTEST_GUILESS_MAIN(TestTitleTextAnalysis)
#include "tst_title_text_analysis.moc"
