// frameline-cli worker: a cluster node's ingest loop (issue #11). It claims queued ingest jobs from the shared
// database (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so no two workers get one job), runs each as a child
// `frameline-cli ingest FILE --db URL --json` (a crash or a leak in one title cannot take the worker down, and the
// ingest's own resume makes a rerun give the same rows once), keeps the job's heartbeat from a thread, and marks it
// done or failed with the reason. Jobs whose worker went silent are put back in the queue by the next worker that
// looks. SIGTERM (scancel, preemption, a time limit) stops the ingest and puts its job back in the queue at once.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <csignal>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

#include "app/cli/cli_output.h"
#include "app/cli/cluster.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/store/store.h"

namespace frameline::cli {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int sig) { g_stop_signal = sig; }

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a sleeping poll() wakes up
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
}

struct WorkerOptions {
    std::string db;
    std::string name;
    bool once = false;
    int max_jobs = 0;
    int heartbeat_s = 10;
    int stale_s = 60;
    int max_attempts = 3;
    int poll_ms = 1000;
    bool no_wait = false;
    std::string device, models;
    int threads = -1;
    bool json = false;
};

// The ingest command line for one job: its options (set by submit or enqueue) first, the worker's own flags
// (node-specific: device, threads) over them.
std::vector<std::string> ingest_command(const QueuedIngest& job, const WorkerOptions& w) {
    std::vector<std::string> argv = {self_executable(), "ingest", job.media_path, "--db", w.db, "--json"};
    nlohmann::json options = nlohmann::json::object();
    try {
        options = nlohmann::json::parse(job.options.empty() ? "{}" : job.options);
    } catch (const std::exception& e) {
        throw Error("job " + std::to_string(job.id) + " has options that are not JSON (" + e.what() + "): '" +
                    job.options + "'");
    }
    if (!options.is_object())
        throw Error("job " + std::to_string(job.id) + " has options that are not a JSON object: '" + job.options + "'");
    if (!w.device.empty()) options["device"] = w.device;
    if (!w.models.empty()) options["models"] = w.models;
    if (w.threads >= 0) options["threads"] = w.threads;
    static const std::vector<std::pair<std::string, std::string>> kFlags = {
        {"device", "--device"},           {"models", "--models"},
        {"threads", "--threads"},         {"frame_every", "--frame-every"},
        {"max_frames_per_shot", "--max-frames-per-shot"}, {"audio_language", "--audio-language"}};
    for (const auto& [key, flag] : kFlags) {
        if (!options.contains(key)) continue;
        const auto& v = options[key];
        argv.push_back(flag);
        argv.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
    if (options.value("force", false)) argv.push_back("--force");
    for (const auto& [key, v] : options.items()) {
        bool known = key == "force";
        for (const auto& f : kFlags) known = known || f.first == key;
        if (!known)
            throw Error("job " + std::to_string(job.id) + " has an unknown option '" + key +
                        "' (known: device, models, threads, frame_every, max_frames_per_shot, audio_language, force)");
    }
    return argv;
}

// Renews the lease of the running job every heartbeat_s on its own connection (one writer per connection), and
// says when the job was lost or a person asked it to stop.
class Heartbeat {
public:
    Heartbeat(const std::string& url, int64_t job_id, const std::string& worker, int heartbeat_s)
        : thread_([this, url, job_id, worker, heartbeat_s](std::stop_token stop) {
              std::unique_ptr<Store> store;
              std::mutex m;
              std::unique_lock lock(m);
              while (!stop.stop_requested()) {
                  std::condition_variable_any().wait_for(lock, stop, std::chrono::seconds(heartbeat_s),
                                                         [] { return false; });
                  if (stop.stop_requested()) break;
                  try {
                      if (!store) store = open_store(url);
                      const Store::JobLease lease = store->renew_ingest_job(job_id, worker);
                      if (lease == Store::JobLease::Lost) lost_ = true;
                      if (lease == Store::JobLease::CancelRequested) cancel_ = true;
                  } catch (const std::exception& e) {
                      // The database is away: keep trying. If it stays away past the stale time, the job goes back
                      // to the queue and the next renewal answers Lost.
                      std::cerr << "frameline-cli: worker: heartbeat of job " << job_id << " failed: " << e.what()
                                << std::endl;
                      store.reset();
                  }
              }
          }) {}
    bool lost() const { return lost_; }
    bool cancel_requested() const { return cancel_; }

private:
    std::atomic<bool> lost_{false}, cancel_{false};
    std::jthread thread_;  // last: starts after the flags exist, joins first
};

void sleep_unless_stopped(int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!g_stop_signal && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

enum class Outcome { Done, Failed, Cancelled, Released, Lost };

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::Done: return "done";
        case Outcome::Failed: return "failed";
        case Outcome::Cancelled: return "cancelled";
        case Outcome::Released: return "released";
        case Outcome::Lost: return "lost";
    }
    return "?";
}

