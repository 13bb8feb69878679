#pragma once
// Tempo (beats per minute) of music, with aubio's beat tracker (aubio_tempo, "default" = HFC onsets + its
// autocorrelation beat tracker). aubio is used only in tempo.cpp; this header speaks in seconds and BPM.
//
// How a BPM is made:
//   Each stretch to measure gets its own tracker (StretchTempo: each music lane afresh; the analysis feeds 16 kHz
//   mono) with a 1024-sample window and a 128-sample hop (8 ms at 16 kHz; with aubio's default 512-sample hop its
//   beat period is coarser: 120 BPM read 122, 140 read 143.4). It reports beat times; a beat counts only with an
//   onset within +-0.1 s of it (a 6 dB rise of high-passed energy over the 32 ms before it: aubio keeps beating at
//   its last period through silence and through a held tone). The BPM (bpm_in) comes from the beats: the median
//   inter-beat interval, then the mean of the intervals within +-8 % of that median (drops a missed or doubled
//   beat), BPM = 60 / mean. Fewer than kMinBeats beats: 0 (no tempo).
//   aubio's own running estimate reads about 1 % fast (120 -> 121.05, 140 -> 141.5); the beats themselves do not.
//   Measured (tests/core/analysis/tst_tempo.cpp): click tracks at 90, 100, 120, 140 BPM read 90.05, 100.12,
//   120.10, 140.29; clicks at 120, 6 s of a 440 Hz tone, clicks at 90 as three stretches: 120.23, none, 90.11;
//   the amen loop (4 bars of 4 beats in 6.857 s = 140 BPM) 140.81 in one pass, 140.42 looped 3 times; loop_garzul
//   (16 beats in 8 s = 120 BPM) 120.57 and 120.45. bench/bench_audio_lanes prints the BPM of the music lanes of a
//   composed clip (bench/README.md).
//   Limits: aubio prefers tempi near 120 (a Rayleigh prior over the beat period), so a 60 BPM pulse can read 120
//   and a 180 BPM one 90 (octave errors: the number is a tempo, not the metre); it needs about 2 s to lock, so a
//   music stretch under ~3 s has no tempo; rubato or beatless music (pads, a held tone) has no onsets and reads 0,
//   and so may legato music without percussion; a tempo from few, irregular beats is dropped only when under
//   kMinBeats remain after the +-8 % rule.
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace frameline {

inline constexpr int kMinBeats = 4;  // at least 3 intervals

class TempoTracker {
public:
    // Throws frameline::Error for a sample rate under 8000 Hz.
    explicit TempoTracker(int sample_rate);
    ~TempoTracker();
    TempoTracker(TempoTracker&&) noexcept;
    TempoTracker& operator=(TempoTracker&&) noexcept;
    TempoTracker(const TempoTracker&) = delete;
    TempoTracker& operator=(const TempoTracker&) = delete;

    // Mono samples continuing the timeline; the first call's pts_s is where it starts (later ones are ignored: the
    // decoder's timeline is continuous).
    void add(const float* samples, size_t count, double pts_s);
    // Beat times in seconds on the timeline of add(), ascending.
    const std::vector<double>& beats_s() const;
    // aubio's own running estimate after the last sample (0 before it found a beat period).
    double last_bpm() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// BPM of the stretch [start_s, end_s) from the beats inside it (see above); 0 when there are under kMinBeats.
double bpm_in(const std::vector<double>& beats_s, double start_s, double end_s);

// The tempo of several stretches of one stream (the music lanes of a soundtrack), each from its own tracker that
// starts fresh at the stretch: one tracker over a whole soundtrack follows a change of music about 8 s late (its
// period is re-estimated over its last 8 s of onsets), so a short stretch of music after other music or speech read
// the earlier tempo (amen after a tone: 113 instead of 140 BPM). Samples outside the stretches are skipped.
class StretchTempo {
public:
    // stretches: [start_s, end_s) on the stream's timeline, sorted and not overlapping.
    StretchTempo(int sample_rate, std::vector<std::pair<double, double>> stretches);
    ~StretchTempo();
    StretchTempo(StretchTempo&&) noexcept;
    StretchTempo& operator=(StretchTempo&&) noexcept;
    // Mono samples continuing the timeline (the first call's pts_s is where it starts).
    void add(const float* samples, size_t count, double pts_s);
    bool done() const;               // the last stretch is over: the rest of the stream is not needed
    std::vector<double> bpm() const;  // per stretch, in order; 0: no tempo (or not reached)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One buffer at once: BPM of all of it (0: no tempo).
double measure_bpm(const float* samples, size_t count, int sample_rate);

}  // namespace frameline
