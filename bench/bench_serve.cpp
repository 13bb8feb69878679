// A bounded load test of `frameline-cli serve` on loopback (issue #9 target: p95 < 20 ms with 50 concurrent
// clients). The real server is started on a database (--db, or the review fixture of the tests: a 4-shot title with
// proposals of every kind), then, in the same run:
//   reference  one client, one request at a time (no queueing: the server's own cost per request);
//   load       --clients clients (50) at once, each on its own keep-alive connection, --requests requests each (40),
//              a fixed mix: text search, mood search, "more like this" in one title and across all, the picked artwork,
//              the title list, a thumbnail.
// It prints p50/p95/p99 and the throughput of each, the load's p95 over the reference's, and fails on any error
// reply. Loopback only; the run stops by itself after --requests per client or 120 s.
//   usage: bench_serve [--db URL] [--clients N] [--requests N] [--cli PATH]
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "bench_serve: %s\n", why.c_str());
    std::exit(1);
}

struct Server {
    pid_t pid = -1;
    int port = 0;
};

// Starts `cli serve` and reads the port from its first line of stdout.
Server start_server(const std::string& cli, const std::string& db) {
    int out[2];
    if (pipe(out) != 0) fail("pipe failed");
    Server s;
    s.pid = fork();
    if (s.pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        execl(cli.c_str(), cli.c_str(), "serve", "--db", db.c_str(), "--port", "0", "--json", nullptr);
        _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("port")) fail("the server did not start: '" + line + "'");
    s.port = j["port"].get<int>();
    return s;
}

struct Stats {
    std::vector<double> ms;
    std::vector<size_t> path;  // which request of the mix each time is for
    int errors = 0;
    double wall_s = 0;
    double at(double q) const {
        if (ms.empty()) return 0;
        std::vector<double> v = ms;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
    }
};

void print(const char* what, const Stats& s) {
    std::printf("  %-34s %6zu requests  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  %7.0f req/s  errors %d\n", what,
                s.ms.size(), s.at(0.50), s.at(0.95), s.at(0.99), double(s.ms.size()) / std::max(1e-9, s.wall_s),
                s.errors);
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);  // the fixture uses Qt's file helpers
    std::string db, cli = (fs::canonical("/proc/self/exe").parent_path().parent_path() / "app" / "frameline-cli").string();
    int clients = 50, requests = 40;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--db" && i + 1 < argc) db = argv[++i];
        else if (a == "--clients" && i + 1 < argc) clients = std::max(1, std::atoi(argv[++i]));
        else if (a == "--requests" && i + 1 < argc) requests = std::max(1, std::atoi(argv[++i]));
        else if (a == "--cli" && i + 1 < argc) cli = argv[++i];
        else fail("usage: bench_serve [--db URL] [--clients N] [--requests N] [--cli PATH]");
    }
    QTemporaryDir dir;
    if (db.empty()) {
        frameline::test::ReviewFixture fx;
        const QString made = frameline::test::make_review_fixture(dir.path(), &fx);
        if (!made.isEmpty()) fail("the review fixture: " + made.toStdString());
        db = fx.db_path.toStdString();
    }

    // The request mix, from what the database holds.
    std::vector<std::string> mix;
    {
        auto store = frameline::open_store(db);
        const auto titles = store->titles();
        if (titles.empty()) fail("no titles in " + db);
        const frameline::TitleRecord& t = titles.front();
        const auto frames = store->frames(t.id);
        if (frames.empty()) fail("title " + std::to_string(t.id) + " has no sampled frames");
        const std::string title = std::to_string(t.id);
        mix = {"/v1/search?text=car&limit=20",
               "/v1/search?mood=tense&limit=20",
               "/v1/search?like=" + title + "%3A" + std::to_string(frames.back().frame_index) + "&title=" + title +
                   "&limit=20",
               "/v1/search?like=" + title + "%3A" + std::to_string(frames.front().frame_index) + "&limit=20",
               "/v1/titles/" + title + "/artwork",
               "/v1/titles",
               "/v1/frames/" + std::to_string(frames.front().id) + "/thumbnail"};
    }
    const Server server = start_server(cli, db);
    std::printf("bench_serve: %s on 127.0.0.1:%d (this machine is shared: see /proc/loadavg)\n", db.c_str(), server.port);

    auto run = [&](int n_clients, int per_client) {
        Stats total;
        std::vector<Stats> each(static_cast<size_t>(n_clients));
        const auto deadline = Clock::now() + std::chrono::seconds(120);
        const auto t0 = Clock::now();
        std::vector<std::thread> threads;
        for (int c = 0; c < n_clients; ++c)
            threads.emplace_back([&, c] {
                httplib::Client client("127.0.0.1", server.port);
                client.set_keep_alive(true);
                client.set_tcp_nodelay(true);
                client.set_read_timeout(30, 0);
                for (int k = 0; k < per_client && Clock::now() < deadline; ++k) {
                    const std::string& path = mix[static_cast<size_t>(c + k) % mix.size()];
                    const auto r0 = Clock::now();
                    auto r = client.Get(path.c_str());
                    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - r0).count();
                    if (!r || r->status != 200) {
                        ++each[static_cast<size_t>(c)].errors;
                        if (r) std::fprintf(stderr, "bench_serve: %s -> %d %s\n", path.c_str(), r->status, r->body.c_str());
                    } else {
                        each[static_cast<size_t>(c)].ms.push_back(ms);
                        each[static_cast<size_t>(c)].path.push_back(static_cast<size_t>(c + k) % mix.size());
                    }
                }
            });
        for (std::thread& t : threads) t.join();
        total.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
        for (const Stats& s : each) {
            total.ms.insert(total.ms.end(), s.ms.begin(), s.ms.end());
            total.path.insert(total.path.end(), s.path.begin(), s.path.end());
            total.errors += s.errors;
        }
        return total;
    };
    run(1, 12);  // warm-up: connections opened, pages cached
    const Stats reference = run(1, static_cast<int>(mix.size()) * 20);
    const Stats load = run(clients, requests);
    kill(server.pid, SIGTERM);
    int status = 0;
    waitpid(server.pid, &status, 0);

    print("reference: 1 client, sequential", reference);
    char label[64];
    std::snprintf(label, sizeof label, "load: %d clients at once", clients);
    print(label, load);
    // Which requests the time goes to: each of the mix on its own, in both runs.
    for (size_t p = 0; p < mix.size(); ++p) {
        Stats ref_p, load_p;
        for (size_t i = 0; i < reference.ms.size(); ++i)
            if (reference.path[i] == p) ref_p.ms.push_back(reference.ms[i]);
        for (size_t i = 0; i < load.ms.size(); ++i)
            if (load.path[i] == p) load_p.ms.push_back(load.ms[i]);
        std::printf("    %-60s ref p50 %6.2f ms  load p50 %6.2f p95 %6.2f ms\n", mix[p].c_str(), ref_p.at(0.5),
                    load_p.at(0.5), load_p.at(0.95));
    }
    std::printf("  load p95 / reference p95 = %.2f; load p95 %.2f ms against the 20 ms target\n",
                load.at(0.95) / std::max(1e-9, reference.at(0.95)), load.at(0.95));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("the server did not stop cleanly on SIGTERM");
    return reference.errors + load.errors == 0 ? 0 : 1;
}
