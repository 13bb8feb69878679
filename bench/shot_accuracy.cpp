// Shot-boundary accuracy of Frameline's detector against exact ground truth (scripts/make-transition-bench.sh).
//   usage: shot_accuracy [--tolerance 0|1] [--threads N] [--quiet] (FILE.truth.json | DIR)...
//          shot_accuracy --pyscenedetect DIR      (agreement with PySceneDetect's goldens, a peer: not ground truth)
// The video of NAME.truth.json is NAME.mp4 beside it; a DIR means every *.truth.json in it.
// Hard cuts are scored frame-exact and at +-1; --tolerance (default 1) is the one used for gradual transitions,
// flash/pan false positives and the per-clip list of misses. See bench/README.md for the definitions.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/accuracy.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/video_scan.h"

namespace fs = std::filesystem;
using namespace frameline;
using namespace frameline::bench;

namespace {

struct Args {
    int tolerance = 1;
    int threads = 0;
    bool quiet = false;
    std::string pyscenedetect_dir;
    std::vector<fs::path> truth_files;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "shot_accuracy: %s\nusage: shot_accuracy [--tolerance 0|1] [--threads N] [--quiet] "
                 "(FILE.truth.json | DIR)...\n       shot_accuracy --pyscenedetect DIR\n",
                 why);
    std::exit(2);
}

std::vector<Detection> detect(const fs::path& video, int threads, int64_t* frames) {
    ScanOptions options;
    options.threads = threads;
    options.thumbnail_width = 0;  // detection only
    options.skip_loop_filter = true;  // as frameline-cli shots
    ScanResult r = scan_video(video, options, {});
    if (frames) *frames = r.frame_count;
    return detections_from(r.boundaries);
}

void print_header() {
    std::printf("%-14s %6s | %-22s | %-22s | %-24s | %5s %4s | %5s\n", "clip", "frames", "hard cuts exact P R F1",
                "hard cuts +-1 P R F1", "gradual found (diss fade)", "flash", "pan", "kind");
}

void print_row(const std::string& name, int64_t frames, const Score& exact, const Score& one, const Score& chosen) {
    std::printf("%-14s %6lld | %2d/%-2d %4.2f %4.2f %4.2f | %2d/%-2d %4.2f %4.2f %4.2f | %2d/%-2d %4.2f (%d/%d %d/%d) | %5d "
                "%4d | %2d/%-2d\n",
                name.c_str(), static_cast<long long>(frames), exact.cuts_found, exact.cuts, exact.cut_precision(),
                exact.cut_recall(), exact.cut_f1(), one.cuts_found, one.cuts, one.cut_precision(), one.cut_recall(),
                one.cut_f1(), chosen.gradual_found, chosen.gradual, chosen.gradual_recall(), chosen.dissolves_found,
                chosen.dissolves, chosen.fades_found, chosen.fades, chosen.on_flash, chosen.on_pan, chosen.kind_right,
                chosen.kind_checked);
}

int run_truth_files(const Args& args) {
    print_header();
    Score total0, total1, total_chosen;
    int64_t total_frames = 0;
    for (const fs::path& truth_path : args.truth_files) {
        std::string name = truth_path.filename().string();
        name = name.substr(0, name.size() - std::string(".truth.json").size());
        const fs::path video = truth_path.parent_path() / (name + ".mp4");
        const Truth truth = load_truth(truth_path);
        int64_t frames = 0;
        const std::vector<Detection> found = detect(video, args.threads, &frames);
        if (frames != truth.frames)
            std::fprintf(stderr, "shot_accuracy: %s: decoded %lld frames, truth says %lld\n", video.c_str(),
                         static_cast<long long>(frames), static_cast<long long>(truth.frames));
        const Score s0 = score(truth, found, match(truth, found, 0));
        const Score s1 = score(truth, found, match(truth, found, 1));
        const Match mc = match(truth, found, args.tolerance);
        const Score sc = score(truth, found, mc);
        print_row(name, frames, s0, s1, sc);
        if (!args.quiet) {
            std::printf("    detected: %s\n", describe(found).c_str());
            for (const std::string& line : explain(truth, found, mc)) std::printf("    %s\n", line.c_str());
        }
        total0.add(s0), total1.add(s1), total_chosen.add(sc), total_frames += frames;
    }
    print_row("TOTAL", total_frames, total0, total1, total_chosen);
    std::printf("(gradual, flash/pan and kind at tolerance %d; kind = matched transitions reported with the right kind)\n",
                args.tolerance);
    return 0;
}

// PySceneDetect numbers frames as round(pts x nominal fps); Frameline (and the truth) count decoded frames. On a
// variable-frame-rate file they differ: map each golden to the decoded frame whose pts is nearest golden / fps.
std::vector<int64_t> goldens_to_decoder_frames(const fs::path& video, const std::vector<int64_t>& goldens) {
    VideoDecoder decoder(video, VideoDecoder::Options{0, 16});
    const double fps = decoder.info().nominal_fps;
    std::vector<double> pts;
    SmallFrame f;
    while (decoder.next(f)) pts.push_back(f.pts_s);
    std::vector<int64_t> out;
    for (int64_t g : goldens) {
        const double t = g / fps;
        auto it = std::min_element(pts.begin(), pts.end(),
                                   [t](double a, double b) { return std::abs(a - t) < std::abs(b - t); });
        out.push_back(it == pts.end() ? g : it - pts.begin());
    }
    return out;
}

