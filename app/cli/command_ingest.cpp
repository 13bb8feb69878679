// `frameline-cli ingest MEDIA...`: the pipeline into the database; `frameline-cli analyse TITLE...`: the model
// pass alone, on titles already stored (after a model changed, or for titles the GUI ingested: the GUI process
// never loads LibTorch).
#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "app/cli/decoder_option.h"
#include "app/cli/ocr_ingest.h"
#include "app/cli/soundtrack_ingest.h"
#include "app/cli/subtitle_ingest.h"
#include "app/cli/title_ingester.h"
#include "app/cli/title_models.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/models/compute_device.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

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
        int jobs = 1;
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
    cmd->add_option("--jobs", args->jobs,
                    "titles ingested at once, each with its own decoder and models (on a GPU: up to one per NVDEC "
                    "engine); the cores are shared among them")
        ->check(CLI::Range(1, 64));
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        const int jobs = std::min<int>(args->jobs, static_cast<int>(args->media.size()));
        // --threads is each title's; by default the cores are shared out among the titles that run at once.
        const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        const int threads = args->threads > 0 ? args->threads : jobs > 1 ? std::max(1, cores / jobs) : 0;
        const ComputeDevice device = choose_compute_device(args->device, threads);
        const std::string url = args->db.empty() ? default_database_url() : args->db;
        apply_audio_language(args->audio_language);
        apply_decoder(args->decoder);
        TitleIngester::Settings settings;
        settings.steps = steps_without(args->skip);
        settings.read_text = settings.steps.ocr && args->models != "none";
        settings.threads = threads;
        settings.progress = jobs == 1;  // one progress line cannot show several titles
        settings.options.scan.threads = threads;
        settings.options.force = args->force;
        settings.options.scan.sampling.seconds_per_representative = args->seconds_per_frame;
        settings.options.scan.sampling.max_representatives = args->max_frames;
        // One ingester per title at once: each its own database connection, decoder, models and text reader (a
        // model's staging buffers are its own), on its own thread. Loaded before any title starts, so that a
        // missing model stops the command at once.
        std::vector<std::unique_ptr<TitleIngester>> ingesters;
        for (int j = 0; j < jobs; ++j)
            ingesters.push_back(std::make_unique<TitleIngester>(open_store(url), load_zoo(args->models, device), settings));

        std::vector<nlohmann::ordered_json> rows(args->media.size()), failures(args->media.size());
        std::mutex output;  // the lines each title prints
        // The same content twice in one run (a file named twice, or a copy) is ingested once: the second waits on the
        // content's lock (ingest_file) and then finds the title stored.
        std::atomic<size_t> next{0};
        auto work = [&](TitleIngester& ingester) {
            for (size_t i = next++; i < args->media.size(); i = next++) {
                const std::string& path = args->media[i];
                try {
                    TitleIngester::Done done = ingester.ingest(path);
                    std::lock_guard lock(output);
                    report_decoder(path, done.decoder);
                    if (!args->json)
                        std::cout << "title " << done.row["id"] << ": " << path << " ("
                                  << (done.row["already_present"].get<bool>() ? "already stored, " : "")
                                  << done.row["shots"] << " shots)" << std::endl;
                    rows[i] = std::move(done.row);
                } catch (const Cancelled&) {
                    throw;
                } catch (const std::exception& e) {
                    std::lock_guard lock(output);
                    end_progress_line();
                    std::cerr << "frameline-cli: error: " << e.what() << std::endl;
                    failures[i] = {{"path", path}, {"error", e.what()}};
                }
            }
        };
        if (jobs == 1) {
            work(*ingesters.front());
        } else {
            std::exception_ptr cancelled;
            std::vector<std::jthread> workers;
            for (auto& ingester : ingesters)
                workers.emplace_back([&, one = ingester.get()] {
                    try {
                        work(*one);
                    } catch (...) {
                        std::lock_guard lock(output);
                        cancelled = std::current_exception();
                    }
                });
            workers.clear();  // joins
            if (cancelled) std::rethrow_exception(cancelled);
        }
        nlohmann::ordered_json titles = nlohmann::ordered_json::array(), errors = nlohmann::ordered_json::array();
        for (size_t i = 0; i < args->media.size(); ++i) {
            if (!rows[i].is_null()) titles.push_back(std::move(rows[i]));
            if (!failures[i].is_null()) errors.push_back(std::move(failures[i]));
        }
        if (args->json) print_json({{"database", ingesters.front()->store().url()}, {"titles", titles}, {"errors", errors}});
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
                run_zoo(zoo, *store, t, args->threads, stderr_progress(t.name), std::move(soundtrack),
                        steps.ocr ? &ocr : nullptr);
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
