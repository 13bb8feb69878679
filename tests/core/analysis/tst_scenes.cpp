// Scenes, chapters and key scenes: the cut decisions (visual look-back, shared characters, speech across a cut,
// fades and black), the chapter dynamic programme and the key-scene peaks on hand-built facts with known answers;
// then a real title made by ffmpeg and ingested through the real CLI (three shots of one picture, a fade through
// black, three shots of another) that must give two scenes and two chapters split frame-exactly at the fade; and
// goldeneye, whose scene and chapter list is printed.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/analysis/characters.h"
#include "core/analysis/scenes.h"
#include "core/analysis/title_facts.h"
#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/cli_ingest.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {

const char* kSkimage = "/usr/lib/python3/dist-packages/skimage/data/";

Shot make_shot(int index, int64_t start, int64_t end, Transition t = Transition::Cut, double fps = 25) {
    Shot s;
    s.index = index;
    s.start_frame = start;
    s.end_frame = end;
    s.start_s = double(start) / fps;
    s.end_s = double(end) / fps;
    s.transition = index == 0 ? Transition::None : t;
    s.transition_start = s.transition_end = start;
    return s;
}

// Hand-built facts: one sampled frame in the middle of each shot, with a stored "frame" embedding `looks[i]`
// (a direction in 8-d), 2 s shots at 25 fps.
TitleFacts facts_of(const std::vector<int>& looks, const std::vector<Transition>& transitions = {}) {
    TitleFacts f;
    f.title.fps = 25;
    for (size_t i = 0; i < looks.size(); ++i) {
        const Transition t = i < transitions.size() ? transitions[i] : Transition::Cut;
        f.shots.push_back(make_shot(int(i), int64_t(i) * 50, int64_t(i + 1) * 50, t));
        FrameRecord fr;
        fr.id = int64_t(i) + 1;
        fr.shot_index = int(i);
        fr.frame_index = int64_t(i) * 50 + 25;
        fr.pts_s = double(fr.frame_index) / 25;
        fr.motion = 1.0;
        f.frames.push_back(fr);
        Embedding e;
        e.model = "test-visual";
        e.entity = "frame";
        e.entity_key = fr.frame_index;
        e.vector.assign(8, 0.05f);
        e.vector[size_t(looks[i])] = 1.0f;
        f.embeddings["test-visual"].push_back(e);
    }
    f.title.duration_s = f.shots.back().end_s;
    return f;
}

std::vector<const Chapter*> of_kind(const ModelRunOutput& out, ChapterKind k) {
    std::vector<const Chapter*> v;
    for (const Chapter& c : out.chapters)
        if (c.kind == k) v.push_back(&c);
    return v;
}

std::vector<int64_t> starts(const std::vector<const Chapter*>& v) {
    std::vector<int64_t> s;
    for (const Chapter* c : v) s.push_back(c->start_frame);
    return s;
}

void print(const ModelRunOutput& out, const char* what) {
    for (const Chapter& c : out.chapters)
        qInfo("%s %-8s %-40s frames %5lld-%5lld  %7.3f-%7.3f s  conf %.2f  %s", what, to_string(c.kind), c.label.c_str(),
              (long long)c.start_frame, (long long)c.end_frame, c.start_s, c.end_s, c.confidence,
              c.evidence.substr(0, 260).c_str());
}

QString still_clip(const QString& picture, const QString& filter, const QString& out, int frames) {
    return run_ffmpeg({"-loop", "1", "-framerate", "25", "-i", picture, "-vf", filter + ",scale=640:480,setsar=1,format=yuv420p",
                       "-frames:v", QString::number(frames), "-c:v", "libx264", "-preset", "veryfast", out});
}

