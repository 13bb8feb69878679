#include "core/analysis/audio_character.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include "core/analysis/tempo.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"

namespace frameline {

namespace {

constexpr int kFftSize = 1024;       // 64 ms at 16 kHz: 15.6 Hz bins, enough to separate partials above 100 Hz
constexpr int kHop = 512;            // 32 ms: onsets of fast rhythms (16ths at 120 bpm are 125 ms) stay apart
constexpr double kBandLowHz = 80.0;  // below: rumble and hum; above 5 kHz: mostly noise and sibilance
constexpr double kBandHighHz = 5000.0;
constexpr int kBackgroundBins = 12;     // +-12 bins (+-190 Hz at 16 kHz) of local background for peak picking
constexpr double kPeakOverBackground = std::numbers::ln10;  // 10 dB over the local (geometric) background
constexpr double kTonalContextS = 1.0;   // +- around a unit
constexpr double kRhythmContextS = 3.0;  // +- around a unit's centre (6 s: a random envelope's autocorrelation stays
                                         // under ~0.42 (noise, speech measured), a beat's over 0.5)
// A peak counts as tonal once it has held its frequency (+-1 bin) for 8 frames (256 ms): notes are held, while
// speech's harmonics glide with the pitch. Measured without the VAD's help: speech 0.04-0.27 (jfk, librivox),
// 2 frames of sustain gave speech 0.3-0.6, above the drum loops.
constexpr int kSustainFrames = 8;
constexpr long kDetrendFrames = 8;  // +-256 ms
constexpr double kBeatMinS = 0.25, kBeatMaxS = 1.5;  // 40-240 beats per minute

// Radix-2 complex FFT in place (the same algorithm as audio_embedding.cpp's; kept private to each file so neither
// depends on the other's internals).
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
            cos_[size_t(k)] = std::cos(2.0 * std::numbers::pi * k / n);
            sin_[size_t(k)] = -std::sin(2.0 * std::numbers::pi * k / n);
        }
    }
    void run(std::vector<double>& re, std::vector<double>& im) const {
        for (int i = 0; i < n_; ++i) {
            const int j = rev_[size_t(i)];
            if (j > i) {
                std::swap(re[size_t(i)], re[size_t(j)]);
                std::swap(im[size_t(i)], im[size_t(j)]);
            }
        }
        for (int len = 2; len <= n_; len <<= 1) {
            const int half = len / 2, step = n_ / len;
            for (int start = 0; start < n_; start += len)
                for (int k = 0; k < half; ++k) {
                    const double wr = cos_[size_t(k * step)], wi = sin_[size_t(k * step)];
                    const size_t a = size_t(start + k), b = a + size_t(half);
                    const double tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
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
    std::vector<double> cos_, sin_;
};

struct FrameFeature {
    double t_s = 0;       // centre of the STFT frame
    double tonal = 0;     // share of band energy in persistent peaks
    double flux = 0;      // positive spectral flux of log magnitude
    bool audible = false; // band energy above digital silence
};

double overlap(double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); }

// Runs of music and silence units as segments (audio_character.h, TitleAudioCharacter::lanes); bpm not measured.
std::vector<AudioSegment> lanes_of(const std::vector<AudioUnit>& units) {
    std::vector<AudioSegment> out;
    size_t i = 0;
    while (i < units.size()) {
        const std::string& kind = units[i].kind;
        size_t j = i;
        double confidence = 0;
        for (; j < units.size() && units[j].kind == kind; ++j) {
            const AudioUnit& u = units[j];
            confidence += kind == "music" ? std::min(1.0, 0.5 * std::max(u.tonality / kMusicTonality, u.rhythm / kMusicRhythm))
                                          : std::min(1.0, 0.5 + (kSilenceLufs - u.lufs) / 20.0);
        }
        if (kind == "music" || kind == "silence") {
            AudioSegment a;
            a.kind = kind;
            a.start_s = units[i].start_s;
            a.end_s = units[j - 1].end_s;
            a.confidence = std::clamp(confidence / double(j - i), 0.0, 1.0);
            out.push_back(std::move(a));
        }
        i = j;
    }
    return out;
}

}  // namespace

std::string AudioShares::dominant() const {
    if (!has_audio()) return "";
    const std::pair<double, const char*> all[] = {{speech, "speech"}, {music, "music"}, {silence, "silence"}, {other, "other"}};
    return std::max_element(std::begin(all), std::end(all), [](auto& a, auto& b) { return a.first < b.first; })->second;
}

