// Speech transcripts (issue #8 item 2): word error rate of Frameline's transcribe() (Silero VAD + PocketSphinx with
// the tuned defaults) against PocketSphinx's own command line with its defaults (`pocketsphinx_continuous -infile
// F.wav`, Debian package pocketsphinx), both measured in this run on the same files: the LibriVox set of the
// shared test media (reference: its `transcription`, one line per file in `fileids` order) and jfk.wav (reference
// in testdata/README.md); jfk.wav's speech boundaries against the reference 0.32 s - 10.5 s; the real-time factor
// (processing time / audio duration, model loading included for both) and a 10-minute title built in memory from
// the same speech.
//   usage: bench_transcribe [--threads N] [--baseline PROGRAM | --no-baseline] [--long SECONDS] [--long-only] [--set -psname VALUE]...
//                           [--merge-gap S] [--pad S] [--max-unit S]
// --set passes a PocketSphinx setting on top of the defaults (to explore; the product uses the defaults).
// Needs FRAMELINE_TESTDATA, the converted zoo (silero_vad) and the pocketsphinx-en-us model.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "bench/word_error_rate.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/models/compute_device.h"
#include "core/models/voice_activity.h"
#include "core/speech/pocketsphinx_recogniser.h"
#include "core/speech/transcribe.h"

