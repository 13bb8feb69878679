// Frameline's shot pass against FFmpeg's own scene detectors, on the same file, same decoder threads, same run
// (DESIGN.md, performance practice). The reference is FFmpeg decode-only; every line prints its ratio to it.
//   usage: bench_scene_peers [VIDEO] [--threads N] [--repeat K] [--truth X.truth.json] [--scene T] [--scdet T]
// Peers: `select='gt(scene,T)'` (default T 0.3) and `scdet=threshold=T` (default 10), their detections read back from
// metadata=print. With --truth (VIDEO defaults to the .mp4 beside it) it also scores all three against the truth.
// Without VIDEO: a 1080p H.264 clip made once from real footage ($FRAMELINE_TESTDATA/pyscenedetect/testvideo.mp4
// scaled to 1920x1080, 20 s), cached in the temp directory, so that the numbers are about 1080p.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>  // getpid: per-process log names

#include "bench/accuracy.h"
#include "core/pipeline/video_scan.h"

namespace fs = std::filesystem;
using namespace frameline;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Runs ffmpeg on the video stream with `filters` (empty: decode only); returns its wall time.
double run_ffmpeg(const std::string& file, int threads, const std::string& filters) {
    std::string cmd = "ffmpeg -v error -nostdin -threads " + std::to_string(threads) + " -i " + quoted(file) +
                      " -map 0:v:0";
    if (!filters.empty()) cmd += " -vf \"" + filters + "\"";
    cmd += " -f null - 2>/dev/null";
    const auto t0 = Clock::now();
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "bench_scene_peers: ffmpeg failed: %s\n", cmd.c_str());
        std::exit(1);
    }
    return seconds_since(t0);
}

// metadata=print writes "frame:N pts:.. pts_time:.." and then "key=value" lines for that frame. N counts the frames
// reaching the metadata filter, which sees every decoded frame here: N is the decoder frame index.
std::map<int64_t, double> read_metadata(const fs::path& path, const std::string& key) {
    std::map<int64_t, double> out;
    std::ifstream in(path);
    int64_t frame = -1;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("frame:")) frame = std::atoll(line.c_str() + 6);
        else if (line.starts_with(key + "=") && frame >= 0) out[frame] = std::atof(line.c_str() + key.size() + 1);
    }
    return out;
}

std::string default_input() {
    const char* data = std::getenv("FRAMELINE_TESTDATA");
    const fs::path source = data ? fs::path(data) / "pyscenedetect/testvideo.mp4" : fs::path();
    if (source.empty() || !fs::exists(source)) {
        std::fprintf(stderr, "bench_scene_peers: give a VIDEO, or set FRAMELINE_TESTDATA (../shared/testdata) for the "
                             "default 1080p clip made from pyscenedetect/testvideo.mp4\n");
        std::exit(2);
    }
    const fs::path path = fs::temp_directory_path() / "frameline-bench-testvideo-1080p.mp4";
    if (!fs::exists(path)) {
        std::fprintf(stderr, "bench_scene_peers: making %s (once)\n", path.c_str());
        const std::string tmp = path.string() + ".part.mp4";
        const std::string cmd = "ffmpeg -v error -nostdin -y -i " + quoted(source.string()) +
                                " -t 20 -map 0:v:0 -vf scale=1920:1080 -c:v libx264 -preset veryfast -crf 20 "
                                "-pix_fmt yuv420p " + quoted(tmp) + " && mv " + quoted(tmp) + " " + quoted(path.string());
        if (std::system(cmd.c_str()) != 0) std::exit(1);
    }
    return path.string();
}

struct Contender {
    std::string name;
    double best_s = 1e9;
    std::vector<bench::Detection> found;
};

}  // namespace