// Distances between consecutive shots' colour descriptors and embeddings (what the thresholds were chosen from).
void print_shot_distances(const TitleFacts& facts, const char* what) {
    std::vector<std::vector<float>> colour, emb;
    for (const Shot& s : facts.shots) {
        std::vector<float> c, e;
        for (const FrameRecord* f : facts.frames_of(s.index)) {
            if (c.empty() && facts.thumbnail) {
                const RgbImage img = facts.thumbnail(f->id);
                c = colour_descriptor(img, f->active.x, f->active.y, f->active.width, f->active.height);
            }
            for (const auto& [model, rows] : facts.embeddings)
                for (const Embedding& r : rows)
                    if (e.empty() && r.entity == "frame" && r.entity_key == f->frame_index) e = r.vector;
        }
        colour.push_back(c);
        emb.push_back(e);
    }
    auto d = [](const std::vector<float>& a, const std::vector<float>& b) {
        if (a.empty() || a.size() != b.size()) return -1.0;
        double ab = 0, aa = 0, bb = 0;
        for (size_t i = 0; i < a.size(); ++i) ab += a[i] * b[i], aa += a[i] * a[i], bb += b[i] * b[i];
        return 1 - ab / std::sqrt(aa * bb);
    };
    for (size_t i = 0; i < facts.shots.size(); ++i) {
        QString line = QString("%1 shot %2 colour:").arg(what).arg(i);
        for (size_t j = 0; j < facts.shots.size(); ++j) line += QString(" %1").arg(d(colour[i], colour[j]), 5, 'f', 2);
        line += "  embedding:";
        for (size_t j = 0; j < facts.shots.size(); ++j) line += QString(" %1").arg(d(emb[i], emb[j]), 5, 'f', 2);
        qInfo("%s", qPrintable(line));
    }
}

}  // namespace

