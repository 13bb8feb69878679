#pragma once
// The model pass: a title's sampled frames at model resolution, run through sets of frame models in batches, and
// everything they produce saved as one model run per set. Either beside the ingest's scan (one decode, see
// FrameModelStage) or on a stored title, decoding its sampled frames again (run_frame_models). The models themselves live in core/models (LibTorch); this file speaks to them through the
// torch-free FrameModels interface, so that frameline_core stays free of LibTorch (the GUI links it).
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/media/image.h"
#include "core/pipeline/progress.h"
#include "core/sampling/cue_detector.h"
#include "core/store/annotation_records.h"

namespace frameline {

class Store;
class DecodedPicture;

// A sampled frame as the models see it: full picture (rotation applied) scaled to the models' working width.
struct SampledPicture {
    int64_t frame_index = 0;
    double pts_s = 0.0;
    int shot_index = 0;
    RgbImage rgb;
};

class FrameModels {
public:
    virtual ~FrameModels() = default;
    virtual std::string run_name() const = 0;     // the model run's name, e.g. "zoo"
    virtual std::string run_version() const = 0;  // changes when any model in the set changes
    virtual int batch_size() const { return 8; }
    virtual int picture_width() const { return 640; }
    // Appends what the models find in `batch` (faces, detections, frame scores, embeddings) to `out`.
    virtual void analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out) = 0;
    // Beside a scan (ingest_file), once the scan's markers are known: sampled frames this set wants to analyse
    // again, now that it knows them (the text reader: frames its gate passed over inside credits). They are decoded
    // again by seeking (core/pipeline/frame_seek.h) and given to this set alone, before its run is saved.
    virtual std::vector<int64_t> frames_after_scan(const std::vector<Marker>& markers) {
        (void)markers;
        return {};
    }
};

struct ModelPassResult {
    int64_t run_id = 0;
    int frames = 0;   // sampled frames analysed
    int missing = 0;  // sampled frames the decoder did not reach (a damaged file)
};

// The models' side of a pass, between a thread that has decoded frames and one that runs the models: push() scales
// each sampled frame once per distinct picture_width() and queues it (bounded: two of the largest batches); run()
// feeds each set its batches until close(). Used by run_frame_models (its own decode) and by ingest_file (the scan's
// decode: the sampled frames reach the models without a second decode, and inference overlaps the scan).
class FrameModelStage {
public:
    // `progress` (optional) is called on run()'s thread after each batch with Progress{"models", done, total}.
    explicit FrameModelStage(std::vector<FrameModels*> sets, ProgressFn progress = {}, int64_t total = 0);
    ~FrameModelStage();
    FrameModelStage(const FrameModelStage&) = delete;
    FrameModelStage& operator=(const FrameModelStage&) = delete;

    // Producer, one thread. Blocks while the queue is full. False once the stage takes no more (closed, cancelled,
    // or a model failed: run() throws that error); the frame is dropped.
    bool push(int64_t frame_index, double pts_s, int shot_index, const DecodedPicture& picture);
    // The same for set `set` alone: a frame it analyses again (FrameModels::frames_after_scan), not counted as a
    // new frame in its result.
    bool push_again(size_t set, int64_t frame_index, double pts_s, int shot_index, const DecodedPicture& picture);
    // No more frames: run() finishes what is queued and returns.
    void close();
    // Drops what is queued; run() returns after the batch it is running.
    void cancel();
    // Consumer, one thread: runs until close() and the queue is drained, cancel(), or `stop`. A model's error is
    // thrown here, after the queue is closed (so that push() stops blocking).
    void run(std::stop_token stop = {});
    // After run(): each set's outputs saved as one model run, in the order given; `expected_frames` - analysed is
    // each result's `missing`.
    std::vector<ModelPassResult> save(Store& store, int64_t title_id, int expected_frames);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Throws frameline::Error (nothing saved) or frameline::Cancelled.
ModelPassResult run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                 FrameModels& models, const ProgressFn& progress, std::stop_token stop = {},
                                 int decoder_threads = 0);

// Several sets over one decode of the title (the zoo and the on-screen text reader: decoding is the cost they
// share): each decoded sampled frame is scaled once per distinct picture_width(), each set gets its batches in turn
// on the calling thread, and each set's run is saved at the end, in the order given. Progress counts frames done
// by every set. One result per set, in the same order. Throws as above; nothing is saved on failure.
std::vector<ModelPassResult> run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                              const std::vector<FrameModels*>& sets, const ProgressFn& progress,
                                              std::stop_token stop = {}, int decoder_threads = 0);

}  // namespace frameline
