#include "core/analysis/tempo.h"

#include <aubio/aubio.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"

namespace frameline {

namespace {
constexpr unsigned kWindow = 1024;  // onset detection FFT (64 ms at 16 kHz)
constexpr unsigned kHop = 128;      // 8 ms at 16 kHz: the beat period's resolution (see tempo.h)
constexpr double kConsistent = 0.08;  // intervals within +-8 % of the median count
// aubio keeps beating at its last period where there is nothing to beat to: through silence (its own silence gate
// only zeroes the beat output, not the position aubio_tempo_get_last reports) and through a held tone. So a beat
// counts only when an onset lies within +-kGateS of it: a hop whose pre-emphasised energy (x[n] - 0.97 x[n-1],
// weighted to high frequencies like aubio's HFC onsets) rises kOnsetRiseDb over the quietest of the kOnsetHistory
// hops before it, energies floored at kFloorDb (digital silence, quiet room tone).
constexpr double kGateS = 0.1;
constexpr double kOnsetRiseDb = 6.0;
constexpr double kFloorDb = -60.0;
constexpr int kOnsetHistory = 4;  // 32 ms at 16 kHz
}  // namespace

struct TempoTracker::Impl {
    int rate = 0;
    aubio_tempo_t* tempo = nullptr;
    fvec_t* in = nullptr;
    fvec_t* out = nullptr;
    unsigned filled = 0;  // samples in `in`
    bool started = false;
    double t0 = 0;
    unsigned last_beat = 0;  // aubio_tempo_get_last() of the last beat taken
    uint64_t hops = 0;
    float prev_sample = 0;
    double history_db[kOnsetHistory] = {kFloorDb, kFloorDb, kFloorDb, kFloorDb};
    double last_onset_s = -1e9;  // start of the last onset hop
    double pending_s = -1;       // a beat with no onset yet, kept if one comes within kGateS
    std::vector<double> beats;

    explicit Impl(int sr) : rate(sr) {
        if (sr < 8000) throw Error("tempo: sample rate " + std::to_string(sr) + " Hz is under 8000 Hz; resample first");
        tempo = new_aubio_tempo("default", kWindow, kHop, unsigned(sr));
        in = new_fvec(kHop);
        out = new_fvec(2);
        if (!tempo || !in || !out) {
            release();
            throw Error("tempo: aubio could not create its beat tracker (" + std::to_string(sr) + " Hz); out of memory?");
        }
        last_beat = aubio_tempo_get_last(tempo);  // its delay, not a beat
    }
    ~Impl() { release(); }
    void release() {
        if (tempo) del_aubio_tempo(tempo);
        if (in) del_fvec(in);
        if (out) del_fvec(out);
        tempo = nullptr;
        in = out = nullptr;
    }