struct JobReport {
    Outcome outcome = Outcome::Failed;
    int64_t title_id = 0;
    std::string message;
};

JobReport run_job(Store& store, const QueuedIngest& job, const WorkerOptions& w) {
    JobReport report;
    std::vector<std::string> argv;
    try {
        argv = ingest_command(job, w);
    } catch (const std::exception& e) {
        report.message = e.what();
        store.finish_held_ingest_job(job.id, w.name, JobState::Failed, 0, report.message);
        return report;
    }
    store.set_ingest_job_progress(job.id, "ingest", 0.0);
    Heartbeat heartbeat(w.db, job.id, w.name, w.heartbeat_s);
    const auto stop_reason = [&]() -> int {
        if (g_stop_signal || heartbeat.lost() || heartbeat.cancel_requested()) return SIGTERM;
        return 0;
    };
    // A stopped ingest gets kill_grace to clean up (it marks its title cancelled), then SIGKILL.
    const auto kill_grace = std::chrono::seconds(20);
    std::chrono::steady_clock::time_point asked{};
    ProgramRun run = run_program(argv, {}, [&]() -> int {
        const int sig = stop_reason();
        if (!sig) return 0;
        const auto now = std::chrono::steady_clock::now();
        if (asked == std::chrono::steady_clock::time_point{}) asked = now;
        return now - asked > kill_grace ? SIGKILL : sig;
    });
    // What ended the run decides what becomes of the job. Slurm signals every process of the task: the ingest may
    // die of it a moment before this worker's own handler has run.
    if (run.signal == SIGTERM || run.signal == SIGINT || run.signal == SIGHUP) sleep_unless_stopped(500);
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(run.out);
    } catch (const std::exception&) {
        doc = nullptr;
    }
    const bool ingested =
        run.exit_code == 0 && doc.is_object() && doc.contains("titles") && doc["titles"].size() == 1;
    if (heartbeat.lost()) {
        report.outcome = Outcome::Lost;
        report.message = "the job was taken from this worker (its heartbeat was late); it runs elsewhere";
        return report;
    }
    if (ingested) {  // finished, even if a stop signal came in the meantime: no need to do it again
        const auto& t = doc["titles"][0];
        report.outcome = Outcome::Done;
        report.title_id = t.value("id", int64_t{0});
        report.message = t.value("already_present", false)
                             ? "already stored: nothing to do"
                             : std::to_string(t.value("shots", 0)) + " shots, " + std::to_string(t.value("frames", 0)) +
                                   " frames";
        if (!store.finish_held_ingest_job(job.id, w.name, JobState::Done, report.title_id, report.message))
            report.outcome = Outcome::Lost;
        return report;
    }
    if (g_stop_signal) {
        report.outcome = Outcome::Released;
        report.message = std::string("requeued: worker ") + w.name + " got " + strsignal(g_stop_signal) +
                         " (scancel, preemption or time limit) while ingesting";
        if (!store.release_ingest_job(job.id, w.name, report.message)) report.outcome = Outcome::Lost;
        return report;
    }
    if (heartbeat.cancel_requested()) {
        report.outcome = Outcome::Cancelled;
        report.message = "cancelled on request while ingesting";
        if (!store.finish_held_ingest_job(job.id, w.name, JobState::Cancelled, 0, report.message))
            report.outcome = Outcome::Lost;
        return report;
    }
    std::string reason;
    if (doc.is_object() && doc.contains("errors") && !doc["errors"].empty())
        reason = doc["errors"][0].value("error", std::string());
    if (reason.empty()) reason = last_line(run.err);
    if (reason.empty()) reason = "the ingest ended without a result";
    report.outcome = Outcome::Failed;
    report.message = "ingest failed (" + run.how_it_ended() + "): " + reason;
    if (!store.finish_held_ingest_job(job.id, w.name, JobState::Failed, 0, report.message))
        report.outcome = Outcome::Lost;
    return report;
}

