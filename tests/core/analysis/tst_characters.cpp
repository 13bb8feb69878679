// Characters: agglomerative clustering of face identity vectors under a distance threshold, screen time from
// sampled frames, ranking and best face, on hand-built facts with known answers; then on real titles made through
// the real CLI ingest (the model zoo): two real faces alternating A B A B A, and a title of five astronaut framings
// interleaved with four frames of goldeneye's woman-and-man shot (frames 140-158). The second one is where the
// threshold (core/analysis/characters.h) was measured: it prints every pairwise distance.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "core/analysis/characters.h"
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

std::vector<float> unit(std::vector<float> v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    for (float& x : v) x = float(x / std::sqrt(s));
    return v;
}

// A person: a random direction in 1024-d; a face of them: that direction plus noise, unit length. With noise 0.5
// per component against the base's 1/sqrt(1024), faces of one person sit ~0.2 apart (cosine distance), like the
// real ones measured below; two persons ~1.0.
struct People {
    std::mt19937 rng{42};
    std::vector<float> person() {
        std::normal_distribution<float> n(0, 1);
        std::vector<float> v(1024);
        for (float& x : v) x = n(rng);
        return unit(v);
    }
    std::vector<float> face(const std::vector<float>& base, double noise = 0.5) {
        std::normal_distribution<float> n(0, float(noise / std::sqrt(1024.0)));
        std::vector<float> v = base;
        for (float& x : v) x += n(rng);
        return unit(v);
    }
};

Shot make_shot(int index, int64_t start, int64_t end, double fps = 25) {
    Shot s;
    s.index = index;
    s.start_frame = start;
    s.end_frame = end;
    s.start_s = double(start) / fps;
    s.end_s = double(end) / fps;
    s.transition = index == 0 ? Transition::None : Transition::Cut;
    return s;
}

FrameRecord make_frame(int64_t id, int shot, int64_t index, double fps = 25) {
    FrameRecord f;
    f.id = id;
    f.shot_index = shot;
    f.frame_index = index;
    f.pts_s = double(index) / fps;
    return f;
}

// Landmarks of a face: frontal (nose halfway between the eyes, ears equally far) or turned (nose next to one eye).
std::string landmarks(bool frontal) {
    return frontal ? "[[0.4,0.4],[0.6,0.4],[0.5,0.5],[0.5,0.6],[0.3,0.45],[0.7,0.45]]"
                   : "[[0.4,0.4],[0.6,0.4],[0.58,0.5],[0.55,0.6],[0.3,0.45],[0.6,0.45]]";
}

Face make_face(int64_t id, int64_t frame, std::vector<float> identity, double height = 0.3, double score = 0.95,
               bool frontal = true) {
    Face f;
    f.id = id;
    f.frame_index = frame;
    f.x = 0.3;
    f.y = 0.2;
    f.width = height * 0.75;
    f.height = height;
    f.score = score;
    f.landmarks = landmarks(frontal);
    f.identity = std::move(identity);
    return f;
}

// A still picture held for `frames` frames at 25 fps (640 px wide), optionally with a slow zoom (2 % a second).
QString still_clip(const QString& picture, const QString& filter, const QString& out, int frames, bool zoom) {
    QString vf = filter + ",setsar=1";
    if (zoom)
        vf += QString(",zoompan=z='1+0.0008*on':d=%1:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=640x480:fps=25").arg(frames);
    vf += ",format=yuv420p";
    QStringList args;
    if (!zoom) args << "-loop" << "1" << "-framerate" << "25";
    args << "-i" << picture << "-vf" << vf << "-frames:v" << QString::number(frames) << "-c:v" << "libx264"
         << "-preset" << "veryfast" << out;
    return run_ffmpeg(args);
}

