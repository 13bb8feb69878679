// frameline-cli jobs: the ingest queue as the database has it (issue #11), joined with Slurm's view of the tasks
// (squeue) where squeue is on PATH: a job's row says which array task runs it and what Slurm thinks of that task.
#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "app/cli/cli_output.h"
#include "app/cli/cluster.h"
#include "app/cli/commands.h"
#include "core/store/store.h"

namespace frameline::cli {
namespace {

struct SlurmTask {
    std::string id, state, nodes, time, name, reason;
};

// Every task Slurm knows now, one per array element, ended ones too while slurmctld keeps them (MinJobAge):
// `squeue --array --states=all`. No slurmdbd needed (sacct would be).
std::optional<std::vector<SlurmTask>> squeue_tasks(const std::string& squeue, std::string& why) {
    if (!on_path(squeue)) {
        why = squeue + " is not on PATH";
        return std::nullopt;
    }
    ProgramRun run = run_program({squeue, "--noheader", "--array", "--all", "--states=all", "--format=%i|%T|%N|%M|%j|%r"});
    if (run.exit_code != 0) {
        why = squeue + " failed (" + run.how_it_ended() + "): " + last_line(run.err);
        return std::nullopt;
    }
    std::vector<SlurmTask> tasks;
    std::stringstream lines(run.out);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::stringstream cells(line);
        std::string cell;
        while (std::getline(cells, cell, '|')) f.push_back(cell);
        if (f.size() < 6) continue;
        tasks.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
    }
    return tasks;
}

// Seconds since an ISO 8601 UTC stamp ("2026-11-28T21:00:00Z"), or -1.
double age_s(const std::string& stamp) {
    if (stamp.empty()) return -1;
    std::tm tm{};
    std::istringstream in(stamp);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    if (in.fail()) return -1;
    const std::time_t then = timegm(&tm);
    return std::difftime(std::time(nullptr), then);
}

nlohmann::ordered_json task_json(const SlurmTask& t) {
    return {{"id", t.id}, {"state", t.state}, {"nodes", t.nodes}, {"time", t.time}, {"name", t.name},
            {"reason", t.reason}};
}

}  // namespace

void add_jobs_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db;
        std::string state;
        std::string squeue = "squeue";
        bool no_slurm = false;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("jobs", "The ingest job queue: each job's state, worker and Slurm task");
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--state", args->state, "only jobs in this state")
        ->check(CLI::IsMember({"queued", "running", "done", "failed", "cancelled"}));
    cmd->add_option("--squeue", args->squeue, "the squeue program to ask (default: squeue on PATH)");
    cmd->add_flag("--no-slurm", args->no_slurm, "do not ask Slurm");
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        const std::vector<QueuedIngest> jobs = store->ingest_jobs();
        std::string slurm_why;
        std::optional<std::vector<SlurmTask>> tasks;
        if (args->no_slurm)
            slurm_why = "not asked (--no-slurm)";
        else
            tasks = squeue_tasks(args->squeue, slurm_why);
        std::map<std::string, const SlurmTask*> by_id;
        if (tasks)
            for (const SlurmTask& t : *tasks) by_id[t.id] = &t;

        std::map<std::string, int> counts = {{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0},
                                             {"cancelled", 0}};
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const QueuedIngest& j : jobs) {
            ++counts[to_string(j.state)];
            if (!args->state.empty() && args->state != to_string(j.state)) continue;
            const std::string slurm_id = slurm_id_of_worker(j.worker);
            nlohmann::ordered_json row{{"id", j.id},
                                       {"media_path", j.media_path},
                                       {"state", to_string(j.state)},
                                       {"title_id", j.title_id},
                                       {"worker", j.worker},
                                       {"attempts", j.attempts},
                                       {"message", j.message},
                                       {"stage", j.stage},
                                       {"progress", j.progress},
                                       {"submitted_at", j.submitted_at},
                                       {"started_at", j.started_at},
                                       {"heartbeat_at", j.heartbeat_at},
                                       {"finished_at", j.finished_at},
                                       {"heartbeat_age_s", j.state == JobState::Running ? age_s(j.heartbeat_at) : -1.0},
                                       {"slurm_id", slurm_id}};
            const auto task = by_id.find(slurm_id);
            row["slurm"] = task != by_id.end() ? task_json(*task->second) : nlohmann::ordered_json(nullptr);
            rows.push_back(row);
        }
        nlohmann::ordered_json slurm{{"available", tasks.has_value()}};
        if (tasks) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const SlurmTask& t : *tasks)
                if (t.name.rfind("frameline", 0) == 0) list.push_back(task_json(t));
            slurm["tasks"] = list;
        } else {
            slurm["why"] = slurm_why;
        }
        if (args->json) {
            nlohmann::ordered_json c = nlohmann::ordered_json::object();
            for (const char* s : {"queued", "running", "done", "failed", "cancelled"}) c[s] = counts[s];
            print_json({{"database", store->url()}, {"counts", c}, {"jobs", rows}, {"slurm", slurm}});
        } else {
            for (const auto& r : rows)
                std::cout << std::setw(6) << r["id"].get<int64_t>() << "  " << std::setw(9) << std::left
                          << r["state"].get<std::string>() << std::right << "  " << r["media_path"].get<std::string>()
                          << (r["worker"].get<std::string>().empty() ? "" : "  [" + r["worker"].get<std::string>() + "]")
                          << (r["message"].get<std::string>().empty() ? "" : "  " + r["message"].get<std::string>())
                          << "\n";
            std::cout << counts["queued"] << " queued, " << counts["running"] << " running, " << counts["done"]
                      << " done, " << counts["failed"] << " failed, " << counts["cancelled"] << " cancelled"
                      << (tasks ? "" : " (Slurm: " + slurm_why + ")") << std::endl;
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
