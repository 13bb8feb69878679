#include "tests/support/review_fixture.h"

#include <QDir>
#include <QFileInfo>
#include <nlohmann/json.hpp>

#include "core/pipeline/ingest.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"

namespace frameline::test {

using nlohmann::json;

namespace {

Tag tag(int shot, const char* category, const char* label, double confidence, int64_t frame)
{
    Tag t;
    t.shot_index = shot;
    t.category = category;
    t.label = label;
    t.confidence = confidence;
    t.evidence = json{{"frames", json::array({frame})}, {"score", confidence}}.dump();
    return t;
}

Face face(int64_t frame, double x, std::vector<float> identity)
{
    Face f;
    f.frame_index = frame;
    f.x = x;
    f.y = 0.2;
    f.width = 0.25;
    f.height = 0.35;
    f.score = 0.9;
    f.expression = "neutral";
    f.expression_score = 0.8;
    f.age = 31;
    f.gender = "female";
    f.gender_score = 0.9;
    f.identity = std::move(identity);
    return f;
}

ArtworkCandidate artwork(int64_t frame, double score)
{
    ArtworkCandidate a;
    a.frame_index = frame;
    a.score = score;
    a.confidence = score;
    a.breakdown = json{{"sharpness", 0.8}, {"exposure", 0.7}, {"faces", 0.5}, {"composition", 0.6}}.dump();
    a.crops = json{{"16:9", {0.0, 0.06, 1.0, 0.84}}, {"2:3", {0.3, 0.0, 0.5, 1.0}}, {"1:1", {0.2, 0.0, 0.75, 1.0}}}.dump();
    a.evidence = json{{"frames", json::array({frame})}}.dump();
    return a;
}

}  // namespace

QString make_review_fixture(const QString& dir, ReviewFixture* out)
{
    ReviewFixture f;
    f.clip_path = QDir(dir).filePath(QStringLiteral("review.mp4"));
    const QString made = make_cut_clip(f.clip_path, 4, 25, 25);
    if (!QFileInfo(f.clip_path).isFile()) return QStringLiteral("make_cut_clip: ") + made;
    f.db_path = QDir(dir).filePath(QStringLiteral("review.db"));
    try {
        f.store = open_store(f.db_path.toStdString());
        const IngestResult ingested = ingest_file(f.clip_path.toStdString(), *f.store, IngestOptions{}, {});
        f.title_id = ingested.title_id;
        if (ingested.shots != 4) return QStringLiteral("expected 4 shots, the ingest found %1").arg(ingested.shots);
        std::vector<int64_t> shot_frame(4, -1);
        for (const FrameRecord& fr : f.store->frames(f.title_id)) {
            f.frame_indices.push_back(fr.frame_index);
            if (fr.shot_index >= 0 && fr.shot_index < 4 && shot_frame[fr.shot_index] < 0)
                shot_frame[fr.shot_index] = fr.frame_index;
        }
        for (int64_t s : shot_frame)
            if (s < 0) return QStringLiteral("a shot without a sampled frame");

        // The faces first, as the model zoo saves them; the characters name them by id.
        ModelRunOutput faces;
        faces.model = "faces";
        faces.model_version = "fixture";
        faces.faces = {face(shot_frame[0], 0.10, {1, 0, 0, 0}), face(shot_frame[1], 0.12, {0.98f, 0.1f, 0, 0}),
                       face(shot_frame[2], 0.15, {0.97f, 0, 0.1f, 0}), face(shot_frame[3], 0.11, {0.99f, 0, 0, 0.1f}),
                       face(shot_frame[1], 0.60, {0, 1, 0, 0}), face(shot_frame[3], 0.62, {0, 0.98f, 0.1f, 0})};
        for (int64_t fi : f.frame_indices) {
            Embedding e;
            e.model = "visual";
            e.entity = "frame";
            e.entity_key = fi;
            e.vector = {float(fi % 7), float(fi % 5), 1.0f, float(fi % 3)};
            faces.embeddings.push_back(e);
        }
        AudioSegment speech;
        speech.kind = "speech";
        speech.start_s = 0.4;
        speech.end_s = 1.6;
        speech.confidence = 0.9;
        AudioSegment music = speech;
        music.kind = "music";
        music.start_s = 2.0;
        music.end_s = 3.8;
        faces.audio_segments = {speech, music};
        f.store->save_model_run(f.title_id, faces);
        for (const Face& stored : f.store->faces(f.title_id)) f.face_ids.push_back(stored.id);
        if (f.face_ids.size() != 6) return QStringLiteral("expected 6 stored faces");

        ModelRunOutput analysis;
        analysis.model = "analysis";
        analysis.model_version = "fixture";
        analysis.tags = {tag(0, "object", "car", 0.91, shot_frame[0]),     tag(1, "object", "dog", 0.55, shot_frame[1]),
                         tag(-1, "mood", "tense", 0.42, shot_frame[2]),    tag(2, "expression", "happy", 0.73, shot_frame[2]),
                         tag(-1, "colour", "warm", 0.66, shot_frame[0]),   tag(3, "shot_scale", "close-up", 0.35, shot_frame[3])};
        Character a;
        a.confidence = 0.8;
        a.screen_time_s = 3.2;
        a.best_face_id = f.face_ids[0];
        a.face_ids = {f.face_ids[0], f.face_ids[1], f.face_ids[2], f.face_ids[3]};
        Character b;
        b.confidence = 0.6;
        b.screen_time_s = 1.4;
        b.best_face_id = f.face_ids[4];
        b.face_ids = {f.face_ids[4], f.face_ids[5]};
        analysis.characters = {a, b};
        Chapter opening;
        opening.kind = ChapterKind::Chapter;
        opening.start_frame = 0;
        opening.end_frame = 49;
        opening.start_s = 0;
        opening.end_s = 2.0;
        opening.label = "Opening";
        opening.confidence = 0.7;
        Chapter ending = opening;
        ending.start_frame = 50;
        ending.end_frame = 99;
        ending.start_s = 2.0;
        ending.end_s = 4.0;
        ending.label = "Ending";
        Chapter key = opening;
        key.kind = ChapterKind::KeyScene;
        key.start_frame = 25;
        key.end_frame = 49;
        key.start_s = 1.0;
        key.end_s = 2.0;
        key.label = "Key scene";
        analysis.chapters = {opening, ending, key};
        analysis.artwork = {artwork(shot_frame[0], 0.82), artwork(shot_frame[2], 0.64), artwork(shot_frame[3], 0.51)};
        f.store->save_model_run(f.title_id, analysis);

        for (const Tag& t : f.store->tags(f.title_id)) f.tag_ids.push_back(t.id);
        for (const Character& c : f.store->characters(f.title_id)) f.character_ids.push_back(c.id);
        for (const Chapter& c : f.store->chapters(f.title_id)) f.chapter_ids.push_back(c.id);
        for (const ArtworkCandidate& w : f.store->artwork_candidates(f.title_id)) f.artwork_ids.push_back(w.id);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    if (f.tag_ids.size() != 6 || f.character_ids.size() != 2 || f.chapter_ids.size() != 3 || f.artwork_ids.size() != 3)
        return QStringLiteral("the fixture's proposals were not all stored");
    *out = std::move(f);
    return {};
}

}  // namespace frameline::test
