#pragma once
// The model pass of an ingest: the title's sampled frames are decoded again at model resolution (a decode thread
// feeding a bounded queue), run through a set of frame models in batches, and everything they produce is saved as
// one model run. The models themselves live in core/models (LibTorch); this file speaks to them through the
// torch-free FrameModels interface, so that frameline_core stays free of LibTorch (the GUI links it).
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "core/media/image.h"
#include "core/pipeline/progress.h"
#include "core/store/annotation_records.h"

namespace frameline {

class Store;

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
};

struct ModelPassResult {
    int64_t run_id = 0;
    int frames = 0;   // sampled frames analysed
    int missing = 0;  // sampled frames the decoder did not reach (a damaged file)
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
