// The zoo's detectors and the maturity classifier on real pictures (scikit-image's public-domain test images:
// astronaut Eileen Collins' portrait, Chelsea the cat, a cup of coffee), a film frame from the shared test media and
// a flat grey picture; plus their decoding (peaks, anchors, NMS, letterbox mapping) on hand-made outputs.
#include <QtTest>
#include <cmath>

#include "core/models/compute_device.h"
#include "core/models/face_detector.h"
#include "core/models/maturity_classifier.h"
#include "core/models/nms.h"
#include "core/models/object_detector.h"
#include "tests/core/models/zoo_test_images.h"
#include "tests/support/testdata.h"

using namespace frameline;
using namespace frameline::test;

namespace {
ComputeDevice cpu() { return choose_compute_device("cpu", 2); }

QString describe(const std::vector<ObjectDetection>& objects) {
    QString s;
    for (const ObjectDetection& o : objects)
        s += QString("%1 %2 [%3 %4 %5 %6]; ")
                 .arg(QString::fromStdString(o.label))
                 .arg(o.score, 0, 'f', 3)
                 .arg(o.box.x, 0, 'f', 3)
                 .arg(o.box.y, 0, 'f', 3)
                 .arg(o.box.width, 0, 'f', 3)
                 .arg(o.box.height, 0, 'f', 3);
    return s.isEmpty() ? "(none)" : s;
}
QString describe(const FaceDetection& f) {
    QString s = QString("score %1 box [%2 %3 %4 %5] keypoints")
                    .arg(f.score, 0, 'f', 3)
                    .arg(f.box.x, 0, 'f', 3)
                    .arg(f.box.y, 0, 'f', 3)
                    .arg(f.box.width, 0, 'f', 3)
                    .arg(f.box.height, 0, 'f', 3);
    for (const FramePoint& p : f.keypoints) s += QString(" (%1 %2)").arg(p.x, 0, 'f', 3).arg(p.y, 0, 'f', 3);
    return s;
}
LetterboxTransform square_transform(int frame_w, int frame_h, int input, bool letterbox) {
    ImagePrep p;
    p.width = p.height = input;
    p.letterbox = letterbox;
    return fit_transform(frame_w, frame_h, p);
}
}  // namespace

