// Speech / music / silence lanes (issue #8): precision and recall per class per 0.5 s unit on the shared test media
// and on a clip composed of them with known boundaries, the boundary errors there, the tempo of the music lanes,
// and the speed of the whole pass as a ratio to FFmpeg decoding the same audio alone, measured in the same run.
// The VAD also runs as plain silero streaming (VoiceActivityOptions::fresh_state_ms = 0, one carried LSTM state) on
// every file: its speech edges on the composed clip and its time beside the shipped VAD's (carried + fresh / plain).
//   usage: bench_audio_lanes [--repeat K] [--threads N] [--no-vad] [--keep DIR] [--units]
// The method is audio_character.h's (units: VAD speech first, then silence, tonal or rhythmic music, other) and
// tempo.h's (aubio beats). Needs $FRAMELINE_TESTDATA, the ffmpeg tool (the composed clip) and, unless --no-vad, the
// converted zoo's silero_vad (scripts/convert-models.sh). bench/README.md explains the truth and the scoring.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/audio_character.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/models/compute_device.h"
#include "core/models/voice_activity.h"

using namespace frameline;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 16000;
const char* const kClasses[] = {"speech", "music", "silence"};

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// A stretch of known class. "quiet" is the unspoken start and end of jfk.wav: silence or other sound are both right
// there, speech and music are wrong.
struct Truth {
    double start_s, end_s;
    std::string cls;
};

struct TempoTruth {
    double start_s, end_s, bpm;  // known tempo of the music there (0: none, e.g. a tone)
};

struct Case {
    std::string name;
    fs::path file;
    std::vector<Truth> truth;
    std::vector<TempoTruth> tempo;
};

// The known tempo where a lane lies (the stretch it overlaps most); nullopt: no music known there.
std::optional<double> known_bpm(const Case& c, double a, double b) {
    std::optional<double> best;
    double best_overlap = 0;
    for (const TempoTruth& t : c.tempo) {
        const double o = std::max(0.0, std::min(b, t.end_s) - std::max(a, t.start_s));
        if (o > best_overlap) {
            best_overlap = o;
            best = t.bpm;
        }
    }
    return best;
}

// A known boundary on the composed clip: where `cls` starts (starts = true) or ends.
struct ClassBoundary {
    double t_s;
    std::string cls;
    bool starts;
    std::string what;
};

// The file's audio at 16 kHz mono, all of it.
std::vector<float> decode_all(const fs::path& file) {
    AudioDecoder::Options o;
    o.sample_rate = kRate;
    o.block_samples = 8000;
    AudioDecoder d(file, o);
    std::vector<float> out;
    AudioBlock b;
    while (d.next(b)) out.insert(out.end(), b.samples.begin(), b.samples.end());
    return out;
}

// The reference: FFmpeg decoding (and resampling to 16 kHz mono, as every lane pass needs) and nothing else.
double decode_only_s(const fs::path& file) {
    const double t0 = now_s();
    AudioDecoder::Options o;
    o.sample_rate = kRate;
    o.block_samples = 8000;
    AudioDecoder d(file, o);
    AudioBlock b;
    double sum = 0;
    while (d.next(b)) sum += b.samples.empty() ? 0.0 : double(b.samples[0]);
    const double t = now_s() - t0;
    if (sum == 12345.678) std::printf(" ");  // keeps the loop
    return t;
}

std::string truth_at(const std::vector<Truth>& truth, double a, double b) {
    std::string best = "";
    double best_overlap = 0;
    for (const Truth& t : truth) {
        const double o = std::max(0.0, std::min(b, t.end_s) - std::max(a, t.start_s));
        if (o > best_overlap) {
            best_overlap = o;
            best = t.cls;
        }
    }
    return best;
}

