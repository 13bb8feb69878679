// `frameline-cli ingest MEDIA...`: the pipeline into the database; `frameline-cli analyse TITLE...`: the model
// pass alone, on titles already stored (after a model changed, or for titles the GUI ingested: the GUI process
// never loads LibTorch).
#include <iostream>
#include <memory>
#include <optional>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "app/cli/decoder_option.h"
#include "app/cli/subtitle_ingest.h"
#include "app/cli/ocr_ingest.h"
#include "app/cli/soundtrack_ingest.h"
#include "core/error.h"
#include "core/models/compute_device.h"
#include "core/models/frame_zoo.h"
#include "core/analysis/analyse_title.h"
#include "core/analysis/media_embedder.h"
#include "core/media/audio_decoder.h"
#include "core/models/model_zoo.h"
#include "core/models/voice_activity.h"
#include "core/pipeline/ingest.h"
#include "core/pipeline/model_pass.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

// The models of one command, loaded once for all its titles.
struct Zoo {
    std::unique_ptr<FrameZoo> frames;
    std::unique_ptr<VoiceActivity> speech;
};

// The zoo's models, loaded once for all titles of a command; absent when `--models none`, or when `auto` finds a
// model not converted (then one line on stderr says so and what to do).
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

// Steps of ingest and analyse that a user can leave out (`--skip`): they cost the most beside the frame models.
struct Steps {
    bool ocr = true;
    bool transcript = true;
};

CLI::Option* add_skip_option(CLI::App* cmd, std::vector<std::string>& skip) {
    return cmd
        ->add_option("--skip", skip,
                     "leave out a step: ocr (on-screen text), transcript (speech recognition; voice activity still "
                     "runs); comma-separated or repeated")
        ->delimiter(',')
        ->check(CLI::IsMember({"ocr", "transcript"}));
}

Steps steps_without(const std::vector<std::string>& skip) {
    Steps s;
    for (const std::string& step : skip) {
        if (step == "ocr") s.ocr = false;
        if (step == "transcript") s.transcript = false;
    }
    return s;
}

nlohmann::ordered_json finish_zoo(Zoo& zoo, Store& store, const TitleRecord& title, const ModelPassResult& r,
                                  std::unique_ptr<SoundtrackJob> soundtrack);

// Runs the zoo over a stored title's sampled frames, and the on-screen text reader over the same decode when `ocr`
// is given (its summary is written there), then finish_zoo. What the zoo found, as JSON.
nlohmann::ordered_json run_zoo(Zoo& zoo, Store& store, const TitleRecord& title, int threads,
                               const std::string& label, std::unique_ptr<SoundtrackJob> soundtrack,
                               nlohmann::ordered_json* ocr = nullptr) {
    std::optional<OcrStep> reader;
    std::vector<FrameModels*> sets{zoo.frames.get()};
    if (ocr) sets.push_back(&reader.emplace(store, title.id, ocr_options(threads)).frames());
    const std::vector<ModelPassResult> passes =
        run_frame_models(title.media_path, store, title.id, sets, stderr_progress(label), {}, threads);
    end_progress_line();
    if (ocr) *ocr = ocr_summary(reader->finish(passes[1]));
    return finish_zoo(zoo, store, title, passes[0], std::move(soundtrack));
}

// After the zoo's frame pass (beside the scan, or run_zoo's): the soundtrack job (started beside the scan or before
// the frames) is waited for and saved, the shot and title embeddings are made, and the title is analysed, which
// reads the speech and text.
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

}  // namespace