bool any_running(Store& store) {
    for (const QueuedIngest& j : store.ingest_jobs())
        if (j.state == JobState::Running) return true;
    return false;
}


// What a worker did, over all its slots.
struct WorkerTally {
    std::mutex mutex;  // the counters, the jobs list and stdout
    nlohmann::ordered_json jobs = nlohmann::ordered_json::array();  // one row per job run
    int done = 0, failed = 0, released = 0, requeued = 0;
    int taken = 0;  // jobs claimed or being claimed, for --max-jobs over all slots
};

// One slot: claims a job, runs it, and again, on its own database connection, until the queue is empty, a stop
// signal, --once (one job a slot) or --max-jobs (over all slots).
void run_slot(const WorkerOptions& w, WorkerTally& tally) {
    auto store = open_store(w.db);
    while (!g_stop_signal) {
        {
            std::lock_guard lock(tally.mutex);
            if (w.max_jobs > 0 && tally.taken >= w.max_jobs) break;
            ++tally.taken;
        }
        const int requeued = store->requeue_stale_ingest_jobs(w.stale_s, w.max_attempts);
        std::optional<QueuedIngest> job = store->claim_ingest_job(w.name);
        {
            std::lock_guard lock(tally.mutex);
            tally.requeued += requeued;
            if (!job) --tally.taken;
        }
        if (!job) {
            // Nothing queued. A running job may still come back (its worker may be dead and its heartbeat not yet
            // stale): wait for it unless told not to, so that the last worker standing finishes the queue.
            if (w.once || w.no_wait || !any_running(*store)) break;
            sleep_unless_stopped(w.poll_ms);
            continue;
        }
        const auto start = std::chrono::steady_clock::now();
        const JobReport r = run_job(*store, *job, w);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::lock_guard lock(tally.mutex);
        if (r.outcome == Outcome::Done) ++tally.done;
        if (r.outcome == Outcome::Failed) ++tally.failed;
        if (r.outcome == Outcome::Released) ++tally.released;
        tally.jobs.push_back({{"id", job->id},
                              {"media_path", job->media_path},
                              {"worker", w.name},
                              {"attempt", job->attempts},
                              {"outcome", outcome_name(r.outcome)},
                              {"title_id", r.title_id},
                              {"message", r.message},
                              {"seconds", seconds}});
        if (!w.json)
            std::cout << "job " << job->id << " " << outcome_name(r.outcome) << ": " << job->media_path
                      << (r.title_id ? " -> title " + std::to_string(r.title_id) : std::string()) << " (" << r.message
                      << ")" << std::endl;
        if (w.once) break;
    }
}

// A slot's name: "host:1234 slurm:56_7" -> "host:1234/2 slurm:56_7" (`jobs` still finds the Slurm task at the end).
std::string slot_name(const std::string& worker, int slot) {
    const std::string tag = "/" + std::to_string(slot);
    const auto at = worker.find(" slurm:");
    return at == std::string::npos ? worker + tag : worker.substr(0, at) + tag + worker.substr(at);
}

