#pragma once
// What a title's soundtrack is made of, per shot: the share of speech, music, silence and other sound, and how loud
// (EBU R128, through loudness.h). Speech comes from the voice-activity model's segments (TitleFacts::audio_segments);
// the rest is measured here from the decoded audio (16 kHz mono, AudioDecoder), because the model zoo has no
// audio-event classifier.
//
// The heuristic, and its limits (read before trusting a "music" tag):
//   The soundtrack is cut into 0.5 s units on the decoder's timeline. Each unit is, in this order:
//     speech   if voice-activity segments cover at least half of it (the model is trusted over everything below);
//     silence  if its loudness (BS.1770 momentary, gated to the unit) is under kSilenceLufs;
//     music    if it is tonal (the share of 80-5000 Hz energy in narrow spectral peaks, 10 dB over their
//              neighbourhood, that have held the same frequency for 256 ms: notes hold their pitch, noise has no
//              peaks, speech's harmonics glide; averaged over the unit +-1 s) at or over kMusicTonality, or rhythmic
//              (the onset envelope, i.e. positive spectral flux every 32 ms minus its 0.5 s moving average,
//              autocorrelates at a beat lag of 0.25-1.5 s over a 6 s context: centred on the unit, but slid away
//              from, and cut at, the speech and the silent units next to it, which are decided first) at or over
//              kMusicRhythm;
//     other    anything else that is audible (effects, ambience, noise).
//   Limits: music under dialogue counts as speech (no source separation); a sustained hum, a siren or an engine's
//   whine is tonal and reads as music; ambient pads without clear partials and rubato solo instruments may read as
//   other; a machine's regular clatter can read as rhythmic; the first and last 2.25 s of a soundtrack have too
//   little context for rhythm. Measured (the VAD NOT used, i.e. the worst case for speech), unit values:
//     sine 440 Hz          tonality 0.85-1.00, rhythm 0             -> music 100 %
//     loop_garzul, amen    tonality 0.00-0.03, rhythm 0.51-0.74     -> music 100 %
//     jfk.wav, 5 librivox  tonality 0.00-0.27, rhythm 0.14-0.38     -> music 0 % (0.09 silence in one)
//     pink, brown noise    tonality 0.00,      rhythm 0.14-0.38     -> other 100 %
//   so the margins are real but not wide (speech's rhythm 0.38 and tonality 0.27 vs thresholds 0.45 and 0.35):
//   the VAD is what keeps speech from reading as music. Without the detrending a change of sound (noise after a
//   tone) read as rhythm 0.45. tests/core/analysis/tst_tags.cpp checks these files.
//   Precision and recall per class on the test media and on a clip composed of them with known boundaries:
//   bench/bench_audio_lanes (numbers in bench/README.md): speech P 1.00 R 0.82 (the VAD's; pauses inside speech
//   read other), music P 1.00 R 0.96, silence P 0.75 R 1.00. Rhythmic music right before speech ends within one
//   unit of it (it lost 2.4 s while the rhythm context straddled the speech); after a tone it still starts up to
//   2 s late (the context straddles the tone, which is not decided before rhythm); next to silence, and tonal
//   music, are exact.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/analysis/loudness.h"
#include "core/sampling/shot.h"
#include "core/store/annotation_records.h"

namespace frameline {

inline constexpr double kAudioUnitS = 0.5;
inline constexpr double kSilenceLufs = -50.0;   // well under quiet room tone in a mix normalised to -23/-27 LUFS
inline constexpr double kMusicTonality = 0.35;  // share of a unit's energy in sustained narrow spectral peaks
inline constexpr double kMusicRhythm = 0.45;    // peak normalised autocorrelation of the onset envelope

// One 0.5 s unit as measured and classified.
struct AudioUnit {
    double start_s = 0;
    double end_s = 0;
    double lufs = kLoudnessFloorLufs;
    double speech = 0;    // share covered by voice-activity segments
    double tonality = 0;  // +-1 s context
    double rhythm = 0;    // 6 s context
    std::string kind;     // speech | silence | music | other
};

// Shares of a stretch of audio (a shot, the title), by duration; they sum to 1 when covered_s > 0.
struct AudioShares {
    double covered_s = 0;  // seconds of the stretch the audio covers
    double speech = 0, music = 0, silence = 0, other = 0;
    double tonality = 0, rhythm = 0;  // duration-weighted means of the units' values
    LoudnessStats loudness;           // of the stretch's samples
    bool has_audio() const { return covered_s > 0; }
    std::string dominant() const;     // the largest share's name ("" without audio)
};

struct TitleAudioCharacter {
    bool audio_stream = false;      // false: the file has no audio (every shot's shares are empty)
    std::vector<AudioShares> shots;  // in the order of the shots given
    AudioShares title;
    std::vector<AudioUnit> units;    // for evidence and tests
    // The music and silence lanes: each run of consecutive units of that kind as one segment (speech is the
    // voice-activity model's own segments, stored by its run). Music carries its tempo when
    // analyse_audio_character() made it (measure_music_tempo(); AudioCharacterAnalyser::finish() leaves bpm 0),
    // and confidence = the mean over its units of
    // min(1, max(tonality / kMusicTonality, rhythm / kMusicRhythm) / 2) (0.5: just at a threshold); silence
    // confidence = the mean of min(1, 0.5 + (kSilenceLufs - lufs) / 20).
    std::vector<AudioSegment> lanes;
};

// Streams audio and measures it; analyse_audio_character() drives it with a decoder. Exposed so tests can feed
// synthetic sound. Shots must not overlap; they may be given in any order.
class AudioCharacterAnalyser {
public:
    AudioCharacterAnalyser(int sample_rate, std::vector<Shot> shots, std::vector<AudioSegment> speech);
    ~AudioCharacterAnalyser();
    AudioCharacterAnalyser(AudioCharacterAnalyser&&) noexcept;
    AudioCharacterAnalyser& operator=(AudioCharacterAnalyser&&) noexcept;
    // Samples continue the timeline; the first call's pts_s is where it starts (later pts_s are ignored: the
    // decoder's timeline is continuous).
    void add(const float* samples, size_t count, double pts_s);
    TitleAudioCharacter finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Decodes `media` once (16 kHz mono, streamed: flat memory for any length) and measures every shot. A file without
// an audio stream gives audio_stream == false. Throws frameline::Error when the audio cannot be decoded at all,
// Cancelled when `stop` is requested.
TitleAudioCharacter analyse_audio_character(const std::filesystem::path& media, const std::vector<Shot>& shots,
                                            const std::vector<AudioSegment>& segments, std::stop_token stop = {});

// Sets the bpm of character.lanes' music segments (tempo.h: a fresh aubio tracker per lane), decoding `media`
// again up to the end of the last music lane. Called by analyse_audio_character(). Throws as it does.
void measure_music_tempo(TitleAudioCharacter& character, const std::filesystem::path& media, std::stop_token stop = {});

}  // namespace frameline
