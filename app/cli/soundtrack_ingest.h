#pragma once
// The soundtrack in frameline-cli's ingest and analyse (issue #8 items 1-2): voice activity (Silero) and the
// transcript of the speech (PocketSphinx, core/speech/transcribe.h), on a thread of their own that runs in parallel
// with the rest of the ingest (scan, on-screen text, frame models), and saved by the command's thread once those are
// done (one writer per database connection).
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace frameline {
class Store;
class VoiceActivity;
}  // namespace frameline

namespace frameline::cli {

class SoundtrackJob {
public:
    // Starts at once. `vad` must outlive the job and not be used elsewhere meanwhile; `threads`: recognisers
    // (0 = one per core); `transcribe` false: voice activity only.
    SoundtrackJob(VoiceActivity& vad, std::filesystem::path media, int threads, bool transcribe);
    ~SoundtrackJob();  // a job never saved is cancelled and joined
    SoundtrackJob(const SoundtrackJob&) = delete;
    SoundtrackJob& operator=(const SoundtrackJob&) = delete;

    // Waits for the job, then saves its "speech" run (voice-activity segments) and, when it transcribed, its
    // "transcript" run for `title_id`. A file without audio gets runs without segments, so that "no speech" is
    // known rather than "not analysed". A failure of the transcript (e.g. the recogniser's model is missing) is
    // a warning on stderr and an "error" in the summary; the speech run is saved all the same. Summary as JSON:
    // {"speech_segments","speech_s","audio_s","transcript_segments","words","engine","transcribe_s","wall_s"}.
    // Throws frameline::Error when voice activity itself failed (the file's audio cannot be read).
    nlohmann::ordered_json save(Store& store, int64_t title_id);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace frameline::cli
