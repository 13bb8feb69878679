// The transcript inside the ingest (issue #8 target: "transcription of a 10-minute title within 10 minutes on this
// 2-core machine, in parallel with the rest of ingest"). A title of --seconds (600) is composed from the test data:
// the GoldenEye clip looped (640 px wide) with the LibriVox files and jfk.wav in turn as its soundtrack, 1.5 s of
// silence between. Then, in the same run, with the real frameline-cli:
//   A  `transcribe` alone (voice activity + recognition, nothing else running): the reference;
//   B  `ingest --skip transcript` (scan, on-screen text, frame models, voice activity, analysis);
//   C  `ingest` (B with the transcript running beside it).
// It prints the soundtrack's wall time inside C over the title's length (the target: at most 1.0), C / B (what the
// transcript adds to an ingest) and C / (A + B) (how much running beside saves over one after the other), and the
// word error rate of the stored transcript against the files' references.
//   usage: bench_ingest_speech [--seconds S] [--threads N] [--cli PATH] [--keep DIR]
// Needs $FRAMELINE_TESTDATA, the ffmpeg tool, and the converted model zoo.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/word_error_rate.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "bench_ingest_speech: %s\n", why.c_str());
    std::exit(1);
}

struct Run {
    double wall_s = 0;
    nlohmann::json json;
};

