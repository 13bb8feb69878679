// Frame -> shot -> title embeddings: the combination arithmetic on hand-made vectors, and per-shot audio decoded
// from a generated clip whose shots sound different (a tone, noise, silence) and from a clip without audio.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <stop_token>

#include "core/analysis/embedding_metrics.h"
#include "core/analysis/media_embedder.h"
#include "core/error.h"
#include "tests/support/fixtures.h"

using namespace frameline;
using namespace frameline::test;

namespace {
Shot shot(int index, int64_t start, int64_t end, double fps) {
    Shot s;
    s.index = index;
    s.start_frame = start;
    s.end_frame = end;
    s.start_s = double(start) / fps;
    s.end_s = double(end) / fps;
    return s;
}
std::vector<float> unit(std::vector<float> v) {
    l2_normalise(v);
    return v;
}
}  // namespace

class TestMediaEmbedder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shotIsWeightedConcatOfVisualMeanAndAudio() {
        const MediaEmbedder me;  // w_v 0.8, w_a 0.6
        const std::vector<float> f1 = unit({1, 0, 0}), f2 = unit({0, 1, 0});
        std::vector<float> audio(size_t(kAudioEmbeddingDims), 0.0f);
        audio[0] = 2.0f;  // not unit: the embedder normalises it
        const std::vector<float> s = me.shot_embedding({&f1, &f2}, audio, 3);
        QCOMPARE(s.size(), size_t(3 + kAudioEmbeddingDims));
        QVERIFY(std::abs(dot(s, s) - 1) < 1e-6);
        const float v = float(0.8 / std::sqrt(2.0));
        QVERIFY(std::abs(s[0] - v) < 1e-6 && std::abs(s[1] - v) < 1e-6 && s[2] == 0.0f);
        QVERIFY(std::abs(s[3] - 0.6f) < 1e-6);
        // no audio: the audio part is zeros and the visual part takes the whole length; same dimension
        const std::vector<float> silent = me.shot_embedding({&f1}, {}, 3);
        QCOMPARE(silent.size(), s.size());
        QVERIFY(std::abs(silent[0] - 1.0f) < 1e-6);
        // no frames: the visual dimension comes from the caller
        QCOMPARE(me.shot_embedding({}, audio, 5).size(), size_t(5 + kAudioEmbeddingDims));
        const std::vector<float> bad(7, 1.0f);
        QVERIFY_THROWS_EXCEPTION(Error, me.shot_embedding({&f1, &bad}, {}, 3));
        QVERIFY_THROWS_EXCEPTION(Error, me.shot_embedding({&f1}, std::vector<float>(5, 1.0f), 3));
        QVERIFY_THROWS_EXCEPTION(Error, MediaEmbedder({-1.0, 0.5, {}}));
    }

    void titleIsTheDurationWeightedMean() {
        const MediaEmbedder me;
        const std::vector<float> a = {1, 0}, b = {0, 1};
        const std::vector<float> t = me.title_embedding({a, b}, {3.0, 1.0});
        QVERIFY(std::abs(t[0] - 3 / std::sqrt(10.0)) < 1e-6 && std::abs(t[1] - 1 / std::sqrt(10.0)) < 1e-6);
        QVERIFY(me.title_embedding({}, {}).empty());
        QVERIFY_THROWS_EXCEPTION(Error, me.title_embedding({a}, {1.0, 2.0}));
    }

    void embedGroupsFramesByShotAndMakesRows() {
        const MediaEmbedder me;
        const std::vector<Shot> shots = {shot(0, 0, 10, 25), shot(1, 10, 40, 25)};
        std::vector<FrameVector> frames = {{2, unit({1, 0})}, {5, unit({1, 1})}, {20, unit({0, 1})}};
        const TitleEmbeddings t = me.embed(shots, frames, {});
        QCOMPARE(t.visual_dims, 2);
        QCOMPARE(t.shots.size(), size_t(2));
        const std::vector<float> expect0 = me.shot_embedding({&frames[0].vector, &frames[1].vector}, {}, 2);
        QCOMPARE(t.shots[0], expect0);
        QVERIFY(std::abs(t.shots[1][1] - 1.0f) < 1e-6);
        // shot 1 is 3x as long as shot 0
        const std::vector<float> title = me.title_embedding(t.shots, {0.4, 1.2});
        QCOMPARE(t.title, title);
        const std::vector<EmbeddingRow> rows = t.rows();
        QCOMPARE(rows.size(), size_t(3 + 2 + 1));
        QCOMPARE(rows[0].entity, std::string("frame"));
        QCOMPARE(rows[2].entity_key, int64_t(20));
        QCOMPARE(rows[3].entity, std::string("shot"));
        QCOMPARE(rows[4].entity_key, int64_t(1));
        QCOMPARE(rows[5].entity, std::string("title"));
        QCOMPARE(rows[5].entity_key, int64_t(0));
        frames.push_back({30, {1, 2, 3}});
        QVERIFY_THROWS_EXCEPTION(Error, me.embed(shots, frames, {}));
    }

    void shotAudioFollowsTheShots() {
        QTemporaryDir dir;
        const QString clip = dir.filePath("tone_noise_silence.mp4");
        // 6 s of picture; sound: 2 s of a 440 Hz tone, 2 s of pink noise, 2 s of silence (AAC)
        const QString err = run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=6", "-f", "lavfi", "-i",
                                        "sine=f=440:r=48000:d=2,volume=0.3", "-f", "lavfi", "-i",
                                        "anoisesrc=c=pink:r=48000:a=0.1:d=2", "-f", "lavfi", "-i",
                                        "anullsrc=r=48000:cl=mono,atrim=duration=2", "-filter_complex",
                                        "[1][2][3]concat=n=3:v=0:a=1[a]", "-map", "0:v", "-map", "[a]", "-c:v",
                                        "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const std::vector<Shot> shots = {shot(0, 0, 50, 25), shot(1, 50, 100, 25), shot(2, 100, 150, 25)};
        const MediaEmbedder me;
        const auto audio = me.shot_audio(clip.toStdString(), shots);
        QCOMPARE(audio.size(), size_t(3));
        for (const auto& a : audio) QCOMPARE(int(a.size()), kAudioEmbeddingDims);
        const double tn = cosine_distance(audio[0], audio[1]), ts = cosine_distance(audio[0], audio[2]),
                     ns = cosine_distance(audio[1], audio[2]);
        qInfo("decoded shots: tone-noise %.4f, tone-silence %.4f, noise-silence %.4f", tn, ts, ns);
        for (double d : {tn, ts, ns}) QVERIFY(d > 0.4);  // measured 0.69, 1.00, 0.99
        // the tone shot against a tone made here (lavfi sine's amplitude is 1/8, x 0.3; AAC and resampling change it
        // a little)
        std::vector<float> made(16000 * 2);
        for (size_t i = 0; i < made.size(); ++i) made[i] = float(0.3 / 8 * std::sin(2 * M_PI * 440 * double(i) / 16000));
        const double same = cosine_distance(audio[0], audio_embedding(made));
        qInfo("decoded tone shot vs a generated tone: %.4f", same);
        QVERIFY(same < 0.1);
        // whole title with picture vectors and these
        const TitleEmbeddings t = me.embed(shots, {{10, {1, 0}}, {60, {0, 1}}, {120, {1, 0}}}, audio);
        QCOMPARE(t.shots.front().size(), size_t(2 + kAudioEmbeddingDims));
        QVERIFY(std::abs(dot(t.title, t.title) - 1) < 1e-5);
        // cancellation
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, me.shot_audio(clip.toStdString(), shots, stop.get_token()));
    }

    void noAudioStreamGivesEmptyAudio() {
        QTemporaryDir dir;
        const QString clip = dir.filePath("silent.mp4");
        QCOMPARE(make_cut_clip(clip, 2, 25, 25), clip);
        const std::vector<Shot> shots = {shot(0, 0, 25, 25), shot(1, 25, 50, 25)};
        const auto audio = MediaEmbedder().shot_audio(clip.toStdString(), shots);
        QCOMPARE(audio.size(), size_t(2));
        QVERIFY(audio[0].empty() && audio[1].empty());
    }
};

QTEST_GUILESS_MAIN(TestMediaEmbedder)
#include "tst_media_embedder.moc"
