// The model pass decodes exactly the sampled frames again, feeds them to the frame models in batches and saves what
// they find as one model run; or, inside an ingest, takes the scan's own decode of the sampled frames (issue #10). The models here compute something real and checkable without LibTorch: each
// picture's mean colour (as a 3-d embedding) and a "red" detection where red dominates; the clip's segments have
// known colours, so a frame decoded at the wrong index gives the wrong colour.
#include <QTemporaryDir>
#include <QtTest>

#include <map>

#include "core/error.h"
#include "core/pipeline/ingest.h"
#include "core/pipeline/model_pass.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"

using namespace frameline;

namespace {

class MeanColourModels : public FrameModels {
public:
    explicit MeanColourModels(std::string name = "mean_colour", int width = 160, int batch = 4)
        : name_(std::move(name)), width_(width), batch_(batch) {}
    int batches = 0;
    bool fail_on_second_batch = false;
    std::string run_name() const override { return name_; }
    std::string run_version() const override { return "1"; }
    int batch_size() const override { return batch_; }
    int picture_width() const override { return width_; }
    void analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out) override {
        ++batches;
        if (fail_on_second_batch && batches == 2) throw Error("the model failed on its second batch");
        for (const SampledPicture& p : batch) {
            double sum[3] = {0, 0, 0};
            for (size_t i = 0; i < p.rgb.rgb.size(); ++i) sum[i % 3] += p.rgb.rgb[i];
            const double n = double(p.rgb.rgb.size() / 3) * 255.0;
            Embedding e;
            e.entity = "frame";
            e.entity_key = p.frame_index;
            e.vector = {float(sum[0] / n), float(sum[1] / n), float(sum[2] / n)};
            out.embeddings.push_back(e);
            if (e.vector[0] > 0.6f && e.vector[1] < 0.3f)
                out.detections.push_back(Detection{0, 0, p.frame_index, "red", e.vector[0], 0, 0, 1, 1});
            if (p.rgb.width != width_) throw Error("picture at the wrong width");
        }
    }

private:
    std::string name_;
    int width_, batch_;
};

// Remembers every picture it is given, by frame; once the scan is over, asks for `wanted` again.
class AskingAgain : public FrameModels {
public:
    std::vector<int64_t> wanted;
    std::map<int64_t, std::vector<std::vector<uint8_t>>> pictures;
    int markers_given = -1;
    std::string run_name() const override { return "asking"; }
    std::string run_version() const override { return "1"; }
    int batch_size() const override { return 3; }
    int picture_width() const override { return 96; }
    void analyse(const std::vector<SampledPicture>& batch, ModelRunOutput&) override {
        for (const SampledPicture& p : batch) pictures[p.frame_index].push_back(p.rgb.rgb);
    }
    std::vector<int64_t> frames_after_scan(const std::vector<Marker>& markers) override {
        markers_given = int(markers.size());
        return wanted;
    }
};

// Colours of the clip's 25-frame segments, as ffmpeg's `color` source makes them.
const char* kColours[] = {"red", "green", "blue", "red"};

}  // namespace