// Runs `command` (its stdout: one JSON document) and times it.
Run run_json(const std::string& command) {
    const auto t0 = Clock::now();
    FILE* p = popen(command.c_str(), "r");
    if (!p) fail("cannot run " + command);
    std::string out;
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    const int status = pclose(p);
    Run r;
    r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (status != 0) fail("failed (" + std::to_string(status) + "): " + command);
    try {
        r.json = nlohmann::json::parse(out);
    } catch (const std::exception& e) {
        fail("no JSON from " + command + ": " + e.what());
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 600;
    int threads = 0;
    std::string cli = (fs::canonical("/proc/self/exe").parent_path().parent_path() / "app" / "frameline-cli").string();
    std::string keep;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
        else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (a == "--cli" && i + 1 < argc) cli = argv[++i];
        else if (a == "--keep" && i + 1 < argc) keep = argv[++i];
        else fail("usage: bench_ingest_speech [--seconds S] [--threads N] [--cli PATH] [--keep DIR]");
    }
    const char* data = std::getenv("FRAMELINE_TESTDATA");
    if (!data) fail("set FRAMELINE_TESTDATA to the shared test data folder");
    const fs::path testdata = data, speech = testdata / "speech", libri = speech / "librivox";
    const fs::path dir = keep.empty() ? fs::temp_directory_path() / ("bench_ingest_speech." + std::to_string(getpid()))
                                      : fs::path(keep);
    fs::create_directories(dir);

    // The soundtrack: every speech file in turn, 1.5 s of silence after each, for the whole title; its reference.
    std::vector<std::string> ids;
    {
        std::ifstream in(libri / "fileids");
        for (std::string id; in >> id;) ids.push_back(id);
    }
    std::vector<std::pair<fs::path, std::string>> files;  // file, reference text
    {
        std::ifstream in(libri / "transcription");
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) lines.push_back(line);
        if (lines.size() != ids.size()) fail("librivox/transcription does not have one line per fileids entry");
        for (size_t k = 0; k < ids.size(); ++k) files.push_back({libri / (ids[k] + ".wav"), lines[k]});
        files.push_back({speech / "jfk.wav",
                         "and so my fellow americans ask not what your country can do for you ask what you can do "
                         "for your country"});
    }
    const fs::path list = dir / "soundtrack.txt", silence = dir / "silence.wav";
    if (std::system(("ffmpeg -v error -nostdin -y -f lavfi -i anullsrc=r=16000:cl=mono -t 1.5 " +
                     shell_quoted(silence.string()))
                        .c_str()) != 0)
        fail("ffmpeg could not make silence");
    std::vector<std::string> reference;
    {
        std::ofstream out(list);
        double total = 0;
        for (size_t k = 0; total < seconds; ++k) {
            const auto& [file, ref] = files[k % files.size()];
            const double len = double(fs::file_size(file) - 44) / (16000 * 2);  // 16 kHz 16-bit mono WAVs
            if (total + len > seconds) break;
            out << "file " << shell_quoted(file.string()) << "\nfile " << shell_quoted(silence.string()) << "\n";
            total += len + 1.5;
            for (std::string& w : frameline::bench::normalised_words(ref)) reference.push_back(std::move(w));
        }
    }
    const fs::path title = dir / "speech-title.mp4";
    const std::string compose = "ffmpeg -v error -nostdin -y -stream_loop -1 -i " +
                                shell_quoted((testdata / "pyscenedetect" / "goldeneye-vfr-drop3.mp4").string()) +
                                " -f concat -safe 0 -i " + shell_quoted(list.string()) +
                                " -map 0:v:0 -map 1:a:0 -vf scale=640:-2,fps=24 -c:v libx264 -preset veryfast "
                                "-crf 26 -c:a aac -b:a 64k -af apad -t " + std::to_string(seconds) + " " +
                                shell_quoted(title.string());
    std::printf("composing a %.0f s title (GoldenEye looped, speech files in turn)...\n", seconds);
    std::fflush(stdout);
    if (std::system(compose.c_str()) != 0) fail("ffmpeg could not compose the title: " + compose);

    const std::string t = threads > 0 ? " --threads " + std::to_string(threads) : "";
    const std::string tail = " --json 2>" + shell_quoted((dir / "stderr.txt").string());
    const Run a = run_json(shell_quoted(cli) + " transcribe " + shell_quoted(title.string()) + t + tail);
    const Run b = run_json(shell_quoted(cli) + " ingest " + shell_quoted(title.string()) + " --db " +
                           shell_quoted((dir / "b.db").string()) + " --skip transcript" + t + tail);
    const Run c = run_json(shell_quoted(cli) + " ingest " + shell_quoted(title.string()) + " --db " +
                           shell_quoted((dir / "c.db").string()) + t + tail);
    const nlohmann::json& sc = c.json.at("titles").at(0).at("models").at("soundtrack");
    const double soundtrack_s = sc.at("wall_s").get<double>();
    const Run shown = run_json(shell_quoted(cli) + " show " + std::to_string(c.json["titles"][0]["id"].get<int64_t>()) +
                               " --db " + shell_quoted((dir / "c.db").string()) + tail);
    std::string said;
    for (const auto& seg : shown.json.at("transcript"))
        if (seg.value("source", "") == "speech") said += seg.at("text").get<std::string>() + " ";
    const auto errors = frameline::bench::word_errors(reference, frameline::bench::normalised_words(said));

    std::printf("%.0f-second title, %s threads (load: see /proc/loadavg; this machine is shared)\n", seconds,
                threads > 0 ? std::to_string(threads).c_str() : "all");
    std::printf("  A transcribe alone             %7.1f s  (%.3f x real time)\n", a.wall_s, a.wall_s / seconds);
    std::printf("  B ingest --skip transcript     %7.1f s\n", b.wall_s);
    std::printf("  C ingest (transcript beside)   %7.1f s\n", c.wall_s);
    std::printf("  soundtrack inside C            %7.1f s  (%.3f x real time; target: within 1.0)\n", soundtrack_s,
                soundtrack_s / seconds);
    std::printf("  C / B  = %.2f  (what the transcript adds to an ingest)\n", c.wall_s / b.wall_s);
    std::printf("  C / (A + B) = %.2f  (beside against one after the other)\n", c.wall_s / (a.wall_s + b.wall_s));
    std::printf("  stored transcript: %zu words, WER %.3f against the files' references (%zu errors in %zu)\n",
                frameline::bench::normalised_words(said).size(), errors.rate(), errors.errors(),
                errors.reference_words);
    if (keep.empty()) fs::remove_all(dir);
    return 0;
}