using namespace frameline;
using frameline::bench::word_errors;
using frameline::bench::WordErrors;
namespace fs = std::filesystem;

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU seconds of this process (all threads) or of its finished children: the machine may be busy with other
// work, so wall time alone would measure the neighbours too.
double cpu_s(int who) {
    rusage u{};
    getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

std::vector<std::string> lines_of(const fs::path& p) {
    std::ifstream in(p);
    if (!in) throw Error("cannot read " + p.string());
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// The baseline's hypothesis (its utterances joined) and its wall time.
std::string run_baseline(const std::string& program, const fs::path& wav, double& seconds, double& cpu) {
    const std::string cmd = program + " -infile " + shell_quote(wav.string()) + " 2>/dev/null";
    const double c0 = cpu_s(RUSAGE_CHILDREN);
    const double t0 = now_s();
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) throw Error("cannot run " + program);
    std::string out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int rc = pclose(p);
    seconds = now_s() - t0;
    cpu = cpu_s(RUSAGE_CHILDREN) - c0;
    if (rc != 0) throw Error(program + " failed on " + wav.string() + " (exit " + std::to_string(rc) + ")");
    for (char& c : out)
        if (c == '\n') c = ' ';
    return out;
}

double audio_seconds(const fs::path& wav) {
    AudioDecoder dec(wav);
    AudioBlock b;
    int64_t n = 0;
    while (dec.next(b)) n += static_cast<int64_t>(b.samples.size());
    return static_cast<double>(n) / dec.info().sample_rate;
}

std::vector<float> samples_of(const fs::path& wav) {
    AudioDecoder dec(wav);
    AudioBlock b;
    std::vector<float> out;
    while (dec.next(b)) out.insert(out.end(), b.samples.begin(), b.samples.end());
    return out;
}

std::string text_of(const Transcript& t) {
    std::string s;
    for (const TranscriptSegment& g : t.segments) s += (s.empty() ? "" : " ") + g.text;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 2;
    double long_s = 600;
    std::string baseline = "pocketsphinx_continuous";
    TranscribeOptions options;
    PocketsphinxOptions ps;
    bool custom = false, with_baseline = true, files = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (a == "--baseline" && i + 1 < argc) baseline = argv[++i];
        else if (a == "--no-baseline") with_baseline = false;
        else if (a == "--long-only") files = false;
        else if (a == "--long" && i + 1 < argc) long_s = std::atof(argv[++i]);
        else if (a == "--merge-gap" && i + 1 < argc) options.merge_gap_s = std::atof(argv[++i]);
        else if (a == "--pad" && i + 1 < argc) options.pad_s = std::atof(argv[++i]);
        else if (a == "--max-unit" && i + 1 < argc) options.max_unit_s = std::atof(argv[++i]);
        else if (a == "--set" && i + 2 < argc) {
            ps.extra.emplace_back(argv[i + 1], argv[i + 2]);
            i += 2;
            custom = true;
        } else {
            std::fprintf(stderr,
                         "usage: bench_transcribe [--threads N] [--baseline PROGRAM | --no-baseline] [--long SECONDS] [--long-only] "
                         "[--set -psname VALUE]... [--merge-gap S] [--pad S] [--max-unit S]\n");
            return 2;
        }
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // long runs: show each line as it comes
    if (custom) options.recogniser = [ps] { return std::make_unique<PocketsphinxRecogniser>(ps); };
    const char* td = std::getenv("FRAMELINE_TESTDATA");
    if (!td) {
        std::fprintf(stderr, "bench_transcribe: set FRAMELINE_TESTDATA to the shared test media (../shared/testdata)\n");
        return 1;
    }
    try {
        if (std::string why = check_pocketsphinx_model(ps.model_dir); !why.empty()) throw Error(why);
        const fs::path speech_dir = fs::path(td) / "speech";
        const fs::path libri = speech_dir / "librivox";
        const std::vector<std::string> ids = lines_of(libri / "fileids");
        const std::vector<std::string> refs = lines_of(libri / "transcription");
        if (ids.size() != refs.size()) throw Error("librivox: fileids and transcription differ in length");

        VoiceActivity vad(choose_compute_device("cpu", 1));  // as frameline-cli transcribe: one LibTorch thread
        (void)vad.run(std::vector<float>(16000, 0.0f));  // warm-up
        const double l0 = now_s(), lc0 = cpu_s(RUSAGE_SELF);
        const std::string engine = PocketsphinxRecogniser(ps).name();
        std::printf("PocketSphinx model load: %.2f s wall, %.2f s cpu (once per recognition thread per transcribe())\n",
                    now_s() - l0, cpu_s(RUSAGE_SELF) - lc0);
        std::printf("Frameline: Silero VAD + %s, %d thread%s; settings:%s; merge gap %.2f s, pad %.2f s, max %.0f s\n",
                    engine.c_str(), threads, threads == 1 ? "" : "s",
                    custom ? " defaults +" : " defaults", options.merge_gap_s, options.pad_s, options.max_unit_s);
        for (const auto& [k, v] : ps.extra) std::printf("  %s %s\n", k.c_str(), v.c_str());
        std::printf("baseline: %s -infile F.wav (its defaults)\n\n", baseline.c_str());

        struct Measured {
            WordErrors ours, base;
            double ours_s = 0, base_s = 0, ours_cpu = 0, base_cpu = 0, audio_s = 0, vad_s = 0, vad_cpu = 0;
            Measured& operator+=(const Measured& m) {
                ours += m.ours;
                base += m.base;
                ours_s += m.ours_s, base_s += m.base_s, ours_cpu += m.ours_cpu, base_cpu += m.base_cpu;
                vad_s += m.vad_s, vad_cpu += m.vad_cpu;
                audio_s += m.audio_s;
                return *this;
            }
        };
        auto one_file = [&](const std::string& label, const fs::path& wav, const std::string& reference,
                            Transcript* keep) {
            Measured m;
            m.audio_s = audio_seconds(wav);
            // transcribe(wav, vad, ...) in its two steps, to show where the time goes.
            const double c0 = cpu_s(RUSAGE_SELF), t0 = now_s();
            const VoiceActivityResult v = vad.run(wav);
            const double c1 = cpu_s(RUSAGE_SELF), t1 = now_s();
            Transcript t = transcribe(wav, v.segments, threads, {}, options);
            m.ours_s = now_s() - t0;
            m.ours_cpu = cpu_s(RUSAGE_SELF) - c0;
            m.vad_s = t1 - t0;
            m.vad_cpu = c1 - c0;
            const std::string ours_hyp = text_of(t);
            const std::string base_hyp = with_baseline ? run_baseline(baseline, wav, m.base_s, m.base_cpu) : "";
            m.ours = word_errors(reference, ours_hyp);
            m.base = word_errors(reference, base_hyp);
            std::printf("%-6s %5.1f s %3zu words  WER Frameline %.3f (%zu: %zuS %zuD %zuI)  baseline %.3f (%zu)  "
                        "wall %.2f s / %.2f s, cpu %.2f s / %.2f s\n",
                        label.c_str(), m.audio_s, m.ours.reference_words, m.ours.rate(), m.ours.errors(),
                        m.ours.substitutions, m.ours.deletions, m.ours.insertions, m.base.rate(), m.base.errors(),
                        m.ours_s, m.base_s, m.ours_cpu, m.base_cpu);
            std::printf("         Frameline: %s\n         baseline:  %s\n", ours_hyp.c_str(), base_hyp.c_str());
            if (keep) *keep = std::move(t);
            return m;
        };

        const std::string jfk_ref =
            "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your "
            "country.";
        if (files) {
            std::printf("LibriVox (%zu files):\n", ids.size());
            Measured libri_all;
            for (size_t i = 0; i < ids.size(); ++i) {
                const std::string label = ids[i].substr(ids[i].size() > 4 ? ids[i].size() - 4 : 0);
                libri_all += one_file(label, libri / (ids[i] + ".wav"), refs[i], nullptr);
            }
            const WordErrors& ours_all = libri_all.ours;
            const WordErrors& base_all = libri_all.base;
            std::printf("LibriVox overall (%zu words): WER Frameline %.3f (%zu errors), baseline %.3f (%zu errors); "
                        "Frameline / baseline %.2f (< 1: fewer errors)\n\n",
                        ours_all.reference_words, ours_all.rate(), ours_all.errors(), base_all.rate(), base_all.errors(),
                        base_all.errors() ? double(ours_all.errors()) / double(base_all.errors()) : 0.0);

            Transcript jfk;
            const Measured j = one_file("jfk", speech_dir / "jfk.wav", jfk_ref, &jfk);
            Measured all = libri_all;
            all += j;
            std::printf("jfk.wav WER: Frameline %.3f, baseline %.3f\n", j.ours.rate(), j.base.rate());
            const VoiceActivityResult jv = vad.run(speech_dir / "jfk.wav");
            if (!jv.segments.empty())
                std::printf("jfk.wav speech (voice activity, %zu segments): %.3f s - %.3f s; against 0.32 - 10.5 s: "
                            "start %+.0f ms, end %+.0f ms (target within 100 ms)\n",
                            jv.segments.size(), jv.segments.front().start_s, jv.segments.back().end_s,
                            1000 * (jv.segments.front().start_s - 0.32), 1000 * (jv.segments.back().end_s - 10.5));
            if (!jfk.segments.empty())
                std::printf("jfk.wav transcript (%zu segments, first to last word): %.3f s - %.3f s; start %+.0f ms, "
                            "end %+.0f ms (target within 100 ms)\n",
                            jfk.segments.size(), jfk.segments.front().start_s, jfk.segments.back().end_s,
                            1000 * (jfk.segments.front().start_s - 0.32), 1000 * (jfk.segments.back().end_s - 10.5));
            std::printf("\nreal-time factor over the 6 files (%.1f s of audio; processing / audio, model loading included):\n"
                        "  wall: Frameline %.3f (%.2f s), baseline %.3f (%.2f s); Frameline / baseline %.2f\n"
                        "  cpu:  Frameline %.3f (%.2f s), baseline %.3f (%.2f s); Frameline / baseline %.2f\n",
                        all.audio_s, all.ours_s / all.audio_s, all.ours_s, all.base_s / all.audio_s, all.base_s,
                        all.base_s > 0 ? all.ours_s / all.base_s : 0.0, all.ours_cpu / all.audio_s, all.ours_cpu,
                        all.base_cpu / all.audio_s, all.base_cpu, all.base_cpu > 0 ? all.ours_cpu / all.base_cpu : 0.0);
            std::printf("  of Frameline's: voice activity %.2f s wall, %.2f s cpu; recognition (model load included) "
                        "%.2f s wall, %.2f s cpu\n",
                        all.vad_s, all.vad_cpu, all.ours_s - all.vad_s, all.ours_cpu - all.vad_cpu);
        }
        if (long_s > 0) {
            // A long title from the same speech: every file in turn with 1.5 s of silence between (whole files
            // only, so that the references of the files make the title's), then silence to long_s.
            std::vector<float> title;
            std::vector<fs::path> files;
            std::vector<std::string> file_refs = refs;
            for (const std::string& id : ids) files.push_back(libri / (id + ".wav"));
            files.push_back(speech_dir / "jfk.wav");
            file_refs.push_back(jfk_ref);
            std::vector<std::vector<float>> clips;
            for (const fs::path& f : files) clips.push_back(samples_of(f));
            std::vector<std::string> title_ref;  // each file's normalised on its own: a sphinx line ends in its id
            const size_t total = size_t(long_s * 16000);
            for (size_t k = 0;; ++k) {
                const std::vector<float>& c = clips[k % clips.size()];
                if (title.size() + c.size() > total) break;
                title.insert(title.end(), c.begin(), c.end());
                title.insert(title.end(), std::min<size_t>(24000, total - title.size()), 0.0f);
                for (std::string& w : bench::normalised_words(file_refs[k % clips.size()]))
                    title_ref.push_back(std::move(w));
            }
            title.resize(total, 0.0f);
            const double c0 = cpu_s(RUSAGE_SELF), t0 = now_s();
            const VoiceActivityResult v = vad.run(title);
            const double c1 = cpu_s(RUSAGE_SELF), t1 = now_s();
            const Transcript t = transcribe_samples(title, 16000, 0.0, v.segments, threads, {}, options);
            const double c2 = cpu_s(RUSAGE_SELF), t2 = now_s();
            size_t words = 0;
            for (const TranscriptSegment& g : t.segments) words += g.words.size();
            const WordErrors e = word_errors(title_ref, bench::normalised_words(text_of(t)));
            std::printf("%.0f-second title (the files above repeated, 1.5 s apart), %d thread%s: voice activity "
                        "%.1f s + recognition %.1f s = %.1f s (%zu stretches, %zu words); %.3f x real time "
                        "(target: within 1.0)\n",
                        long_s, t.threads, t.threads == 1 ? "" : "s", t1 - t0, t2 - t1, t2 - t0,
                        size_t(t.stretches), words, (t2 - t0) / long_s);
            std::printf("  cpu: voice activity %.1f s, recognition %.1f s (%.0f s of speech: %.3f cpu s per speech s)\n",
                        c1 - c0, c2 - c1, t.speech_s, (c2 - c1) / std::max(1e-9, t.speech_s));
            std::printf("  WER %.3f (%zu errors in %zu words; files 1.5 s apart are recognised "
                        "together when the merge gap allows)\n",
                        e.rate(), e.errors(), e.reference_words);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_transcribe: %s\n", e.what());
        return 1;
    }
    return 0;
}
