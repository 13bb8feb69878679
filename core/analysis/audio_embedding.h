#pragma once
// A fixed-size description of a stretch of audio (one shot): what it sounds like (log-mel spectrum statistics) and
// how loud (EBU R128 statistics). No model: cheap, deterministic, and meaningful for any audio (speech, music,
// effects, silence). Works on the 16 kHz mono float audio AudioDecoder gives.
//
// Layout (kAudioEmbeddingDims = 136 values, the whole vector L2-normalised; a dimension's meaning never changes):
//   [0, 64)    spectral shape: per mel band, mean log-mel (dB) minus the mean over bands, / 20 dB, / 8
//              (level-free: the same voice quieter has the same shape; loudness is said below)
//   [64, 128)  modulation: per mel band, standard deviation of log-mel (dB) over the shot's windows, / 10 dB, / 8
//              (speech and music fluctuate, hum and tones do not)
//   [128, 136) loudness (LoudnessStats), levels as height above the -70 LUFS floor ((L + 70) / 47: silence 0,
//              -23 LUFS 1): integrated, momentary mean, momentary std / 10 LU, momentary max, short-term mean,
//              short-term max, LRA / 20 LU, silent fraction; the block x 0.5 / sqrt(8).
// The / 8 (= sqrt(64)) and / sqrt(8) make each block's length the RMS of its values; the loudness block then gets
// half the weight of a spectral block. Measured on tone, noise, silence, speech and music
// (tests/core/analysis/tst_audio_embedding.cpp prints the numbers): with levels as signed offsets from -23 LUFS
// at full weight, quiet pink noise came out at cosine distance 0.04 from silence and a 20 dB level change moved
// noise farther (1.73) than turning it into a tone; now silence is orthogonal to any sound (distance 1.00), a
// 20 dB change of the same noise is 0.03, speech vs music 0.09-0.34 against 0.003-0.03 for halves of one file.

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "core/analysis/loudness.h"

namespace frameline {

struct LogMelOptions {
    int sample_rate = 16000;
    int bands = 64;
    int window_samples = 400;  // 25 ms at 16 kHz (Hann)
    int hop_samples = 160;     // 10 ms
    int fft_size = 512;        // a power of two >= window_samples
    double min_hz = 125.0;     // AudioSet/VGGish's band edges: below 125 Hz is mostly hum and rumble
    double max_hz = 7500.0;
    double floor_power = 1e-8; // about 16-bit quantisation noise per band: quieter is "nothing" (-80 dB)
};

inline constexpr int kAudioEmbeddingDims = 136;

// Triangular mel (HTK scale) filters over a Hann-windowed power spectrum, in dB.
class LogMelFilterbank {
public:
    explicit LogMelFilterbank(LogMelOptions options = {});
    ~LogMelFilterbank();
    LogMelFilterbank(LogMelFilterbank&&) noexcept;
    LogMelFilterbank& operator=(LogMelFilterbank&&) noexcept;

    const LogMelOptions& options() const;
    // One window of options().window_samples samples -> options().bands values in dB (10 log10 power).
    void compute(const float* window, float* out_db) const;
    // Centre frequency of band b in Hz.
    double centre_hz(int band) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The embedding of one shot, fed block by block (any block sizes). Windows do not straddle add() calls: samples
// are buffered until a window is full.
class AudioEmbedder {
public:
    explicit AudioEmbedder(LogMelOptions options = {});
    ~AudioEmbedder();
    AudioEmbedder(AudioEmbedder&&) noexcept;
    AudioEmbedder& operator=(AudioEmbedder&&) noexcept;

    void add(const float* samples, size_t count);
    void add(const std::vector<float>& samples) { add(samples.data(), samples.size()); }
    size_t samples() const;
    // The embedding of everything added since the last finish() (kAudioEmbeddingDims values, L2 norm 1), or an empty
    // vector when nothing was added. Resets for the next shot.
    std::vector<float> finish();
    // The raw statistics behind the last finish(), for reports and tests.
    const std::vector<float>& last_mel_mean_db() const;
    const std::vector<float>& last_mel_std_db() const;
    const LoudnessStats& last_loudness() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

std::vector<float> audio_embedding(const std::vector<float>& samples, LogMelOptions options = {});

// Euclidean lengths of the three blocks of an embedding: spectral shape, modulation, loudness.
std::array<double, 3> audio_embedding_block_norms(const std::vector<float>& embedding);

}  // namespace frameline
