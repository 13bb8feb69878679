#pragma once
// A title's transcript from its audio: voice activity (Silero, core/models/voice_activity.h) finds the speech,
// neighbouring speech segments are joined into stretches of a sentence or so, each stretch is recognised with a
// little audio around it (a SpeechRecogniser, PocketSphinx by default) on several threads, and the result is the
// title's speech transcript with word times on the title's clock.
//
// Memory stays flat for any title length: the audio is decoded a second time (after voice activity) as a stream,
// and only the stretches waiting for a recogniser are held (a bounded queue). Cancellation by std::stop_token is
// checked between stretches (a stretch is at most max_unit_s of audio: a few seconds of work).
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "core/models/voice_activity.h"
#include "core/pipeline/progress.h"
#include "core/speech/speech_recogniser.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct TranscribeOptions {
    // Voice-activity segments whose gap is at most this are recognised together (the language model then sees
    // the whole phrase; PocketSphinx models the pause itself), as long as the stretch stays within max_unit_s.
    double merge_gap_s = 2.0;
    // Longer stretches are cut at their quietest point (10 ms frame energy over 150 ms) between max_unit_s / 2
    // and max_unit_s, so that each recognition stays a sentence-sized utterance.
    double max_unit_s = 20.0;
    // Audio given to the recogniser before and after each stretch (at most half the gap to the next one).
    double pad_s = 0.25;
    ProgressFn progress;           // stage "transcribe": done/total in milliseconds of speech; any thread
    RecogniserFactory recogniser;  // empty: PocketsphinxRecogniser with its defaults
};

struct Transcript {
    std::vector<TranscriptSegment> segments;  // by start_s; stretches where nothing was recognised are left out
    std::string engine;                       // the recogniser's name() (a model run's version)
    bool has_audio = true;                    // false: the file has no audio stream (then nothing else is set)
    double audio_s = 0;                       // audio decoded
    double speech_s = 0;                      // in the voice-activity segments
    int stretches = 0;                        // recognitions run
    int threads = 0;                          // recognisers used
};

// The whole file: voice activity with `vad`, then recognition on `threads` threads (0: one per core).
// Throws frameline::Error naming the file when it cannot be read, or the model folder when the recogniser's model
// is missing; Cancelled when `stop` is requested. A file without an audio stream gives has_audio = false.
Transcript transcribe(const std::filesystem::path& media, VoiceActivity& vad, int threads, std::stop_token stop = {},
                      const TranscribeOptions& options = {});

// With the speech segments already found (e.g. ingest's "speech" run): decodes the file's audio only once.
Transcript transcribe(const std::filesystem::path& media, const std::vector<SpeechSegment>& speech, int threads,
                      std::stop_token stop = {}, const TranscribeOptions& options = {});

// Samples already in memory: mono at the recogniser's rate (16 kHz for PocketSphinx), samples[0] at `start_s`.
Transcript transcribe_samples(std::span<const float> samples, int sample_rate, double start_s,
                              const std::vector<SpeechSegment>& speech, int threads, std::stop_token stop = {},
                              const TranscribeOptions& options = {});

// What is recognised, in title seconds: [start_s, end_s] is the speech, [audio_start_s, audio_end_s] the audio
// given to the recogniser (the speech with its padding).
struct SpeechStretch {
    double start_s = 0;
    double end_s = 0;
    double audio_start_s = 0;
    double audio_end_s = 0;
};

// The stretches for `speech` (sorted or not): joined across gaps <= merge_gap_s while they stay <= max_unit_s,
// padded by pad_s (at most half the gap to a neighbour), within [audio_start_s, audio_end_s].
std::vector<SpeechStretch> plan_stretches(std::vector<SpeechSegment> speech, const TranscribeOptions& options,
                                          double audio_start_s = 0,
                                          double audio_end_s = std::numeric_limits<double>::infinity());

// Where to cut `samples` (one stretch's audio) into pieces of at most max_piece_s: sample offsets of the cuts,
// each at the quietest point (mean energy of 10 ms frames over 150 ms) between max_piece_s / 2 and max_piece_s
// after the previous cut. Empty when the audio is not longer than max_piece_s.
std::vector<size_t> quiet_cut_points(std::span<const float> samples, int sample_rate, double max_piece_s);

}  // namespace frameline
