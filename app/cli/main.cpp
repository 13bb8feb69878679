// frameline-cli: the headless face of Frameline. Links core only; no Qt.
#include <cstdio>
#include <exception>
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/media/probe.h"
#include "core/models/compute_device.h"
#include "core/store/store.h"

int main(int argc, char** argv) {
    using namespace frameline;
    CLI::App app{"Frameline: shots, frames and analysis of video titles, stored in a shared database", "frameline-cli"};
    app.require_subcommand(1);
    app.set_version_flag("--version",
                         [] {
                             return std::string("frameline-cli ") + FRAMELINE_VERSION + " (" + ffmpeg_version() +
                                    "; LibTorch " + torch_version() + (cuda_available() ? " with CUDA" : ", CPU") +
                                    "; SQLite " + sqlite_version() + ")";
                         });
    int exit_code = cli::kExitOk;
    cli::add_shots_command(app, exit_code);
    cli::add_ingest_command(app, exit_code);
    cli::add_analyse_command(app, exit_code);
    cli::add_titles_commands(app, exit_code);
    cli::add_review_command(app, exit_code);
    cli::add_models_command(app, exit_code);
    cli::add_export_command(app, exit_code);
    cli::add_artwork_command(app, exit_code);
    cli::add_search_command(app, exit_code);
    cli::add_serve_command(app, exit_code);
    cli::add_title_text_command(app, exit_code);
    cli::add_streams_command(app, exit_code);
    cli::add_transcribe_command(app, exit_code);
    cli::add_worker_command(app, exit_code);
    cli::add_submit_command(app, exit_code);
    cli::add_jobs_command(app, exit_code);
    cli::add_match_cuts_command(app, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);  // --help, --version
    } catch (const CLI::ParseError& e) {
        std::cerr << "frameline-cli: " << e.what() << " (see frameline-cli --help)" << std::endl;
        return cli::kExitUsage;
    } catch (const Cancelled&) {
        cli::end_progress_line();
        std::cerr << "frameline-cli: cancelled" << std::endl;
        return cli::kExitFailure;
    } catch (const std::exception& e) {
        cli::end_progress_line();
        std::cerr << "frameline-cli: error: " << e.what() << std::endl;
        return cli::kExitFailure;
    }
    cli::end_progress_line();
    return exit_code;
}