void add_ingest_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::vector<std::string> media;
        std::string db;
        std::string device = "auto";
        std::string models = "auto";
        int threads = 0;
        bool force = false;
        double seconds_per_frame = SamplingOptions{}.seconds_per_representative;
        int max_frames = SamplingOptions{}.max_representatives;
        std::string audio_language;
        std::vector<std::string> skip;
        std::string decoder = "auto";
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("ingest", "Analyse video files and store the results");
    cmd->add_option("MEDIA", args->media, "video files")->required();
    cmd->add_option("--db", args->db, "database URL: sqlite:///abs/path.db, a path, or postgresql://...");
    cmd->add_option("--device", args->device, "where models run")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--threads", args->threads, "threads (0 = one per core)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--models", args->models,
                    "run the model zoo on the sampled frames: auto (when converted), all (required), none")
        ->check(CLI::IsMember({"auto", "all", "none"}));
    cmd->add_flag("--force", args->force, "analyse again even when the same content is stored");
    cmd->add_option("--frame-every", args->seconds_per_frame,
                    "one representative frame per this many seconds of a shot (at least one per shot)")
        ->check(CLI::Range(0.1, 3600.0));
    cmd->add_option("--max-frames-per-shot", args->max_frames, "at most this many representative frames per shot")
        ->check(CLI::Range(1, 100));
    add_audio_language_option(cmd, args->audio_language);
    add_skip_option(cmd, args->skip);
    add_decoder_option(cmd, args->decoder);
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        const ComputeDevice device = choose_compute_device(args->device, args->threads);
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        apply_audio_language(args->audio_language);
        apply_decoder(args->decoder);
        const Steps steps = steps_without(args->skip);
        Zoo zoo = load_zoo(args->models, device);
        IngestOptions options;
        options.scan.threads = args->threads;
        options.force = args->force;
        options.scan.sampling.seconds_per_representative = args->seconds_per_frame;
        options.scan.sampling.max_representatives = args->max_frames;
        // The zoo and the text reader see the sampled frames as the scan picks them: one decode, inference beside
        // the scan. The reader then reads the frames its gate passed over inside the credits the scan found: a seek
        // into each, not a second decode of the title.
        const bool want_text = steps.ocr && args->models != "none";
        std::optional<OcrStep> reader;  // the current title's
        options.frame_models = [&](int64_t title_id) {
            std::vector<FrameModels*> sets;
            if (zoo.frames) sets.push_back(zoo.frames.get());
            if (want_text)
                sets.push_back(
                    &reader.emplace(*store, title_id, ocr_options(args->threads), OcrStep::When::BesideScan).frames());
            return sets;
        };
        nlohmann::ordered_json titles = nlohmann::ordered_json::array(), errors = nlohmann::ordered_json::array();
        for (const std::string& path : args->media) {
            reader.reset();
            // The soundtrack (voice activity, transcript) runs on its own thread beside the scan, the on-screen
            // text and the frame models: the recognisers are the longest step, and they need no frames.
            std::unique_ptr<SoundtrackJob> soundtrack;
            auto start_soundtrack = [&] {
                if (zoo.speech && !soundtrack)
                    soundtrack = std::make_unique<SoundtrackJob>(*zoo.speech, path, args->threads, steps.transcript);
            };
            options.started = [&](int64_t) { start_soundtrack(); };
            try {
                IngestResult r = ingest_file(path, *store, options, stderr_progress(path));
                end_progress_line();
                report_decoder(path, r.decoder);
                nlohmann::ordered_json row{{"id", r.title_id},
                                           {"path", path},
                                           {"already_present", r.already_present},
                                           {"shots", r.shots},
                                           {"frames", r.frames}};
                if (!r.decoder.codec.empty()) row["decoder"] = decoder_json(r.decoder);
                row["subtitles"] = ingest_subtitles(*store, r, path);
                // A title stored before is analysed again only when asked (--force) or when its model pass never
                // finished (an interrupted ingest resumes here).
                const bool analyse = zoo.frames && (!r.already_present || !has_zoo_run(*store, r.title_id));
                const bool read_text = want_text && (!r.already_present || !has_ocr_run(*store, r.title_id));
                const TitleRecord title = *store->title(r.title_id);
                if (!r.model_passes.empty()) {  // the zoo (first) and the reader (last) ran beside the scan
                    start_soundtrack();
                    if (reader) row["ocr"] = ocr_summary(reader->finish(r.model_passes.back()));
                    if (zoo.frames)
                        row["models"] = finish_zoo(zoo, *store, title, r.model_passes.front(), std::move(soundtrack));
                } else if (analyse) {
                    start_soundtrack();
                    nlohmann::ordered_json ocr;
                    row["models"] = run_zoo(zoo, *store, title, args->threads, path, std::move(soundtrack),
                                            read_text ? &ocr : nullptr);
                    if (read_text) row["ocr"] = ocr;
                } else if (read_text) {
                    row["ocr"] = ingest_ocr(*store, title, args->threads, path);  // a title from before the OCR step
                }
                titles.push_back(row);
                if (!args->json)
                    std::cout << "title " << r.title_id << ": " << path << " ("
                              << (r.already_present ? "already stored, " : "") << r.shots << " shots)\n";
            } catch (const Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                end_progress_line();
                std::cerr << "frameline-cli: error: " << e.what() << std::endl;
                errors.push_back({{"path", path}, {"error", e.what()}});
            }
        }
        if (args->json) print_json({{"database", store->url()}, {"titles", titles}, {"errors", errors}});
        exit_code = errors.empty() ? kExitOk : kExitFailure;
    });
}

void add_analyse_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::vector<std::string> titles;
        std::string audio_language;
        std::string db;
        std::string device = "auto";
        int threads = 0;
        std::vector<std::string> skip;
        std::string decoder = "auto";
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("analyse", "Run the model zoo on stored titles (replaces their earlier run)");
    cmd->add_option("TITLE", args->titles, "title ids or names")->required();
    add_audio_language_option(cmd, args->audio_language);
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--device", args->device, "where models run")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--threads", args->threads, "threads (0 = one per core)")->check(CLI::NonNegativeNumber);
    add_skip_option(cmd, args->skip);
    add_decoder_option(cmd, args->decoder);
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        const ComputeDevice device = choose_compute_device(args->device, args->threads);
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        apply_decoder(args->decoder);
        const Steps steps = steps_without(args->skip);
        std::vector<TitleRecord> titles;
        for (const std::string& key : args->titles) {
            auto t = store->find_title(key);
            if (!t) throw Error("no title '" + key + "' in " + store->url() + " — list them with 'frameline-cli titles'");
            if (t->status != TitleStatus::Ready)
                throw Error("title '" + key + "' is " + to_string(t->status) + " — ingest it again first");
            titles.push_back(*t);
        }
        apply_audio_language(args->audio_language);
        Zoo zoo = load_zoo("all", device);
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const TitleRecord& t : titles) {
            auto soundtrack = std::make_unique<SoundtrackJob>(*zoo.speech, t.media_path, args->threads, steps.transcript);
            IngestResult stored;
            stored.title_id = t.id;
            stored.already_present = true;
            const nlohmann::ordered_json subtitles = ingest_subtitles(*store, stored, t.media_path);
            nlohmann::ordered_json ocr;
            nlohmann::ordered_json row =
                run_zoo(zoo, *store, t, args->threads, t.name, std::move(soundtrack), steps.ocr ? &ocr : nullptr);
            row["subtitles"] = subtitles;
            row["id"] = t.id;
            if (steps.ocr) row["ocr"] = ocr;
            out.push_back(row);
            if (!args->json)
                std::cout << "title " << t.id << ": " << row["frames"] << " frames, " << row["faces"] << " faces, "
                          << row["objects"] << " objects\n";
        }
        if (args->json) print_json({{"database", store->url()}, {"titles", out}});
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
