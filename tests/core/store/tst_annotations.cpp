// Model runs and what they produce (embeddings, faces, tags, characters, chapters, artwork candidates), their
// reviews, and the ingest job queue: one contract, run against both backends (SQLite and a throwaway PostgreSQL).
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/store_backends.h"

using namespace frameline;

#define OPEN_STORE(store) FRAMELINE_OPEN_STORE(*backends_, store)

namespace {

// Text that must come back as it went in: quotes, SQL, backslashes, placeholders, non-ASCII.
const std::string kHostile = "Robert'); DROP TABLE tags;-- \\x00 \"q\" ñandú 東京 %s $1 ?1 ?";

int64_t a_title(Store& store, const std::string& hash) {
    NewTitle t;
    t.name = "Title " + hash;
    t.media_path = "/media/" + hash + ".mp4";
    t.content_hash = hash;
    t.fps = 25;
    const int64_t id = store.create_title(t);
    TitleAnalysis a;
    a.frame_count = 1000;
    a.duration_s = 40;
    a.fps = 25;
    store.save_analysis(id, a);
    return id;
}

Face a_face(int64_t frame, float identity_seed) {
    Face f;
    f.frame_index = frame;
    f.x = 0.25;
    f.y = 0.125;
    f.width = 0.2;
    f.height = 0.3;
    f.score = 0.875;
    f.landmarks = "[[0.3,0.2],[0.4,0.2]]";
    f.expression = "happy";
    f.expression_score = 0.5;
    f.age = 31.5;
    f.gender = "female";
    f.gender_score = 0.75;
    f.identity = {identity_seed, 1.0f - identity_seed, 0.25f};
    return f;
}

Tag a_tag(int shot, const std::string& category, const std::string& label, double confidence) {
    Tag t;
    t.shot_index = shot;
    t.category = category;
    t.label = label;
    t.confidence = confidence;
    t.evidence = R"({"frames":[12,40],"scores":[0.9,0.7]})";
    return t;
}

Chapter a_chapter(ChapterKind kind, int64_t start, int64_t end, const std::string& label) {
    Chapter c;
    c.kind = kind;
    c.start_frame = start;
    c.end_frame = end;
    c.start_s = start / 25.0;
    c.end_s = (end + 1) / 25.0;
    c.label = label;
    c.confidence = 0.6;
    return c;
}

ArtworkCandidate an_artwork(int64_t frame, double score) {
    ArtworkCandidate a;
    a.frame_index = frame;
    a.score = score;
    a.breakdown = R"({"sharpness":0.9,"faces":1})";
    a.crops = R"({"16:9":[0,0,1,1],"2:3":[0.3,0,0.4,1]})";
    return a;
}

}  // namespace

class TestAnnotations : public QObject {
    Q_OBJECT
    std::unique_ptr<test::StoreBackends> backends_;

    void add_backends() { test::StoreBackends::add_rows(); }

private Q_SLOTS:
    void initTestCase() { backends_ = std::make_unique<test::StoreBackends>(); }
    void cleanupTestCase() { backends_.reset(); }