struct AudioCharacterAnalyser::Impl {
    int rate;
    std::vector<Shot> shots;            // sorted by start_s
    std::vector<size_t> shot_order;     // shots[i] is the caller's shot_order[i]
    std::vector<std::pair<double, double>> speech;  // sorted
    bool started = false;
    double t0 = 0;
    int64_t n_total = 0;  // samples added

    // STFT
    Fft fft{kFftSize};
    std::vector<double> window, re, im, prev_logmag, logp, prefix;
    std::vector<int> prev_run, run;  // per bin: frames a spectral peak has held there (+-1 bin), 0: no peak
    std::vector<float> fifo;
    size_t fifo_start = 0;  // samples of fifo already consumed
    int64_t frames_done = 0;
    int bin_lo = 0, bin_hi = 0;
    std::vector<FrameFeature> features;

    // 0.5 s units
    LoudnessMeter unit_meter;
    int64_t unit_samples = 0;
    int64_t unit_len = 0;
    std::vector<AudioUnit> units;

    // loudness per shot and for the title
    std::vector<std::optional<LoudnessMeter>> shot_meters;
    LoudnessMeter title_meter;

    Impl(int sr, std::vector<Shot> s, const std::vector<AudioSegment>& segments)
        : rate(sr), unit_meter(sr), title_meter(sr) {
        if (sr < 8000) throw Error("audio character: sample rate " + std::to_string(sr) + " Hz is under 8000 Hz");
        shot_order.resize(s.size());
        for (size_t i = 0; i < s.size(); ++i) shot_order[i] = i;
        std::stable_sort(shot_order.begin(), shot_order.end(), [&](size_t a, size_t b) { return s[a].start_s < s[b].start_s; });
        for (size_t i : shot_order) shots.push_back(s[i]);
        shot_meters.resize(shots.size());
        for (const AudioSegment& a : segments)
            if (a.kind == "speech" && a.end_s > a.start_s) speech.emplace_back(a.start_s, a.end_s);
        std::sort(speech.begin(), speech.end());
        window.resize(kFftSize);
        for (int i = 0; i < kFftSize; ++i) window[size_t(i)] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kFftSize);
        re.resize(kFftSize);
        im.resize(kFftSize);
        bin_lo = std::max(1, int(std::ceil(kBandLowHz * kFftSize / sr)));
        bin_hi = std::min(kFftSize / 2 - 1, int(std::floor(kBandHighHz * kFftSize / sr)));
        prev_logmag.assign(size_t(kFftSize / 2 + 1), 0.0);
        logp.assign(size_t(kFftSize / 2 + 1), 0.0);
        prefix.assign(size_t(kFftSize / 2 + 2), 0.0);
        prev_run.assign(size_t(kFftSize / 2 + 1), 0);
        run.assign(size_t(kFftSize / 2 + 1), 0);
        unit_len = std::max<int64_t>(1, int64_t(std::llround(kAudioUnitS * sr)));
    }

    double time_of(int64_t sample) const { return t0 + double(sample) / rate; }

    // One STFT frame starting at fifo[fifo_start].
    void analyse_frame() {
        const float* x = fifo.data() + fifo_start;
        for (int i = 0; i < kFftSize; ++i) {
            re[size_t(i)] = x[i] * window[size_t(i)];
            im[size_t(i)] = 0.0;
        }
        fft.run(re, im);
        FrameFeature f;
        f.t_s = time_of(frames_done * kHop + kFftSize / 2);
        double band = 0;
        for (int k = 0; k <= kFftSize / 2; ++k) {
            const double p = re[size_t(k)] * re[size_t(k)] + im[size_t(k)] * im[size_t(k)];
            logp[size_t(k)] = std::log(p + 1e-12);
            if (k >= bin_lo && k <= bin_hi) band += p;
        }
        // Silence of a 16-bit file: about 1e-9 per bin at this window; the band holds ~300 bins.
        f.audible = band > 1e-6;
        prefix[0] = 0;
        for (int k = 0; k <= kFftSize / 2; ++k) prefix[size_t(k + 1)] = prefix[size_t(k)] + logp[size_t(k)];
        double tonal = 0, flux = 0;
        std::fill(run.begin(), run.end(), 0);
        for (int k = bin_lo; k <= bin_hi; ++k) {
            const int a = std::max(0, k - kBackgroundBins), b = std::min(kFftSize / 2, k + kBackgroundBins);
            const double bg = (prefix[size_t(b + 1)] - prefix[size_t(a)]) / double(b - a + 1);
            const double l = logp[size_t(k)];
            if (l > logp[size_t(k - 1)] && l >= logp[size_t(k + 1)] && l >= bg + kPeakOverBackground) {
                const int r = 1 + std::max({prev_run[size_t(k - 1)], prev_run[size_t(k)], prev_run[size_t(k + 1)]});
                run[size_t(k)] = r;
                if (r >= kSustainFrames)
                    tonal += std::exp(logp[size_t(k - 1)]) + std::exp(l) + std::exp(logp[size_t(k + 1)]);
            }
            const double lm = 0.5 * std::log1p(1000.0 * std::exp(l));  // compressed magnitude
            flux += std::max(0.0, lm - prev_logmag[size_t(k)]);
            prev_logmag[size_t(k)] = lm;
        }
        std::swap(run, prev_run);
        f.tonal = band > 0 ? std::min(1.0, tonal / band) : 0.0;
        f.flux = frames_done == 0 ? 0.0 : flux;
        features.push_back(f);
        ++frames_done;
    }

    void finish_unit() {
        if (unit_samples <= 0) return;
        AudioUnit u;
        u.start_s = time_of(n_total - unit_samples);
        u.end_s = time_of(n_total);
        u.lufs = unit_meter.stats().momentary_mean_lufs;
        units.push_back(u);
        unit_meter.reset();
        unit_samples = 0;
    }

    void add(const float* s, size_t count, double pts_s) {
        if (count == 0) return;
        if (!started) {
            started = true;
            t0 = pts_s;
        }
        title_meter.add(s, count);
        // per shot: the samples whose time falls inside it
        {
            const double start_t = time_of(n_total);
            const double end_t = time_of(n_total + int64_t(count));
            for (size_t k = 0; k < shots.size(); ++k) {
                const Shot& sh = shots[k];
                if (sh.end_s <= start_t || sh.start_s >= end_t) continue;
                const size_t first = size_t(std::clamp(std::ceil((sh.start_s - start_t) * rate - 1e-6), 0.0, double(count)));
                const size_t last = size_t(std::clamp(std::ceil((sh.end_s - start_t) * rate - 1e-6), double(first), double(count)));
                if (last <= first) continue;
                if (!shot_meters[k]) shot_meters[k].emplace(rate);
                shot_meters[k]->add(s + first, last - first);
            }
        }
        // units
        size_t i = 0;
        while (i < count) {
            const size_t take = size_t(std::min<int64_t>(int64_t(count - i), unit_len - unit_samples));
            unit_meter.add(s + i, take);
            unit_samples += int64_t(take);
            n_total += int64_t(take);
            i += take;
            if (unit_samples >= unit_len) finish_unit();
        }
        // STFT frames
        fifo.insert(fifo.end(), s, s + count);
        while (fifo.size() - fifo_start >= size_t(kFftSize)) {
            analyse_frame();
            fifo_start += kHop;
        }
        if (fifo_start > size_t(1) << 16) {
            fifo.erase(fifo.begin(), fifo.begin() + long(fifo_start));
            fifo_start = 0;
        }
    }

    // The rhythm context of a unit centred at t: 2 kRhythmContextS centred on it, but never into what is decided
    // before rhythm is asked, the voice-activity speech and the silent units (`decided`, sorted): a music unit's
    // rhythm must not be measured on the speech next to it, nor on music beyond a silence. A window that would reach
    // into them slides away, as far as the other side allows, and is cut there. Stretches covering t are ignored.
    static std::pair<double, double> rhythm_window(double t, const std::vector<std::pair<double, double>>& decided) {
        double left = -1e300, right = 1e300;
        for (const auto& [s, e] : decided) {
            if (e <= t) left = std::max(left, e);
            else if (s >= t) right = std::min(right, s);
        }
        double a = t - kRhythmContextS, b = t + kRhythmContextS;
        if (b > right) {
            a -= b - right;
            b = right;
        }
        if (a < left) {
            b = std::min(right, b + (left - a));
            a = left;
        }
        return {a, b};
    }

    // Peak normalised autocorrelation of the onset envelope over [t0s, t1s].
    double rhythm_in(double t0s, double t1s) const {
        auto lo = std::lower_bound(features.begin(), features.end(), t0s,
                                   [](const FrameFeature& f, double v) { return f.t_s < v; });
        auto hi = std::upper_bound(features.begin(), features.end(), t1s,
                                   [](double v, const FrameFeature& f) { return v < f.t_s; });
        const long n = hi - lo;
        const double hop_s = double(kHop) / rate;
        const int lag_min = int(std::ceil(kBeatMinS / hop_s)), lag_max = int(std::floor(kBeatMaxS / hop_s));
        if (n < lag_max + lag_max / 2) return 0.0;  // under 2.25 s of context: no verdict
        // The envelope minus its moving average over +-kDetrendFrames (~0.5 s): a change of sound (noise after a
        // tone) is a step in the envelope, and a step autocorrelates at every lag; beats survive the detrending.
        std::vector<double> raw(static_cast<size_t>(n)), e(static_cast<size_t>(n));
        double mean = 0;
        for (long i = 0; i < n; ++i) mean += (raw[size_t(i)] = lo[i].flux);
        mean /= double(n);
        for (long i = 0; i < n; ++i) {
            const long a = std::max(0L, i - kDetrendFrames), b = std::min(n - 1, i + kDetrendFrames);
            double local = 0;
            for (long j = a; j <= b; ++j) local += raw[size_t(j)];
            e[size_t(i)] = raw[size_t(i)] - local / double(b - a + 1);
        }
        double var = 0;
        for (double v : e) var += v * v;
        // A steady sound (a held tone, constant noise) has next to no flux: no rhythm, not a ratio of rounding errors.
        if (var / double(n) < 1e-4 || mean < 1e-3) return 0.0;
        double best = 0;
        for (int lag = lag_min; lag <= lag_max; ++lag) {
            double num = 0, da = 0, db = 0;
            for (long i = 0; i + lag < n; ++i) {
                num += e[size_t(i)] * e[size_t(i + lag)];
                da += e[size_t(i)] * e[size_t(i)];
                db += e[size_t(i + lag)] * e[size_t(i + lag)];
            }
            if (da > 0 && db > 0) best = std::max(best, num / std::sqrt(da * db));
        }
        return best;
    }

    double tonality_in(double t0s, double t1s) const {
        auto lo = std::lower_bound(features.begin(), features.end(), t0s,
                                   [](const FrameFeature& f, double v) { return f.t_s < v; });
        double sum = 0;
        int n = 0;
        for (auto it = lo; it != features.end() && it->t_s <= t1s; ++it)
            if (it->audible) {
                sum += it->tonal;
                ++n;
            }
        return n ? sum / n : 0.0;
    }

    double speech_share(double a, double b) const {
        double covered = 0;
        for (const auto& [s, e] : speech) {
            if (s >= b) break;
            covered += overlap(a, b, s, e);
        }
        return b > a ? std::min(1.0, covered / (b - a)) : 0.0;
    }

    static void accumulate(AudioShares& sh, const AudioUnit& u, double w) {
        if (w <= 0) return;
        sh.covered_s += w;
        if (u.kind == "speech") sh.speech += w;
        else if (u.kind == "silence") sh.silence += w;
        else if (u.kind == "music") sh.music += w;
        else sh.other += w;
        sh.tonality += w * u.tonality;
        sh.rhythm += w * u.rhythm;
    }
    static void normalise(AudioShares& sh) {
        if (sh.covered_s <= 0) return;
        const double c = sh.covered_s;
        sh.speech /= c;
        sh.music /= c;
        sh.silence /= c;
        sh.other /= c;
        sh.tonality /= c;
        sh.rhythm /= c;
    }

    TitleAudioCharacter finish() {
        if (unit_samples >= unit_len / 5) finish_unit();  // a last unit of at least 0.1 s
        TitleAudioCharacter out;
        out.audio_stream = started;
        out.shots.resize(shots.size());
        std::vector<std::pair<double, double>> decided = speech;  // speech, then silent units, for rhythm_window
        for (AudioUnit& u : units) {
            u.speech = speech_share(u.start_s, u.end_s);
            if (u.speech < 0.5 && u.lufs < kSilenceLufs) decided.emplace_back(u.start_s, u.end_s);
        }
        std::sort(decided.begin(), decided.end());
        for (AudioUnit& u : units) {
            u.tonality = tonality_in(u.start_s - kTonalContextS, u.end_s + kTonalContextS);
            const auto [r0, r1] = rhythm_window(0.5 * (u.start_s + u.end_s), decided);
            u.rhythm = rhythm_in(r0, r1);
            if (u.speech >= 0.5) u.kind = "speech";
            else if (u.lufs < kSilenceLufs) u.kind = "silence";
            else if (u.tonality >= kMusicTonality || u.rhythm >= kMusicRhythm) u.kind = "music";
            else u.kind = "other";
            accumulate(out.title, u, u.end_s - u.start_s);
        }
        normalise(out.title);
        out.title.loudness = title_meter.stats();
        size_t first_unit = 0;
        for (size_t k = 0; k < shots.size(); ++k) {
            AudioShares& sh = out.shots[shot_order[k]];
            const Shot& s = shots[k];
            while (first_unit < units.size() && units[first_unit].end_s <= s.start_s) ++first_unit;
            for (size_t j = first_unit; j < units.size() && units[j].start_s < s.end_s; ++j)
                accumulate(sh, units[j], overlap(s.start_s, s.end_s, units[j].start_s, units[j].end_s));
            normalise(sh);
            if (shot_meters[k]) sh.loudness = shot_meters[k]->stats();
        }
        out.lanes = lanes_of(units);
        out.units = std::move(units);
        return out;
    }
};