std::vector<int64_t> read_golden(const fs::path& dir, const std::string& name) {
    for (const std::string& file : {name + ".mp4.AdaptiveDetector.default.json", name + ".AdaptiveDetector.default.json"}) {
        const fs::path p = dir / "goldens" / file;
        if (!fs::exists(p)) continue;
        std::ifstream in(p);
        return nlohmann::json::parse(in).at("cuts").get<std::vector<int64_t>>();
    }
    throw std::runtime_error("no AdaptiveDetector.default golden for " + name + " under " + (dir / "goldens").string());
}

std::string join(const std::vector<int64_t>& v) {
    std::string s;
    for (int64_t x : v) s += (s.empty() ? "" : " ") + std::to_string(x);
    return s.empty() ? "-" : s;
}

int run_pyscenedetect(const Args& args) {
    const fs::path dir = args.pyscenedetect_dir;
    std::printf("PySceneDetect AdaptiveDetector (default) goldens vs Frameline: AGREEMENT WITH A PEER, NOT GROUND TRUTH\n"
                "(a golden agrees with a Frameline boundary at its frame +-1, or inside its span +-1)\n");
    Score total;
    for (const char* clip : {"testvideo", "goldeneye-vfr-drop3", "counter", "fades"}) {
        const std::string name = clip;
        const fs::path video = dir / (name + ".mp4");
        if (!fs::exists(video)) {
            std::printf("%-20s missing, skipped\n", name.c_str());
            continue;
        }
        const std::vector<int64_t> golden = read_golden(dir, name);
        const std::vector<int64_t> golden_frames = goldens_to_decoder_frames(video, golden);
        int64_t frames = 0;
        const std::vector<Detection> found = detect(video, args.threads, &frames);
        // Each golden becomes a zero-length "gradual" truth so that a Frameline fade's span may contain it.
        Truth peer;
        peer.frames = frames;
        for (int64_t g : golden_frames) peer.transitions.push_back({"peer", g, g, g});
        const Match m = match(peer, found, 1);
        const Score s = score(peer, found, m);
        total.add(s);
        std::printf("%-20s frames %4lld  peer cuts %s", name.c_str(), static_cast<long long>(frames), join(golden).c_str());
        if (golden_frames != golden) std::printf(" (= decoder frames %s)", join(golden_frames).c_str());
        std::printf("\n%-20s frameline %s\n", "", describe(found).c_str());
        std::printf("%-20s agree %d, peer only %d, frameline only %d  (agreement P %.2f R %.2f)\n", "", s.gradual_found,
                    s.gradual - s.gradual_found, s.false_detections,
                    s.gradual_found + s.false_detections ? double(s.gradual_found) / (s.gradual_found + s.false_detections) : 1.0,
                    s.gradual_recall());
    }
    std::printf("TOTAL agreement with the peer: agree %d, peer only %d, frameline only %d\n", total.gradual_found,
                total.gradual - total.gradual_found, total.false_detections);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--tolerance" && i + 1 < argc) {
            args.tolerance = std::atoi(argv[++i]);
            if (args.tolerance < 0 || args.tolerance > 1) usage("--tolerance is 0 or 1");
        } else if (a == "--threads" && i + 1 < argc) {
            args.threads = std::atoi(argv[++i]);
        } else if (a == "--quiet") {
            args.quiet = true;
        } else if (a == "--pyscenedetect" && i + 1 < argc) {
            args.pyscenedetect_dir = argv[++i];
        } else if (a.starts_with("-")) {
            usage(("unknown option " + a).c_str());
        } else if (fs::is_directory(a)) {
            std::vector<fs::path> in_dir;
            for (const auto& e : fs::directory_iterator(a))
                if (e.path().string().ends_with(".truth.json")) in_dir.push_back(e.path());
            std::sort(in_dir.begin(), in_dir.end());
            if (in_dir.empty()) usage(("no *.truth.json in " + a).c_str());
            args.truth_files.insert(args.truth_files.end(), in_dir.begin(), in_dir.end());
        } else if (a.ends_with(".truth.json")) {
            args.truth_files.push_back(a);
        } else {
            usage(("not a .truth.json file or a directory: " + a).c_str());
        }
    }
    if (args.truth_files.empty() && args.pyscenedetect_dir.empty()) usage("nothing to score");
    try {
        if (!args.pyscenedetect_dir.empty()) run_pyscenedetect(args);
        if (!args.truth_files.empty()) run_truth_files(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "shot_accuracy: %s\n", e.what());
        return 1;
    }
    return 0;
}
