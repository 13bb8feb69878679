// Scene search over transcripts and on-screen text (core/search/media_text_sources.h): a line matches the shots it
// overlaps, subtitles take precedence over recognised speech in their language, and on-screen text belongs to the
// shot of its frame.
#include <QTemporaryDir>
#include <QtTest>

#include "core/search/media_text_sources.h"
#include "core/store/store.h"
#include "tests/support/ready_title.h"

using namespace frameline;

namespace {

TranscriptSegment segment(const std::string& source, const std::string& language, double start, double end,
                          const std::string& text, double word_confidence = 0.8) {
    TranscriptSegment s;
    s.source = source;
    s.language = language;
    s.start_s = start;
    s.end_s = end;
    s.text = text;
    if (source == "speech") {
        double t = start;
        for (const std::string& w : {std::string("x"), std::string("y")}) {
            s.words.push_back(TranscriptWord{w, t, t + 0.2, word_confidence});
            t += 0.3;
        }
    }
    return s;
}

std::vector<int> shots_of(const std::vector<SceneHit>& hits) {
    std::vector<int> out;
    for (const SceneHit& h : hits) out.push_back(h.shot_index);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

class TestMediaTextSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void transcriptsAndScreenText() {
        QTemporaryDir dir;
        auto store = open_store((dir.path() + "/search.db").toStdString());
        const int64_t title = test::add_ready_title(*store, "harbour", 4);  // shots of 2 s; frames 25, 75, 125, 175
        ModelRunOutput speech;
        speech.model = "transcript";
        speech.transcript = {segment("speech", "eng", 0.5, 1.5, "ask not what your country"),
                             segment("speech", "fre", 2.5, 3.5, "la mer est calme", 0.6)};
        store->save_model_run(title, speech);
        ModelRunOutput subtitles;
        subtitles.model = "subtitles";
        subtitles.transcript = {segment("subtitle", "eng", 1.8, 4.2, "The harbour at night.")};
        store->save_model_run(title, subtitles);
        ModelRunOutput ocr;
        ocr.model = "ocr";
        ScreenText sign;
        sign.frame_index = 125;  // shot 2
        sign.x = 0.1;
        sign.y = 0.8;
        sign.width = 0.5;
        sign.height = 0.1;
        sign.text = "HOTEL MIRAMAR";
        sign.confidence = 0.9;
        ocr.screen_text = {sign};
        store->save_model_run(title, ocr);

        SceneSearch search(*store);
        add_standard_text_sources(search);
        SceneQuery q;
        q.text = "harbour night";
        std::vector<SceneHit> hits = search.search(q);
        QCOMPARE(shots_of(hits), (std::vector<int>{0, 1, 2}));  // 1.8-4.2 s overlaps shots 0, 1 and 2
        QVERIFY2(hits[0].why.find("subtitle 'The harbour at night.'") != std::string::npos, hits[0].why.c_str());
        QCOMPARE(hits[0].score, 1.0);

        // English subtitles exist: the recogniser's English is left out; its French stays, at its words' confidence.
        q.text = "country";
        QVERIFY(search.search(q).empty());
        q.text = "calme";
        hits = search.search(q);
        QCOMPARE(shots_of(hits), (std::vector<int>{1}));
        QVERIFY(std::abs(hits[0].score - 0.6) < 1e-9);
        QVERIFY(hits[0].why.find("transcript 'la mer est calme'") != std::string::npos);

        q.text = "miramar";
        hits = search.search(q);
        QCOMPARE(shots_of(hits), (std::vector<int>{2}));
        QVERIFY(hits[0].why.find("on-screen text 'HOTEL MIRAMAR'") != std::string::npos);
    }

    void withoutSubtitlesSpeechCounts() {
        QTemporaryDir dir;
        auto store = open_store((dir.path() + "/search.db").toStdString());
        const int64_t title = test::add_ready_title(*store, "speech", 2);
        ModelRunOutput speech;
        speech.model = "transcript";
        speech.transcript = {segment("speech", "eng", 2.2, 3.0, "ask not what your country can do")};
        store->save_model_run(title, speech);
        SceneSearch search(*store);
        add_standard_text_sources(search);
        SceneQuery q;
        q.text = "country";
        const std::vector<SceneHit> hits = search.search(q);
        QCOMPARE(shots_of(hits), (std::vector<int>{1}));
    }
};

QTEST_GUILESS_MAIN(TestMediaTextSearch)
#include "tst_media_text_search.moc"