class TestModelPass : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString clip_;

    int64_t store_colour_title(Store& store) {
        NewTitle t;
        t.name = "colours";
        t.media_path = clip_.toStdString();
        t.content_hash = "colours";
        t.fps = 25;
        const int64_t id = store.create_title(t);
        TitleAnalysis a;
        a.frame_count = 100;
        a.fps = 25;
        a.duration_s = 4;
        // Frames on both sides of every colour change, and a frame past the end that the decoder never reaches.
        for (int64_t frame : {0, 24, 25, 49, 50, 74, 75, 99, 140}) {
            TitleAnalysis::Frame f;
            f.record.frame_index = frame;
            f.record.shot_index = int(frame / 25);
            f.record.pts_s = frame / 25.0;
            a.frames.push_back(f);
        }
        store.save_analysis(id, a);
        return id;
    }

    // The frames of `model` in `store` have the colours of their segments.
    static void check_colours(Store& store, int64_t id, const std::string& model) {
        const auto vectors = store.embeddings(id, model, "frame");
        QCOMPARE(int(vectors.size()), 8);
        for (const Embedding& e : vectors) {
            const int channel = std::string(kColours[e.entity_key / 25]) == "red"     ? 0
                                : std::string(kColours[e.entity_key / 25]) == "green" ? 1
                                                                                      : 2;
            for (int c = 0; c < 3; ++c)
                QVERIFY2(c == channel ? e.vector[c] > 0.45f : e.vector[c] < 0.2f,
                         qPrintable(QString("frame %1 channel %2: %3").arg(e.entity_key).arg(c).arg(e.vector[c])));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QStringList args;
        QString graph;
        for (int i = 0; i < 4; ++i) {
            args << "-f" << "lavfi" << "-i" << QString("color=c=%1:s=320x180:r=25:d=1").arg(kColours[i]);
            graph += QString("[%1]").arg(i);
        }
        graph += "concat=n=4:v=1:a=0,format=yuv420p[v]";
        clip_ = dir_.filePath("colours.mp4");
        const QString err = test::run_ffmpeg(args + QStringList{"-filter_complex", graph, "-map", "[v]", "-c:v",
                                                                 "libx264", "-g", "50", "-bf", "2", clip_});
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }

    void decodesExactlyTheSampledFrames() {
        auto store = open_store(dir_.filePath("pass.db").toStdString());
        const int64_t id = store_colour_title(*store);
        MeanColourModels models;
        int progress_calls = 0;
        const ModelPassResult r =
            run_frame_models(clip_.toStdString(), *store, id, models, [&](const Progress& p) {
                QCOMPARE(p.stage, std::string("models"));
                ++progress_calls;
            });
        QCOMPARE(r.frames, 8);
        QCOMPARE(r.missing, 1);
        QCOMPARE(models.batches, 2);
        QCOMPARE(progress_calls, 2);
        check_colours(*store, id, "mean_colour");
        if (QTest::currentTestFailed()) return;
        const auto red = store->detections(id);
        QCOMPARE(int(red.size()), 4);  // frames 0, 24, 75, 99
        QCOMPARE(red[1].frame_index, int64_t(24));
        QCOMPARE(red[2].frame_index, int64_t(75));
        QCOMPARE(store->model_runs(id).at(0).model, std::string("mean_colour"));
    }

    void setsShareOneDecode() {
        // The zoo and the text reader take the same frames at their own widths and batch sizes, each saving its run.
        auto store = open_store(dir_.filePath("shared.db").toStdString());
        const int64_t id = store_colour_title(*store);
        MeanColourModels narrow("mean_colour", 160, 4), wide("mean_colour_wide", 320, 3), same("mean_colour_too", 160, 8);
        int64_t last_done = 0, total = 0;
        const std::vector<ModelPassResult> r =
            run_frame_models(clip_.toStdString(), *store, id, {&narrow, &wide, &same}, [&](const Progress& p) {
                QVERIFY(p.done > last_done);
                last_done = p.done;
                total = p.total;
            });
        QCOMPARE(int(r.size()), 3);
        for (const ModelPassResult& one : r) {
            QCOMPARE(one.frames, 8);
            QCOMPARE(one.missing, 1);
            QVERIFY(one.run_id > 0);
        }
        QCOMPARE(narrow.batches, 2);
        QCOMPARE(wide.batches, 3);  // 3 + 3 + 2
        QCOMPARE(same.batches, 1);
        QCOMPARE(last_done, int64_t(24));
        QCOMPARE(total, int64_t(27));  // 9 sampled frames (one past the end) for each of 3 sets
        for (const char* model : {"mean_colour", "mean_colour_wide", "mean_colour_too"}) {
            check_colours(*store, id, model);
            if (QTest::currentTestFailed()) return;
        }

        // One set failing saves none of them.
        auto failed = open_store(dir_.filePath("shared-fail.db").toStdString());
        const int64_t fid = store_colour_title(*failed);
        MeanColourModels good("good", 160, 2), bad("bad", 320, 2);
        bad.fail_on_second_batch = true;
        try {
            run_frame_models(clip_.toStdString(), *failed, fid, {&good, &bad}, {});
            QFAIL("the failing set gave no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("second batch"), e.what());
        }
        QVERIFY(failed->model_runs(fid).empty());
    }

    // Inside an ingest the models take the sampled frames from the scan's own decode: the frames the scan stored,
    // with the very pictures a second decode gives.
    void ingestRunsTheModelsBesideTheScan() {
        auto store = open_store(dir_.filePath("beside.db").toStdString());
        const QString cuts = test::make_cut_clip(dir_.filePath("cuts.mp4"), 4, 25, 25);
        MeanColourModels beside("mean_colour", 160, 2);
        IngestOptions options;
        int64_t asked_for = 0;
        options.frame_models = [&](int64_t title_id) {
            asked_for = title_id;
            return std::vector<FrameModels*>{&beside};
        };
        const IngestResult r = ingest_file(cuts.toStdString(), *store, options, {});
        QCOMPARE(asked_for, r.title_id);
        QCOMPARE(r.shots, 4);
        const std::vector<FrameRecord> frames = store->frames(r.title_id);
        QVERIFY(frames.size() >= 4);
        QCOMPARE(int(r.model_passes.size()), 1);
        QCOMPARE(r.model_passes[0].frames, int(frames.size()));
        QCOMPARE(r.model_passes[0].missing, 0);
        QVERIFY(r.model_passes[0].run_id > 0);
        QVERIFY(beside.batches >= 2);

        MeanColourModels again("mean_colour_again", 160, 4);
        run_frame_models(cuts.toStdString(), *store, r.title_id, again, {});
        const auto a = store->embeddings(r.title_id, "mean_colour", "frame");
        const auto b = store->embeddings(r.title_id, "mean_colour_again", "frame");
        QCOMPARE(a.size(), frames.size());
        QCOMPARE(b.size(), frames.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].entity_key, frames[i].frame_index);
            QCOMPARE(b[i].entity_key, frames[i].frame_index);
            QVERIFY2(a[i].vector == b[i].vector, qPrintable(QString("frame %1").arg(a[i].entity_key)));
        }
        // Every shot's frames are there, and they differ: the pictures are the frames', not one frame's.
        QVERIFY(a.front().vector != a.back().vector);
    }

    // A set can ask for frames again once the scan's markers are known (the text reader's credits frames): they come
    // by seeking, to that set alone, with the pictures it had, and its result still counts each frame once.
    void aSetGetsFramesAgainAfterTheScan() {
        auto store = open_store(dir_.filePath("again.db").toStdString());
        const QString cuts = test::make_cut_clip(dir_.filePath("cuts-again.mp4"), 4, 25, 25);
        // Which frames the scan samples is known only after it: a first ingest tells.
        MeanColourModels plain("mean_colour", 160, 2);
        AskingAgain asking;
        IngestOptions options;
        options.frame_models = [&](int64_t) { return std::vector<FrameModels*>{&plain, &asking}; };
        const IngestResult first = ingest_file(cuts.toStdString(), *store, options, {});
        const std::vector<FrameRecord> frames = store->frames(first.title_id);
        QVERIFY(frames.size() >= 4);
        QCOMPARE(asking.markers_given, int(store->markers(first.title_id).size()));
        QCOMPARE(asking.pictures.size(), frames.size());

        // Again (forced), asking for the first and the last frame, and for one the scan never sampled (ignored).
        MeanColourModels plain2("mean_colour", 160, 2);
        AskingAgain asking2;
        const int64_t first_frame = frames.front().frame_index, last_frame = frames.back().frame_index;
        asking2.wanted = {last_frame, 99999, first_frame};
        options.force = true;
        options.frame_models = [&](int64_t) { return std::vector<FrameModels*>{&plain2, &asking2}; };
        const IngestResult again = ingest_file(cuts.toStdString(), *store, options, {});
        QCOMPARE(again.title_id, first.title_id);
        QCOMPARE(int(again.model_passes.size()), 2);
        for (const ModelPassResult& pass : again.model_passes) {
            QCOMPARE(pass.frames, int(frames.size()));  // each frame once, asked again or not
            QCOMPARE(pass.missing, 0);
        }
        QCOMPARE(plain2.batches, plain.batches);  // the other set got nothing more
        for (const FrameRecord& f : frames) {
            const auto& got = asking2.pictures[f.frame_index];
            const bool asked = f.frame_index == first_frame || f.frame_index == last_frame;
            QCOMPARE(int(got.size()), asked ? 2 : 1);
            if (asked)
                QVERIFY2(got[0] == got[1], qPrintable(QString("frame %1 differs after the seek").arg(f.frame_index)));
        }
        QCOMPARE(int(asking2.pictures.count(99999)), 0);
    }

    // A model failing beside the scan: the title is stored all the same (a later ingest runs the models alone), with
    // no model run, and the error says what failed.
    void modelErrorBesideTheScanKeepsTheTitle() {
        auto store = open_store(dir_.filePath("beside-fail.db").toStdString());
        MeanColourModels bad("bad", 160, 1);
        bad.fail_on_second_batch = true;
        IngestOptions options;
        options.frame_models = [&](int64_t) { return std::vector<FrameModels*>{&bad}; };
        try {
            ingest_file(test::make_cut_clip(dir_.filePath("cuts-fail.mp4"), 4, 25, 25).toStdString(), *store, options,
                        {});
            QFAIL("the failing model gave no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("second batch"), e.what());
        }
        const auto titles = store->titles();
        QCOMPARE(int(titles.size()), 1);
        QCOMPARE(titles[0].status, TitleStatus::Ready);
        QCOMPARE(titles[0].shot_count, 4);
        QVERIFY(store->model_runs(titles[0].id).empty());
    }

    void failuresSaveNothingAndCancelStops() {
        auto store = open_store(dir_.filePath("fail.db").toStdString());
        NewTitle t;
        t.name = "gone";
        t.media_path = dir_.filePath("missing.mp4").toStdString();
        t.content_hash = "gone";
        const int64_t id = store->create_title(t);
        TitleAnalysis a;
        a.frames.resize(1);
        store->save_analysis(id, a);
        MeanColourModels models;
        try {
            run_frame_models(t.media_path, *store, id, models, {});
            QFAIL("a missing file gave no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("missing.mp4"), e.what());
        }
        QVERIFY(store->model_runs(id).empty());

        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, run_frame_models(clip_.toStdString(), *store, id, models, {},
                                                             stop.get_token()));
        QVERIFY(store->model_runs(id).empty());
    }
};

QTEST_GUILESS_MAIN(TestModelPass)
#include "tst_model_pass.moc"