class TestDetectors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- decoding and NMS without a model ---------------------------------------------------------------------
    void nmsKeepsTheBestOfOverlappingBoxesPerClass() {
        const std::vector<ScoredBox> boxes = {
            {{0.1, 0.1, 0.2, 0.2}, 0.9, 0}, {{0.11, 0.1, 0.2, 0.2}, 0.8, 0},  // overlaps the first: suppressed
            {{0.11, 0.1, 0.2, 0.2}, 0.7, 1},                                 // same place, other class: kept
            {{0.6, 0.6, 0.2, 0.2}, 0.5, 0}, {{0.6, 0.6, 0.2, 0.2}, 0.05, 0}};  // below min score
        QCOMPARE(nms(boxes, 0.4, 0.1), (std::vector<size_t>{0, 2, 3}));
        QCOMPARE(nms(boxes, 0.4, 0.1, 0, /*class_aware=*/false), (std::vector<size_t>{0, 3}));
        QCOMPARE(nms(boxes, 0.4, 0.1, 2), (std::vector<size_t>{0, 2}));
        const auto clusters = nms_clusters(boxes, 0.4, 0.1);
        QCOMPARE(clusters.size(), size_t(2));
        QCOMPARE(clusters[0], (std::vector<size_t>{0, 1, 2}));
        QVERIFY(std::abs(iou({0, 0, 1, 1}, {0.5, 0, 1, 1}) - 1.0 / 3) < 1e-12);
    }

    void centernetPeaksBecomeBoxesInFrameFractions() {
        // A 4x4 heatmap with 2 classes on a 16x16 input (stride 4), for a 32x16 frame letterboxed into it.
        const int H = 4, W = 4, C = 2;
        std::vector<float> hm(H * W * C, 0.0f), wh(H * W * 4, 0.0f);
        auto at = [&](int y, int x, int c) -> float& { return hm[(y * W + x) * C + c]; };
        at(1, 1, 0) = 0.9f;  // a peak
        at(1, 2, 0) = 0.8f;  // its neighbour: not a peak
        at(2, 2, 1) = 0.6f;  // a peak of class 1
        at(3, 3, 0) = 0.1f;  // below min score
        float* d = &wh[(1 * W + 1) * 4];
        d[0] = 2, d[1] = 2, d[2] = 2, d[3] = 2;  // box (2,2)-(6,6) in input pixels
        d = &wh[(2 * W + 2) * 4];
        d[0] = 4, d[1] = 0, d[2] = 4, d[3] = 4;  // box (4,8)-(12,12)
        const LetterboxTransform t = square_transform(32, 16, 16, true);  // content 16x8 at y 4..12
        ObjectDetectorOptions o;
        const auto objects = decode_centernet(hm.data(), wh.data(), H, W, C, t, {"a", "b"}, o);
        QCOMPARE(objects.size(), size_t(2));
        QCOMPARE(objects[0].label, std::string("a"));
        QCOMPARE(objects[0].score, double(0.9f));
        // Input (2,2)-(6,6): x/16 = 0.125..0.375; y: (2-4)/8 clipped to 0 .. (6-4)/8 = 0.25.
        QVERIFY(std::abs(objects[0].box.x - 0.125) < 1e-9 && std::abs(objects[0].box.width - 0.25) < 1e-9);
        QVERIFY(std::abs(objects[0].box.y - 0.0) < 1e-9 && std::abs(objects[0].box.height - 0.25) < 1e-9);
        QCOMPARE(objects[1].class_id, 1);
        QVERIFY(std::abs(objects[1].box.y - 0.5) < 1e-9 && std::abs(objects[1].box.bottom() - 1.0) < 1e-9);
    }

    void blazefaceAnchorsAndWeightedNms() {
        const auto anchors = blazeface_anchors(256);
        QCOMPARE(anchors.size(), size_t(896));
        QCOMPARE(anchors[0].x, 8.0);
        QCOMPARE(anchors[1].x, 8.0);  // two anchors per stride-16 cell
        QCOMPARE(anchors[2].x, 24.0);
        QCOMPARE(anchors[512].x, 16.0);
        QCOMPARE(anchors[895].y, 240.0);
        // Two overlapping candidates on anchors 0 and 1 (centre 8,8): the result is their score-weighted mean.
        std::vector<float> logits(896, -20.0f), raw(896 * 16, 0.0f);
        logits[0] = 2.0f;  // sigmoid 0.881
        logits[1] = 0.0f;  // 0.5
        for (int k : {0, 1}) {
            raw[k * 16 + 0] = 92.0f + 8 * k;  // centre x 100 or 108
            raw[k * 16 + 1] = 92.0f;          // centre y 100
            raw[k * 16 + 2] = 40.0f;
            raw[k * 16 + 3] = 40.0f;
        }
        FaceDetectorOptions o;
        const LetterboxTransform t = square_transform(256, 256, 256, false);
        auto faces = decode_blazeface(logits, raw, t, o);
        QCOMPARE(faces.size(), size_t(1));
        const double s0 = 1 / (1 + std::exp(-2.0)), s1 = 0.5;
        const double cx = (s0 * 100 + s1 * 108) / (s0 + s1);
        QVERIFY2(std::abs(faces[0].box.centre_x() - cx / 256) < 1e-6, qPrintable(describe(faces[0])));
        QVERIFY(std::abs(faces[0].score - s0) < 1e-9);
        o.weighted_nms = false;
        faces = decode_blazeface(logits, raw, t, o);
        QCOMPARE(faces.size(), size_t(1));
        QVERIFY(std::abs(faces[0].box.centre_x() - 100.0 / 256) < 1e-6);
        o.min_score = 0.9;
        QVERIFY(decode_blazeface(logits, raw, t, o).empty());
    }

    // --- real pictures ------------------------------------------------------------------------------------------
    void objectsInRealPictures_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("mustBeTop");
        QTest::newRow("chelsea: cat") << "chelsea.png" << "cat" << true;
        QTest::newRow("coffee: cup") << "coffee.png" << "cup" << false;
        QTest::newRow("astronaut: person") << "astronaut.png" << "person" << true;
    }
    void objectsInRealPictures() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QFETCH(bool, mustBeTop);
        FRAMELINE_REQUIRE_MODELS("centernet");
        FRAMELINE_REQUIRE_SKIMAGE(file.toUtf8().constData());
        const RgbImage img = load_rgb(skimage_file(file.toUtf8().constData()));
        QVERIFY(!img.empty());
        ObjectDetector detector(cpu());
        const auto objects = detector.detect(img);
        qInfo("%s: %s", qPrintable(file), qPrintable(describe(objects)));
        QVERIFY2(!objects.empty(), qPrintable(file + ": no objects"));
        bool found = false;
        for (const ObjectDetection& o : objects) found = found || o.label == expected.toStdString();
        QVERIFY2(found, qPrintable(file + ": no " + expected + " among " + describe(objects)));
        if (mustBeTop) QCOMPARE(QString::fromStdString(objects.front().label), expected);
        for (const ObjectDetection& o : objects) {
            QVERIFY(o.box.x >= 0 && o.box.y >= 0 && o.box.right() <= 1.0 + 1e-9 && o.box.bottom() <= 1.0 + 1e-9);
            QVERIFY(o.score >= detector.options().min_score);
        }
        if (expected == "cat") {  // Chelsea fills most of the picture
            const FrameBox& b = objects.front().box;
            QVERIFY2(b.width > 0.5 && b.height > 0.6, qPrintable(describe(objects)));
        }
    }

    void aFlatGreyPictureHasNoFacesAndNoObjects() {
        FRAMELINE_REQUIRE_MODELS("centernet", "blazeface");
        for (uint8_t level : {uint8_t(128), uint8_t(30), uint8_t(220)}) {
            const RgbImage grey = flat_image(640, 360, level);
            const auto objects = ObjectDetector(cpu()).detect(grey);
            QVERIFY2(objects.empty(), qPrintable(QString("grey %1: ").arg(level) + describe(objects)));
            const auto faces = FaceDetector(cpu()).detect(grey);
            QVERIFY2(faces.empty(), qPrintable(QString("grey %1: ").arg(level) + (faces.empty() ? QString() : describe(faces.front()))));
        }
    }

    void theAstronautHasOneFace() {
        FRAMELINE_REQUIRE_MODELS("blazeface");
        FRAMELINE_REQUIRE_SKIMAGE("astronaut.png");
        const RgbImage img = load_rgb(skimage_file("astronaut.png"));
        FaceDetector detector(cpu());
        const auto faces = detector.detect(img);
        for (const auto& f : faces) qInfo("astronaut: %s", qPrintable(describe(f)));
        QCOMPARE(faces.size(), size_t(1));
        const FaceDetection& f = faces.front();
        QVERIFY(f.score > 0.7);
        // Her face spans about x 170..280, y 60..190 of the 512x512 portrait.
        QVERIFY2(std::abs(f.box.centre_x() - 0.44) < 0.06 && std::abs(f.box.centre_y() - 0.25) < 0.06, qPrintable(describe(f)));
        QVERIFY2(f.box.width > 0.12 && f.box.width < 0.35 && f.box.height > 0.12 && f.box.height < 0.35, qPrintable(describe(f)));
        // Keypoints inside the box, eyes level-ish, picture-left eye left of the other, nose below the eyes, mouth
        // below the nose.
        for (const FramePoint& p : {f.keypoints[0], f.keypoints[1], f.keypoints[2], f.keypoints[3]})
            QVERIFY2(p.x > f.box.x && p.x < f.box.right() && p.y > f.box.y && p.y < f.box.bottom(), qPrintable(describe(f)));
        const FramePoint &el = f.keypoints[kEyeImageLeft], &er = f.keypoints[kEyeImageRight];
        QVERIFY(el.x < er.x);
        QVERIFY(std::abs(el.y - er.y) < 0.03);
        QVERIFY(f.keypoints[kNoseTip].y > el.y && f.keypoints[kMouth].y > f.keypoints[kNoseTip].y);
    }

    void letterboxedAndBatchedDetectionsMapBackToTheFrame() {
        FRAMELINE_REQUIRE_MODELS("blazeface");
        FRAMELINE_REQUIRE_SKIMAGE("astronaut.png");
        const RgbImage img = load_rgb(skimage_file("astronaut.png"));
        // The portrait in the middle of a 1024x512 black frame: the face must land 256 px further right, at half
        // the width fraction.
        RgbImage wide = flat_image(1024, 512, 0);
        for (int y = 0; y < 512; ++y)
            std::memcpy(&wide.rgb[(size_t(y) * 1024 + 256) * 3], &img.rgb[size_t(y) * 512 * 3], 512 * 3);
        FaceDetector detector(cpu());
        const auto batch = detector.detect(std::vector<RgbImage>{img, wide, flat_image(320, 240, 90)});
        QCOMPARE(batch.size(), size_t(3));
        QCOMPARE(batch[0].size(), size_t(1));
        QCOMPARE(batch[1].size(), size_t(1));
        QVERIFY(batch[2].empty());
        const FaceDetection &a = batch[0][0], &b = batch[1][0];
        qInfo("in 1024x512: %s", qPrintable(describe(b)));
        // The model sees her face at half the size there, so allow a few pixels of its own disagreement; a
        // mapping that forgot the bars would be 256 px off.
        const double ax = a.box.centre_x() * 512, ay = a.box.centre_y() * 512;
        const double bx = b.box.centre_x() * 1024 - 256, by = b.box.centre_y() * 512;
        QVERIFY2(std::abs(ax - bx) < 12 && std::abs(ay - by) < 12, qPrintable(describe(a) + " vs " + describe(b)));
        QVERIFY2(std::abs(b.box.width * 1024 / (a.box.width * 512) - 1) < 0.15, qPrintable(describe(a) + " vs " + describe(b)));
        const double eye_ax = a.keypoints[kEyeImageLeft].x * 512, eye_bx = b.keypoints[kEyeImageLeft].x * 1024 - 256;
        QVERIFY2(std::abs(eye_ax - eye_bx) < 8, qPrintable(describe(a) + " vs " + describe(b)));
        // One at a time gives what the batch gave.
        const auto single = detector.detect(img);
        QCOMPARE(single.size(), size_t(1));
        QVERIFY(std::abs(single[0].box.x - a.box.x) < 1e-4 && std::abs(single[0].score - a.score) < 1e-4);
    }

    void facesInAFilmFrame() {
        FRAMELINE_REQUIRE_MODELS("blazeface");
        const QString clip = testdata_file("pyscenedetect/goldeneye-vfr-drop3.mp4");
        if (clip.isEmpty()) QSKIP(testdata_missing("pyscenedetect/goldeneye-vfr-drop3.mp4").constData());
        // Frame 150: a woman (centre of the picture, upper half) looks over the shoulder of a man with glasses.
        const RgbImage frame = video_frame(clip, 150, 640);
        QVERIFY(!frame.empty());
        const auto faces = FaceDetector(cpu()).detect(frame);
        for (const auto& f : faces) qInfo("goldeneye 150: %s", qPrintable(describe(f)));
        QVERIFY(!faces.empty());
        bool woman = false;
        for (const auto& f : faces)
            woman = woman || (std::abs(f.box.centre_x() - 0.55) < 0.06 && std::abs(f.box.centre_y() - 0.36) < 0.08);
        QVERIFY(woman);
    }

    void everydayPicturesAreNotAdult() {
        FRAMELINE_REQUIRE_MODELS("nsfw");
        for (const char* name : {"chelsea.png", "coffee.png", "astronaut.png"}) FRAMELINE_REQUIRE_SKIMAGE(name);
        MaturityClassifier classifier(cpu());
        std::vector<RgbImage> imgs;
        for (const char* name : {"chelsea.png", "coffee.png", "astronaut.png"}) imgs.push_back(load_rgb(skimage_file(name)));
        imgs.push_back(RgbImage{});  // an empty frame gets no scores, and does not upset the batch
        const auto scores = classifier.classify(imgs);
        QCOMPARE(scores.size(), size_t(4));
        QVERIFY(scores[3].classes.empty());
        for (size_t i = 0; i < 3; ++i) {
            QString line;
            double sum = 0;
            for (const auto& [label, p] : scores[i].classes) line += QString("%1 %2 ").arg(QString::fromStdString(label)).arg(p, 0, 'f', 3), sum += p;
            qInfo("maturity %zu: %s", i, qPrintable(line));
            QCOMPARE(scores[i].classes.size(), size_t(5));
            QVERIFY(std::abs(sum - 1.0) < 1e-3);
            QVERIFY2(scores[i].probability("Porn") + scores[i].probability("Hentai") < 0.2, qPrintable(line));
        }
        // The network calls Chelsea's photo a "Drawing" (0.73 in PyTorch with nsfwjs' own resize too); what matters
        // here is that nothing everyday is called adult.
        QVERIFY(scores[0].probability("Drawing") + scores[0].probability("Neutral") > 0.9);
        QCOMPARE(scores[1].top().first, std::string("Neutral"));
        QCOMPARE(scores[2].top().first, std::string("Neutral"));
        for (size_t i = 0; i < 3; ++i)
            QVERIFY(scores[i].probability("Porn") + scores[i].probability("Hentai") + scores[i].probability("Sexy") < 0.05);
        const auto single = classifier.classify(imgs[1]);
        QVERIFY(std::abs(single.probability("Neutral") - scores[1].probability("Neutral")) < 1e-4);
        // One image a run (the zoo's CPU batch for this model, its fastest per image) gives what batches gave.
        const auto each = MaturityClassifier(cpu(), MaturityClassifier::Options{1}).classify(imgs);
        QCOMPARE(each.size(), scores.size());
        QVERIFY(each[3].classes.empty());
        for (size_t i = 0; i < 3; ++i)
            for (size_t k = 0; k < scores[i].classes.size(); ++k)
                QVERIFY(std::abs(each[i].classes[k].second - scores[i].classes[k].second) < 1e-4);
    }
};

QTEST_GUILESS_MAIN(TestDetectors)
#include "tst_detectors.moc"
