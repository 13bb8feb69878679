#include "app/cli/soundtrack_ingest.h"

#include <chrono>
#include <cmath>
#include <exception>
#include <iostream>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/models/voice_activity.h"
#include "core/speech/transcribe.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

double ms_round(double s) { return std::round(s * 1000.0) / 1000.0; }

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

struct SoundtrackJob::State {
    // Written by the job's thread before it ends; read by save() after the join.
    bool has_audio = true;
    VoiceActivityResult speech;
    std::exception_ptr speech_error;
    std::optional<Transcript> transcript;
    std::string transcript_error;
    double transcribe_s = 0;
    double wall_s = 0;
    std::jthread thread;
};

SoundtrackJob::SoundtrackJob(VoiceActivity& vad, std::filesystem::path media, int threads, bool transcribe_speech)
    : state_(std::make_unique<State>()) {
    State* s = state_.get();
    s->thread = std::jthread([s, &vad, media = std::move(media), threads, transcribe_speech](std::stop_token stop) {
        const auto t0 = std::chrono::steady_clock::now();
        try {
            s->speech = vad.run(media, stop);
        } catch (const NoAudioStream&) {
            s->has_audio = false;
        } catch (...) {
            s->speech_error = std::current_exception();  // Cancelled included: save() is not called then
        }
        if (transcribe_speech && s->has_audio && !s->speech_error) {
            const auto t1 = std::chrono::steady_clock::now();
            try {
                s->transcript = transcribe(media, s->speech.segments, threads, stop);
            } catch (const Cancelled&) {
                s->transcript_error = "cancelled";
            } catch (const std::exception& e) {
                s->transcript_error = e.what();
            }
            s->transcribe_s = seconds_since(t1);
        }
        s->wall_s = seconds_since(t0);
    });
}

SoundtrackJob::~SoundtrackJob() = default;  // std::jthread: stop requested, then joined

nlohmann::ordered_json SoundtrackJob::save(Store& store, int64_t title_id) {
    state_->thread.join();
    const State& s = *state_;
    if (s.speech_error) std::rethrow_exception(s.speech_error);

    ModelRunOutput speech;
    speech.model = "speech";
    speech.model_version = "silero_vad";
    for (const SpeechSegment& seg : s.speech.segments)
        speech.audio_segments.push_back(AudioSegment{0, 0, "speech", seg.start_s, seg.end_s, seg.mean_probability});
    speech.detail = s.has_audio ? nlohmann::json{{"audio_s", s.speech.duration_s()}, {"speech_s", s.speech.speech_s()}}.dump()
                                : R"({"audio_s":0})";
    store.save_model_run(title_id, speech);

    nlohmann::ordered_json summary{{"speech_segments", speech.audio_segments.size()},
                                   {"speech_s", ms_round(s.has_audio ? s.speech.speech_s() : 0)},
                                   {"audio_s", ms_round(s.has_audio ? s.speech.duration_s() : 0)}};
    if (s.transcript || !s.has_audio) {
        ModelRunOutput transcript;
        transcript.model = "transcript";
        transcript.model_version = s.transcript ? s.transcript->engine : "none";
        size_t words = 0;
        if (s.transcript) {
            transcript.transcript = s.transcript->segments;
            for (const TranscriptSegment& seg : transcript.transcript) words += seg.words.size();
            transcript.detail = nlohmann::json{{"audio_s", s.transcript->audio_s},
                                               {"speech_s", s.transcript->speech_s},
                                               {"stretches", s.transcript->stretches},
                                               {"recognisers", s.transcript->threads},
                                               {"transcribe_s", s.transcribe_s}}
                                    .dump();
        } else {
            transcript.detail = R"({"audio_s":0})";
        }
        store.save_model_run(title_id, transcript);
        summary["transcript_segments"] = transcript.transcript.size();
        summary["words"] = words;
        summary["engine"] = transcript.model_version;
        summary["transcribe_s"] = ms_round(s.transcribe_s);
    } else if (!s.transcript_error.empty()) {
        std::cerr << "frameline-cli: warning: no transcript for title " << title_id << ": " << s.transcript_error
                  << std::endl;
        summary["error"] = s.transcript_error;
    }
    summary["wall_s"] = ms_round(s.wall_s);
    return summary;
}

}  // namespace frameline::cli