struct Counts {
    std::map<std::string, int> tp, fp, fn;
    std::map<std::string, std::map<std::string, int>> confusion;  // truth -> predicted -> units
    void add(const std::string& truth, const std::string& predicted) {
        if (truth.empty()) return;
        ++confusion[truth][predicted];
        for (const char* c : kClasses) {
            const bool is_truth = truth == c, is_pred = predicted == c;
            if (is_truth && is_pred) ++tp[c];
            else if (is_truth) ++fn[c];
            else if (is_pred && !(truth == "quiet" && std::string(c) == "silence")) ++fp[c];
        }
    }
    void add(const Counts& o) {
        for (const char* c : kClasses) {
            tp[c] += o.tp.count(c) ? o.tp.at(c) : 0;
            fp[c] += o.fp.count(c) ? o.fp.at(c) : 0;
            fn[c] += o.fn.count(c) ? o.fn.at(c) : 0;
        }
        for (const auto& [t, row] : o.confusion)
            for (const auto& [p, n] : row) confusion[t][p] += n;
    }
    // "precision recall (correct/true)" of one class; "-" where there is nothing to divide
    std::string pr(const char* c) const {
        const int t = tp.count(c) ? tp.at(c) : 0, f = fp.count(c) ? fp.at(c) : 0, n = fn.count(c) ? fn.at(c) : 0;
        auto ratio = [](int num, int den) {
            char b[16];
            if (den == 0) return std::string("  -  ");
            std::snprintf(b, sizeof b, "%.3f", double(num) / den);
            return std::string(b);
        };
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s %s (%3d/%3d)", ratio(t, t + f).c_str(), ratio(t, t + n).c_str(), t, t + n);
        return buf;
    }
};

struct Run {
    std::vector<SpeechSegment> speech;
    TitleAudioCharacter lanes;
    double decode_s = 1e9, vad_s = 1e9, vad_plain_s = 1e9, lanes_s = 1e9, tempo_s = 1e9;
    std::vector<SpeechSegment> plain_speech;  // silero's plain streaming (one carried state), for comparison
    double audio_s = 0;
};

// The lanes' runs of one class (from the units) as [start, end) pairs.
std::vector<std::pair<double, double>> runs_of(const std::vector<AudioUnit>& units, const std::string& cls) {
    std::vector<std::pair<double, double>> out;
    for (const AudioUnit& u : units) {
        if (u.kind != cls) continue;
        if (!out.empty() && std::abs(out.back().second - u.start_s) < 1e-6) out.back().second = u.end_s;
        else out.emplace_back(u.start_s, u.end_s);
    }
    return out;
}

