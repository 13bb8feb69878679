// Tags per shot and per title: the audio character heuristic on synthetic sound (tone, harmonics, clicks, noise,
// silence, speech segments), every tag category on hand-built TitleFacts, and real titles through the real CLI and
// model zoo: generated clips (warm fast-cut footage with a music loop, one long cool shot over digital silence,
// the astronaut picture over jfk.wav) and goldeneye-vfr-drop3.mp4 (a man and a woman in its last shot).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <numbers>
#include <random>

#include "core/analysis/audio_character.h"
#include "core/analysis/tags.h"
#include "core/analysis/title_facts.h"
#include "core/error.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/cli_ingest.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {

constexpr int kRate = 16000;

Shot make_shot(int index, double start_s, double end_s, double fps = 25) {
    Shot s;
    s.index = index;
    s.start_s = start_s;
    s.end_s = end_s;
    s.start_frame = int64_t(std::llround(start_s * fps));
    s.end_frame = int64_t(std::llround(end_s * fps));
    s.transition = index == 0 ? Transition::None : Transition::Cut;
    return s;
}

std::vector<float> harmonic_tone(double seconds, double f0, double amp) {
    std::vector<float> v(size_t(seconds * kRate));
    for (size_t i = 0; i < v.size(); ++i) {
        const double t = double(i) / kRate;
        double x = 0;
        for (int h = 1; h <= 4; ++h) x += std::sin(2 * std::numbers::pi * f0 * h * t) / h;
        v[i] = float(amp * x);
    }
    return v;
}
std::vector<float> noise(double seconds, double amp, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, amp);
    std::vector<float> v(size_t(seconds * kRate));
    for (float& x : v) x = float(n(rng));
    return v;
}
// A drum-machine-like click track: 30 ms noise bursts every `period_s` (no pitch: only the rhythm detector sees it).
std::vector<float> clicks(double seconds, double period_s, unsigned seed) {
    std::vector<float> v(size_t(seconds * kRate), 0.0f);
    const std::vector<float> burst = noise(0.03, 0.3, seed);
    for (double t = 0; t < seconds; t += period_s)
        for (size_t i = 0; i < burst.size() && size_t(t * kRate) + i < v.size(); ++i)
            v[size_t(t * kRate) + i] = burst[i] * float(1.0 - double(i) / burst.size());
    return v;
}

const Tag* find_tag(const std::vector<Tag>& tags, int shot, const std::string& category, const std::string& label = {}) {
    for (const Tag& t : tags)
        if (t.shot_index == shot && t.category == category && (label.empty() || t.label == label)) return &t;
    return nullptr;
}
std::vector<std::string> labels(const std::vector<Tag>& tags, int shot, const std::string& category) {
    std::vector<std::string> out;
    for (const Tag& t : tags)
        if (t.shot_index == shot && t.category == category) out.push_back(t.label);
    return out;
}
QJsonObject evidence(const Tag* t) { return t ? QJsonDocument::fromJson(QByteArray::fromStdString(t->evidence)).object() : QJsonObject{}; }

void print_tags(const std::string& name, const std::vector<Tag>& tags) {
    qInfo("---- %s: %zu tags", name.c_str(), tags.size());
    for (const Tag& t : tags) {
        std::string ev = t.evidence;
        if (ev.size() > 260) ev = ev.substr(0, 260) + "...";
        qInfo("  shot %2d  %-11s %-16s %.3f  %s", t.shot_index, t.category.c_str(), t.label.c_str(), t.confidence, ev.c_str());
    }
}

RgbImage solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    RgbImage img;
    img.width = w;
    img.height = h;
    img.rgb.resize(size_t(w) * h * 3);
    for (size_t i = 0; i < img.rgb.size(); i += 3) {
        img.rgb[i] = r;
        img.rgb[i + 1] = g;
        img.rgb[i + 2] = b;
    }
    return img;
}

}  // namespace

