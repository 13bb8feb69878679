#pragma once
// What the cluster commands (worker, submit, jobs: issue #11) share: the worker's name as stored in ingest_jobs, the
// Slurm task it names, and running another program with its output captured.
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace frameline::cli {

// "HOST:PID", plus " slurm:ARRAYJOB_TASK" (or " slurm:JOB") inside a Slurm job: what `jobs` joins with squeue.
std::string worker_name();
// The Slurm job id in a worker name ("123_4", "123"), or empty.
std::string slurm_id_of_worker(const std::string& worker);

// This program's own executable (/proc/self/exe), for running its subcommands as child processes.
std::string self_executable();

// A program that ran to the end (or was stopped).
struct ProgramRun {
    int exit_code = -1;   // -1 when it did not exit normally
    int signal = 0;       // the signal that ended it, or 0
    bool started = false; // false: it could not be started (error says why)
    std::string out, err; // everything it wrote on stdout and stderr
    std::string error;
    // "exit code N", "killed by signal N (NAME)" or "could not start: ..."
    std::string how_it_ended() const;
};

// Runs `argv` (argv[0] is looked up on PATH when it has no '/'), feeding it `input` on stdin, and collects stdout and
// stderr. Every `tick` while it runs, `on_tick()` is called; when it returns a signal number > 0, that signal is sent
// to the program (once per distinct signal).
ProgramRun run_program(const std::vector<std::string>& argv, const std::string& input = {},
                       const std::function<int()>& on_tick = {},
                       std::chrono::milliseconds tick = std::chrono::milliseconds(200));

// True when `program` is an executable on PATH.
bool on_path(const std::string& program);

// The last non-empty line of `text`, without a leading "frameline-cli: error: ".
std::string last_line(const std::string& text);

}  // namespace frameline::cli