// Signed error of the nearest predicted edge (start or end of a run of `cls`) to the true boundary; nullopt: none.
std::optional<double> edge_error(const std::vector<std::pair<double, double>>& runs, const ClassBoundary& b) {
    std::optional<double> best;
    for (const auto& [s, e] : runs) {
        const double d = (b.starts ? s : e) - b.t_s;
        if (!best || std::abs(d) < std::abs(*best)) best = d;
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    int repeat = 3, threads = 1;
    bool use_vad = true, print_units = false;
    std::string keep;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
        else if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
        else if (a == "--no-vad") use_vad = false;
        else if (a == "--units") print_units = true;
        else if (a == "--keep" && i + 1 < argc) keep = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_audio_lanes [--repeat K] [--threads N] [--no-vad] [--keep DIR] [--units]\n");
            return 2;
        }
    }
    const char* td_env = std::getenv("FRAMELINE_TESTDATA");
    if (!td_env || !fs::exists(fs::path(td_env) / "speech/jfk.wav")) {
        std::fprintf(stderr, "bench_audio_lanes: set FRAMELINE_TESTDATA to the shared test media (../shared/testdata)\n");
        return 1;
    }
    const fs::path td(td_env);
    try {
        // The cases and their truth.
        std::vector<Case> cases;
        cases.push_back({"jfk.wav", td / "speech/jfk.wav", {{0, 0.32, "quiet"}, {0.32, 10.5, "speech"}, {10.5, 1e9, "quiet"}}, {}});
        std::vector<fs::path> librivox;
        for (const auto& e : fs::directory_iterator(td / "speech/librivox"))
            if (e.path().extension() == ".wav") librivox.push_back(e.path());
        std::sort(librivox.begin(), librivox.end());
        for (const fs::path& p : librivox) cases.push_back({"librivox " + p.stem().string().substr(p.stem().string().size() - 4), p, {{0, 1e9, "speech"}}, {}});
        const fs::path amen = td / "music/loop_amen_full.flac", garzul = td / "music/loop_garzul.flac";
        cases.push_back({"loop_amen_full", amen, {{0, 1e9, "music"}}, {{0, 1e9, 140}}});  // 16 beats in 6.857 s
        cases.push_back({"loop_garzul", garzul, {{0, 1e9, "music"}}, {{0, 1e9, 120}}});     // 16 beats in 8 s

        // The composed clip: garzul, 3 s of digital silence, jfk, a 4 s 440 Hz tone, amen, the first librivox file;
        // each part's length measured by decoding it at 16 kHz as the clip's parts are.
        const fs::path dir = keep.empty() ? fs::temp_directory_path() / "frameline-bench-audio-lanes" : fs::path(keep);
        fs::create_directories(dir);
        const fs::path composed = dir / "composed.wav";
        const std::string fmt = "aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono";
        const std::string cmd = "ffmpeg -v error -nostdin -y -i " + quoted(garzul.string()) +
                                " -f lavfi -t 3 -i anullsrc=r=16000:cl=mono -i " + quoted((td / "speech/jfk.wav").string()) +
                                " -f lavfi -t 4 -i sine=frequency=440:sample_rate=16000 -i " + quoted(amen.string()) +
                                " -i " + quoted(librivox.front().string()) + " -filter_complex '" +
                                "[0:a]" + fmt + "[a0];[1:a]" + fmt + "[a1];[2:a]" + fmt + "[a2];[3:a]" + fmt + "[a3];[4:a]" + fmt +
                                "[a4];[5:a]" + fmt + "[a5];[a0][a1][a2][a3][a4][a5]concat=n=6:v=0:a=1[out]' -map '[out]' " +
                                "-c:a pcm_s16le " + quoted(composed.string());
        if (std::system(cmd.c_str()) != 0) {
            std::fprintf(stderr, "bench_audio_lanes: ffmpeg could not compose the clip: %s\n", cmd.c_str());
            return 1;
        }
        const double l_garzul = double(decode_all(garzul).size()) / kRate, l_sil = 3.0,
                     l_jfk = double(decode_all(td / "speech/jfk.wav").size()) / kRate, l_tone = 4.0,
                     l_amen = double(decode_all(amen).size()) / kRate,
                     l_libri = double(decode_all(librivox.front()).size()) / kRate;
        const double t_sil = l_garzul, t_jfk = t_sil + l_sil, t_tone = t_jfk + l_jfk, t_amen = t_tone + l_tone,
                     t_libri = t_amen + l_amen, t_end = t_libri + l_libri;
        cases.push_back({"composed",
                         composed,
                         {{0, t_sil, "music"},
                          {t_sil, t_jfk, "silence"},
                          {t_jfk, t_jfk + 0.32, "quiet"},
                          {t_jfk + 0.32, t_jfk + 10.5, "speech"},
                          {t_jfk + 10.5, t_tone, "quiet"},
                          {t_tone, t_libri, "music"},
                          {t_libri, t_end, "speech"}},
                         {{0, t_sil, 120}, {t_tone, t_amen, 0}, {t_amen, t_libri, 140}}});
        const std::vector<ClassBoundary> boundaries = {
            {t_sil, "music", false, "garzul -> silence: music ends"},
            {t_sil, "silence", true, "garzul -> silence: silence starts"},
            {t_jfk + 0.32, "speech", true, "jfk speech starts"},
            {t_jfk + 10.5, "speech", false, "jfk speech ends"},
            {t_tone, "music", true, "jfk -> tone: music starts"},
            {t_libri, "music", false, "amen -> librivox: music ends"},
            {t_libri, "speech", true, "amen -> librivox: speech starts"},
        };
        // Sound that is neither speech nor music nor silence: 10 s of pink and of brown noise at about -30 LUFS
        // (ambience, wind, a machine room): any speech or music lane on them is false.
        for (const char* colour : {"pink", "brown"}) {
            const fs::path noise = dir / (std::string(colour) + ".wav");
            const std::string gen = std::string("ffmpeg -v error -nostdin -y -f lavfi -i anoisesrc=d=10:c=") + colour +
                                    ":r=16000:a=0.2:seed=7 -c:a pcm_s16le " + quoted(noise.string());
            if (std::system(gen.c_str()) != 0) {
                std::fprintf(stderr, "bench_audio_lanes: ffmpeg could not make %s noise\n", colour);
                return 1;
            }
            cases.insert(cases.end() - 1, Case{std::string(colour) + " noise", noise, {{0, 1e9, "other"}}, {}});
        }
        std::printf("composed clip %s: garzul 0-%.3f, silence -%.3f, jfk -%.3f (speech %.3f-%.3f), tone -%.3f, amen -%.3f, "
                    "librivox -%.3f s\n",
                    composed.string().c_str(), t_sil, t_jfk, t_tone, t_jfk + 0.32, t_jfk + 10.5, t_amen, t_libri, t_end);

        std::optional<VoiceActivity> vad, vad_plain;  // as shipped (carried + fresh stream); one carried stream only
        if (use_vad) {
            vad.emplace(choose_compute_device("cpu", threads));
            VoiceActivityOptions plain;
            plain.fresh_state_ms = 0;
            vad_plain.emplace(choose_compute_device("cpu", threads), plain);
        }
        std::printf("voice activity: %s; LibTorch threads %d; best of %d runs\n\n",
                    use_vad ? "silero_vad (the model is trusted first)" : "OFF (--no-vad: the heuristic alone)", threads, repeat);

        std::vector<Run> runs(cases.size());
        for (int r = 0; r < repeat; ++r)
            for (size_t i = 0; i < cases.size(); ++i) {
                Run& run = runs[i];
                run.decode_s = std::min(run.decode_s, decode_only_s(cases[i].file));
                if (vad) {
                    const double t0 = now_s();
                    const VoiceActivityResult v = vad->run(cases[i].file);
                    run.vad_s = std::min(run.vad_s, now_s() - t0);
                    run.speech = v.segments;
                    run.audio_s = v.duration_s();
                    const double tp = now_s();
                    run.plain_speech = vad_plain->run(cases[i].file).segments;
                    run.vad_plain_s = std::min(run.vad_plain_s, now_s() - tp);
                } else {
                    run.vad_s = run.vad_plain_s = 0;
                }
                std::vector<AudioSegment> segs;
                for (const SpeechSegment& s : run.speech) segs.push_back(AudioSegment{0, 0, "speech", s.start_s, s.end_s, s.mean_probability});
                Shot whole;
                whole.end_s = 1e6;
                whole.end_frame = 25000000;
                const double t1 = now_s();
                run.lanes = analyse_audio_character(cases[i].file, {whole}, segs);
                run.lanes_s = std::min(run.lanes_s, now_s() - t1);
                // the tempo's share of the lane pass: the second decode up to the last music lane and aubio on it
                TitleAudioCharacter again = run.lanes;
                const double t2 = now_s();
                measure_music_tempo(again, cases[i].file);
                run.tempo_s = std::min(run.tempo_s, now_s() - t2);
                if (!vad) run.audio_s = double(decode_all(cases[i].file).size()) / kRate;
            }

        // Precision and recall per class per 0.5 s unit.
        std::printf("per 0.5 s unit: precision recall (correct/true units) per class\n");
        std::printf("%-16s %6s  %-26s %-26s %-26s\n", "file", "units", "speech P R", "music P R", "silence P R");
        Counts all, files_only;
        for (size_t i = 0; i < cases.size(); ++i) {
            Counts c;
            for (const AudioUnit& u : runs[i].lanes.units) c.add(truth_at(cases[i].truth, u.start_s, u.end_s), u.kind);
            std::printf("%-16s %6zu  %-26s %-26s %-26s\n", cases[i].name.c_str(), runs[i].lanes.units.size(), c.pr("speech").c_str(),
                        c.pr("music").c_str(), c.pr("silence").c_str());
            all.add(c);
            if (cases[i].name != "composed") files_only.add(c);
            if (print_units) {
                for (const AudioUnit& u : runs[i].lanes.units)
                    std::printf("    %6.2f-%6.2f truth %-8s got %-8s lufs %6.1f speech %.2f tonality %.2f rhythm %.2f\n", u.start_s,
                                u.end_s, truth_at(cases[i].truth, u.start_s, u.end_s).c_str(), u.kind.c_str(), u.lufs, u.speech,
                                u.tonality, u.rhythm);
            }
        }
        std::printf("%-16s %6s  %-26s %-26s %-26s\n", "test files", "", files_only.pr("speech").c_str(), files_only.pr("music").c_str(),
                    files_only.pr("silence").c_str());
        std::printf("%-16s %6s  %-26s %-26s %-26s\n", "all", "", all.pr("speech").c_str(), all.pr("music").c_str(),
                    all.pr("silence").c_str());
        std::printf("\nconfusion, all units (rows: truth, columns: lane)\n%-8s", "");
        const char* kinds[] = {"speech", "music", "silence", "other"};
        for (const char* k : kinds) std::printf(" %8s", k);
        std::printf("\n");
        for (const char* t : {"speech", "music", "silence", "quiet", "other"}) {
            std::printf("%-8s", t);
            for (const char* k : kinds) std::printf(" %8d", all.confusion[t][k]);
            std::printf("\n");
        }

        // Boundaries on the composed clip.
        const Run& comp = runs.back();
        std::printf("\nboundaries on the composed clip (signed error: lane edge - truth; lanes move in 0.5 s units)\n");
        std::vector<std::pair<double, double>> vad_runs, plain_runs;
        for (const SpeechSegment& s : comp.speech) vad_runs.emplace_back(s.start_s, s.end_s);
        for (const SpeechSegment& s : comp.plain_speech) plain_runs.emplace_back(s.start_s, s.end_s);
        double worst_lane = 0, worst_vad = 0;
        for (const ClassBoundary& b : boundaries) {
            const std::optional<double> lane = edge_error(runs_of(comp.lanes.units, b.cls), b);
            std::printf("  %-36s at %7.3f s: lane %s", b.what.c_str(), b.t_s,
                        lane ? (std::to_string(std::lround(*lane * 1000)) + " ms").c_str() : "none");
            if (lane) worst_lane = std::max(worst_lane, std::abs(*lane));
            if (b.cls == "speech" && vad) {
                const std::optional<double> v = edge_error(vad_runs, b);
                std::printf(", VAD segment %s", v ? (std::to_string(std::lround(*v * 1000)) + " ms").c_str() : "none");
                if (v) worst_vad = std::max(worst_vad, std::abs(*v));
                const std::optional<double> pv = edge_error(plain_runs, b);
                std::printf(" (plain silero streaming %s)", pv ? (std::to_string(std::lround(*pv * 1000)) + " ms").c_str() : "none");
            }
            std::printf("\n");
        }
        std::printf("  worst: lanes %.0f ms, VAD %.0f ms\n", worst_lane * 1000, worst_vad * 1000);

        // Tempo of the music lanes.
        std::printf("\ntempo of the music lanes (aubio; known: amen 140, garzul 120 BPM by loop length; tone: none)\n");
        for (size_t i = 0; i < cases.size(); ++i)
            for (const AudioSegment& l : runs[i].lanes.lanes) {
                if (l.kind != "music") continue;
                std::printf("  %-16s music %6.2f-%6.2f s: ", cases[i].name.c_str(), l.start_s, l.end_s);
                if (l.bpm > 0) std::printf("%6.2f BPM", l.bpm);
                else std::printf("no tempo");
                const std::optional<double> known = known_bpm(cases[i], l.start_s, l.end_s);
                if (known && *known > 0 && l.bpm > 0) std::printf(" (known %.0f, error %+.2f)", *known, l.bpm - *known);
                else if (known && *known > 0) std::printf(" (known %.0f)", *known);
                else if (known) std::printf(" (a tone: no tempo expected)");
                std::printf("\n");
            }

        // Speed.
        double dec = 0, v = 0, vp = 0, lanes = 0, tempo = 0, audio = 0;
        for (const Run& r : runs) {
            dec += r.decode_s;
            v += r.vad_s;
            vp += r.vad_plain_s;
            lanes += r.lanes_s;
            tempo += r.tempo_s;
            audio += r.audio_s;
        }
        std::printf("\nspeed over all %zu files (%.1f s of audio), best of %d:\n", cases.size(), audio, repeat);
        std::printf("  FFmpeg decode + resample to 16 kHz alone (reference) %8.3f s   1.00 x decode   real-time factor %.4f\n", dec,
                    dec / audio);
        std::printf("  voice activity (silero, decodes itself)              %8.3f s %6.2f x decode   real-time factor %.4f\n", v,
                    v / dec, v / audio);
        std::printf("    plain silero streaming (one carried state)         %8.3f s %6.2f x decode   carried + fresh / plain %.3f\n",
                    vp, vp / dec, vp > 0 ? v / vp : 0.0);
        std::printf("  lanes (decode, units, tonality, rhythm, tempo)       %8.3f s %6.2f x decode   real-time factor %.4f\n", lanes,
                    lanes / dec, lanes / audio);
        std::printf("    of which music tempo (2nd decode + aubio)         %8.3f s %6.2f x decode\n", tempo, tempo / dec);
        std::printf("  voice activity + lanes                               %8.3f s %6.2f x decode   real-time factor %.4f\n",
                    v + lanes, (v + lanes) / dec, (v + lanes) / audio);
        if (keep.empty()) fs::remove_all(dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_audio_lanes: %s\n", e.what());
        return 1;
    }
    return 0;
}
