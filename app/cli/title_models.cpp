#include "app/cli/title_models.h"

#include <iostream>
#include <optional>

#include "app/cli/cli_output.h"
#include "app/cli/ocr_ingest.h"
#include "core/analysis/analyse_title.h"
#include "core/analysis/media_embedder.h"
#include "core/error.h"
#include "core/models/model_zoo.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

// Shot and title embeddings from the frames' visual vectors and each shot's sound (media_embedder.h), saved as the
// "embeddings" run: what "more like this" and title similarity search on.
int run_embeddings(const std::string& visual_model, Store& store, const TitleRecord& title) {
    ModelRunOutput out;
    out.model = "embeddings";
    out.model_version = visual_model + "+audio";
    if (visual_model.empty()) return 0;
    std::vector<FrameVector> frames;
    for (Embedding& e : store.embeddings(title.id, visual_model, "frame"))
        frames.push_back(FrameVector{e.entity_key, std::move(e.vector)});
    const std::vector<Shot> shots = store.shots(title.id);
    MediaEmbedder embedder;
    const TitleEmbeddings te = embedder.embed(shots, std::move(frames), embedder.shot_audio(title.media_path, shots));
    for (const EmbeddingRow& row : te.rows()) {
        if (row.entity == "frame") continue;  // stored by the zoo's run already
        Embedding e;
        e.model = "media:" + visual_model;
        e.entity = row.entity;
        e.entity_key = row.entity_key;
        e.vector = row.vector;
        out.embeddings.push_back(std::move(e));
    }
    store.save_model_run(title.id, out);
    return static_cast<int>(out.embeddings.size());
}

}  // namespace

Zoo load_zoo(const std::string& mode, const ComputeDevice& device) {
    if (mode == "none") return {};
    for (const ModelEntry& e : discover_models()) {
        if (e.origin != "repo" || e.state == ModelState::ready) continue;
        const std::string why = "model '" + e.name + "' is " + to_string(e.state) + ": " + e.message;
        if (mode == "all") throw Error(why);
        std::cerr << "frameline-cli: warning: " << why << " — storing shots and frames only" << std::endl;
        return {};
    }
    Zoo zoo{std::make_unique<FrameZoo>(device), std::make_unique<VoiceActivity>(device)};
    for (const std::string& line : zoo.frames->skipped())
        std::cerr << "frameline-cli: warning: your model " << line << " — skipped" << std::endl;
    return zoo;
}

nlohmann::ordered_json run_zoo(Zoo& zoo, Store& store, const TitleRecord& title, int threads,
                               const ProgressFn& progress, std::unique_ptr<SoundtrackJob> soundtrack,
                               nlohmann::ordered_json* ocr) {
    std::optional<OcrStep> reader;
    std::vector<FrameModels*> sets{zoo.frames.get()};
    if (ocr) sets.push_back(&reader.emplace(store, title.id, ocr_options(threads)).frames());
    const std::vector<ModelPassResult> passes =
        run_frame_models(title.media_path, store, title.id, sets, progress, {}, threads);
    end_progress_line();
    if (ocr) *ocr = ocr_summary(reader->finish(passes[1]));
    return finish_zoo(zoo, store, title, passes[0], std::move(soundtrack));
}

nlohmann::ordered_json finish_zoo(Zoo& zoo, Store& store, const TitleRecord& title, const ModelPassResult& r,
                                  std::unique_ptr<SoundtrackJob> soundtrack) {
    nlohmann::ordered_json audio;
    if (soundtrack) audio = soundtrack->save(store, title.id);
    const int embeddings = run_embeddings(zoo.frames->visual_model(), store, title);
    const AnalysisSummary analysis = analyse_title(store, title.id);
    return {{"run", r.run_id},
            {"frames", r.frames},
            {"faces", store.faces(title.id).size()},
            {"objects", store.detections(title.id).size()},
            {"soundtrack", audio},
            {"shot_and_title_embeddings", embeddings},
            {"analysis", {{"run", analysis.run_id},
                          {"tags", analysis.tags},
                          {"characters", analysis.characters},
                          {"chapters", analysis.chapters},
                          {"artwork_candidates", analysis.artwork}}}};
}

bool has_zoo_run(Store& store, int64_t title_id) {
    for (const ModelRun& r : store.model_runs(title_id))
        if (r.model == "zoo" && r.status == "done") return true;
    return false;
}

}  // namespace frameline::cli
