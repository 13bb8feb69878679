#pragma once
// Where people speak: Silero VAD v5 (models/silero_vad) over a title's audio, streamed in 32 ms chunks (512
// samples at 16 kHz, with 64 samples of context and the LSTM state carried from chunk to chunk), and speech
// segments from the per-chunk probabilities as silero-vad's own get_speech_timestamps makes them: speech starts at
// a chunk >= threshold (0.5), a candidate end at the first chunk < end_threshold (0.35) becomes the end once
// min_silence_ms (100) passed without speech, segments shorter than min_speech_ms (250) are dropped, and each is
// padded by speech_pad_ms (30; half the gap when two segments are closer than twice that). Not done: silero's
// max_speech_duration_s splitting (its default is infinite).
//
// Memory of what came before: Silero's LSTM carries a stream's whole past, and after music it stays in a "music"
// state through what follows: on a composed clip (8 s of music, 3 s of digital silence, jfk.wav) it found jfk's
// speech 6 s late, and speech straight after a second of music was missed for most of 10 s, while the same speech
// alone, or after a fresh state, is found from its first 0.3 s. Clamping the cell state did not help; leaking it
// made music read as speech; resetting it in long non-speech missed speech straight after music. So each chunk runs
// twice, as a batch of two in one call (about the cost of one: the call, not the arithmetic, dominates): the carried
// stream as silero runs it, and a "fresh" stream whose state is zeroed every fresh_state_ms; a chunk's probability
// is the higher of the two (the carried one keeps weak phrases after a pause, the fresh one finds speech after
// music). Music and noise stay under: single chunks of the loops reach 0.6 in the fresh stream, never 250 ms.
// Torch-free.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <vector>

#include "core/models/compute_device.h"

namespace frameline {

struct SpeechSegment {
    double start_s = 0;  // on the title's clock (AudioDecoder's pts_s)
    double end_s = 0;
    double mean_probability = 0;  // over the chunks inside the segment (before padding)
};

struct VoiceActivityOptions {
    double threshold = 0.5;
    double end_threshold = 0.35;  // silero's neg_threshold (threshold - 0.15)
    int min_speech_ms = 250;
    int min_silence_ms = 100;
    int speech_pad_ms = 30;
    // The fresh stream's state is zeroed every this many ms (rounded to whole chunks; 1024 ms = 32 chunks);
    // 0: one stream only, exactly silero's streaming (and the 6 s miss after music).
    int fresh_state_ms = 1024;
};

struct VoiceActivityResult {
    std::vector<SpeechSegment> segments;
    std::vector<float> chunk_probabilities;  // chunk k covers [start_s + k * chunk_s, start_s + (k + 1) * chunk_s);
                                             // the higher of the carried and the fresh stream's
    double start_s = 0;
    double chunk_s = 0.032;
    int sample_rate = 16000;
    int64_t samples = 0;  // audio samples seen
    double duration_s() const;
    double speech_s() const;  // the segments' total length
};

// The segmentation on its own: probabilities of consecutive `chunk_samples`-sample chunks of a stream of
// `total_samples` samples at `sample_rate` that starts at `start_s`.
std::vector<SpeechSegment> speech_segments(const std::vector<float>& chunk_probabilities, int64_t total_samples,
                                           int sample_rate, int chunk_samples, double start_s,
                                           const VoiceActivityOptions& options = {});

class VoiceActivity {
public:
    // Loads "silero_vad" from the zoo; throws frameline::Error with what to do when it is not converted.
    explicit VoiceActivity(const ComputeDevice& device, VoiceActivityOptions options = {});
    ~VoiceActivity();
    VoiceActivity(VoiceActivity&&) noexcept;
    VoiceActivity& operator=(VoiceActivity&&) noexcept;

    int sample_rate() const;    // 16000
    int chunk_samples() const;  // 512

    // Streaming: begin() a stream (zero state) whose first sample is at `start_s`, push() mono samples at
    // sample_rate() in blocks of any size, finish() for the segments (the last partial chunk is zero-padded).
    void begin(double start_s = 0);
    void push(const float* samples, size_t count);
    VoiceActivityResult finish();

    // A whole file's best audio stream through AudioDecoder (throws frameline::Error / NoAudioStream as it does);
    // or samples already at sample_rate().
    VoiceActivityResult run(const std::filesystem::path& media, std::stop_token stop = {});
    VoiceActivityResult run(const std::vector<float>& samples, double start_s = 0);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
