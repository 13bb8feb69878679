#include "core/analysis/audio_embedding.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.h"

namespace frameline {

namespace {
constexpr double kLoudnessWeight = 0.5;
double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

// Iterative radix-2 complex FFT of a fixed size, in place.
class Fft {
public:
    explicit Fft(int n) : n_(n), rev_(size_t(n)), cos_(size_t(n / 2)), sin_(size_t(n / 2)) {
        int bits = 0;
        while ((1 << bits) < n) ++bits;
        for (int i = 0; i < n; ++i) {
            int r = 0;
            for (int b = 0; b < bits; ++b)
                if (i & (1 << b)) r |= 1 << (bits - 1 - b);
            rev_[size_t(i)] = r;
        }
        for (int k = 0; k < n / 2; ++k) {
            cos_[size_t(k)] = float(std::cos(2.0 * std::numbers::pi * k / n));
            sin_[size_t(k)] = float(-std::sin(2.0 * std::numbers::pi * k / n));
        }
    }
    void run(float* re, float* im) const {
        for (int i = 0; i < n_; ++i) {
            const int j = rev_[size_t(i)];
            if (j > i) {
                std::swap(re[i], re[j]);
                std::swap(im[i], im[j]);
            }
        }
        for (int len = 2; len <= n_; len <<= 1) {
            const int half = len / 2, step = n_ / len;
            for (int start = 0; start < n_; start += len)
                for (int k = 0; k < half; ++k) {
                    const float wr = cos_[size_t(k * step)], wi = sin_[size_t(k * step)];
                    const int a = start + k, b = a + half;
                    const float tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
        }
    }

private:
    int n_;
    std::vector<int> rev_;
    std::vector<float> cos_, sin_;
};

struct MelBand {
    int first_bin = 0;
    std::vector<float> weights;  // for bins first_bin, first_bin + 1, ...
};
}  // namespace

struct LogMelFilterbank::Impl {
    LogMelOptions options;
    Fft fft;
    std::vector<float> window;  // periodic Hann
    std::vector<MelBand> bands;
    std::vector<double> centres_hz;
    mutable std::vector<float> re, im;
    explicit Impl(const LogMelOptions& o) : options(o), fft(o.fft_size) {}
};

LogMelFilterbank::LogMelFilterbank(LogMelOptions o) {
    if (o.sample_rate <= 0 || o.bands <= 0 || o.window_samples <= 0 || o.hop_samples <= 0 ||
        o.fft_size < o.window_samples || (o.fft_size & (o.fft_size - 1)) != 0 || o.min_hz < 0 ||
        o.max_hz <= o.min_hz || o.max_hz > o.sample_rate / 2.0 || o.floor_power <= 0)
        throw Error("log-mel: unusable options (" + std::to_string(o.bands) + " bands, window " +
                    std::to_string(o.window_samples) + ", fft " + std::to_string(o.fft_size) + ", " +
                    std::to_string(o.min_hz) + ".." + std::to_string(o.max_hz) + " Hz at " +
                    std::to_string(o.sample_rate) + " Hz)");
    impl_ = std::make_unique<Impl>(o);
    Impl& d = *impl_;
    d.window.resize(size_t(o.window_samples));
    for (int i = 0; i < o.window_samples; ++i)
        d.window[size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / o.window_samples));
    d.re.resize(size_t(o.fft_size));
    d.im.resize(size_t(o.fft_size));
    const int bins = o.fft_size / 2 + 1;
    const double lo = hz_to_mel(o.min_hz), hi = hz_to_mel(o.max_hz);
    for (int b = 0; b < o.bands; ++b) {
        const double left = mel_to_hz(lo + (hi - lo) * b / (o.bands + 1));
        const double centre = mel_to_hz(lo + (hi - lo) * (b + 1) / (o.bands + 1));
        const double right = mel_to_hz(lo + (hi - lo) * (b + 2) / (o.bands + 1));
        MelBand band;
        band.first_bin = -1;
        for (int k = 0; k < bins; ++k) {
            const double f = double(k) * o.sample_rate / o.fft_size;
            const double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
            if (w <= 0) {
                if (band.first_bin >= 0) break;
                continue;
            }
            if (band.first_bin < 0) band.first_bin = k;
            band.weights.push_back(float(w));
        }
        if (band.first_bin < 0) {  // narrower than a bin (low bands with a short FFT): the nearest bin
            band.first_bin = std::clamp(int(std::lround(centre * o.fft_size / o.sample_rate)), 0, bins - 1);
            band.weights = {1.0f};
        }
        d.bands.push_back(std::move(band));
        d.centres_hz.push_back(centre);
    }
}
LogMelFilterbank::~LogMelFilterbank() = default;
LogMelFilterbank::LogMelFilterbank(LogMelFilterbank&&) noexcept = default;
LogMelFilterbank& LogMelFilterbank::operator=(LogMelFilterbank&&) noexcept = default;
const LogMelOptions& LogMelFilterbank::options() const { return impl_->options; }
double LogMelFilterbank::centre_hz(int band) const { return impl_->centres_hz.at(size_t(band)); }

void LogMelFilterbank::compute(const float* samples, float* out_db) const {
    const Impl& d = *impl_;
    const int n = d.options.fft_size, w = d.options.window_samples;
    for (int i = 0; i < n; ++i) {
        d.re[size_t(i)] = i < w ? samples[i] * d.window[size_t(i)] : 0.0f;
        d.im[size_t(i)] = 0.0f;
    }
    d.fft.run(d.re.data(), d.im.data());
    for (size_t b = 0; b < d.bands.size(); ++b) {
        const MelBand& band = d.bands[b];
        double p = 0;
        for (size_t j = 0; j < band.weights.size(); ++j) {
            const size_t k = size_t(band.first_bin) + j;
            p += double(band.weights[j]) * (double(d.re[k]) * d.re[k] + double(d.im[k]) * d.im[k]);
        }
        out_db[b] = float(10.0 * std::log10(std::max(p, d.options.floor_power)));
    }
}

// ---------------------------------------------------------------------------------------------------------------

struct AudioEmbedder::Impl {
    LogMelFilterbank mel;
    LoudnessMeter meter;
    std::vector<float> pending;  // samples not yet consumed by a full window, from `offset`
    size_t offset = 0;
    size_t total = 0;
    size_t windows = 0;
    std::vector<double> sum, sum_sq;
    std::vector<float> frame_db;
    std::vector<float> last_mean, last_std;
    LoudnessStats last_loudness;

