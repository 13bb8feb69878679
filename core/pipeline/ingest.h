#pragma once
// Ingest of one media file into the database: probe, scan, store. Runs on the caller's thread, or on a worker
// thread through IngestJob.
#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>

#include "core/pipeline/model_pass.h"
#include "core/pipeline/progress.h"
#include "core/pipeline/video_scan.h"

namespace frameline {

class Store;

struct IngestOptions {
    ScanOptions scan;
    bool force = false;  // analyse again even when the same content is already stored
    // Called on the calling thread once the file is known to need analysis (new, changed, forced or never
    // finished), before the scan: where work that runs beside the scan starts (the soundtrack's, in the CLI).
    std::function<void(int64_t title_id)> started;
    // Frame model sets to run on the sampled frames as the scan picks them: one decode for both, and inference beside
    // the scan (FrameModelStage). Called once the title id is known, before the scan. Their runs are saved after the
    // title's analysis (IngestResult::model_passes), after the frames a set asks for once it knows the scan's markers
    // (FrameModels::frames_after_scan, decoded by seeking); a model's error is thrown after the title is stored, with
    // no model run saved, so that a later ingest resumes with the models alone.
    std::function<std::vector<FrameModels*>(int64_t title_id)> frame_models;
};

struct IngestResult {
    int64_t title_id = 0;
    bool already_present = false;  // the same content was stored before; nothing was redone
    int shots = 0;
    int frames = 0;
    DecoderUsed decoder;           // how the scan decoded (empty codec when nothing was redone)
    std::vector<ModelPassResult> model_passes;  // one per IngestOptions::frame_models set, when they ran
};

// Throws frameline::Error or frameline::Cancelled. On failure or cancellation the title is kept with status
// Failed or Cancelled and no partial analysis; a later ingest of the same file redoes it.
IngestResult ingest_file(const std::filesystem::path& path, Store& store, const IngestOptions& options,
                         const ProgressFn& progress, std::stop_token stop = {});

// An ingest on its own thread with its own database connection (one writer per connection).
class IngestJob {
public:
    struct Callbacks {
        ProgressFn progress;                                     // worker thread
        std::function<void(const IngestResult&)> finished;       // worker thread
        std::function<void(const std::string& message)> failed;  // worker thread; "cancelled" when cancelled
    };
    IngestJob(std::filesystem::path path, std::string database_url, IngestOptions options, Callbacks callbacks);
    ~IngestJob();  // requests stop and joins
    IngestJob(const IngestJob&) = delete;
    IngestJob& operator=(const IngestJob&) = delete;

    void cancel();

private:
    std::jthread thread_;
};

}  // namespace frameline
