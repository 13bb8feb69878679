#pragma once
// Each frameline-cli subcommand registers itself here; its callback sets the process exit code.
#include <CLI/CLI.hpp>

namespace frameline::cli {

// Exit codes of the command line contract (DESIGN.md).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void add_shots_command(CLI::App& app, int& exit_code);
void add_ingest_command(CLI::App& app, int& exit_code);
void add_analyse_command(CLI::App& app, int& exit_code);
void add_titles_commands(CLI::App& app, int& exit_code);
void add_review_command(CLI::App& app, int& exit_code);
void add_models_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);  // export TITLE --clip OUT (clip files)
void add_artwork_command(CLI::App& app, int& exit_code);
void add_search_command(CLI::App& app, int& exit_code);  // scene search (issue #7)
void add_serve_command(CLI::App& app, int& exit_code);   // the read-only HTTP JSON API (issue #9)
void add_title_text_command(CLI::App& app, int& exit_code);  // synopsis, description, reviews (issue #8)
void add_streams_command(CLI::App& app, int& exit_code);  // streams, languages, subtitles of a file (issue #8)
void add_transcribe_command(CLI::App& app, int& exit_code);  // speech transcript of a file, no database (issue #8)
void add_worker_command(CLI::App& app, int& exit_code);  // cluster ingest worker (issue #11)
void add_submit_command(CLI::App& app, int& exit_code);  // queue titles, submit a Slurm array (issue #11)
void add_jobs_command(CLI::App& app, int& exit_code);    // the ingest queue joined with squeue (issue #11)
void add_match_cuts_command(CLI::App& app, int& exit_code);  // shot pairs with matching framing (issue #9)

}  // namespace frameline::cli
