// Shot detection speed against FFmpeg decode-only on the same file, in the same run (DESIGN.md, performance).
//   usage: bench_shot_scan [VIDEO] [--threads N] [--repeat K]
// Without VIDEO: $FRAMELINE_TESTDATA/pyscenedetect/testvideo.mp4 (720p real footage) if present, else a generated
// 1080p clip. Prints frames per second of each and the ratio to decode-only; best of K runs (the machine is noisy).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/pipeline/video_scan.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// The reference: the ffmpeg tool decoding the video stream and discarding the frames.
double ffmpeg_decode_s(const std::string& file, int threads) {
    const std::string cmd = "ffmpeg -v error -nostdin -threads " + std::to_string(threads) + " -i " + quoted(file) +
                            " -map 0:v:0 -f null - 2>/dev/null";
    auto t0 = Clock::now();
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "bench: ffmpeg could not decode %s\n", file.c_str());
        std::exit(1);
    }
    return seconds_since(t0);
}

std::string default_input() {
    if (const char* data = std::getenv("FRAMELINE_TESTDATA")) {
        auto path = std::filesystem::path(data) / "pyscenedetect/testvideo.mp4";
        if (std::filesystem::exists(path)) return path.string();
    }
    const std::string path = (std::filesystem::temp_directory_path() / "frameline-bench-1080p.mp4").string();
    if (!std::filesystem::exists(path)) {
        const std::string cmd =
            "ffmpeg -v error -nostdin -y -f lavfi -i mandelbrot=s=1920x1080:r=25,trim=duration=6 -f lavfi -i "
            "testsrc2=s=1920x1080:r=25,trim=duration=6 -filter_complex '[0][1]concat=n=2,format=yuv420p[v]' -map '[v]' "
            "-c:v libx264 -preset veryfast -crf 23 " + quoted(path);
        if (std::system(cmd.c_str()) != 0) std::exit(1);
    }
    return path;
}

}  // namespace

int main(int argc, char** argv) {
    std::string file;
    int threads = 1, repeat = 3;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
        else if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
        else file = a;
    }
    if (file.empty()) file = default_input();

    double decode_s = 1e9, shots_s = 1e9, ingest_s = 1e9;
    int64_t frames = 0;
    for (int r = 0; r < repeat; ++r) {
        decode_s = std::min(decode_s, ffmpeg_decode_s(file, threads));

        frameline::ScanOptions shots_only;
        shots_only.threads = threads;
        shots_only.thumbnail_width = 0;
        shots_only.skip_loop_filter = true;  // as frameline-cli shots
        auto t0 = Clock::now();
        frames = frameline::scan_video(file, shots_only, {}).frame_count;
        shots_s = std::min(shots_s, seconds_since(t0));

        frameline::ScanOptions with_thumbnails = shots_only;
        with_thumbnails.skip_loop_filter = false;  // as ingest: people look at the thumbnails
        with_thumbnails.thumbnail_width = 320;
        t0 = Clock::now();
        frameline::scan_video(file, with_thumbnails, {});
        ingest_s = std::min(ingest_s, seconds_since(t0));
    }
    std::printf("file: %s\nframes: %lld, decoder threads: %d, best of %d\n", file.c_str(),
                static_cast<long long>(frames), threads, repeat);
    std::printf("%-36s %8.1f fps  ratio 1.00\n", "ffmpeg decode-only (reference)", frames / decode_s);
    std::printf("%-36s %8.1f fps  ratio %.2f\n", "frameline shots", frames / shots_s, decode_s / shots_s);
    std::printf("%-36s %8.1f fps  ratio %.2f\n", "frameline scan + thumbnails", frames / ingest_s, decode_s / ingest_s);
    return 0;
}
