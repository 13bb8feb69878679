// Which frames represent a shot: more for longer shots, outside transitions, plus motion peaks in long shots.
#include <QtTest>

#include "core/sampling/shot_sampler.h"

using namespace frameline;

namespace {
FrameCandidate candidate(int64_t index, double sharpness, double motion = 1.0) {
    FrameCandidate c;
    c.index = index;
    c.pts_s = index / 25.0;
    c.motion = motion;
    c.quality.metrics.sharpness = sharpness;
    c.quality.metrics.contrast = 50;
    c.quality.metrics.brightness = 120;
    c.thumbnail = RgbImage{4, 4, std::vector<uint8_t>(48, 100)};
    return c;
}
}  // namespace

class TestShotSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void representativesScaleWithLength() {
        // A 2 s shot gets one frame, a 20 s shot five (one per 4 s), each the sharpest of its part.
        ShotSampler sampler;
        for (int64_t i = 0; i < 50; i += 5) sampler.offer(candidate(i, i == 25 ? 900 : 100));
        auto picked = sampler.take(0, 50, -1, 50, 25.0);
        QCOMPARE(int(picked.size()), 1);
        QCOMPARE(picked[0].frame.index, int64_t(25));

        for (int64_t i = 50; i < 550; i += 5) sampler.offer(candidate(i, 100 + (i % 100 == 0 ? 500 : 0)));
        picked = sampler.take(50, 550, 49, 550, 25.0);
        QCOMPARE(int(picked.size()), 5);
        for (size_t k = 0; k < picked.size(); ++k) {
            QCOMPARE(picked[k].kind, FrameKind::Representative);
            QCOMPARE(picked[k].frame.index % 100, int64_t(0));  // the sharp ones
            if (k > 0) QVERIFY(picked[k].frame.index > picked[k - 1].frame.index);
        }
    }

    void transitionsAreAvoided() {
        ShotSampler sampler;
        // Frames 0-19 are a fade-in, 80-99 a fade-out; the sharpest frames sit inside them.
        for (int64_t i = 0; i < 100; i += 4) sampler.offer(candidate(i, (i < 20 || i >= 80) ? 5000 : 100 + i));
        auto picked = sampler.take(0, 100, 19, 80, 25.0);
        QCOMPARE(int(picked.size()), 1);
        QVERIFY(picked[0].frame.index >= 20 && picked[0].frame.index < 80);
        QVERIFY(!(picked[0].frame.quality.flags & kFlagInTransition));

        // A shot that is all transition still gets a frame, flagged.
        for (int64_t i = 100; i < 110; i += 4) sampler.offer(candidate(i, 100));
        picked = sampler.take(100, 110, 109, 100, 25.0);
        QCOMPARE(int(picked.size()), 1);
        QVERIFY(picked[0].frame.quality.flags & kFlagInTransition);
    }

    void motionPeaksBecomeKeyFrames() {
        ShotSampler sampler;
        // 12 s of calm (motion 1) with bursts of action at frames 100 and 220.
        for (int64_t i = 0; i < 300; i += 4) {
            const double m = (i == 100 || i == 220) ? 12.0 : (i == 96 || i == 104) ? 5.0 : 1.0;
            sampler.offer(candidate(i, 100, m));
        }
        auto picked = sampler.take(0, 300, -1, 300, 25.0);
        QList<int64_t> keys;
        for (const auto& p : picked)
            if (p.kind == FrameKind::KeyFrame) keys << p.frame.index;
        QCOMPARE(keys, (QList<int64_t>{100, 220}));
        QCOMPARE(int(picked.size()), 3 + 2);  // 12 s: three representatives, and the two key frames
    }

    void memoryStaysBounded() {
        SamplingOptions options;
        options.max_candidates = 16;
        ShotSampler sampler(options);
        for (int64_t i = 0; i < 100000; i += 4) sampler.offer(candidate(i, 100));
        auto picked = sampler.take(0, 100000, -1, 100000, 25.0);
        QCOMPARE(int(picked.size()), options.max_representatives);
    }
};

QTEST_GUILESS_MAIN(TestShotSampler)
#include "tst_shot_sampler.moc"
