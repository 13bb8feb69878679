// `frameline-cli serve`: the read-only HTTP JSON API for applications (issue #9 item 5; routes in api_server.h).
// Loopback by default; any other address needs a token. SIGINT/SIGTERM stop it cleanly.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/cli/api_server.h"
#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string read_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw Error("cannot read '" + path + "' — check the path");
    std::string text;
    char buf[65536];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    return text;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db, host = "127.0.0.1", token, segments;
        int port = 8765;
        int threads = 64;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("serve", "Serve a read-only HTTP JSON API (search, more like this, artwork)");
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--host", args->host, "address to listen on (default 127.0.0.1: this machine only)");
    cmd->add_option("--port", args->port, "port (default 8765; 0: any free port)")->check(CLI::Range(0, 65535));
    cmd->add_option("--token", args->token,
                    "require 'Authorization: Bearer TOKEN' (default: $FRAMELINE_API_TOKEN; needed off loopback)");
    cmd->add_option("--segments", args->segments, "segment profiles JSON for /v1/titles/{id}/artwork?segment=");
    cmd->add_option("--threads", args->threads, "connections served at once (default 64)")->check(CLI::Range(1, 1024));
    cmd->add_flag("--json", args->json, "print {\"url\",\"port\",\"database\"} on stdout once listening");
    cmd->callback([args, &exit_code] {
        if (args->token.empty())
            if (const char* t = std::getenv("FRAMELINE_API_TOKEN")) args->token = t;
        if (!is_loopback(args->host) && args->token.empty())
            throw Error("serving on " + args->host + " would let anyone on the network read the database — give "
                        "--token (or $FRAMELINE_API_TOKEN), or keep the default 127.0.0.1");
        ApiOptions options;
        options.database_url = args->db.empty() ? default_database_url() : args->db;
        options.host = args->host;
        options.port = args->port;
        options.token = args->token;
        options.threads = args->threads;
        if (!args->segments.empty()) options.segments_json = read_file(args->segments);

        // SIGINT/SIGTERM go to one waiting thread, not to whichever server thread happens to run.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);

        ApiServer server(options);
        const std::string host = args->host.find(':') != std::string::npos ? "[" + args->host + "]" : args->host;
        const std::string url = "http://" + host + ":" + std::to_string(server.port());
        if (args->json)
            std::cout << nlohmann::ordered_json{{"url", url}, {"port", server.port()}, {"database", options.database_url}}
                             .dump()
                      << std::endl;
        std::cerr << "frameline-cli: serving " << options.database_url << " on " << url
                  << (options.token.empty() ? "" : " (token required)") << "; Ctrl+C stops" << std::endl;
        std::atomic<bool> signalled{false};
        std::jthread waiter([&server, &signalled, signals] {
            int received = 0;
            sigwait(&signals, &received);
            signalled = true;
            server.stop();
        });
        server.run();
        if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);  // stopped otherwise: wake the waiter
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
