// Memory against title length: peak resident memory of the shot pass and of a whole ingest (thumbnails written to
// an SQLite database as the scan goes) on a 2-minute and a 2-hour generated title, each in a child process so the
// peaks do not mix.
//   usage: bench_memory [--minutes-long N] [--keep DIR]
// The titles are small (192x108, 25 fps, a cut every 4 s) so that generating 2 hours takes about a minute.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/pipeline/ingest.h"
#include "core/pipeline/video_scan.h"
#include "core/store/store.h"

namespace {

std::string make_title(const std::filesystem::path& dir, int minutes) {
    const auto path = dir / ("title-" + std::to_string(minutes) + "min.mkv");
    if (std::filesystem::exists(path)) return path.string();
    // Hue turns a step every 4 s: a cut; the pattern moves in between.
    const std::string cmd = "ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=s=192x108:r=25:d=" +
                            std::to_string(minutes * 60) +
                            " -vf \"hue=H=floor(t/4)*2.1:s=1.5\" -c:v libx264 -preset ultrafast -g 250 '" +
                            path.string() + "'";
    std::fprintf(stderr, "bench: generating %d min title...\n", minutes);
    if (std::system(cmd.c_str()) != 0) std::exit(1);
    return path.string();
}

struct Peak {
    long max_rss_kib = 0;
    double seconds = 0;
    long long shots = 0;
};

// Scans (or ingests, into a fresh database in `dir`) in a child process; the parent reads the child's peak
// resident set size.
Peak scan_in_child(const std::string& file, bool ingest, const std::filesystem::path& dir) {
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        if (ingest) {
            const auto db = dir / "bench.db";
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
            auto store = frameline::open_store(db.string());
            frameline::IngestOptions options;
            options.scan.threads = 1;
            const auto r = frameline::ingest_file(file, *store, options, {});
            _exit(r.shots > 0 ? 0 : 1);
        }
        frameline::ScanOptions options;
        options.threads = 1;
        options.thumbnail_width = 0;
        options.skip_loop_filter = true;
        const auto r = frameline::scan_video(file, options, {});
        _exit(r.shots.size() > 0 ? 0 : 1);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Peak p;
    p.max_rss_kib = usage.ru_maxrss;
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::fprintf(stderr, "bench: scan of %s failed\n", file.c_str());
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    int long_minutes = 120;
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "frameline-bench-memory";
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--minutes-long") long_minutes = std::atoi(argv[++i]);
        else if (std::string(argv[i]) == "--keep") dir = argv[++i];
    }
    std::filesystem::create_directories(dir);
    const std::string short_title = make_title(dir, 2), long_title = make_title(dir, long_minutes);
    std::printf("peak resident memory, child process per scan (192x108 titles, a cut every 4 s)\n");
    for (bool ingest : {false, true}) {
        const Peak a = scan_in_child(short_title, ingest, dir);
        const Peak b = scan_in_child(long_title, ingest, dir);
        std::printf("%-28s  2 min: %7.1f MiB   %d min: %7.1f MiB   ratio %.2f\n",
                    ingest ? "ingest into SQLite" : "shot pass (frameline shots)", a.max_rss_kib / 1024.0,
                    long_minutes, b.max_rss_kib / 1024.0, double(b.max_rss_kib) / double(a.max_rss_kib));
    }
    return 0;
}
