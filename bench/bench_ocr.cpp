// The OCR step's cost (issue #8 item 4) against FFmpeg decode-only of the same file, in the same run (DESIGN.md,
// performance): per title, the sampled frames, how many the text-likeness gate lets Tesseract read, the time per
// read frame, and the whole step (decode again + gate + OCR + save + credits) as a ratio to decode-only; then the
// same with the gate off (every sampled frame read), which is what the gate saves.
//   usage: bench_ocr [VIDEO...] [--threads N]
// Without VIDEO: $FRAMELINE_TESTDATA/pyscenedetect/testvideo.mp4 and goldeneye-vfr-drop3.mp4 when present, and a
// generated 720p title with credits cards, subtitles and a roll (the fixture of tests/core/ocr/tst_ocr_pass.cpp,
// larger).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/ocr/ocr_pass.h"
#include "core/pipeline/ingest.h"
#include "core/store/store.h"

namespace {

using namespace frameline;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// The reference: the ffmpeg tool decoding the video stream and discarding the frames.
double ffmpeg_decode_s(const std::string& file, int threads) {
    const std::string cmd = "ffmpeg -v error -nostdin -threads " + std::to_string(threads) + " -i " + quoted(file) +
                            " -map 0:v:0 -f null - 2>/dev/null";
    auto t0 = Clock::now();
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "bench_ocr: ffmpeg could not decode %s\n", file.c_str());
        std::exit(1);
    }
    return seconds_since(t0);
}

std::string credits_title(const std::filesystem::path& dir) {
    const std::string path = (dir / "ocr-credits-720p.mp4").string();
    const std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    auto card = [&](const std::string& bg, double s, const std::vector<std::string>& lines, int size, int y0, int dy,
                    const std::string& extra = "") {
        std::string f = bg + ":s=1280x720:r=25:d=" + std::to_string(s);
        for (size_t i = 0; i < lines.size(); ++i) {
            std::string text;  // spaces escaped for the filter parser (the whole graph is single-quoted for sh)
            for (char c : lines[i]) text += c == ' ' ? std::string("\\ ") : std::string(1, c);
            f += ",drawtext=fontfile=" + font + ":text=" + text + ":fontcolor=white:fontsize=" +
                 std::to_string(size) + ":x=(w-tw)/2:y=" + std::to_string(y0 + int(i) * dy) + extra;
        }
        return f;
    };
    const std::vector<std::string> inputs = {
        card("color=c=black", 4, {"Directed by", "Jane Doe"}, 48, 260, 90),
        card("color=c=black", 4, {"Music by", "John Smith"}, 48, 260, 90),
        "mandelbrot=s=1280x720:r=25,trim=duration=8",
        card("gradients=n=3:seed=3", 8, {"Meet me at the station"}, 40, 620, 0, ":borderw=3:bordercolor=black"),
        "life=s=1280x720:r=25:mold=10:ratio=0.1,trim=duration=8",
        card("color=c=0x5070a0", 8,
             {"Cast", "Alice Walker", "Robert Brown", "Maria Garcia", "Thomas Lee", "Sarah Johnson", "David Wilson"},
             40, 80, 80)};
    std::string cmd = "ffmpeg -v error -nostdin -y";
    for (const std::string& in : inputs) cmd += " -f lavfi -i " + quoted(in);
    cmd += " -filter_complex '[0][1][2][3][4][5]concat=n=6,format=yuv420p[v]' -map '[v]' -c:v libx264 -preset "
           "veryfast -crf 20 " + quoted(path);
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "bench_ocr: could not generate %s\n", path.c_str());
        std::exit(1);
    }
    return path;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> files;
    int threads = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
        else files.push_back(a);
    }
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "frameline-bench-ocr";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    if (files.empty()) {
        if (const char* data = std::getenv("FRAMELINE_TESTDATA"))
            for (const char* name : {"pyscenedetect/testvideo.mp4", "pyscenedetect/goldeneye-vfr-drop3.mp4"})
                if (std::filesystem::exists(std::filesystem::path(data) / name))
                    files.push_back((std::filesystem::path(data) / name).string());
        files.push_back(credits_title(dir));
    }
    const int ocr_workers = std::max(1, threads / 2), decoder_threads = std::max(1, threads - ocr_workers);
    std::printf("OCR step vs ffmpeg decode-only (%d threads: %d OCR worker(s), %d decoder; Tesseract %s)\n", threads,
                ocr_workers, decoder_threads, ScreenTextReader::engine_version().c_str());
    std::printf("%-28s %7s %6s %6s %6s %9s %9s %9s %8s\n", "title", "decode", "frames", "read", "lines", "ms/read",
                "step s", "step/dec", "credits");
    for (const std::string& file : files) {
        double decode_s = 1e9;  // best of 3: the machine is shared and noisy
        for (int k = 0; k < 3; ++k) decode_s = std::min(decode_s, ffmpeg_decode_s(file, threads));
        for (double gate : {OcrPassOptions{}.min_text_likeness, 0.0}) {
            // A fresh database each time: the step refines the markers as they stand, so a second run on the same
            // title would start from the first one's.
            const std::string db = (dir / (std::filesystem::path(file).stem().string() + std::to_string(gate > 0) +
                                           ".db")).string();
            auto store = open_store(db);
            IngestOptions ingest;
            ingest.scan.threads = decoder_threads;
            const int64_t id = ingest_file(file, *store, ingest, {}).title_id;
            OcrPassOptions options;
            options.threads = ocr_workers;
            options.min_text_likeness = gate;
            const OcrPassResult r = run_ocr_pass(file, *store, id, options, {}, {}, decoder_threads);
            int credits = 0;
            for (const CreditsDecision& d : r.credits) credits += d.how != "unchanged";
            const std::string label = std::filesystem::path(file).filename().string() + (gate > 0 ? "" : " (no gate)");
            std::printf("%-28s %7.2f %6d %6d %6d %9.0f %9.2f %9.2f %8d\n", label.c_str(), decode_s, r.frames,
                        r.frames_read, r.lines, r.frames_read ? 1000.0 * r.ocr_s / r.frames_read : 0.0, r.wall_s,
                        r.wall_s / decode_s, credits);
            std::string read = "    read frames:";
            for (int64_t f : r.read_frames) read += " " + std::to_string(f);
            std::printf("%s\n", read.c_str());
            for (const CreditsDecision& d : r.credits)
                if (d.how != "unchanged")
                    std::printf("    %s %s frames %lld-%lld (%d of %d read frames show credits)\n", d.how.c_str(),
                                to_string(d.marker.kind), static_cast<long long>(d.marker.start_frame),
                                static_cast<long long>(d.marker.end_frame), d.credits_frames, d.read_frames);
        }
    }
    std::filesystem::remove_all(dir);
    return 0;
}