    void everyEntityRoundTrips_data() { add_backends(); }
    void everyEntityRoundTrips() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "rt");
        ModelRunOutput faces_run;
        faces_run.model = "faces";
        faces_run.model_version = kHostile;
        faces_run.host = "node-7";
        faces_run.detail = R"({"batch":8})";
        faces_run.faces = {a_face(10, 0.1f), a_face(20, 0.9f)};
        faces_run.faces[0].expression = kHostile;
        Embedding e;
        e.entity = "frame";
        e.entity_key = 10;
        e.vector = {0.5f, -0.25f, 1e-7f, 3.0f};
        faces_run.embeddings = {e};
        faces_run.detections = {Detection{0, 0, 10, kHostile, 0.75, 0.1, 0.2, 0.3, 0.4}};
        faces_run.frame_scores = {FrameScores{0, 0, 10, "nsfw", R"({"Neutral":0.9,"Drawing":0.1})"}};
        faces_run.audio_segments = {AudioSegment{0, 0, "speech", 0.32, 10.5, 0.97}};
        const int64_t run = store->save_model_run(title, faces_run);
        QVERIFY(run > 0);
        const auto dets = store->detections(title);
        QCOMPARE(int(dets.size()), 1);
        QCOMPARE(dets[0].label, kHostile);
        QCOMPARE(dets[0].height, 0.4);
        QCOMPARE(store->frame_scores(title, "nsfw").at(0).scores, std::string(R"({"Neutral":0.9,"Drawing":0.1})"));
        QCOMPARE(store->audio_segments(title, "speech").at(0).end_s, 10.5);
        QVERIFY(store->audio_segments(title, "music").empty());

        const auto faces = store->faces(title);
        QCOMPARE(int(faces.size()), 2);
        QCOMPARE(faces[0].expression, kHostile);
        QCOMPARE(faces[0].run_id, run);
        QCOMPARE(faces[0].width, 0.2);
        QCOMPARE(faces[0].age, 31.5);
        QCOMPARE(faces[1].identity, (std::vector<float>{0.9f, 1.0f - 0.9f, 0.25f}));
        QCOMPARE(faces[1].landmarks, std::string("[[0.3,0.2],[0.4,0.2]]"));
        const auto vectors = store->embeddings(title, "faces", "frame");
        QCOMPARE(int(vectors.size()), 1);
        QCOMPARE(vectors[0].vector, e.vector);
        QCOMPARE(vectors[0].entity_key, int64_t(10));
        QVERIFY(store->embeddings(title, "faces", "shot").empty());

        ModelRunOutput analysis;
        analysis.model = "analysis";
        analysis.tags = {a_tag(-1, "genre", kHostile, 0.4), a_tag(2, "object", "person", 0.9)};
        analysis.chapters = {a_chapter(ChapterKind::Chapter, 0, 499, kHostile),
                             a_chapter(ChapterKind::KeyScene, 100, 149, "")};
        analysis.artwork = {an_artwork(20, 0.8)};
        Character c;
        c.screen_time_s = 12.5;
        c.best_face_id = faces[1].id;
        c.face_ids = {faces[0].id, faces[1].id};
        c.confidence = 0.7;
        analysis.characters = {c};
        store->save_model_run(title, analysis);

        const auto tags = store->tags(title);
        QCOMPARE(int(tags.size()), 2);
        QCOMPARE(tags[0].shot_index, -1);  // the title's tags first
        QCOMPARE(tags[0].label, kHostile);
        QCOMPARE(tags[1].category, std::string("object"));
        QCOMPARE(tags[1].state, ReviewState::Proposed);
        QCOMPARE(tags[1].version, int64_t(1));
        QCOMPARE(tags[1].evidence, std::string(R"({"frames":[12,40],"scores":[0.9,0.7]})"));
        const auto chapters = store->chapters(title);
        QCOMPARE(int(chapters.size()), 2);
        QCOMPARE(chapters[0].kind, ChapterKind::Chapter);
        QCOMPARE(chapters[0].label, kHostile);
        QCOMPARE(chapters[0].end_s, 20.0);
        QCOMPARE(chapters[1].kind, ChapterKind::KeyScene);
        const auto art = store->artwork_candidates(title);
        QCOMPARE(int(art.size()), 1);
        QCOMPARE(art[0].crops, std::string(R"({"16:9":[0,0,1,1],"2:3":[0.3,0,0.4,1]})"));
        const auto characters = store->characters(title);
        QCOMPARE(int(characters.size()), 1);
        QCOMPARE(characters[0].face_ids, (std::vector<int64_t>{faces[0].id, faces[1].id}));
        QCOMPARE(characters[0].best_face_id, faces[1].id);
        QCOMPARE(characters[0].screen_time_s, 12.5);
        const auto runs = store->model_runs(title);
        QCOMPARE(int(runs.size()), 2);
        QCOMPARE(runs[0].model_version, kHostile);
        QCOMPARE(runs[0].status, std::string("done"));
        QCOMPARE(runs[0].host, std::string("node-7"));
    }

    // Schema v7 (issue #8): transcripts with words, on-screen text, music tempo; a re-run supersedes them.
    void transcriptScreenTextAndTempoRoundTrip_data() { add_backends(); }
    void transcriptScreenTextAndTempoRoundTrip() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "v7");
        const std::string spoken = "And so, my fellow Americans: ask not — ñandú 東京";
        ModelRunOutput speech;
        speech.model = "transcript";
        TranscriptSegment later{0, 0, "speech", "eng", 7.25, 10.5, spoken, {}};
        later.words = {TranscriptWord{"and", 7.25, 7.5, 0.875}, TranscriptWord{kHostile, 7.5, 8.0, 0.5},
                       TranscriptWord{"東京", 8.0, 10.5, 1.0}};
        const TranscriptSegment earlier{0, 0, "speech", "", 0.32, 2.0, kHostile, {}};  // no language: "und"
        speech.transcript = {later, earlier};
        const int64_t run = store->save_model_run(title, speech);
        ModelRunOutput subs;  // another model's segments stay beside them
        subs.model = "subtitles";
        subs.transcript = {TranscriptSegment{0, 0, "sidecar", "fra", 1.0, 3.5, "Demandez ce que vous pouvez faire", {}}};
        store->save_model_run(title, subs);

        auto segments = store->transcript(title);
        QCOMPARE(int(segments.size()), 3);  // by start_s, whatever the run
        QCOMPARE(segments[0].text, kHostile);
        QCOMPARE(segments[0].language, std::string("und"));
        QCOMPARE(segments[0].run_id, run);
        QVERIFY(segments[0].words.empty());
        QCOMPARE(segments[1].source, std::string("sidecar"));
        QCOMPARE(segments[1].language, std::string("fra"));
        QCOMPARE(segments[2].text, spoken);
        QCOMPARE(segments[2].start_s, 7.25);
        QCOMPARE(segments[2].end_s, 10.5);
        QCOMPARE(int(segments[2].words.size()), 3);
        QCOMPARE(segments[2].words[1].word, kHostile);
        QCOMPARE(segments[2].words[1].start_s, 7.5);
        QCOMPARE(segments[2].words[1].confidence, 0.5);
        QCOMPARE(segments[2].words[2].word, std::string("東京"));
        QCOMPARE(segments[2].words[2].end_s, 10.5);

        ModelRunOutput ocr;
        ocr.model = "ocr";
        ocr.screen_text = {ScreenText{0, 0, 120, 0.25, 0.75, 0.5, 0.0625, "Directed by ñandú", 0.91},
                           ScreenText{0, 0, 40, 0.1, 0.2, 0.3, 0.05, kHostile, 0.6},
                           ScreenText{0, 0, 120, 0.25, 0.5, 0.5, 0.0625, "THE END", 0.95}};
        store->save_model_run(title, ocr);
        auto lines = store->screen_text(title);
        QCOMPARE(int(lines.size()), 3);
        QCOMPARE(lines[0].frame_index, int64_t(40));
        QCOMPARE(lines[0].text, kHostile);
        QCOMPARE(lines[1].text, std::string("THE END"));  // same frame: top line first
        QCOMPARE(lines[2].text, std::string("Directed by ñandú"));
        QCOMPARE(lines[2].y, 0.75);
        QCOMPARE(lines[2].height, 0.0625);
        QCOMPARE(lines[2].confidence, 0.91);

        ModelRunOutput lanes;
        lanes.model = "analysis.audio";
        lanes.audio_segments = {AudioSegment{0, 0, "music", 12.0, 40.0, 0.8, 121.5},
                                AudioSegment{0, 0, "speech", 0.32, 10.5, 0.9, 0}};
        store->save_model_run(title, lanes);
        QCOMPARE(store->audio_segments(title, "music").at(0).bpm, 121.5);
        QCOMPARE(store->audio_segments(title, "speech").at(0).bpm, 0.0);

        // A new run of a model supersedes its earlier rows; other models' stay.
        speech.transcript = {TranscriptSegment{0, 0, "speech", "eng", 0.5, 1.5, "ask not", {}}};
        store->save_model_run(title, speech);
        ocr.screen_text = {ScreenText{0, 0, 7, 0.0, 0.0, 1.0, 0.1, "NEW", 0.99}};
        store->save_model_run(title, ocr);
        segments = store->transcript(title);
        QCOMPARE(int(segments.size()), 2);
        QCOMPARE(segments[0].text, std::string("ask not"));
        QCOMPARE(segments[1].source, std::string("sidecar"));
        lines = store->screen_text(title);
        QCOMPARE(int(lines.size()), 1);
        QCOMPARE(lines[0].text, std::string("NEW"));
        for (const ModelRun& r : store->model_runs(title)) {
            const bool current = r.id == lines[0].run_id || r.id == segments[0].run_id || r.model == "subtitles" ||
                                 r.model == "analysis.audio";
            QCOMPARE(r.status, std::string(current ? "done" : "superseded"));
        }

        // Bad rows save nothing.
        ModelRunOutput bad;
        bad.model = "transcript";
        bad.transcript = {TranscriptSegment{0, 0, "guess", "eng", 0, 1, "x", {}}};
        QVERIFY_THROWS_EXCEPTION(Error, store->save_model_run(title, bad));
        bad.transcript = {TranscriptSegment{0, 0, "speech", "eng", 2, 1, "backwards", {}}};
        QVERIFY_THROWS_EXCEPTION(Error, store->save_model_run(title, bad));
        bad.transcript = {TranscriptSegment{0, 0, "speech", "eng", 0, 1, "x", {TranscriptWord{"", 0, 1, 1}}}};
        QVERIFY_THROWS_EXCEPTION(Error, store->save_model_run(title, bad));
        bad.transcript.clear();
        bad.screen_text = {ScreenText{0, 0, 1, 0, 0, 0, 0.1, "no width", 1}};
        QVERIFY_THROWS_EXCEPTION(Error, store->save_model_run(title, bad));
        QCOMPARE(store->transcript(title).at(0).text, std::string("ask not"));
        QCOMPARE(int(store->screen_text(title).size()), 1);
        QVERIFY(store->transcript(title + 99).empty());
    }

    // The OCR step refines the scan's credits cues (Store::replace_proposed_markers): proposed ones of the kinds
    // named are replaced, decided ones and other kinds stay, a proposal a decision covers is not added, and a new
    // scan drops the refined ones again.
    void refinedMarkersReplaceProposedOnes_data() { add_backends(); }
    void refinedMarkersReplaceProposedOnes() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "cues");
        TitleAnalysis scan;
        scan.frame_count = 1000;
        scan.duration_s = 40;
        scan.fps = 25;
        scan.markers = {Marker{CueKind::Black, 0, 9, 0, 0.4, 1}, Marker{CueKind::OpeningCredits, 10, 99, 0.4, 4, 0.7},
                        Marker{CueKind::ClosingCredits, 900, 999, 36, 40, 0.6}};
        store->save_analysis(title, scan);
        auto records = store->marker_records(title);
        QCOMPARE(int(records.size()), 3);
        const MarkerRecord closing = records[2];
        QCOMPARE(closing.marker.kind, CueKind::ClosingCredits);
        QVERIFY(store->review_marker(ReviewRequest{closing.id, 1, "ann", ReviewAction::Accept}).applied);

        // Opening extended back to 0; the closing, decided, is proposed again and skipped.
        const std::vector<CueKind> credits = {CueKind::OpeningCredits, CueKind::ClosingCredits};
        store->replace_proposed_markers(title, credits,
                                        {Marker{CueKind::OpeningCredits, 0, 120, 0, 4.84, 1.0},
                                         Marker{CueKind::ClosingCredits, 850, 999, 34, 40, 1.0},
                                         Marker{CueKind::Black, 500, 510, 20, 20.44, 1}},  // not a kind replaced
                                        "ocr");
        records = store->marker_records(title);
        QCOMPARE(int(records.size()), 3);
        QCOMPARE(records[0].marker.kind, CueKind::Black);  // by start frame, then kind: the scan's black 0-9
        QCOMPARE(records[0].marker.end_frame, int64_t(9));
        QCOMPARE(records[1].marker.kind, CueKind::OpeningCredits);
        QCOMPARE(records[1].marker.end_frame, int64_t(120));
        QCOMPARE(records[1].marker.confidence, 1.0);
        QCOMPARE(records[2].id, closing.id);  // the decision, as it was
        QCOMPARE(records[2].state, ReviewState::Accepted);
        QCOMPARE(records[2].marker.start_frame, int64_t(900));
        // A second refinement replaces the first's.
        store->replace_proposed_markers(title, credits, {Marker{CueKind::OpeningCredits, 0, 130, 0, 5.24, 0.9}},
                                        "ocr");
        records = store->marker_records(title);
        QCOMPARE(int(records.size()), 3);
        QCOMPARE(records[1].marker.end_frame, int64_t(130));
        // A new scan: the refined proposal goes, the scan's comes back; decisions stay.
        store->save_analysis(title, scan);
        records = store->marker_records(title);
        QCOMPARE(int(records.size()), 3);
        QCOMPARE(records[0].marker.kind, CueKind::Black);
        QCOMPARE(records[1].marker.end_frame, int64_t(99));
        QCOMPARE(records[2].state, ReviewState::Accepted);
    }

    void titleTexts_data() { add_backends(); }
    void titleTexts() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "texts");
        const int64_t other = a_title(*store, "other");
        TitleText review{0, title, "review", "review-1.txt", "eng", kHostile + "\nA triumph.", ""};
        const int64_t review_id = store->add_title_text(review);
        TitleText synopsis{0, title, "synopsis", "", "", "Une histoire — ñandú, 東京 et \"guillemets\"", ""};
        const int64_t synopsis_id = store->add_title_text(synopsis);
        TitleText meta{0, title, "description", "metadata", "fra", "From the file", "2024-05-01T10:00:00Z"};
        store->add_title_text(meta);
        store->add_title_text(TitleText{0, other, "synopsis", "human", "eng", "Another title", ""});
        QVERIFY(review_id > 0 && synopsis_id > review_id);

        const auto texts = store->title_texts(title);
        QCOMPARE(int(texts.size()), 3);
        QCOMPARE(texts[0].id, synopsis_id);  // synopsis, description, reviews
        QCOMPARE(texts[0].text, synopsis.text);
        QCOMPARE(texts[0].source, std::string("human"));
        QCOMPARE(texts[0].language, std::string("und"));
        QCOMPARE(int(texts[0].created_at.size()), 20);  // "2026-01-02T03:04:05Z"
        QCOMPARE(texts[0].created_at.back(), 'Z');
        QCOMPARE(texts[1].kind, std::string("description"));
        QCOMPARE(texts[1].created_at, std::string("2024-05-01T10:00:00Z"));
        QCOMPARE(texts[2].id, review_id);
        QCOMPARE(texts[2].text, kHostile + "\nA triumph.");
        QCOMPARE(texts[2].source, std::string("review-1.txt"));
        QCOMPARE(texts[2].title_id, title);

        // A model run does not touch them.
        ModelRunOutput run;
        run.model = "analysis";
        run.tags = {a_tag(-1, "genre", "drama", 0.5)};
        store->save_model_run(title, run);
        store->save_model_run(title, run);
        QCOMPARE(int(store->title_texts(title).size()), 3);

        store->delete_title_text(review_id);
        QCOMPARE(int(store->title_texts(title).size()), 2);
        QCOMPARE(int(store->title_texts(other).size()), 1);
        QVERIFY_THROWS_EXCEPTION(Error, store->delete_title_text(review_id));
        QVERIFY_THROWS_EXCEPTION(Error, store->add_title_text(TitleText{0, title, "rumour", "", "", "x", ""}));
        QVERIFY_THROWS_EXCEPTION(Error, store->add_title_text(TitleText{0, title, "review", "", "", " \n ", ""}));
        QVERIFY_THROWS_EXCEPTION(Error, store->add_title_text(TitleText{0, other + 99, "review", "", "", "x", ""}));
        QCOMPARE(int(store->title_texts(title).size()), 2);
    }

    void badRunsSaveNothing_data() { add_backends(); }
    void badRunsSaveNothing() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "bad");
        ModelRunOutput out;
        out.model = "analysis";
        out.tags = {a_tag(0, "object", "person", 0.9), a_tag(0, "object", "", 0.5)};
        try {
            store->save_model_run(title, out);
            QFAIL("a tag without a label was saved");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("tag 1"), e.what());
        }
        out.tags.pop_back();
        out.chapters = {a_chapter(ChapterKind::Scene, 50, 10, "backwards")};
        QVERIFY_THROWS_EXCEPTION(Error, store->save_model_run(title, out));
        out.chapters.clear();
        QVERIFY_THROWS_EXCEPTION(Error, store->save_model_run(title + 99, out));  // no such title
        QVERIFY(store->tags(title).empty());
        QVERIFY(store->model_runs(title).empty());
    }

    void rerunReplacesProposalsAndKeepsDecisions_data() { add_backends(); }
    void rerunReplacesProposalsAndKeepsDecisions() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "rerun");
        ModelRunOutput first;
        first.model = "analysis";
        first.model_version = "1";
        first.tags = {a_tag(0, "object", "dog", 0.6), a_tag(0, "object", "cat", 0.5), a_tag(1, "mood", "calm", 0.4)};
        first.chapters = {a_chapter(ChapterKind::Scene, 0, 99, "s1"), a_chapter(ChapterKind::Scene, 100, 199, "s2")};
        first.artwork = {an_artwork(20, 0.9), an_artwork(150, 0.7)};
        store->save_model_run(title, first);
        ModelRunOutput other;  // another model's proposals are not touched by this model's re-run
        other.model = "objects";
        other.tags = {a_tag(3, "object", "car", 0.8)};
        store->save_model_run(title, other);

        auto tags = store->tags(title);
        const Tag dog = tags[0].label == "dog" ? tags[0] : tags[1];
        const Tag cat = tags[0].label == "cat" ? tags[0] : tags[1];
        QCOMPARE(dog.label, std::string("dog"));
        QVERIFY(store->review({"tag", dog.id, 1, "ann", ReviewAction::Accept}).applied);
        QVERIFY(store->review({"tag", cat.id, 1, "ann", ReviewAction::Reject}).applied);
        const auto chapters = store->chapters(title);
        QVERIFY(store->review({"chapter", chapters[1].id, 1, "ann", ReviewAction::Correct, "", 90, 199}).applied);
        const auto art = store->artwork_candidates(title);
        QVERIFY(store->review({"artwork", art[0].id, 1, "ann", ReviewAction::Accept}).applied);

        ModelRunOutput second;  // proposes the rejected cat again, a new bird, an overlapping scene, the same frame
        second.model = "analysis";
        second.model_version = "2";
        second.tags = {a_tag(0, "object", "cat", 0.9), a_tag(0, "object", "bird", 0.3)};
        second.chapters = {a_chapter(ChapterKind::Scene, 0, 119, "s1'"), a_chapter(ChapterKind::Scene, 140, 230, "x")};
        second.artwork = {an_artwork(20, 0.95), an_artwork(300, 0.6)};
        store->save_model_run(title, second);

        tags = store->tags(title);
        std::set<std::string> labels;
        for (const Tag& t : tags) labels.insert(t.label + ":" + to_string(t.state));
        QCOMPARE(labels, (std::set<std::string>{"dog:accepted", "cat:rejected", "bird:proposed", "car:proposed"}));
        const auto chapters2 = store->chapters(title);
        QCOMPARE(int(chapters2.size()), 2);  // the new s1' (0-119) and the corrected s2 (90-199), which covers most of 140-230
        QCOMPARE(chapters2[0].label, std::string("s1'"));
        QCOMPARE(chapters2[1].state, ReviewState::Corrected);
        QCOMPARE(chapters2[1].start_frame, int64_t(90));
        QCOMPARE(chapters2[1].start_s, 3.6);
        const auto art2 = store->artwork_candidates(title);
        QCOMPARE(int(art2.size()), 2);
        QCOMPARE(art2[0].id, art[0].id);  // the decided frame 20, kept as it was
        QCOMPARE(art2[1].frame_index, int64_t(300));
        // Evidence of a superseded run goes with it.
        ModelRunOutput seen;
        seen.model = "objects";
        seen.detections = {Detection{0, 0, 5, "dog", 0.9, 0.1, 0.1, 0.2, 0.2}};
        store->save_model_run(title, seen);
        seen.detections[0].label = "wolf";
        store->save_model_run(title, seen);
        QCOMPARE(int(store->detections(title).size()), 1);
        QCOMPARE(store->detections(title).at(0).label, std::string("wolf"));
        const auto runs = store->model_runs(title);
        QCOMPARE(int(runs.size()), 5);
        QCOMPARE(runs[0].status, std::string("superseded"));
        QCOMPARE(runs[1].status, std::string("superseded"));  // the other model's, superseded by its own re-runs
        QCOMPARE(runs[2].status, std::string("done"));
        QCOMPARE(runs[4].status, std::string("done"));
        QCOMPARE(int(store->review_events(title).size()), 4);
    }

    void reviewConflictsAddAndUndo_data() { add_backends(); }
    void reviewConflictsAddAndUndo() {
        OPEN_STORE(alice);
        auto bob = open_store(alice->url());
        const int64_t title = a_title(*alice, "review");
        ModelRunOutput out;
        out.model = "analysis";
        out.tags = {a_tag(0, "mood", "tense", 0.5)};
        alice->save_model_run(title, out);
        const Tag tag = alice->tags(title).at(0);

        ReviewResult a = alice->review({"tag", tag.id, 1, "alice", ReviewAction::Correct, "calm"});
        QVERIFY(a.applied);
        QCOMPARE(a.state, ReviewState::Corrected);
        QCOMPARE(a.version, int64_t(2));
        ReviewResult b = bob->review({"tag", tag.id, 1, "bob", ReviewAction::Reject});  // Bob saw version 1
        QVERIFY(!b.applied);
        QCOMPARE(b.version, int64_t(2));
        QVERIFY2(b.snapshot.find("\"calm\"") != std::string::npos, b.snapshot.c_str());  // he sees Alice's value
        QCOMPARE(bob->tags(title).at(0).label, std::string("calm"));

        ReviewResult u = bob->review({"tag", tag.id, 2, kHostile, ReviewAction::Undo, "", -1, -1, a.event_id});
        QVERIFY(u.applied);
        QCOMPARE(u.state, ReviewState::Proposed);
        QCOMPARE(alice->tags(title).at(0).label, std::string("tense"));
        QVERIFY_THROWS_EXCEPTION(Error, alice->review({"tag", tag.id, 3, "alice", ReviewAction::Correct}));
        QVERIFY_THROWS_EXCEPTION(Error, alice->review({"tag", tag.id + 50, 1, "alice", ReviewAction::Accept}));
        QVERIFY_THROWS_EXCEPTION(Error, alice->review({"shot", tag.id, 1, "alice", ReviewAction::Accept}));
        QVERIFY_THROWS_EXCEPTION(Error, alice->review({"tag", tag.id, 3, "", ReviewAction::Accept}));
        QCOMPARE(alice->tags(title).at(0).version, int64_t(3));

        // A person's own tag and chapter; undoing the add takes them out (rejected, the row stays for the log).
        Tag mine = a_tag(4, "object", kHostile, 0);
        mine.title_id = title;
        const int64_t added = alice->add_tag("alice", mine);
        Tag stored;
        for (const Tag& t : alice->tags(title))
            if (t.id == added) stored = t;
        QCOMPARE(stored.source, std::string("human"));
        QCOMPARE(stored.state, ReviewState::Accepted);
        QCOMPARE(stored.label, kHostile);
        Chapter ch = a_chapter(ChapterKind::Chapter, 250, 499, "Act two");
        ch.title_id = title;
        const int64_t chapter = alice->add_chapter("alice", ch);
        QVERIFY_THROWS_EXCEPTION(Error, alice->add_chapter("alice", a_chapter(ChapterKind::Chapter, 9, 3, "")));
        const auto events = alice->review_events(title);
        QCOMPARE(int(events.size()), 4);
        QCOMPARE(events[2].action, std::string("add"));
        QCOMPARE(events[3].entity, std::string("chapter"));
        QCOMPARE(events[1].reviewer, kHostile);
        QCOMPARE(events[1].undoes, a.event_id);
        QVERIFY(alice->review({"chapter", chapter, 1, "alice", ReviewAction::Undo, "", -1, -1, events[3].id}).applied);
        QCOMPARE(alice->chapters(title).at(0).state, ReviewState::Rejected);
        // Moving a chapter boundary outside the title is refused.
        QVERIFY_THROWS_EXCEPTION(Error,
                                 alice->review({"chapter", chapter, 2, "alice", ReviewAction::Correct, "", 0, 5000}));
    }

    void charactersNameMergeSplit_data() { add_backends(); }
    void charactersNameMergeSplit() {
        OPEN_STORE(store);
        const int64_t title = a_title(*store, "cast");
        ModelRunOutput faces;
        faces.model = "faces";
        for (int i = 0; i < 6; ++i) faces.faces.push_back(a_face(i * 10, i / 6.0f));
        store->save_model_run(title, faces);
        const auto f = store->faces(title);
        ModelRunOutput clusters;
        clusters.model = "characters";
        Character a, b;
        a.face_ids = {f[0].id, f[1].id, f[2].id};
        a.screen_time_s = 30;
        b.face_ids = {f[3].id, f[4].id, f[5].id};
        b.screen_time_s = 10;
        clusters.characters = {a, b};
        store->save_model_run(title, clusters);
        auto cast = store->characters(title);
        QCOMPARE(int(cast.size()), 2);
        const int64_t ca = cast[0].id, cb = cast[1].id;

        QVERIFY(store->review({"character", ca, 1, "dora", ReviewAction::Correct, kHostile}).applied);
        ReviewResult merged = store->merge_characters("dora", ca, 2, cb, 1);
        QVERIFY(merged.applied);
        cast = store->characters(title);
        QCOMPARE(cast[0].name, kHostile);
        QCOMPARE(int(cast[0].face_ids.size()), 6);
        QCOMPARE(cast[1].state, ReviewState::Rejected);
        QVERIFY(!store->merge_characters("dora", ca, 2, cb, 2).applied);  // stale version of `into`

        ReviewResult split = store->split_character("dora", ca, 3, {f[4].id, f[5].id});
        QVERIFY(split.applied);
        QVERIFY_THROWS_EXCEPTION(Error, store->split_character("dora", ca, 4, {f[4].id}));  // not its face any more
        cast = store->characters(title);
        QCOMPARE(int(cast.size()), 3);
        int with_two = 0;
        for (const Character& c : cast) with_two += c.face_ids.size() == 2 && c.source == "human";
        QCOMPARE(with_two, 1);

        // Undo the split: the faces go back, the split-off character is rejected.
        const auto events = store->review_events(title);
        QVERIFY(store->review({"character", ca, 4, "dora", ReviewAction::Undo, "", -1, -1, events.back().id}).applied);
        cast = store->characters(title);
        QCOMPARE(int(cast[0].face_ids.size()), 6);
        // Re-clustering keeps the faces a person placed: the new run's characters get only free faces.
        store->save_model_run(title, clusters);
        cast = store->characters(title);
        int named_faces = 0;
        for (const Character& c : cast)
            if (c.id == ca) named_faces = int(c.face_ids.size());
        QCOMPARE(named_faces, 6);
    }

    void ingestQueueGivesEachJobToOneWorker_data() { add_backends(); }
    void ingestQueueGivesEachJobToOneWorker() {
        OPEN_STORE(store);
        constexpr int kJobs = 40;
        for (int i = 0; i < kJobs; ++i) store->enqueue_ingest("/media/" + std::to_string(i) + "_" + kHostile + ".mp4");
        std::mutex m;
        std::vector<int64_t> claimed;
        std::atomic<int> failures = 0;
        std::vector<std::thread> workers;
        for (int w = 0; w < 4; ++w)
            workers.emplace_back([&, w] {
                try {
                    auto mine = open_store(store->url());
                    while (auto job = mine->claim_ingest_job("worker-" + std::to_string(w))) {
                        {
                            std::lock_guard lock(m);
                            claimed.push_back(job->id);
                        }
                        mine->heartbeat_ingest_job(job->id);
                        mine->finish_ingest_job(job->id, job->id % 5 ? JobState::Done : JobState::Failed, 0,
                                                job->id % 5 ? "" : kHostile);
                    }
                } catch (const std::exception& e) {
                    qWarning("%s", e.what());
                    ++failures;
                }
            });
        for (auto& t : workers) t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(int(claimed.size()), kJobs);
        QCOMPARE(int(std::set<int64_t>(claimed.begin(), claimed.end()).size()), kJobs);  // nobody got one twice
        const auto jobs = store->ingest_jobs();
        QCOMPARE(int(jobs.size()), kJobs);
        int failed = 0;
        for (const auto& j : jobs) {
            QCOMPARE(j.attempts, 1);
            QVERIFY(j.state == JobState::Done || j.state == JobState::Failed);
            if (j.state == JobState::Failed) {
                ++failed;
                QCOMPARE(j.message, kHostile);
            }
        }
        QCOMPARE(failed, kJobs / 5);
        QVERIFY(jobs[3].media_path.find(kHostile) != std::string::npos);

        // A worker that went silent gives its job back to the queue.
        const int64_t lost = store->enqueue_ingest("/media/lost.mp4");
        auto job = store->claim_ingest_job("dead-node");
        QCOMPARE(job->id, lost);
        QCOMPARE(store->requeue_stale_ingest_jobs(3600), 0);  // still fresh
        QTest::qWait(2100);
        QCOMPARE(store->requeue_stale_ingest_jobs(1), 1);
        job = store->claim_ingest_job("live-node");
        QCOMPARE(job->id, lost);
        QCOMPARE(job->attempts, 2);
        QVERIFY(!store->claim_ingest_job("live-node"));
    }
};

QTEST_GUILESS_MAIN(TestAnnotations)
#include "tst_annotations.moc"
