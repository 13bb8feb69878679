#include "core/analysis/loudness.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace frameline {

namespace {
double floored(double lufs) { return std::isfinite(lufs) ? std::max(lufs, kLoudnessFloorLufs) : kLoudnessFloorLufs; }

struct StateDeleter {
    void operator()(ebur128_state* st) const { ebur128_destroy(&st); }
};
using StatePtr = std::unique_ptr<ebur128_state, StateDeleter>;

StatePtr make_state(int sample_rate) {
    if (sample_rate < 16 || sample_rate > 2822400)
        throw Error("loudness: sample rate " + std::to_string(sample_rate) + " Hz is not usable (16 Hz .. 2.8 MHz)");
    // M: momentary, S: short-term (3 s window, implies M), I: gated integrated, LRA: loudness range (implies S).
    ebur128_state* st = ebur128_init(1, static_cast<unsigned long>(sample_rate),
                                     EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA);
    if (!st) throw Error("loudness: libebur128 could not start a meter at " + std::to_string(sample_rate) + " Hz");
    return StatePtr(st);
}
}  // namespace

struct LoudnessMeter::Impl {
    int rate = 0;
    size_t hop = 0;             // samples per reading (100 ms)
    StatePtr state;
    size_t total = 0;           // samples added
    size_t since_reading = 0;   // samples added since the last reading
    std::vector<double> momentary, short_term;

    // Loudness over the last `window_ms`, or over everything so far when that is shorter.
    double window(unsigned long window_ms) const {
        const unsigned long elapsed_ms = static_cast<unsigned long>(total * 1000 / size_t(rate));
        const unsigned long w = std::min(window_ms, elapsed_ms);
        if (w == 0) return -HUGE_VAL;
        double out = -HUGE_VAL;
        if (ebur128_loudness_window(state.get(), w, &out) != EBUR128_SUCCESS) return -HUGE_VAL;
        return out;
    }
    void read(std::vector<double>& m, std::vector<double>& s) const {
        m.push_back(floored(window(400)));
        s.push_back(floored(window(3000)));
    }
};

LoudnessMeter::LoudnessMeter(int sample_rate) : impl_(std::make_unique<Impl>()) {
    impl_->rate = sample_rate;
    impl_->hop = std::max<size_t>(1, size_t(sample_rate) / 10);
    impl_->state = make_state(sample_rate);
}
LoudnessMeter::~LoudnessMeter() = default;
LoudnessMeter::LoudnessMeter(LoudnessMeter&&) noexcept = default;
LoudnessMeter& LoudnessMeter::operator=(LoudnessMeter&&) noexcept = default;
int LoudnessMeter::sample_rate() const { return impl_->rate; }

void LoudnessMeter::reset() {
    impl_->state = make_state(impl_->rate);
    impl_->total = impl_->since_reading = 0;
    impl_->momentary.clear();
    impl_->short_term.clear();
}

void LoudnessMeter::add(const float* samples, size_t count) {
    Impl& d = *impl_;
    while (count > 0) {
        const size_t n = std::min(count, d.hop - d.since_reading);
        if (ebur128_add_frames_float(d.state.get(), samples, n) != EBUR128_SUCCESS)
            throw Error("loudness: libebur128 rejected " + std::to_string(n) + " samples");
        samples += n;
        count -= n;
        d.total += n;
        d.since_reading += n;
        if (d.since_reading == d.hop) {
            d.read(d.momentary, d.short_term);
            d.since_reading = 0;
        }
    }
}

LoudnessStats LoudnessMeter::stats() const {
    const Impl& d = *impl_;
    LoudnessStats s;
    s.duration_s = double(d.total) / d.rate;
    if (d.total == 0) return s;
    std::vector<double> m = d.momentary, st = d.short_term;
    if (d.since_reading > 0) d.read(m, st);  // the partial last 100 ms
    if (m.empty()) return s;

    double integrated = -HUGE_VAL;
    ebur128_loudness_global(d.state.get(), &integrated);
    // Under 400 ms there is no gating block yet: the loudness of all of it stands in.
    s.integrated_lufs = std::isfinite(integrated) ? floored(integrated) : floored(d.window(400));
    double lra = 0.0;
    if (ebur128_loudness_range(d.state.get(), &lra) == EBUR128_SUCCESS && std::isfinite(lra)) s.loudness_range_lu = lra;

    double sum = 0, sq = 0, max_m = kLoudnessFloorLufs;
    size_t silent = 0;
    for (double v : m) {
        sum += v;
        sq += v * v;
        max_m = std::max(max_m, v);
        if (v <= kLoudnessFloorLufs) ++silent;
    }
    const double n = double(m.size());
    s.readings = m.size();
    s.momentary_mean_lufs = sum / n;
    s.momentary_std_lu = std::sqrt(std::max(0.0, sq / n - (sum / n) * (sum / n)));
    s.momentary_max_lufs = max_m;
    s.silent_fraction = double(silent) / n;
    double st_sum = 0, st_max = kLoudnessFloorLufs;
    for (double v : st) {
        st_sum += v;
        st_max = std::max(st_max, v);
    }
    s.short_term_mean_lufs = st_sum / double(st.size());
    s.short_term_max_lufs = st_max;
    return s;
}

LoudnessStats measure_loudness(const std::vector<float>& samples, int sample_rate) {
    LoudnessMeter meter(sample_rate);
    meter.add(samples);
    return meter.stats();
}

}  // namespace frameline
