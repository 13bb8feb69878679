#pragma once
// The model zoo in frameline-cli's ingest and analyse: loaded once per command, run over a title's sampled frames
// (beside the scan, or on a stored title), then the soundtrack, the shot and title embeddings and the analysis.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli/soundtrack_ingest.h"
#include "core/models/compute_device.h"
#include "core/models/frame_zoo.h"
#include "core/models/voice_activity.h"
#include "core/pipeline/model_pass.h"
#include "core/pipeline/progress.h"
#include "core/store/records.h"

namespace frameline {
class Store;
}

namespace frameline::cli {

// The models of one command, loaded once for all its titles.
struct Zoo {
    std::unique_ptr<FrameZoo> frames;
    std::unique_ptr<VoiceActivity> speech;
};

// The zoo's models; absent when `mode` is "none", or when "auto" finds a model not converted (then one line on
// stderr says so and what to do). "all": a model not converted is an error.
Zoo load_zoo(const std::string& mode, const ComputeDevice& device);

// Steps of ingest and analyse that a user can leave out (`--skip`): they cost the most beside the frame models.
struct Steps {
    bool ocr = true;
    bool transcript = true;
};

// Runs the zoo over a stored title's sampled frames, and the on-screen text reader over the same decode when `ocr`
// is given (its summary is written there), then finish_zoo. What the zoo found, as JSON.
nlohmann::ordered_json run_zoo(Zoo& zoo, Store& store, const TitleRecord& title, int threads,
                               const ProgressFn& progress, std::unique_ptr<SoundtrackJob> soundtrack,
                               nlohmann::ordered_json* ocr = nullptr);

// After the zoo's frame pass (beside the scan, or run_zoo's): the soundtrack job (started beside the scan or before
// the frames) is waited for and saved, the shot and title embeddings are made, and the title is analysed, which
// reads the speech and text.
nlohmann::ordered_json finish_zoo(Zoo& zoo, Store& store, const TitleRecord& title, const ModelPassResult& r,
                                  std::unique_ptr<SoundtrackJob> soundtrack);

// True when the title has a finished "zoo" run (an ingest of a stored title runs the zoo again only when it has none).
bool has_zoo_run(Store& store, int64_t title_id);

}  // namespace frameline::cli
