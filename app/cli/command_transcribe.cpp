// `frameline-cli transcribe MEDIA`: the speech of a media file as text with word times (Silero voice activity +
// PocketSphinx, core/speech/transcribe.h); no database.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/models/compute_device.h"
#include "core/models/voice_activity.h"
#include "core/speech/transcribe.h"

namespace frameline::cli {

namespace {

double ms_round(double s) { return std::round(s * 1000.0) / 1000.0; }

}  // namespace

void add_transcribe_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string media;
        bool json = false;
        int threads = 0;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("transcribe", "Transcribe the speech of a media file, with word times");
    cmd->add_option("MEDIA", args->media, "audio or video file")->required();
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->add_option("--threads", args->threads, "recognisers in parallel (0 = one per core)")
        ->check(CLI::NonNegativeNumber);
    cmd->callback([args, &exit_code] {
        // Silero steps through 32 ms chunks: one LibTorch thread. More threads only wait on each other (on a busy
        // 2-core machine 2 threads made it 10-15x slower); the cores go to the recognisers.
        const ComputeDevice device = choose_compute_device("cpu", 1);
        VoiceActivity vad(device);  // throws with what to do when the zoo's silero_vad is not converted
        TranscribeOptions options;
        options.progress = stderr_progress("transcribe");
        const Transcript t = transcribe(args->media, vad, args->threads, {}, options);
        end_progress_line();
        if (!t.has_audio)
            std::cerr << "frameline-cli: warning: " << args->media << " has no audio stream: nothing to transcribe"
                      << std::endl;
        size_t words = 0;
        for (const TranscriptSegment& s : t.segments) words += s.words.size();
        if (args->json) {
            nlohmann::ordered_json segments = nlohmann::ordered_json::array();
            for (const TranscriptSegment& s : t.segments) {
                nlohmann::ordered_json j = transcript_segment_json(s);
                j.erase("id");  // not stored: no ids or runs
                j.erase("run");
                segments.push_back(std::move(j));
            }
            print_json({{"file", args->media},
                        {"has_audio", t.has_audio},
                        {"engine", t.engine},
                        {"audio_s", ms_round(t.audio_s)},
                        {"speech_s", ms_round(t.speech_s)},
                        {"words", words},
                        {"segments", segments}});
        } else {
            std::printf("%s: %.1f s of audio, %.1f s of speech, %zu segment%s, %zu words%s%s\n", args->media.c_str(),
                        t.audio_s, t.speech_s, t.segments.size(), t.segments.size() == 1 ? "" : "s", words, t.engine.empty() ? "" : " (",
                        t.engine.empty() ? "" : (t.engine + ")").c_str());
            for (const TranscriptSegment& s : t.segments) {
                std::printf("%9.3f - %9.3f  %s\n", s.start_s, s.end_s, s.text.c_str());
                std::string line = "     ";
                for (const TranscriptWord& w : s.words) {
                    char buf[160];
                    std::snprintf(buf, sizeof buf, " %s@%.2f-%.2f(%.2f)", w.word.c_str(), w.start_s, w.end_s,
                                  w.confidence);
                    if (line.size() + std::strlen(buf) > 118) {
                        std::printf("%s\n", line.c_str());
                        line = "     ";
                    }
                    line += buf;
                }
                std::printf("%s\n", line.c_str());
            }
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