class TestScenes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void visualLookBackAndFadeMakeScenesAndChapters() {
        // Looks 0 0 3 3 | fade | 2 2: scenes [0,1], [2,3], [4,5]; the last begins at the fade.
        TitleFacts f = facts_of({0, 0, 3, 3, 2, 2}, {Transition::None, Transition::Cut, Transition::Cut, Transition::Cut,
                                                     Transition::Fade, Transition::Cut});
        f.shots[4].transition_start = 190;
        f.shots[4].transition_end = 210;
        ChapterOptions o;
        o.measure_audio = false;
        ModelRunOutput out;
        derive_chapters(f, out, o);
        print(out, "hand");
        const auto scenes = of_kind(out, ChapterKind::Scene);
        QCOMPARE(starts(scenes), (std::vector<int64_t>{0, 100, 200}));
        QCOMPARE(scenes[0]->end_frame, int64_t(99));
        QCOMPARE(scenes[2]->end_frame, int64_t(299));
        QCOMPARE(scenes[2]->end_s, 12.0);
        QCOMPARE(scenes[1]->label, std::string("Scene 2"));
        const nlohmann::json ev = nlohmann::json::parse(scenes[2]->evidence);
        QCOMPARE(ev["start"][0]["break"].get<std::string>(), std::string("fade"));
        QCOMPARE(ev["visual"].get<std::string>(), std::string("embedding:test-visual"));
        // Chapters: 12 s title, target max(5 % x 12, 5) = 5 s, min 2 s: the fade is a chapter break; the plain scene
        // change at 4 s too, as 4 + 4 s are nearer the target than 8 s.
        const auto chapters = of_kind(out, ChapterKind::Chapter);
        QCOMPARE(starts(chapters), (std::vector<int64_t>{0, 100, 200}));
        QCOMPARE(chapters[1]->label, std::string("Chapter 2"));
        QVERIFY(chapters[2]->confidence > chapters[1]->confidence);  // begins at a fade
    }

    void lookBackLinksAShotReverseShotOnlyWithSpeechOrCharacters() {
        // A B A B: B looks like nothing before it, so without other evidence every cut breaks.
        TitleFacts f = facts_of({0, 1, 0, 1});
        ChapterOptions o;
        o.measure_audio = false;
        ModelRunOutput alone;
        derive_chapters(f, alone, o);
        QCOMPARE(of_kind(alone, ChapterKind::Scene).size(), size_t(4));
        // Speech running across the first cut (2 s): B joins A's scene, then the look-back links A to A and B to B.
        AudioSegment talk;
        talk.kind = "speech";
        talk.start_s = 1.0;
        talk.end_s = 3.0;
        f.audio_segments = {talk};
        ModelRunOutput speech;
        derive_chapters(f, speech, o);
        print(speech, "speech");
        QCOMPARE(of_kind(speech, ChapterKind::Scene).size(), size_t(1));
        // Speech that stops 0.1 s after the cut does not bridge it (speech_bridge_s 0.3).
        f.audio_segments[0].end_s = 2.1;
        ModelRunOutput short_talk;
        derive_chapters(f, short_talk, o);
        QCOMPARE(of_kind(short_talk, ChapterKind::Scene).size(), size_t(4));
        // A character seen in shots 0 and 1 links them instead.
        f.audio_segments.clear();
        ModelRunOutput chars;
        Character c;
        c.face_ids = {1, 2};
        c.confidence = 0.8;
        chars.characters = {c};
        Face a, b;
        a.id = 1;
        a.frame_index = 25;
        b.id = 2;
        b.frame_index = 75;
        f.faces = {a, b};
        derive_chapters(f, chars, o);
        QCOMPARE(of_kind(chars, ChapterKind::Scene).size(), size_t(1));
        // ... and its first appearance is a key scene.
        const auto keys = of_kind(chars, ChapterKind::KeyScene);
        QCOMPARE(keys.size(), size_t(1));
        QCOMPARE(keys[0]->label, std::string("first appearance: character 1"));
        QCOMPARE(keys[0]->start_frame, int64_t(0));
        QCOMPARE(keys[0]->end_frame, int64_t(49));
    }

    void blackMarkerAndSilenceBreakEvenWhenShotsLookAlike() {
        TitleFacts f = facts_of({0, 0, 0, 0});
        Marker m;
        m.kind = CueKind::Black;
        m.start_frame = 95;
        m.end_frame = 99;
        m.start_s = 3.8;
        m.end_s = 4.0;
        f.markers = {m};
        ChapterOptions o;
        o.measure_audio = false;
        ModelRunOutput out;
        derive_chapters(f, out, o);
        QCOMPARE(starts(of_kind(out, ChapterKind::Scene)), (std::vector<int64_t>{0, 100}));
        QCOMPARE(starts(of_kind(out, ChapterKind::Chapter)), (std::vector<int64_t>{0, 100}));
    }

    void chaptersKeepToTheirLengthsAndTakeTheFade() {
        // A 10 min title of 30 different-looking 20 s scenes (one 20 s shot each), a fade before scene 17 (at 320 s).
        // target 5 % = 30 s, min 2 % = 12 s, max 10 % = 60 s.
        std::vector<int> looks;
        std::vector<Transition> tr;
        for (int i = 0; i < 30; ++i) {
            looks.push_back(i % 8);
            tr.push_back(i == 16 ? Transition::Fade : Transition::Cut);
        }
        TitleFacts f = facts_of(looks, tr);
        for (size_t i = 0; i < f.shots.size(); ++i) {  // stretch to 20 s a shot
            f.shots[i].start_frame = int64_t(i) * 500;
            f.shots[i].end_frame = int64_t(i + 1) * 500;
            f.shots[i].start_s = double(i) * 20;
            f.shots[i].end_s = double(i + 1) * 20;
            f.frames[i].frame_index = int64_t(i) * 500 + 250;
            f.embeddings["test-visual"][i].entity_key = f.frames[i].frame_index;
        }
        f.title.duration_s = 600;
        ChapterOptions o;
        o.measure_audio = false;
        o.lookback_shots = 1;  // looks repeat every 8 shots; keep them apart
        ModelRunOutput out;
        derive_chapters(f, out, o);
        QCOMPARE(of_kind(out, ChapterKind::Scene).size(), size_t(30));
        const auto chapters = of_kind(out, ChapterKind::Chapter);
        bool fade_taken = false;
        for (const Chapter* c : chapters) {
            const double d = c->end_s - c->start_s;
            QVERIFY2(d >= 12 && d <= 60, qPrintable(QString::number(d)));
            fade_taken = fade_taken || c->start_frame == 16 * 500;
        }
        QVERIFY(fade_taken);
        QVERIFY(chapters.size() >= 10 && chapters.size() <= 30);
        QCOMPARE(chapters.front()->start_frame, int64_t(0));
        QCOMPARE(chapters.back()->end_frame, int64_t(30 * 500 - 1));
    }

    void keyScenesAtMotionAndEmotionPeaks() {
        TitleFacts f = facts_of({0, 1, 2, 3, 4, 5, 6, 7});
        const double motion[] = {1.0, 1.2, 0.9, 9.0, 1.1, 1.0, 1.3, 0.8};
        for (size_t i = 0; i < 8; ++i) f.frames[i].motion = motion[i];
        Face angry;
        angry.id = 5;
        angry.frame_index = f.frames[6].frame_index;
        angry.expression = "angry";
        angry.expression_score = 0.95;
        Face calm = angry;
        calm.id = 6;
        calm.frame_index = f.frames[1].frame_index;
        calm.expression = "neutral";
        f.faces = {angry, calm};
        ChapterOptions o;
        o.measure_audio = false;
        ModelRunOutput out;
        out.characters.push_back(Character{});  // a character without faces: no first appearance
        derive_chapters(f, out, o);
        print(out, "peaks");
        const auto keys = of_kind(out, ChapterKind::KeyScene);
        QCOMPARE(keys.size(), size_t(2));
        QCOMPARE(keys[0]->label, std::string("motion peak"));
        QCOMPARE(keys[0]->start_frame, int64_t(150));
        QCOMPARE(keys[0]->end_frame, int64_t(199));
        QCOMPARE(keys[0]->start_s, 6.0);
        QCOMPARE(keys[1]->label, std::string("emotion peak"));
        QCOMPARE(keys[1]->start_frame, int64_t(300));
        // Bad options and empty facts.
        ModelRunOutput none;
        derive_chapters(TitleFacts{}, none);
        QVERIFY(none.chapters.empty());
        ChapterOptions bad;
        bad.lookback_shots = 0;
        QVERIFY_THROWS_EXCEPTION(Error, derive_chapters(f, none, bad));
        bad = ChapterOptions{};
        bad.min_share = 0.5;
        QVERIFY_THROWS_EXCEPTION(Error, derive_chapters(f, none, bad));
    }

    void realFadeToBlackSeparatesTwoChapters() {
        const QString coffee = QString(kSkimage) + "coffee.png", chelsea = QString(kSkimage) + "chelsea.png";
        if (!QFileInfo::exists(coffee) || !QFileInfo::exists(chelsea)) QSKIP("needs python3-skimage's pictures");
        QTemporaryDir dir;
        // Scene 1: three framings of the coffee cup, 2 s each (frames 0-149), the last fading out over its final
        // 0.5 s (frames 137-149); 0.48 s of black (150-161); scene 2: three framings of the cat, the first fading in
        // over 0.5 s (162-174). 312 frames.
        const QStringList c = {"crop=600:400:0:0", "crop=300:225:150:100", "crop=400:300:0:100"};
        const QStringList k = {"crop=400:300:0:0", "crop=200:150:100:50", "crop=300:225:151:75"};
        QStringList inputs;
        for (int i = 0; i < 3; ++i) {
            const QString p = dir.filePath(QString("c%1.mp4").arg(i));
            QString err = still_clip(coffee, c[i], p, 50);
            QVERIFY2(err.isEmpty(), qPrintable(err));
            inputs << "-i" << p;
        }
        inputs << "-f" << "lavfi" << "-i" << "color=black:s=640x480:r=25:d=0.48";
        for (int i = 0; i < 3; ++i) {
            const QString p = dir.filePath(QString("k%1.mp4").arg(i));
            QString err = still_clip(chelsea, k[i], p, 50);
            QVERIFY2(err.isEmpty(), qPrintable(err));
            inputs << "-i" << p;
        }
        const QString title = dir.filePath("fade.mp4");
        QString err = run_ffmpeg(inputs + QStringList{
            "-filter_complex",
            "[2:v]fade=t=out:st=1.5:d=0.5[c3];[4:v]fade=t=in:st=0:d=0.5[k1];[3:v]format=yuv420p,setsar=1[bk];"
            "[0:v][1:v][c3][bk][k1][5:v][6:v]concat=n=7:v=1:a=0[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", "25", title});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QString db = dir.filePath("t.db");
        std::vector<int64_t> ids;
        FRAMELINE_CLI_INGEST(QStringList{title}, db, ids);
        std::unique_ptr<Store> store = open_store(db.toStdString());
        const TitleFacts facts = load_title_facts(*store, ids[0]);
        QCOMPARE(facts.title.frame_count, int64_t(312));
        print_shot_distances(facts, "fade");
        const Shot* fade = nullptr;
        for (const Shot& s : facts.shots)
            if (s.transition == Transition::Fade) fade = &s;
        QVERIFY2(fade, "the shot detector found no fade");
        qInfo("fade: shot %d starts at frame %lld, span %lld-%lld", fade->index, (long long)fade->start_frame,
              (long long)fade->transition_start, (long long)fade->transition_end);

        for (bool embeddings : {true, false}) {
            ChapterOptions o;
            o.use_embeddings = embeddings;
            ModelRunOutput out;
            derive_characters(facts, out);
            derive_chapters(facts, out, o);
            print(out, embeddings ? "fade/embedding" : "fade/colour");
            const auto scenes = of_kind(out, ChapterKind::Scene);
            const auto chapters = of_kind(out, ChapterKind::Chapter);
            QCOMPARE(scenes.size(), size_t(2));
            QCOMPARE(chapters.size(), size_t(2));
            // Split exactly where the detector put the fade's boundary, inside the fade's span and between the start of
            // the black (150) and the end of the fade-in (174); the chapters cover the title without gap or overlap.
            QCOMPARE(chapters[1]->start_frame, fade->start_frame);
            QCOMPARE(chapters[0]->end_frame, fade->start_frame - 1);
            QVERIFY(fade->start_frame >= fade->transition_start && fade->start_frame <= fade->transition_end);
            QVERIFY(fade->start_frame >= 150 && fade->start_frame <= 174);
            QCOMPARE(chapters[0]->start_frame, int64_t(0));
            QCOMPARE(chapters[1]->end_frame, int64_t(311));
            QCOMPARE(chapters[1]->start_s, fade->start_s);
            QCOMPARE(chapters[1]->end_s, facts.shots.back().end_s);
            QCOMPARE(scenes[1]->start_frame, fade->start_frame);
        }
    }

    void goldeneyeScenesAndChapters() {
        const QString goldeneye = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (goldeneye.isEmpty()) QSKIP(testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
        QTemporaryDir dir;
        const QString db = dir.filePath("g.db");
        std::vector<int64_t> ids;
        FRAMELINE_CLI_INGEST(QStringList{goldeneye}, db, ids);
        std::unique_ptr<Store> store = open_store(db.toStdString());
        const TitleFacts facts = load_title_facts(*store, ids[0]);
        print_shot_distances(facts, "goldeneye");
        for (const Shot& s : facts.shots)
            qInfo("goldeneye shot %d: frames %lld-%lld, %.3f-%.3f s, %s", s.index, (long long)s.start_frame,
                  (long long)s.end_frame - 1, s.start_s, s.end_s, to_string(s.transition));
        ModelRunOutput out;
        derive_characters(facts, out);
        derive_chapters(facts, out);
        print(out, "goldeneye");
        // The screen (shots 0-1: the avatar's two screens) and the woman and the man (last shot) are different
        // places: the last shot starts a scene. Scenes and chapters tile the title.
        const auto scenes = of_kind(out, ChapterKind::Scene);
        const auto chapters = of_kind(out, ChapterKind::Chapter);
        QVERIFY(scenes.size() >= 2);
        QCOMPARE(scenes.back()->start_frame, facts.shots.back().start_frame);
        for (const auto* list : {&scenes, &chapters}) {
            QCOMPARE(list->front()->start_frame, int64_t(0));
            QCOMPARE(list->back()->end_frame, facts.shots.back().end_frame - 1);
            for (size_t i = 1; i < list->size(); ++i) QCOMPARE((*list)[i]->start_frame, (*list)[i - 1]->end_frame + 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestScenes)
#include "tst_scenes.moc"