    void add(const float* s, size_t count, double pts_s) {
        if (count == 0) return;
        if (!started) {
            started = true;
            t0 = pts_s;
        }
        for (size_t i = 0; i < count; ++i) {
            // smpl_t is float in Debian's build; a NaN from a broken decoder must not poison the tracker
            const float v = s[i];
            in->data[filled++] = std::isfinite(v) ? v : 0.0f;
            if (filled < kHop) continue;
            filled = 0;
            aubio_tempo_do(tempo, in, out);
            const double hop_start_s = t0 + double(hops * kHop) / rate;
            ++hops;
            double power = 0;
            for (unsigned k = 0; k < kHop; ++k) {
                const double e = double(in->data[k]) - 0.97 * prev_sample;
                prev_sample = in->data[k];
                power += e * e;
            }
            const double db = std::max(kFloorDb, 10.0 * std::log10(power / kHop + 1e-30));
            const bool onset = db - *std::min_element(std::begin(history_db), std::end(history_db)) >= kOnsetRiseDb;
            std::copy(std::begin(history_db) + 1, std::end(history_db), std::begin(history_db));
            history_db[kOnsetHistory - 1] = db;
            if (onset) {
                last_onset_s = hop_start_s;
                if (pending_s >= 0 && hop_start_s - pending_s <= kGateS) beats.push_back(pending_s);
                pending_s = -1;
            } else if (pending_s >= 0 && hop_start_s - pending_s > kGateS) {
                pending_s = -1;  // nothing to beat to near it
            }
            // A beat sets out[0] to its fraction into this hop, which may be exactly 0: watch the last beat's
            // position instead.
            const unsigned last = aubio_tempo_get_last(tempo);
            if (last != last_beat) {
                last_beat = last;
                const double beat_s = t0 + double(last) / rate;
                if (beat_s - last_onset_s <= kGateS) beats.push_back(beat_s);
                else pending_s = beat_s;
            }
        }
    }
};

TempoTracker::TempoTracker(int sample_rate) : impl_(std::make_unique<Impl>(sample_rate)) {}
TempoTracker::~TempoTracker() = default;
TempoTracker::TempoTracker(TempoTracker&&) noexcept = default;
TempoTracker& TempoTracker::operator=(TempoTracker&&) noexcept = default;
void TempoTracker::add(const float* samples, size_t count, double pts_s) { impl_->add(samples, count, pts_s); }
const std::vector<double>& TempoTracker::beats_s() const { return impl_->beats; }
double TempoTracker::last_bpm() const { return impl_->beats.empty() ? 0.0 : double(aubio_tempo_get_bpm(impl_->tempo)); }

double bpm_in(const std::vector<double>& beats_s, double start_s, double end_s) {
    const auto lo = std::lower_bound(beats_s.begin(), beats_s.end(), start_s);
    const auto hi = std::lower_bound(lo, beats_s.end(), end_s);
    if (hi - lo < kMinBeats) return 0.0;
    std::vector<double> ibi;
    for (auto it = lo + 1; it != hi; ++it) ibi.push_back(*it - *(it - 1));
    std::vector<double> sorted = ibi;
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    if (median <= 0) return 0.0;
    double sum = 0;
    int n = 0;
    for (double d : ibi)
        if (std::abs(d - median) <= kConsistent * median) {
            sum += d;
            ++n;
        }
    return n > 0 ? 60.0 * n / sum : 0.0;
}

double measure_bpm(const float* samples, size_t count, int sample_rate) {
    TempoTracker t(sample_rate);
    t.add(samples, count, 0.0);
    return bpm_in(t.beats_s(), 0.0, double(count) / sample_rate + 1.0);
}

struct StretchTempo::Impl {
    int rate;
    std::vector<std::pair<double, double>> stretches;
    std::vector<double> bpm;
    size_t next = 0;  // the stretch being measured or the next one
    std::optional<TempoTracker> tracker;
    bool started = false;
    double t0 = 0;
    int64_t n = 0;  // samples seen

    void close_current() {
        if (tracker) bpm[next] = bpm_in(tracker->beats_s(), stretches[next].first, stretches[next].second);
        tracker.reset();
        ++next;
    }

    void add(const float* s, size_t count, double pts_s) {
        if (count == 0) return;
        if (!started) {
            started = true;
            t0 = pts_s;
        }
        size_t i = 0;
        while (i < count && next < stretches.size()) {
            const double t = t0 + double(n + int64_t(i)) / rate;
            const auto [a, b] = stretches[next];
            if (t >= b) {
                close_current();
                continue;
            }
            // samples up to the stretch's start are skipped; inside it they go to its tracker
            const int64_t until = int64_t(std::ceil(((t < a ? a : b) - t0) * rate - 1e-9)) - n;
            const size_t take = size_t(std::clamp<int64_t>(until - int64_t(i), 1, int64_t(count - i)));
            if (t >= a) {
                if (!tracker) tracker.emplace(rate);
                tracker->add(s + i, take, t);
            }
            i += take;
        }
        n += int64_t(count);
        if (next < stretches.size() && t0 + double(n) / rate >= stretches[next].second) close_current();
    }
};

StretchTempo::StretchTempo(int sample_rate, std::vector<std::pair<double, double>> stretches)
    : impl_(std::make_unique<Impl>()) {
    if (sample_rate < 8000) throw Error("tempo: sample rate " + std::to_string(sample_rate) + " Hz is under 8000 Hz; resample first");
    impl_->rate = sample_rate;
    impl_->stretches = std::move(stretches);
    impl_->bpm.assign(impl_->stretches.size(), 0.0);
}
StretchTempo::~StretchTempo() = default;
StretchTempo::StretchTempo(StretchTempo&&) noexcept = default;
StretchTempo& StretchTempo::operator=(StretchTempo&&) noexcept = default;
void StretchTempo::add(const float* samples, size_t count, double pts_s) { impl_->add(samples, count, pts_s); }
bool StretchTempo::done() const { return impl_->next >= impl_->stretches.size(); }
std::vector<double> StretchTempo::bpm() const {
    std::vector<double> out = impl_->bpm;
    // the stretch the stream ended in: measured from what came
    if (impl_->tracker && impl_->next < out.size())
        out[impl_->next] = bpm_in(impl_->tracker->beats_s(), impl_->stretches[impl_->next].first, impl_->stretches[impl_->next].second);
    return out;
}

}  // namespace frameline