class TestTags : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void audioCharacterOnSyntheticSound() {
        // Six 4 s shots: harmonic tone, white noise, digital silence, noise the VAD called speech, clicks at 120 bpm,
        // and a very quiet tone (-60 dBFS: under the silence threshold).
        std::vector<Shot> shots;
        for (int i = 0; i < 6; ++i) shots.push_back(make_shot(i, 4.0 * i, 4.0 * (i + 1)));
        AudioSegment speech;
        speech.kind = "speech";
        speech.start_s = 12.0;
        speech.end_s = 16.0;
        AudioCharacterAnalyser a(kRate, shots, {speech});
        std::vector<std::vector<float>> parts = {harmonic_tone(4, 220, 0.2), noise(4, 0.1, 1), std::vector<float>(4 * kRate, 0.0f),
                                                 noise(4, 0.1, 2), clicks(4, 0.5, 3), harmonic_tone(4, 330, 0.001)};
        double t = 0;
        for (const auto& p : parts) {
            for (size_t i = 0; i < p.size(); i += 8000) {  // decoder-sized blocks
                const size_t n = std::min<size_t>(8000, p.size() - i);
                a.add(p.data() + i, n, t);
                t += double(n) / kRate;
            }
        }
        const TitleAudioCharacter c = a.finish();
        QVERIFY(c.audio_stream);
        QCOMPARE(c.units.size(), size_t(48));
        const char* names[] = {"tone", "noise", "silence", "speech", "clicks", "quiet tone"};
        for (size_t i = 0; i < c.shots.size(); ++i) {
            const AudioShares& s = c.shots[i];
            qInfo("%-10s speech %.2f music %.2f silence %.2f other %.2f  tonality %.3f rhythm %.3f  %.1f LUFS", names[i],
                  s.speech, s.music, s.silence, s.other, s.tonality, s.rhythm, s.loudness.integrated_lufs);
            QVERIFY(std::abs(s.covered_s - 4.0) < 1e-6);
            QVERIFY(std::abs(s.speech + s.music + s.silence + s.other - 1.0) < 1e-9);
        }
        // Units next to a change of sound see +-1 s of the neighbour (tonality) and +-2 s (rhythm): allow 1 s of 4.
        QVERIFY(c.shots[0].music >= 0.75);
        QVERIFY(c.shots[1].other >= 0.75);
        QCOMPARE(c.shots[2].silence, 1.0);
        QCOMPARE(c.shots[3].speech, 1.0);
        QVERIFY(c.shots[4].music >= 0.75);
        QCOMPARE(c.shots[5].silence, 1.0);
        QVERIFY(c.shots[0].tonality > 2 * kMusicTonality && c.shots[1].tonality < 0.5 * kMusicTonality);
        // loudness per shot: the tone sits near -17 LUFS, silence at the floor
        QVERIFY(c.shots[0].loudness.integrated_lufs > -25 && c.shots[0].loudness.integrated_lufs < -10);
        QCOMPARE(c.shots[2].loudness.integrated_lufs, kLoudnessFloorLufs);
        // title: tone + clicks (+ half a second of noise next to the tone) are music, 8 s of 24 silence
        QCOMPARE(c.title.dominant(), std::string("music"));
        QVERIFY(std::abs(c.title.silence - 8.0 / 24.0) < 1e-9);
        QVERIFY(std::abs(c.title.speech - 4.0 / 24.0) < 1e-9);
        // bad rate
        QVERIFY_THROWS_EXCEPTION(frameline::Error, AudioCharacterAnalyser(4000, shots, {}));
        // nothing added: no audio
        AudioCharacterAnalyser empty(kRate, shots, {});
        const TitleAudioCharacter e = empty.finish();
        QVERIFY(!e.audio_stream);
        QVERIFY(!e.shots[0].has_audio());
    }

    void realSoundtracks() {
        // The heuristic on real sound, WITHOUT the VAD's speech segments (the worst case for speech): speech must
        // not read as music, the loops must. Numbers in audio_character.h.
        const QString jfk = testdata_file("speech/jfk.wav");
        const QString amen = testdata_file("music/loop_amen_full.flac");
        const QString garzul = testdata_file("music/loop_garzul.flac");
        if (jfk.isEmpty() || amen.isEmpty() || garzul.isEmpty()) QSKIP(testdata_missing("speech/jfk.wav, music/"));
        const std::vector<Shot> one = {make_shot(0, 0, 1000)};
        for (const QString& f : {jfk, amen, garzul}) {
            const TitleAudioCharacter c = analyse_audio_character(f.toStdString(), one, {});
            const AudioShares& s = c.title;
            qInfo("%s: music %.2f other %.2f silence %.2f, tonality %.3f rhythm %.3f, %.1f LUFS", qPrintable(f), s.music,
                  s.other, s.silence, s.tonality, s.rhythm, s.loudness.integrated_lufs);
            if (f == jfk) {
                QCOMPARE(s.music, 0.0);
                QVERIFY(std::abs(s.loudness.integrated_lufs + 15.4) < 0.2);
            } else {
                QVERIFY(s.music >= 0.9);
            }
        }
        QVERIFY_THROWS_EXCEPTION(frameline::Error, analyse_audio_character("/no/such/file.mp4", one, {}));
    }

    void handBuiltFacts() {
        // Three shots (25 fps): 0-2 s a close-up of a smiling young woman in warm light with speech; 2-4 s two
        // adults in a medium shot, cool and dark, frightened, moving, a car and two dogs, loud; 4-40 s a still,
        // bright, grey wide shot with a small figure, a flagged (Sexy) frame and silence.
        TitleFacts f;
        f.title.duration_s = 40.0;
        f.title.fps = 25;
        f.shots = {make_shot(0, 0, 2), make_shot(1, 2, 4), make_shot(2, 4, 40)};
        auto frame = [&](int64_t id, int shot, int64_t index, double motion) {
            FrameRecord r;
            r.id = id;
            r.shot_index = shot;
            r.frame_index = index;
            r.pts_s = index / 25.0;
            r.motion = motion;
            r.width = 64;
            r.height = 36;
            r.active = {0, 0, 64, 36};
            return r;
        };
        f.frames = {frame(1, 0, 25, 0.5), frame(2, 1, 60, 6.0), frame(3, 1, 80, 6.5), frame(4, 2, 150, 0.3), frame(5, 2, 200, 0.3)};
        f.thumbnail = [](int64_t id) {
            RgbImage img = solid(64, 36, 224, 112, 32);                          // warm orange
            if (id == 2 || id == 3) img = solid(64, 36, 20, 30, 70);             // dark navy
            if (id == 4 || id == 5) img = solid(64, 36, 200, 200, 200);          // bright grey
            return img;
        };
        auto face = [](int64_t frame_index, double h, const char* expr, double es, double age) {
            Face x;
            x.frame_index = frame_index;
            x.x = 0.3;
            x.y = 0.2;
            x.width = h * 0.6;
            x.height = h;
            x.score = 0.9;
            x.expression = expr;
            x.expression_score = es;
            x.age = age;
            return x;
        };
        f.faces = {face(25, 0.45, "happy", 0.9, 24), face(60, 0.18, "fear", 0.8, 40), face(60, 0.15, "fear", 0.7, 45),
                   face(80, 0.17, "surprise", 0.7, 41), face(80, 0.2, "happy", 0.4, 44)};
        auto det = [](int64_t frame_index, const char* label, double score, double h) {
            Detection d;
            d.frame_index = frame_index;
            d.label = label;
            d.score = score;
            d.height = h;
            d.width = 0.1;
            return d;
        };
        f.objects = {det(60, "car", 0.8, 0.3),  det(60, "dog", 0.7, 0.2), det(80, "dog", 0.6, 0.2), det(80, "dog", 0.5, 0.2),
                     det(80, "cat", 0.25, 0.2), det(150, "person", 0.6, 0.2), det(999, "bus", 0.9, 0.5)};
        auto nsfw = [](int64_t frame_index, double sexy) {
            FrameScores s;
            s.frame_index = frame_index;
            s.model = "nsfw";
            s.scores = "{\"Drawing\":0.01,\"Hentai\":0.01,\"Neutral\":" + std::to_string(0.98 - sexy) +
                       ",\"Porn\":0.0,\"Sexy\":" + std::to_string(sexy) + "}";
            return s;
        };
        f.frame_scores = {nsfw(25, 0.02), nsfw(60, 0.05), nsfw(80, 0.1), nsfw(150, 0.3), nsfw(200, 0.75)};
        FrameScores broken;
        broken.frame_index = 25;
        broken.model = "nsfw";
        broken.scores = "not json";
        f.frame_scores.push_back(broken);

        TitleAudioCharacter audio;
        audio.audio_stream = true;
        audio.shots.resize(3);
        audio.shots[0].covered_s = 2;
        audio.shots[0].speech = 0.8;
        audio.shots[0].other = 0.2;
        audio.shots[0].loudness.integrated_lufs = -24;
        audio.shots[1].covered_s = 2;
        audio.shots[1].music = 0.6;
        audio.shots[1].other = 0.4;
        audio.shots[1].loudness.integrated_lufs = -15;
        audio.shots[2].covered_s = 36;
        audio.shots[2].silence = 1.0;
        audio.shots[2].loudness.integrated_lufs = -70;
        audio.title.covered_s = 40;
        audio.title.speech = 0.16;
        audio.title.music = 0.12;
        audio.title.silence = 0.6;
        audio.title.other = 0.12;
        audio.title.loudness.integrated_lufs = -19;

        ModelRunOutput out;
        std::vector<std::string> warnings;
        TagOptions o;
        o.audio = &audio;
        o.warnings = &warnings;
        derive_tags(f, out, o);
        print_tags("hand-built", out.tags);
        for (const std::string& w : warnings) qInfo("warning: %s", w.c_str());
        QCOMPARE(warnings.size(), size_t(1));  // the broken nsfw row
        const auto& t = out.tags;

        // objects: car x1, dog x2 (two in frame 80), the 0.25 cat under the threshold, the stray frame's bus ignored
        QCOMPARE(evidence(find_tag(t, 1, "object", "dog"))["count"].toInt(), 2);
        QCOMPARE(find_tag(t, 1, "object", "dog")->confidence, 0.7);
        QCOMPARE(evidence(find_tag(t, 1, "object", "car"))["count"].toInt(), 1);
        QVERIFY(!find_tag(t, 1, "object", "cat") && !find_tag(t, -1, "object", "bus"));
        QCOMPARE(evidence(find_tag(t, -1, "object", "dog"))["share_of_shots"].toDouble(), 0.333);
        // people and scale
        QCOMPARE(labels(t, 0, "people"), std::vector<std::string>{"1"});
        QCOMPARE(labels(t, 1, "people"), std::vector<std::string>{"2"});
        QCOMPARE(labels(t, 2, "people"), std::vector<std::string>{"1"});
        QCOMPARE(labels(t, 0, "shot_scale"), std::vector<std::string>{"close-up"});
        QCOMPARE(labels(t, 1, "shot_scale"), std::vector<std::string>{"medium"});
        QCOMPARE(labels(t, 2, "shot_scale"), std::vector<std::string>{"wide"});  // no face, a person 0.2 tall
        QCOMPARE(labels(t, -1, "shot_scale"), std::vector<std::string>{"wide"});  // 36 of 40 s
        // expression: fear 1.5 + surprise 0.7 of 2.2 clear mass; the 0.4 happy face is not clear
        QCOMPARE(labels(t, 0, "expression"), std::vector<std::string>{"happy"});
        QCOMPARE(labels(t, 1, "expression"), std::vector<std::string>{"fear"});
        QCOMPARE(evidence(find_tag(t, 1, "expression"))["share"].toDouble(), 0.682);
        // age: 24 young adult; 40-45 adult
        QCOMPARE(labels(t, 0, "age_band"), std::vector<std::string>{"young adult"});
        QCOMPARE(labels(t, 1, "age_band"), std::vector<std::string>{"adult"});
        // maturity: shot 2 has Sexy 0.75 >= 0.6; the others are safe
        QCOMPARE(labels(t, 0, "maturity"), std::vector<std::string>{"safe"});
        QCOMPARE(labels(t, 2, "maturity"), std::vector<std::string>{"sexy"});
        QCOMPARE(labels(t, -1, "maturity"), std::vector<std::string>{"sexy"});
        // colour
        QVERIFY(find_tag(t, 0, "colour", "warm") && find_tag(t, 0, "colour", "saturated"));
        QVERIFY(find_tag(t, 1, "colour", "cool") && find_tag(t, 1, "colour", "low-key"));
        QVERIFY(find_tag(t, 2, "colour", "muted") && find_tag(t, 2, "colour", "high-key"));
        QCOMPARE(evidence(find_tag(t, 0, "colour", "palette"))["palette"].toArray()[0].toObject()["hex"].toString(),
                 QString("#e07020"));
        QCOMPARE(evidence(find_tag(t, -1, "colour", "palette"))["palette"].toArray().size(), 3);
        // time of day: shot 1 dark -> night (heuristic, capped), shot 2 bright daylight grey -> day
        QCOMPARE(labels(t, 1, "time_of_day"), std::vector<std::string>{"night"});
        QVERIFY(evidence(find_tag(t, 1, "time_of_day"))["heuristic"].toBool());
        QVERIFY(find_tag(t, 1, "time_of_day")->confidence <= 0.5);
        QCOMPARE(labels(t, 2, "time_of_day"), std::vector<std::string>{"day"});
        // pace: 2 cuts in 40 s = 3 cuts/min everywhere (the one-minute window is clipped to the title); shot 1 moves
        // (motion 6.25): not slow, medium; the still shots are slow
        QCOMPARE(evidence(find_tag(t, 0, "pace"))["cuts_per_minute"].toDouble(), 3.0);
        QCOMPARE(labels(t, 0, "pace"), std::vector<std::string>{"slow"});
        QCOMPARE(labels(t, 1, "pace"), std::vector<std::string>{"medium"});
        QCOMPARE(labels(t, 2, "pace"), std::vector<std::string>{"slow"});
        QCOMPARE(labels(t, -1, "pace"), std::vector<std::string>{"slow"});
        // audio and loudness
        QCOMPARE(labels(t, 0, "audio"), std::vector<std::string>{"speech"});
        QCOMPARE(labels(t, 1, "audio"), std::vector<std::string>{"music"});
        QCOMPARE(labels(t, 2, "audio"), std::vector<std::string>{"silence"});
        QCOMPARE(labels(t, 0, "loudness"), std::vector<std::string>{"normal"});
        QCOMPARE(labels(t, 1, "loudness"), std::vector<std::string>{"loud"});
        QCOMPARE(labels(t, 2, "loudness"), std::vector<std::string>{"quiet"});
        QCOMPARE(labels(t, -1, "loudness"), std::vector<std::string>{"loud"});
        // moods: shot 1 is tense and dark; shot 2 (still, silent, bright) calm; shot 0 joyful
        const auto m1 = labels(t, 1, "mood");
        QVERIFY(std::find(m1.begin(), m1.end(), "tense") != m1.end());
        QVERIFY(std::find(m1.begin(), m1.end(), "dark") != m1.end());
        QCOMPARE(labels(t, 2, "mood"), std::vector<std::string>{"calm"});
        QVERIFY(find_tag(t, 0, "mood", "joyful"));
        QVERIFY(find_tag(t, -1, "mood", "calm"));  // 38 of 40 s
        QCOMPARE(evidence(find_tag(t, -1, "mood", "calm"))["duration_share"].toDouble(), 0.95);
        // no media file and no measured audio: audio tags need `audio`; nothing crashes without it
        ModelRunOutput bare;
        TitleFacts g = f;
        g.thumbnail = nullptr;
        derive_tags(g, bare, {});
        QVERIFY(!find_tag(bare.tags, 0, "audio") && !find_tag(bare.tags, 0, "colour") && find_tag(bare.tags, 0, "pace"));
        // empty facts: a title tag for pace, nothing else, no crash
        ModelRunOutput none;
        derive_tags(TitleFacts{}, none, {});
        QCOMPARE(none.tags.size(), size_t(1));
        // cancellation
        std::stop_source stop;
        stop.request_stop();
        TagOptions cancelled;
        cancelled.stop = stop.get_token();
        cancelled.audio = &audio;
        ModelRunOutput c;
        QVERIFY_THROWS_EXCEPTION(frameline::Cancelled, derive_tags(f, c, cancelled));
    }

    void realTitles() {
        const QString music = testdata_file("music/loop_garzul.flac");
        const QString jfk = testdata_file("speech/jfk.wav");
        const QString goldeneye = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (music.isEmpty() || jfk.isEmpty() || goldeneye.isEmpty()) QSKIP(testdata_missing("music/, speech/jfk.wav, pyscenedetect/"));
        const QString astronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
        if (!QFileInfo::exists(astronaut)) QSKIP("needs python3-skimage's astronaut.png");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // 1) warm, fast: ten 0.8 s shots of amber, orange and light-orange gradients (flat colour fields would be
        // "blank" frames to the shot detector, and it rightly finds no cut between blanks), a music loop.
        const QString warm = dir.filePath("warm_fast.mp4");
        {
            const char* grads[] = {"c0=0xf0a030:c1=0x802010:x0=0:y0=0:x1=320:y1=240",
                                   "c0=0xe07020:c1=0x401008:x0=160:y0=0:x1=160:y1=240",
                                   "c0=0xffd080:c1=0xc04018:x0=0:y0=120:x1=320:y1=120"};
            QString fc, ins;
            for (int i = 0; i < 10; ++i) {
                fc += QString("gradients=s=320x240:r=25:d=0.8:speed=0.00001:%1[c%2];").arg(grads[i % 3]).arg(i);
                ins += QString("[c%1]").arg(i);
            }
            fc += ins + "concat=n=10:v=1:a=0,format=yuv420p[v]";
            const QString err = run_ffmpeg({"-filter_complex", fc, "-stream_loop", "-1", "-i", music, "-map", "[v]", "-map",
                                            "0:a", "-t", "8", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", warm});
            QVERIFY2(err.isEmpty(), qPrintable(err));
        }
        // 2) cool, slow: one 20 s shot of blue with grain over digital silence.
        const QString cool = dir.filePath("cool_slow.mp4");
        QString err = run_ffmpeg({"-f", "lavfi", "-i", "color=c=0x2050c0:s=320x240:r=25:d=20,noise=alls=12:allf=t+u,format=yuv420p",
                                  "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "20", "-c:v", "libx264",
                                  "-preset", "veryfast", "-c:a", "aac", cool});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        // 3) the astronaut picture held for 11 s over jfk.wav.
        const QString face = dir.filePath("astronaut_jfk.mp4");
        err = run_ffmpeg({"-loop", "1", "-framerate", "25", "-i", astronaut, "-i", jfk, "-t", "11", "-vf", "format=yuv420p",
                          "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", face});
        QVERIFY2(err.isEmpty(), qPrintable(err));

        const QString db = dir.filePath("tags.db");
        std::vector<int64_t> title_ids;
        FRAMELINE_CLI_INGEST((QStringList{warm, cool, face, goldeneye}), db, title_ids);
        QCOMPARE(title_ids.size(), size_t(4));
        std::unique_ptr<Store> store = open_store(db.toStdString());
        std::map<std::string, std::vector<Tag>> tags;
        const char* names[] = {"warm_fast", "cool_slow", "astronaut_jfk", "goldeneye"};
        std::map<std::string, size_t> facts_shots;
        for (int i = 0; i < 4; ++i) {
            const int64_t id = title_ids[i];
            TitleFacts f = load_title_facts(*store, id);
            ModelRunOutput out;
            std::vector<std::string> warnings;
            TagOptions o;
            o.warnings = &warnings;
            derive_tags(f, out, o);
            print_tags(names[i] + std::string(" (") + std::to_string(f.shots.size()) + " shots)", out.tags);
            for (const std::string& w : warnings) qInfo("warning: %s", w.c_str());
            QVERIFY(warnings.empty());
            tags[names[i]] = out.tags;
            facts_shots[names[i]] = f.shots.size();
        }

        // warm, fast, music
        const auto& w = tags["warm_fast"];
        QCOMPARE(int(facts_shots["warm_fast"]), 10);
        QVERIFY(find_tag(w, -1, "colour", "warm"));
        QVERIFY(find_tag(w, -1, "colour", "saturated"));
        QCOMPARE(labels(w, -1, "pace"), std::vector<std::string>{"fast"});
        QVERIFY(evidence(find_tag(w, -1, "pace"))["cuts_per_minute"].toDouble() >= 60);  // 9 cuts in 8 s = 67.5
        QVERIFY(find_tag(w, -1, "audio", "music"));
        QVERIFY(evidence(find_tag(w, -1, "audio", "music"))["music"].toDouble() >= 0.8);
        QCOMPARE(labels(w, -1, "maturity"), std::vector<std::string>{"safe"});
        QVERIFY(labels(w, -1, "people").empty());
        // cool, slow, silent
        const auto& c = tags["cool_slow"];
        QVERIFY(find_tag(c, -1, "colour", "cool"));
        QCOMPARE(labels(c, -1, "pace"), std::vector<std::string>{"slow"});
        QCOMPARE(evidence(find_tag(c, -1, "audio", "silence"))["silence"].toDouble(), 1.0);
        QCOMPARE(labels(c, -1, "loudness"), std::vector<std::string>{"quiet"});
        QVERIFY(find_tag(c, -1, "mood", "calm"));
        // the astronaut: one adult-looking woman, close-up/medium, speech
        const auto& a = tags["astronaut_jfk"];
        QCOMPARE(labels(a, 0, "people"), std::vector<std::string>{"1"});
        QVERIFY(find_tag(a, -1, "audio", "speech"));
        // the VAD finds 5 segments covering 7.5 of the 11 s (pauses between phrases, and 0.4 s after the end):
        // 14 of 22 units are speech, the pauses "other" (room tone above the silence threshold)
        QVERIFY(evidence(find_tag(a, -1, "audio", "speech"))["speech"].toDouble() >= 0.6);
        // jfk.wav is mastered hot: -15.4 LUFS integrated (measured here and by tst_loudness's meter): loud
        QCOMPARE(labels(a, -1, "loudness"), std::vector<std::string>{"loud"});
        QCOMPARE(evidence(find_tag(a, -1, "audio", "speech"))["music"].toDouble(), 0.0);
        QVERIFY(!labels(a, 0, "age_band").empty());
        QVERIFY(!labels(a, 0, "shot_scale").empty());
        // goldeneye: the last shot (frames 140-159) shows a man and a woman
        const auto& g = tags["goldeneye"];
        QCOMPARE(labels(g, 2, "people"), std::vector<std::string>{"2"});
        QCOMPARE(labels(g, -1, "pace"), std::vector<std::string>{"medium"});  // 2 cuts in 10 s = 12 per minute
    }
};

QTEST_GUILESS_MAIN(TestTags)
#include "tst_tags.moc"
