// Face analysis on real faces: the astronaut's portrait (Eileen Collins: one adult woman, smiling), the same
// picture moved and scaled, and another woman in a film frame of the shared test media. Age, gender, expression and
// identity must come out as a person would say, and the crop must be upright.
#include <QtTest>
#include <cmath>

#include "core/models/compute_device.h"
#include "core/models/face_align.h"
#include "core/models/face_analyser.h"
#include "core/models/face_detector.h"
#include "tests/core/models/zoo_test_images.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {
ComputeDevice cpu() { return choose_compute_device("cpu", 2); }

QString describe(const FaceAnalysis& a) {
    QString s = QString("age %1, %2 (%3), expression").arg(a.age, 0, 'f', 1).arg(QString::fromStdString(a.gender)).arg(a.gender_score, 0, 'f', 2);
    for (const auto& [label, p] : a.expressions) s += QString(" %1 %2").arg(QString::fromStdString(label)).arg(p, 0, 'f', 3);
    return s;
}

// The only face in a picture (fails the test through the caller's check when there is not exactly one).
std::vector<FaceDetection> faces_in(FaceDetector& d, const RgbImage& img) { return d.detect(img); }
}  // namespace

class TestFaceAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ageFromBinsFollowsHuman() {
        std::vector<float> bins(100, 0.0f);
        bins[3] = 0.6f, bins[2] = 0.1f, bins[4] = 0.3f;  // 10*3 + 100*0.3 = 60 -> 6.0
        QCOMPARE(age_from_bins(bins.data(), 100), 6.0);
        bins[2] = 0.35f;                                  // 30 - 35 = -5 -> -0.5
        QCOMPARE(age_from_bins(bins.data(), 100), -0.5);
        std::vector<float> last(100, 0.0f);
        last[99] = 1.0f;
        QCOMPARE(age_from_bins(last.data(), 100), 99.0);
        QCOMPARE(cosine_similarity({1, 0}, {0, 1}), 0.0);
        QVERIFY(std::abs(cosine_similarity({1, 1}, {2, 2}) - 1.0) < 1e-12);
    }

    void theCropIsUprightAndSquare() {
        // A frame with two dots as "eyes" on a line tilted by 30 degrees: after alignment they lie on one row.
        RgbImage frame = flat_image(200, 200, 0);
        auto dot = [&](double x, double y) {
            for (int yy = int(y) - 2; yy <= int(y) + 2; ++yy)
                for (int xx = int(x) - 2; xx <= int(x) + 2; ++xx)
                    for (int c = 0; c < 3; ++c) frame.rgb[(size_t(yy) * 200 + xx) * 3 + c] = 255;
        };
        const double a = 30 * M_PI / 180;
        const FramePoint left{(100 - 25 * std::cos(a)) / 200, (100 - 25 * std::sin(a)) / 200};
        const FramePoint right{(100 + 25 * std::cos(a)) / 200, (100 + 25 * std::sin(a)) / 200};
        dot(left.x * 200, left.y * 200);
        dot(right.x * 200, right.y * 200);
        const FaceAlignment al = face_alignment(200, 200, FrameBox{0.3, 0.3, 0.4, 0.4}, left, right, 1.0);
        QVERIFY(std::abs(al.angle_rad - a) < 1e-9);
        QCOMPARE(al.side, 80.0);
        const RgbImage crop = warp_face(frame, al, 80);
        QCOMPARE(crop.width, 80);
        // Brightest pixels: on row 40 (the centre), at x 40 -/+ 25.
        auto at = [&](int x, int y) { return int(crop.rgb[(size_t(y) * 80 + x) * 3]); };
        QVERIFY2(at(15, 40) > 200 && at(65, 40) > 200, qPrintable(QString("%1 %2").arg(at(15, 40)).arg(at(65, 40))));
        QVERIFY(at(15, 30) < 20 && at(65, 50) < 20 && at(40, 40) < 20);
        // Outside the frame is black.
        const RgbImage edge = warp_face(flat_image(100, 100, 200), FaceAlignment{0, 0, 50, 0}, 10);
        QVERIFY(edge.rgb[0] == 0 && edge.rgb[(9 * 10 + 9) * 3] == 200);
    }

    void theAstronautIsAnAdultWoman() {
        FRAMELINE_REQUIRE_MODELS("blazeface", "emotion", "faceres", "mobilefacenet");
        FRAMELINE_REQUIRE_SKIMAGE("astronaut.png");
        const RgbImage img = load_rgb(skimage_file("astronaut.png"));
        FaceDetector detector(cpu());
        const auto faces = faces_in(detector, img);
        QCOMPARE(faces.size(), size_t(1));
        FaceAnalyser analyser(cpu());
        const auto results = analyser.analyse(img, faces);
        QCOMPARE(results.size(), size_t(1));
        const FaceAnalysis& a = results.front();
        qInfo("astronaut: %s", qPrintable(describe(a)));
        QVERIFY2(a.age >= 25 && a.age <= 60, qPrintable(describe(a)));
        QCOMPARE(QString::fromStdString(a.gender), QString("female"));
        QVERIFY(a.gender_score > 0.3);
        QCOMPARE(a.descriptor.size(), size_t(1024));
        QCOMPARE(a.identity.size(), size_t(192));
        double norm = 0;
        for (float v : a.identity) norm += double(v) * v;
        QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-4);
        QCOMPARE(a.expressions.size(), size_t(7));
        double sum = 0;
        for (const auto& e : a.expressions) sum += e.second;
        QVERIFY(std::abs(sum - 1.0) < 1e-3);
        // She smiles: "happy" among the top two.
        const bool happy = a.expressions[0].first == "happy" || a.expressions[1].first == "happy";
        QVERIFY2(happy, qPrintable(describe(a)));
    }

    void identityHoldsUnderShiftAndScaleAndTellsPeopleApart() {
        FRAMELINE_REQUIRE_MODELS("blazeface", "faceres", "mobilefacenet");
        FRAMELINE_REQUIRE_SKIMAGE("astronaut.png");
        const RgbImage img = load_rgb(skimage_file("astronaut.png"));
        const RgbImage moved = shift_scale(img, 0.1 * 512, 0.1 * 512, 0.9);  // 10% right and down, 10% smaller
        const RgbImage bigger = shift_scale(img, -0.05 * 512, 0.05 * 512, 1.1);
        FaceDetector detector(cpu());
        FaceAnalyserOptions o;
        o.expression = false;
        FaceAnalyser analyser(cpu(), o);
        std::vector<RgbImage> frames{img, moved, bigger};
        const QString clip = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (!clip.isEmpty()) frames.push_back(video_frame(clip, 150, 640));
        const auto faces = detector.detect(frames);
        for (size_t i = 0; i < 3; ++i) QCOMPARE(faces[i].size(), size_t(1));
        // The moved face moved: its box centre follows the shift and scale about the picture centre.
        const double expect_x = (faces[0][0].box.centre_x() - 0.5) * 0.9 + 0.5 + 0.1;
        QVERIFY2(std::abs(faces[1][0].box.centre_x() - expect_x) < 0.02, qPrintable(QString::number(faces[1][0].box.centre_x())));
        const auto results = analyser.analyse(frames, faces);  // one batch over every face of every frame
        const FaceAnalysis &a = results[0][0], &b = results[1][0], &c = results[2][0];
        const double id_moved = cosine_similarity(a.identity, b.identity), id_bigger = cosine_similarity(a.identity, c.identity);
        const double desc_moved = cosine_similarity(a.descriptor, b.descriptor), desc_bigger = cosine_similarity(a.descriptor, c.descriptor);
        qInfo("astronaut vs moved: descriptor cosine %.3f, identity (mobilefacenet) %.3f; vs enlarged: descriptor %.3f, "
              "identity %.3f", desc_moved, id_moved, desc_bigger, id_bigger);
        qInfo("moved: %s; enlarged: %s", qPrintable(describe(b)), qPrintable(describe(c)));
        QVERIFY(desc_moved > 0.8 && desc_bigger > 0.8);
        QVERIFY(id_moved > 0.8 && id_bigger > 0.8);
        QVERIFY(std::abs(b.age - a.age) < 5 && b.gender == "female" && c.gender == "female");
        if (clip.isEmpty()) QSKIP(testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
        QVERIFY2(faces[3].size() >= 2, "expected the woman and the man in goldeneye frame 150");
        double other_id = -1, other_desc = -1;
        for (size_t i = 0; i < faces[3].size(); ++i) {
            other_id = std::max(other_id, cosine_similarity(a.identity, results[3][i].identity));
            other_desc = std::max(other_desc, cosine_similarity(a.descriptor, results[3][i].descriptor));
            qInfo("goldeneye 150 face %zu: %s", i, qPrintable(describe(results[3][i])));
        }
        qInfo("astronaut vs goldeneye faces: best descriptor cosine %.3f, best identity (mobilefacenet) cosine %.3f",
              other_desc, other_id);
        // The woman (face 0, upper centre) and the man (face 1, glasses) as a person would say.
        QCOMPARE(QString::fromStdString(results[3][0].gender), QString("female"));
        QCOMPARE(QString::fromStdString(results[3][1].gender), QString("male"));
        QVERIFY(results[3][0].age > 15 && results[3][0].age < 45 && results[3][1].age > 15 && results[3][1].age < 50);
        // faceres' descriptor tells people apart.
        QVERIFY2(other_desc < desc_moved - 0.3 && other_desc < 0.6, qPrintable(QString::number(other_desc)));
        // mobilefacenet (human-models 3.0.4, converted with parity to its TF.js original) gives nearly the same
        // vector for every input (cosine > 0.99 between different people, a cat and a grey square alike), so it
        // cannot tell these apart. Kept as an expected failure: it turns into XPASS when the model is fixed/replaced.
        QEXPECT_FAIL("", "mobilefacenet's embedding is nearly constant across faces (known model defect)", Continue);
        QVERIFY2(other_id < id_moved - 0.3, qPrintable(QString::number(other_id)));
    }

    void batchedAnalysisEqualsOneAtATime() {
        FRAMELINE_REQUIRE_MODELS("blazeface", "emotion", "faceres", "mobilefacenet");
        FRAMELINE_REQUIRE_SKIMAGE("astronaut.png");
        const RgbImage img = load_rgb(skimage_file("astronaut.png"));
        const RgbImage moved = shift_scale(img, 30, -20, 1.0);
        FaceDetector detector(cpu());
        const auto faces = detector.detect(std::vector<RgbImage>{img, moved});
        FaceAnalyser analyser(cpu());
        const auto together = analyser.analyse({img, moved}, faces);
        const auto alone = analyser.analyse(moved, faces[1]);
        QCOMPARE(together[1].size(), alone.size());
        QVERIFY(std::abs(together[1][0].age - alone[0].age) < 0.05);
        QVERIFY(cosine_similarity(together[1][0].identity, alone[0].identity) > 0.9999);
        QVERIFY(std::abs(together[1][0].expressions[0].second - alone[0].expressions[0].second) < 1e-4);
        // No faces: nothing to run, nothing returned.
        const auto none = analyser.analyse(std::vector<RgbImage>{flat_image(64, 64, 0)}, std::vector<std::vector<FaceDetection>>(1));
        QCOMPARE(none.size(), size_t(1));
        QVERIFY(none[0].empty());
    }
};

QTEST_GUILESS_MAIN(TestFaceAnalysis)
#include "tst_face_analysis.moc"
