#pragma once
// EBU R128 / ITU-R BS.1770 loudness of a stretch of audio (a shot, a title), measured with libebur128. libebur128
// lives only in loudness.cpp; this header speaks in plain numbers.
#include <cstddef>
#include <memory>
#include <vector>

namespace frameline {

// Loudness of nothing: BS.1770's absolute gate. Silence (libebur128's -inf) reads as this, so that statistics and
// embeddings stay finite.
inline constexpr double kLoudnessFloorLufs = -70.0;

struct LoudnessStats {
    double duration_s = 0.0;
    double integrated_lufs = kLoudnessFloorLufs;  // gated programme loudness (BS.1770-4)
    double loudness_range_lu = 0.0;               // EBU Tech 3342 LRA; 0 for less than 3 s (no short-term block yet)
    // Momentary (400 ms window) and short-term (3 s window) loudness read every 100 ms. Until a window is full it
    // covers the audio so far (a 1 s shot gets 1 s short-term readings, not 3 s with 2 s of made-up silence).
    double momentary_mean_lufs = kLoudnessFloorLufs;
    double momentary_std_lu = 0.0;
    double momentary_max_lufs = kLoudnessFloorLufs;
    double short_term_mean_lufs = kLoudnessFloorLufs;
    double short_term_max_lufs = kLoudnessFloorLufs;
    double silent_fraction = 1.0;  // share of momentary readings at or under the floor (-70 LUFS)
    size_t readings = 0;           // momentary readings taken
};

// Streams mono float samples (nominally -1..1) and measures them. One meter per shot; reset() reuses it.
class LoudnessMeter {
public:
    // Throws frameline::Error for a sample rate libebur128 cannot take (it needs >= 16 Hz...; any real rate works).
    explicit LoudnessMeter(int sample_rate);
    ~LoudnessMeter();
    LoudnessMeter(LoudnessMeter&&) noexcept;
    LoudnessMeter& operator=(LoudnessMeter&&) noexcept;

    void add(const float* samples, size_t count);
    void add(const std::vector<float>& samples) { add(samples.data(), samples.size()); }
    // The statistics of everything added since construction or reset(). A partial last 100 ms adds one reading.
    LoudnessStats stats() const;
    void reset();
    int sample_rate() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

LoudnessStats measure_loudness(const std::vector<float>& samples, int sample_rate);

}  // namespace frameline
