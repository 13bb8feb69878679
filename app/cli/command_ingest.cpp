// `frameline-cli ingest MEDIA...`: the pipeline into the database.
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/models/compute_device.h"
#include "core/pipeline/ingest.h"
#include "core/store/store.h"

namespace frameline::cli {

void add_ingest_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::vector<std::string> media;
        std::string db;
        std::string device = "auto";
        int threads = 0;
        bool force = false;
        double seconds_per_frame = SamplingOptions{}.seconds_per_representative;
        int max_frames = SamplingOptions{}.max_representatives;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("ingest", "Analyse video files and store the results");
    cmd->add_option("MEDIA", args->media, "video files")->required();
    cmd->add_option("--db", args->db, "database URL: sqlite:///abs/path.db, a path, or postgresql://...");
    cmd->add_option("--device", args->device, "where models run")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--threads", args->threads, "threads (0 = one per core)")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--force", args->force, "analyse again even when the same content is stored");
    cmd->add_option("--frame-every", args->seconds_per_frame,
                    "one representative frame per this many seconds of a shot (at least one per shot)")
        ->check(CLI::Range(0.1, 3600.0));
    cmd->add_option("--max-frames-per-shot", args->max_frames, "at most this many representative frames per shot")
        ->check(CLI::Range(1, 100));
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        choose_compute_device(args->device, args->threads);
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        IngestOptions options;
        options.scan.threads = args->threads;
        options.force = args->force;
        options.scan.sampling.seconds_per_representative = args->seconds_per_frame;
        options.scan.sampling.max_representatives = args->max_frames;
        nlohmann::ordered_json titles = nlohmann::ordered_json::array(), errors = nlohmann::ordered_json::array();
        for (const std::string& path : args->media) {
            try {
                IngestResult r = ingest_file(path, *store, options, stderr_progress(path));
                end_progress_line();
                titles.push_back({{"id", r.title_id},
                                  {"path", path},
                                  {"already_present", r.already_present},
                                  {"shots", r.shots},
                                  {"frames", r.frames}});
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

}  // namespace frameline::cli