AudioCharacterAnalyser::AudioCharacterAnalyser(int sample_rate, std::vector<Shot> shots, std::vector<AudioSegment> speech)
    : impl_(std::make_unique<Impl>(sample_rate, std::move(shots), speech)) {}
AudioCharacterAnalyser::~AudioCharacterAnalyser() = default;
AudioCharacterAnalyser::AudioCharacterAnalyser(AudioCharacterAnalyser&&) noexcept = default;
AudioCharacterAnalyser& AudioCharacterAnalyser::operator=(AudioCharacterAnalyser&&) noexcept = default;
void AudioCharacterAnalyser::add(const float* samples, size_t count, double pts_s) { impl_->add(samples, count, pts_s); }
TitleAudioCharacter AudioCharacterAnalyser::finish() { return impl_->finish(); }

TitleAudioCharacter analyse_audio_character(const std::filesystem::path& media, const std::vector<Shot>& shots,
                                            const std::vector<AudioSegment>& segments, std::stop_token stop) {
    AudioDecoder::Options o;
    o.sample_rate = 16000;
    o.block_samples = 8000;
    std::optional<AudioDecoder> decoder = AudioDecoder::open_if_audio(media, o);
    AudioCharacterAnalyser analyser(o.sample_rate, shots, segments);
    if (!decoder) {
        TitleAudioCharacter none;
        none.shots.resize(shots.size());
        return none;
    }
    AudioBlock block;
    while (decoder->next(block)) {
        if (stop.stop_requested()) throw Cancelled();
        analyser.add(block.samples.data(), block.samples.size(), block.pts_s);
    }
    TitleAudioCharacter out = analyser.finish();
    measure_music_tempo(out, media, stop);
    return out;
}

void measure_music_tempo(TitleAudioCharacter& character, const std::filesystem::path& media, std::stop_token stop) {
    std::vector<std::pair<double, double>> stretches;
    std::vector<AudioSegment*> music;
    for (AudioSegment& l : character.lanes)
        if (l.kind == "music") {
            stretches.emplace_back(l.start_s, l.end_s);
            music.push_back(&l);
        }
    if (music.empty()) return;
    // A second decode, up to the end of the last music lane: cheap next to the first pass (bench_audio_lanes), and
    // it keeps memory flat where holding a soundtrack's samples would not.
    AudioDecoder::Options o;
    o.sample_rate = 16000;
    o.block_samples = 8000;
    std::optional<AudioDecoder> decoder = AudioDecoder::open_if_audio(media, o);
    if (!decoder) return;
    StretchTempo tempo(o.sample_rate, std::move(stretches));
    AudioBlock block;
    while (!tempo.done() && decoder->next(block)) {
        if (stop.stop_requested()) throw Cancelled();
        tempo.add(block.samples.data(), block.samples.size(), block.pts_s);
    }
    const std::vector<double> bpm = tempo.bpm();
    for (size_t i = 0; i < music.size(); ++i) music[i]->bpm = bpm[i];
}

}  // namespace frameline