QString concat_clips(const QStringList& clips, const QString& out) {
    QStringList args;
    QString fc;
    for (int i = 0; i < clips.size(); ++i) {
        args << "-i" << clips[i];
        fc += QString("[%1:v]").arg(i);
    }
    fc += QString("concat=n=%1:v=1:a=0[v]").arg(clips.size());
    args << "-filter_complex" << fc << "-map" << "[v]" << "-c:v" << "libx264" << "-preset" << "veryfast" << "-pix_fmt"
         << "yuv420p" << "-r" << "25" << out;
    return run_ffmpeg(args);
}

nlohmann::json evidence(const Proposal& p) { return nlohmann::json::parse(p.evidence); }

}  // namespace

class TestCharacters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clusteringRespectsTheThresholdExactly() {
        // Two 2-d unit vectors at cosine distance d = 1 - cos(theta): one cluster when threshold >= d.
        const double d = 0.3;
        const double th = std::acos(1 - d);
        const std::vector<std::vector<float>> v = {{1, 0}, {float(std::cos(th)), float(std::sin(th))}};
        QCOMPARE(cluster_agglomerative(v, {}, d + 1e-4, Linkage::Average).size(), size_t(1));
        QCOMPARE(cluster_agglomerative(v, {}, d - 1e-4, Linkage::Average).size(), size_t(2));
        // Same vectors, same frame: never one person.
        QCOMPARE(cluster_agglomerative(v, {7, 7}, 2.0, Linkage::Average).size(), size_t(2));
        QCOMPARE(cluster_agglomerative({{1, 0}, {1, 0}}, {3, 3}, 2.0, Linkage::Complete).size(), size_t(2));
        // A chain a - b - c, 0.2 apart at each step, a - c 0.72: average linkage joins c to {a, b} at (0.2 + 0.72) / 2
        // = 0.46, complete linkage would need 0.72. Threshold 0.5 separates the two linkages.
        const double t2 = std::acos(0.8);
        const std::vector<std::vector<float>> chain = {
            {1, 0}, {float(std::cos(t2)), float(std::sin(t2))}, {float(std::cos(2 * t2)), float(std::sin(2 * t2))}};
        QCOMPARE(cluster_agglomerative(chain, {}, 0.5, Linkage::Average).size(), size_t(1));
        QCOMPARE(cluster_agglomerative(chain, {}, 0.5, Linkage::Complete).size(), size_t(2));
        QCOMPARE(cluster_agglomerative(chain, {}, 0.45, Linkage::Average).size(), size_t(2));
        // Clusters come in order of their smallest member, members sorted.
        const auto two = cluster_agglomerative({{0, 1}, {1, 0}, {0, 1}}, {}, 0.1, Linkage::Average);
        QCOMPARE(two.size(), size_t(2));
        QCOMPARE(two[0], (std::vector<size_t>{0, 2}));
        QCOMPARE(two[1], (std::vector<size_t>{1}));
        QVERIFY_THROWS_EXCEPTION(Error, cluster_agglomerative({{1, 0}, {1, 0, 0}}, {}, 0.5, Linkage::Average));
        QVERIFY_THROWS_EXCEPTION(Error, cluster_agglomerative({{1, 0}}, {1, 2}, 0.5, Linkage::Average));
    }

    void manyFacesOfThreePeopleGiveThreeClusters() {
        People people;
        const auto a = people.person(), b = people.person(), c = people.person();
        std::vector<std::vector<float>> v;
        std::vector<int> truth;
        for (int i = 0; i < 60; ++i) {
            const int who = i % 3;
            v.push_back(people.face(who == 0 ? a : who == 1 ? b : c));
            truth.push_back(who);
        }
        const auto clusters = cluster_agglomerative(v, {}, 0.37, Linkage::Average);
        QCOMPARE(clusters.size(), size_t(3));
        for (const auto& cl : clusters) {
            QCOMPARE(cl.size(), size_t(20));
            for (size_t i : cl) QCOMPARE(truth[i], truth[cl[0]]);
        }
    }

    void frontalityFromKeypoints() {
        QVERIFY(std::abs(face_frontality(landmarks(true)) - 1.0) < 1e-9);
        const double turned = face_frontality(landmarks(false));
        QVERIFY2(turned < 0.3, qPrintable(QString::number(turned)));
        QCOMPARE(face_frontality("not json"), 0.5);
        QCOMPARE(face_frontality("[]"), 0.5);
    }

    void handBuiltTitleGivesCharactersWithScreenTimes() {
        // Shots at 25 fps: 0 [0,100) 4 s sampled at 10 and 60; 1 [100,150) 2 s sampled at 120; 2 [150,250) 4 s sampled at
        // 160 and 210. Person A in 10, 60, 160 (4 s + half of 4 s = 6 s); B in 120 and 210 (2 s + 2 s = 4 s); C, one big clear
        // face in 120 (2 s, single frame: low confidence); a small doubtful face in 60 (noise, dropped).
        People people;
        const auto A = people.person(), B = people.person(), C = people.person(), N = people.person();
        TitleFacts facts;
        facts.title.fps = 25;
        facts.title.duration_s = 10;
        facts.shots = {make_shot(0, 0, 100), make_shot(1, 100, 150), make_shot(2, 150, 250)};
        facts.frames = {make_frame(1, 0, 10), make_frame(2, 0, 60), make_frame(3, 1, 120), make_frame(4, 2, 160),
                        make_frame(5, 2, 210)};
        facts.faces = {make_face(11, 10, people.face(A), 0.35, 0.95, false),  // A's biggest face, but turned away
                       make_face(12, 60, people.face(A), 0.30, 0.95, true),   // A frontal: the best face
                       make_face(13, 160, people.face(A), 0.20),
                       make_face(21, 120, people.face(B), 0.25),
                       make_face(22, 210, people.face(B), 0.25),
                       make_face(31, 120, people.face(C), 0.30, 0.9),
                       make_face(41, 60, people.face(N), 0.03, 0.6)};
        ModelRunOutput out;
        derive_characters(facts, out);
        QCOMPARE(out.characters.size(), size_t(3));
        const Character &a = out.characters[0], &b = out.characters[1], &c = out.characters[2];
        QCOMPARE(a.face_ids, (std::vector<int64_t>{11, 12, 13}));
        QCOMPARE(b.face_ids, (std::vector<int64_t>{21, 22}));
        QCOMPARE(c.face_ids, (std::vector<int64_t>{31}));
        QVERIFY(std::abs(a.screen_time_s - 6.0) < 1e-9);
        QVERIFY(std::abs(b.screen_time_s - 4.0) < 1e-9);
        QVERIFY(std::abs(c.screen_time_s - 2.0) < 1e-9);
        QCOMPARE(a.best_face_id, int64_t(12));
        QVERIFY(c.confidence <= 0.3 && a.confidence > c.confidence && b.confidence > c.confidence);
        const nlohmann::json ea = evidence(a);
        QCOMPARE(ea["rank"].get<int>(), 1);
        QCOMPARE(ea["frames"].get<std::vector<int64_t>>(), (std::vector<int64_t>{10, 60, 160}));
        QCOMPARE(ea["shots"].size(), size_t(2));
        QCOMPARE(ea["shots"][1]["sampled_frames"].get<int>(), 2);
        QCOMPARE(ea["shots"][1]["frames_with_character"].get<int>(), 1);
        QCOMPARE(ea["best_face"]["face"].get<int64_t>(), int64_t(12));
        QVERIFY(evidence(c)["single_frame"].get<bool>());

        // Without one-frame characters, C goes; with a tight threshold, nobody's faces join.
        CharacterOptions strict;
        strict.keep_single_frame = false;
        ModelRunOutput out2;
        derive_characters(facts, out2, strict);
        QCOMPARE(out2.characters.size(), size_t(2));
        CharacterOptions tight;
        tight.distance_threshold = 0.05;
        tight.keep_single_frame = false;
        ModelRunOutput out3;
        derive_characters(facts, out3, tight);
        QCOMPARE(out3.characters.size(), size_t(0));

        // Bad input: one line, no crash.
        facts.faces.push_back(make_face(50, 210, std::vector<float>(192, 0.1f)));
        ModelRunOutput bad;
        QVERIFY_THROWS_EXCEPTION(Error, derive_characters(facts, bad));
        CharacterOptions nonsense;
        nonsense.distance_threshold = -1;
        QVERIFY_THROWS_EXCEPTION(Error, derive_characters(TitleFacts{}, bad, nonsense));
        ModelRunOutput none;
        derive_characters(TitleFacts{}, none);
        QVERIFY(none.characters.empty());
    }

    void overflowFacesJoinTheirNearestCluster() {
        // More faces than the clustering takes: the rest join by average distance (centroid), within the threshold.
        People people;
        const auto A = people.person(), B = people.person();
        TitleFacts facts;
        facts.shots = {make_shot(0, 0, 1000)};
        for (int i = 0; i < 40; ++i) {
            facts.frames.push_back(make_frame(i + 1, 0, i * 25));
            facts.faces.push_back(make_face(100 + i, i * 25, people.face(i % 2 ? B : A), 0.3 - 0.001 * i));
        }
        CharacterOptions o;
        o.max_clustered_faces = 10;
        ModelRunOutput out;
        derive_characters(facts, out, o);
        QCOMPARE(out.characters.size(), size_t(2));
        QCOMPARE(out.characters[0].face_ids.size() + out.characters[1].face_ids.size(), size_t(40));
        QVERIFY(std::abs(out.characters[0].screen_time_s - 20.0) < 1e-9);  // 20 of 40 sampled frames of a 40 s shot
    }

    void realTwoAlternatingFacesGiveTwoCharacters() {
        const QString goldeneye = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (goldeneye.isEmpty()) QSKIP(testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
        const QString astronaut = QString(kSkimage) + "astronaut.png";
        if (!QFileInfo::exists(astronaut)) QSKIP("needs python3-skimage's astronaut.png");
        QTemporaryDir dir;
        // A: the astronaut's face; B: the woman of goldeneye frame 150 (crop of her face). Stills with a slow zoom,
        // 2 s each, A B A B A: A is on screen 6 s, B 4 s.
        const QString frame150 = dir.filePath("g150.png");
        QString err = run_ffmpeg({"-i", goldeneye, "-vf", "select=eq(n\\,150)", "-vsync", "0", "-frames:v", "1", frame150});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QString a = dir.filePath("a.mp4"), b = dir.filePath("b.mp4");
        err = still_clip(astronaut, "crop=400:300:56:10,scale=640:480", a, 50, true);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        err = still_clip(frame150, "crop=400:300:540:20,scale=640:480", b, 50, true);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QString title = dir.filePath("two_faces.mp4");
        err = concat_clips({a, b, a, b, a}, title);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QString db = dir.filePath("t.db");
        std::vector<int64_t> ids;
        FRAMELINE_CLI_INGEST(QStringList{title}, db, ids);
        QCOMPARE(ids.size(), size_t(1));
        std::unique_ptr<Store> store = open_store(db.toStdString());
        const TitleFacts facts = load_title_facts(*store, ids[0]);
        QCOMPARE(facts.shots.size(), size_t(5));
        ModelRunOutput out;
        derive_characters(facts, out);
        for (const Character& c : out.characters)
            qInfo("character: %zu faces, %.2f s, best face %lld, confidence %.2f, %s", c.face_ids.size(), c.screen_time_s,
                  (long long)c.best_face_id, c.confidence, c.evidence.substr(0, 160).c_str());
        QCOMPARE(out.characters.size(), size_t(2));
        // A in shots 0, 2, 4 (6 s), B in shots 1, 3 (4 s): every 2 s shot is sampled once, the face is in it.
        QVERIFY2(std::abs(out.characters[0].screen_time_s - 6.0) < 0.05, qPrintable(QString::number(out.characters[0].screen_time_s)));
        QVERIFY2(std::abs(out.characters[1].screen_time_s - 4.0) < 0.05, qPrintable(QString::number(out.characters[1].screen_time_s)));
        std::vector<int> shots_a, shots_b;
        const nlohmann::json ea = evidence(out.characters[0]), eb = evidence(out.characters[1]);
        for (const auto& s : ea["shots"]) shots_a.push_back(s["shot"].get<int>());
        for (const auto& s : eb["shots"]) shots_b.push_back(s["shot"].get<int>());
        QCOMPARE(shots_a, (std::vector<int>{0, 2, 4}));
        QCOMPARE(shots_b, (std::vector<int>{1, 3}));
    }

    void realThreePeopleAndTheMeasuredThreshold() {
        // Five framings of the astronaut (crops and zooms) interleaved with goldeneye frames 140, 146, 152, 158 (the
        // woman and the man, moving), each held 1 s: astronaut 5 s, woman 4 s, man 4 s. Prints the distances behind
        // the threshold: same person vs different people.
        const QString goldeneye = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (goldeneye.isEmpty()) QSKIP(testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
        const QString astronaut = QString(kSkimage) + "astronaut.png";
        if (!QFileInfo::exists(astronaut)) QSKIP("needs python3-skimage's astronaut.png");
        QTemporaryDir dir;
        const QStringList crops = {"512:288:0:0", "400:225:56:10", "448:252:30:40", "512:288:0:60", "360:203:80:20"};
        const int film_frames[] = {140, 146, 152, 158};
        QStringList clips;
        for (int i = 0; i < 5; ++i) {
            const QString as = dir.filePath(QString("as%1.mp4").arg(i));
            QString err = still_clip(astronaut, "crop=" + crops[i] + ",scale=640:360", as, 25, false);
            QVERIFY2(err.isEmpty(), qPrintable(err));
            clips << as;
            if (i == 4) break;
            const QString png = dir.filePath(QString("g%1.png").arg(film_frames[i]));
            err = run_ffmpeg({"-i", goldeneye, "-vf", QString("select=eq(n\\,%1),scale=640:272,pad=640:360:0:44").arg(film_frames[i]),
                              "-vsync", "0", "-frames:v", "1", png});
            QVERIFY2(err.isEmpty(), qPrintable(err));
            const QString g = dir.filePath(QString("g%1.mp4").arg(i));
            err = still_clip(png, "null", g, 25, false);
            QVERIFY2(err.isEmpty(), qPrintable(err));
            clips << g;
        }
        const QString title = dir.filePath("trio.mp4");
        const QString err = concat_clips(clips, title);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QString db = dir.filePath("t.db");
        std::vector<int64_t> ids;
        FRAMELINE_CLI_INGEST(QStringList{title}, db, ids);
        std::unique_ptr<Store> store = open_store(db.toStdString());
        const TitleFacts facts = load_title_facts(*store, ids[0]);
        QCOMPARE(facts.shots.size(), size_t(9));
        // Who is who, by position: even shots are the astronaut; in odd shots the woman is the right-hand face
        // (x > 0.35 of the frame), the man the left-hand one.
        auto who = [&](const Face& f) {
            const Shot* s = facts.shot_at(f.frame_index);
            if (!s || s->index % 2 == 0) return 0;
            return f.x > 0.35 ? 1 : 2;
        };
        double same_max = 0, other_min = 2;
        std::map<std::pair<int, int>, std::pair<double, double>> range;  // (who, who) -> (min, max)
        for (size_t i = 0; i < facts.faces.size(); ++i)
            for (size_t j = i + 1; j < facts.faces.size(); ++j) {
                const Face &fi = facts.faces[i], &fj = facts.faces[j];
                if (fi.identity.empty() || fj.identity.empty() || fi.frame_index == fj.frame_index) continue;
                double dotp = 0;
                for (size_t k = 0; k < fi.identity.size(); ++k) dotp += double(fi.identity[k]) * fj.identity[k];
                const double d = 1 - dotp;
                const int wi = who(fi), wj = who(fj);
                auto& r = range.try_emplace({std::min(wi, wj), std::max(wi, wj)}, 2.0, 0.0).first->second;
                r = {std::min(r.first, d), std::max(r.second, d)};
                if (wi == wj) same_max = std::max(same_max, d);
                else other_min = std::min(other_min, d);
            }
        const char* names[] = {"astronaut", "woman", "man"};
        for (const auto& [k, r] : range)
            qInfo("cosine distance %s vs %s: %.3f .. %.3f", names[k.first], names[k.second], r.first, r.second);
        qInfo("same person at most %.3f, different people at least %.3f; threshold %.2f", same_max, other_min,
              CharacterOptions{}.distance_threshold);
        QCOMPARE(range.size(), size_t(6));
        QVERIFY(same_max < CharacterOptions{}.distance_threshold - 0.1);
        QVERIFY(other_min > CharacterOptions{}.distance_threshold + 0.1);

        ModelRunOutput out;
        derive_characters(facts, out);
        for (const Character& c : out.characters)
            qInfo("character: %zu faces, %.2f s, confidence %.2f, best face %lld", c.face_ids.size(), c.screen_time_s,
                  c.confidence, (long long)c.best_face_id);
        QCOMPARE(out.characters.size(), size_t(3));
        QVERIFY(std::abs(out.characters[0].screen_time_s - 5.0) < 0.05);
        QVERIFY(std::abs(out.characters[1].screen_time_s - 4.0) < 0.05);
        QVERIFY(std::abs(out.characters[2].screen_time_s - 4.0) < 0.05);
        std::map<int64_t, const Face*> by_id;
        for (const Face& f : facts.faces) by_id[f.id] = &f;
        std::set<int> seen;
        for (const Character& c : out.characters) {
            const int w = who(*by_id[c.face_ids.front()]);
            for (int64_t id : c.face_ids) QCOMPARE(who(*by_id[id]), w);  // one person per character
            seen.insert(w);
        }
        QCOMPARE(seen.size(), size_t(3));
        QCOMPARE(who(*by_id[out.characters[0].face_ids.front()]), 0);  // the astronaut leads
    }

    void goldeneyeCharacters() {
        // The real clip as it is: report what comes out (the avatar on the screen at frames ~40 and ~128, the woman
        // and the man at frame ~150, each sampled once).
        const QString goldeneye = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (goldeneye.isEmpty()) QSKIP(testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
        QTemporaryDir dir;
        const QString db = dir.filePath("g.db");
        std::vector<int64_t> ids;
        FRAMELINE_CLI_INGEST(QStringList{goldeneye}, db, ids);
        std::unique_ptr<Store> store = open_store(db.toStdString());
        const TitleFacts facts = load_title_facts(*store, ids[0]);
        ModelRunOutput out;
        derive_characters(facts, out);
        for (const Character& c : out.characters)
            qInfo("goldeneye character: %zu faces, %.2f s, confidence %.2f, %s", c.face_ids.size(), c.screen_time_s,
                  c.confidence, c.evidence.c_str());
        // The woman and the man share frame 152: never one character. The avatar appears in two shots.
        std::map<int64_t, int64_t> frame_of;
        for (const Face& f : facts.faces) frame_of[f.id] = f.frame_index;
        for (const Character& c : out.characters) {
            std::set<int64_t> frames;
            for (int64_t id : c.face_ids) QVERIFY(frames.insert(frame_of[id]).second);
        }
        QVERIFY(out.characters.size() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestCharacters)
#include "tst_characters.moc"