    explicit Impl(const LogMelOptions& o) : mel(o), meter(o.sample_rate) { clear(); }
    void clear() {
        const size_t bands = size_t(mel.options().bands);
        pending.clear();
        offset = total = windows = 0;
        sum.assign(bands, 0.0);
        sum_sq.assign(bands, 0.0);
        frame_db.assign(bands, 0.0f);
        meter.reset();
    }
    void window(const float* w) {
        mel.compute(w, frame_db.data());
        for (size_t b = 0; b < frame_db.size(); ++b) {
            sum[b] += frame_db[b];
            sum_sq[b] += double(frame_db[b]) * frame_db[b];
        }
        ++windows;
    }
};

AudioEmbedder::AudioEmbedder(LogMelOptions options) : impl_(std::make_unique<Impl>(options)) {
    if (options.bands != 64) throw Error("audio embedding: the layout needs 64 mel bands, got " + std::to_string(options.bands));
}
AudioEmbedder::~AudioEmbedder() = default;
AudioEmbedder::AudioEmbedder(AudioEmbedder&&) noexcept = default;
AudioEmbedder& AudioEmbedder::operator=(AudioEmbedder&&) noexcept = default;
size_t AudioEmbedder::samples() const { return impl_->total; }
const std::vector<float>& AudioEmbedder::last_mel_mean_db() const { return impl_->last_mean; }
const std::vector<float>& AudioEmbedder::last_mel_std_db() const { return impl_->last_std; }
const LoudnessStats& AudioEmbedder::last_loudness() const { return impl_->last_loudness; }

void AudioEmbedder::add(const float* samples, size_t count) {
    Impl& d = *impl_;
    if (count == 0) return;
    d.meter.add(samples, count);
    d.total += count;
    d.pending.insert(d.pending.end(), samples, samples + count);
    const size_t win = size_t(d.mel.options().window_samples), hop = size_t(d.mel.options().hop_samples);
    while (d.pending.size() - d.offset >= win) {
        d.window(d.pending.data() + d.offset);
        d.offset += hop;
    }
    if (d.offset > 0 && d.offset >= d.pending.size() / 2) {  // compact now and then, not per window
        const size_t keep_from = std::min(d.offset, d.pending.size());
        d.pending.erase(d.pending.begin(), d.pending.begin() + std::ptrdiff_t(keep_from));
        d.offset -= keep_from;
    }
}

std::vector<float> AudioEmbedder::finish() {
    Impl& d = *impl_;
    if (d.total == 0) {
        d.clear();
        return {};
    }
    if (d.windows == 0) {  // shorter than one window (25 ms): the samples zero-padded to one
        std::vector<float> w(size_t(d.mel.options().window_samples), 0.0f);
        std::copy(d.pending.begin() + std::ptrdiff_t(d.offset), d.pending.end(), w.begin());
        d.window(w.data());
    }
    const size_t bands = d.sum.size();
    const double n = double(d.windows);
    d.last_mean.assign(bands, 0.0f);
    d.last_std.assign(bands, 0.0f);
    double level = 0;
    for (size_t b = 0; b < bands; ++b) {
        const double mean = d.sum[b] / n;
        d.last_mean[b] = float(mean);
        d.last_std[b] = float(std::sqrt(std::max(0.0, d.sum_sq[b] / n - mean * mean)));
        level += mean;
    }
    level /= double(bands);
    d.last_loudness = d.meter.stats();
    const LoudnessStats& l = d.last_loudness;

    std::vector<float> e(size_t(kAudioEmbeddingDims), 0.0f);
    const double block = std::sqrt(double(bands));
    for (size_t b = 0; b < bands; ++b) {
        e[b] = float((d.last_mean[b] - level) / 20.0 / block);
        e[bands + b] = float(d.last_std[b] / 10.0 / block);
    }
    // Levels as height above the floor (-70 LUFS: 0, -23 LUFS: 1): silence leaves only the silent fraction, so it is
    // orthogonal to any sound, and a level change turns the vector a little instead of flipping signs.
    auto above_floor = [](double lufs) { return (lufs - kLoudnessFloorLufs) / (-23.0 - kLoudnessFloorLufs); };
    const double loud[8] = {above_floor(l.integrated_lufs),      above_floor(l.momentary_mean_lufs),
                            l.momentary_std_lu / 10,             above_floor(l.momentary_max_lufs),
                            above_floor(l.short_term_mean_lufs), above_floor(l.short_term_max_lufs),
                            l.loudness_range_lu / 20,            l.silent_fraction};
    for (size_t i = 0; i < 8; ++i) e[2 * bands + i] = float(kLoudnessWeight * loud[i] / std::sqrt(8.0));
    double norm = 0;
    for (float v : e) norm += double(v) * v;
    norm = std::sqrt(norm);
    if (norm > 0)
        for (float& v : e) v = float(v / norm);
    d.clear();
    return e;
}

std::vector<float> audio_embedding(const std::vector<float>& samples, LogMelOptions options) {
    AudioEmbedder embedder(options);
    embedder.add(samples);
    return embedder.finish();
}

std::array<double, 3> audio_embedding_block_norms(const std::vector<float>& e) {
    std::array<double, 3> out{0, 0, 0};
    for (size_t i = 0; i < e.size(); ++i) out[i < 64 ? 0 : i < 128 ? 1 : 2] += double(e[i]) * e[i];
    for (double& v : out) v = std::sqrt(v);
    return out;
}

}  // namespace frameline