int main(int argc, char** argv) {
    std::string file, truth_path;
    int threads = 1, repeat = 3;
    double scene_threshold = 0.3, scdet_threshold = 10.0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--threads" && has_value) threads = std::max(1, std::atoi(argv[++i]));
        else if (a == "--repeat" && has_value) repeat = std::max(1, std::atoi(argv[++i]));
        else if (a == "--truth" && has_value) truth_path = argv[++i];
        else if (a == "--scene" && has_value) scene_threshold = std::atof(argv[++i]);
        else if (a == "--scdet" && has_value) scdet_threshold = std::atof(argv[++i]);
        else if (a.starts_with("-")) {
            std::fprintf(stderr, "usage: bench_scene_peers [VIDEO] [--threads N] [--repeat K] [--truth X.truth.json] "
                                 "[--scene T] [--scdet T]\n");
            return 2;
        } else file = a;
    }
    if (file.empty() && !truth_path.empty()) {
        std::string base = truth_path.substr(0, truth_path.size() - std::string(".truth.json").size());
        file = base + ".mp4";
    }
    if (file.empty()) file = default_input();

    const fs::path scene_log = fs::temp_directory_path() / ("frameline-peers-scene-" + std::to_string(getpid()) + ".txt");
    const fs::path scdet_log = fs::temp_directory_path() / ("frameline-peers-scdet-" + std::to_string(getpid()) + ".txt");
    // select sees every frame (gte 0) so that each frame's score is printed; the threshold is applied below. The
    // scene score is computed the same way as with select='gt(scene,T)'.
    const std::string scene_filters = "select='gte(scene,0)',metadata=print:key=lavfi.scene_score:file=" + scene_log.string();
    const std::string scdet_filters = "scdet=threshold=" + std::to_string(scdet_threshold) +
                                      ",metadata=print:key=lavfi.scd.time:file=" + scdet_log.string();

    Contender decode{"ffmpeg decode-only (reference)", 1e9, {}};
    char label[96];
    std::snprintf(label, sizeof label, "ffmpeg select scene>%.2f", scene_threshold);
    Contender scene{label, 1e9, {}};
    std::snprintf(label, sizeof label, "ffmpeg scdet threshold=%g", scdet_threshold);
    Contender scdet{label, 1e9, {}};
    Contender frameline{"frameline shots", 1e9, {}};
    int64_t frames = 0;
    ScanResult scan;
    for (int r = 0; r < repeat; ++r) {
        decode.best_s = std::min(decode.best_s, run_ffmpeg(file, threads, ""));
        scene.best_s = std::min(scene.best_s, run_ffmpeg(file, threads, scene_filters));
        scdet.best_s = std::min(scdet.best_s, run_ffmpeg(file, threads, scdet_filters));
        ScanOptions options;
        options.threads = threads;
        options.thumbnail_width = 0;
        options.skip_loop_filter = true;  // as frameline-cli shots
        const auto t0 = Clock::now();
        scan = scan_video(file, options, {});
        frameline.best_s = std::min(frameline.best_s, seconds_since(t0));
        frames = scan.frame_count;
    }
    std::vector<int64_t> cuts;
    for (auto [frame, s] : read_metadata(scene_log, "lavfi.scene_score"))
        if (s > scene_threshold) cuts.push_back(frame);
    scene.found = bench::detections_from_frames(cuts);
    cuts.clear();
    for (auto [frame, t] : read_metadata(scdet_log, "lavfi.scd.time")) cuts.push_back(frame);
    scdet.found = bench::detections_from_frames(cuts);
    frameline.found = bench::detections_from(scan.boundaries);
    fs::remove(scene_log);
    fs::remove(scdet_log);

    std::printf("file: %s (%dx%d)\nframes: %lld, decoder threads: %d, best of %d\n", file.c_str(), scan.info.width,
                scan.info.height, static_cast<long long>(frames), threads, repeat);
    for (const Contender* c : {&decode, &scene, &scdet, &frameline}) {
        std::printf("%-34s %8.1f fps  ratio %.2f", c->name.c_str(), frames / c->best_s, decode.best_s / c->best_s);
        if (c != &decode) std::printf("  boundaries %zu", c->found.size());
        std::printf("\n");
    }
    if (!truth_path.empty()) {
        const bench::Truth truth = bench::load_truth(truth_path);
        std::printf("accuracy on %s (cut P R F1 frame-exact | +-1; gradual recall, false on flash/pan at +-1):\n",
                    truth_path.c_str());
        for (const Contender* c : {&scene, &scdet, &frameline}) {
            const bench::Score s0 = bench::score(truth, c->found, bench::match(truth, c->found, 0));
            const bench::Score s1 = bench::score(truth, c->found, bench::match(truth, c->found, 1));
            std::printf("%-34s %.2f %.2f %.2f | %.2f %.2f %.2f | gradual %d/%d  flash %d pan %d\n", c->name.c_str(),
                        s0.cut_precision(), s0.cut_recall(), s0.cut_f1(), s1.cut_precision(), s1.cut_recall(),
                        s1.cut_f1(), s1.gradual_found, s1.gradual, s1.on_flash, s1.on_pan);
        }
    }
    return 0;
}