int run_worker(const WorkerOptions& w, int slots) {
    install_stop_handlers();
    auto store = open_store(w.db);  // a database that cannot be reached fails here, once
    WorkerTally tally;
    if (slots == 1) {
        run_slot(w, tally);
    } else {
        // Several jobs at once (a GPU node: one title per NVDEC engine), each slot named after the worker.
        std::vector<std::jthread> threads;
        std::mutex failure_mutex;
        std::string failure;
        for (int k = 1; k <= slots; ++k) {
            WorkerOptions slot = w;
            slot.name = slot_name(w.name, k);
            threads.emplace_back([slot, &tally, &failure, &failure_mutex] {
                try {
                    run_slot(slot, tally);
                } catch (const std::exception& e) {
                    std::lock_guard lock(failure_mutex);
                    if (failure.empty()) failure = e.what();
                    g_stop_signal = SIGTERM;  // the other slots put their jobs back and stop
                }
            });
        }
        threads.clear();  // joins
        if (!failure.empty()) throw Error(failure);
    }
    if (w.json)
        print_json({{"worker", w.name},
                    {"slots", slots},
                    {"database", store->url()},
                    {"processed", tally.jobs.size()},
                    {"done", tally.done},
                    {"failed", tally.failed},
                    {"released", tally.released},
                    {"requeued_stale", tally.requeued},
                    {"stopped_by", g_stop_signal ? strsignal(g_stop_signal) : ""},
                    {"jobs", tally.jobs}});
    if (g_stop_signal) {
        std::cerr << "frameline-cli: worker " << w.name << " stopped by " << strsignal(g_stop_signal)
                  << (tally.released ? "; its jobs are back in the queue" : "") << std::endl;
        return kExitFailure;
    }
    return kExitOk;
}

}  // namespace

void add_worker_command(CLI::App& app, int& exit_code) {
    auto w = std::make_shared<WorkerOptions>();
    CLI::App* cmd = app.add_subcommand(
        "worker", "Take ingest jobs from the shared database and run them until the queue is empty (cluster nodes)");
    cmd->add_option("--db", w->db, "database URL every worker reaches: postgresql://user@host:port/db")->required();
    cmd->add_option("--name", w->name, "this worker's name in the job list (default HOST:PID [slurm:JOB_TASK])");
    cmd->add_flag("--once", w->once, "take at most one job (one per slot), then exit");
    cmd->add_option("--max-jobs", w->max_jobs, "exit after this many jobs (0 = until the queue is empty)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--heartbeat-s", w->heartbeat_s, "seconds between heartbeats of the running job")
        ->check(CLI::Range(1, 3600));
    cmd->add_option("--stale-s", w->stale_s,
                    "a running job whose worker has been silent this long goes back to the queue")
        ->check(CLI::Range(2, 86400));
    cmd->add_option("--max-attempts", w->max_attempts,
                    "a job whose worker died this many times ends as failed (0 = retry forever)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--poll-ms", w->poll_ms, "how often an idle worker looks for requeued jobs")
        ->check(CLI::Range(50, 60000));
    cmd->add_flag("--no-wait", w->no_wait,
                  "exit as soon as nothing is queued, even while other workers' jobs run (and could come back)");
    cmd->add_option("--device", w->device, "where models run on this node (over the job's own choice)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--models", w->models, "model zoo for every job (over the job's own choice)")
        ->check(CLI::IsMember({"auto", "all", "none"}));
    cmd->add_option("--threads", w->threads, "threads per ingest (0 = one per core; default: the job's choice)")
        ->check(CLI::NonNegativeNumber);
    auto slots = std::make_shared<int>(1);
    cmd->add_option("--slots", *slots,
                    "jobs at once, each a child ingest of its own (a GPU node: up to one per NVDEC engine); without "
                    "--threads the cores are shared among them")
        ->check(CLI::Range(1, 64));
    cmd->add_flag("--json", w->json, "print one JSON document on stdout when the worker ends");
    cmd->callback([w, slots, &exit_code] {
        if (w->stale_s <= w->heartbeat_s)
            throw CLI::ValidationError("--stale-s", "must be longer than --heartbeat-s (" +
                                                        std::to_string(w->heartbeat_s) +
                                                        " s), or live jobs are taken from their workers");
        if (w->name.empty()) w->name = worker_name();
        if (*slots > 1 && w->threads < 0)
            w->threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / *slots);
        exit_code = run_worker(*w, *slots);
    });
}

}  // namespace frameline::cli
