#include "core/models/voice_activity.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/models/zoo_model.h"

namespace frameline {

double VoiceActivityResult::duration_s() const { return sample_rate > 0 ? double(samples) / sample_rate : 0.0; }

double VoiceActivityResult::speech_s() const {
    double s = 0;
    for (const SpeechSegment& seg : segments) s += seg.end_s - seg.start_s;
    return s;
}

std::vector<SpeechSegment> speech_segments(const std::vector<float>& probs, int64_t total, int sr, int chunk,
                                           double start_s, const VoiceActivityOptions& o) {
    const int64_t min_speech = int64_t(sr) * o.min_speech_ms / 1000;
    const int64_t min_silence = int64_t(sr) * o.min_silence_ms / 1000;
    const int64_t pad = int64_t(sr) * o.speech_pad_ms / 1000;
    struct Raw {
        int64_t start, end;
    };
    std::vector<Raw> raw;
    bool triggered = false;
    int64_t start = 0, temp_end = -1;  // -1: no candidate end
    for (size_t i = 0; i < probs.size(); ++i) {
        const double p = probs[i];
        const int64_t pos = int64_t(i) * chunk;
        if (p >= o.threshold && temp_end >= 0) temp_end = -1;  // speech again: the pause was too short
        if (p >= o.threshold && !triggered) {
            triggered = true;
            start = pos;
            continue;
        }
        if (p < o.end_threshold && triggered) {
            if (temp_end < 0) temp_end = pos;
            if (pos - temp_end < min_silence) continue;
            if (temp_end - start > min_speech) raw.push_back({start, temp_end});
            triggered = false;
            temp_end = -1;
        }
    }
    if (triggered && total - start > min_speech) raw.push_back({start, total});

    std::vector<SpeechSegment> out;
    for (const Raw& r : raw) {
        // Mean probability over the chunks that start inside the segment.
        const size_t a = size_t(r.start / chunk), b = std::min(probs.size(), size_t((r.end + chunk - 1) / chunk));
        double sum = 0;
        for (size_t k = a; k < b; ++k) sum += probs[k];
        out.push_back({0, 0, b > a ? sum / double(b - a) : 0.0});
    }
    // Padding, as silero: the first start and every end get `pad`, unless two segments are closer than 2 pad:
    // then they meet in the middle of the gap.
    std::vector<int64_t> s(raw.size()), e(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) s[i] = raw[i].start, e[i] = raw[i].end;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (i == 0) s[i] = std::max<int64_t>(0, s[i] - pad);
        if (i + 1 < raw.size()) {
            const int64_t gap = s[i + 1] - e[i];
            if (gap < 2 * pad) {
                e[i] += gap / 2;
                s[i + 1] = std::max<int64_t>(0, s[i + 1] - gap / 2);
            } else {
                e[i] = std::min(total, e[i] + pad);
                s[i + 1] = std::max<int64_t>(0, s[i + 1] - pad);
            }
        } else {
            e[i] = std::min(total, e[i] + pad);
        }
        out[i].start_s = start_s + double(s[i]) / sr;
        out[i].end_s = start_s + double(e[i]) / sr;
    }
    return out;
}

namespace {
// Freezing + optimize_for_inference converts this tiny streaming model's tensors to oneDNN layouts and back on every
// 32 ms chunk, which costs far more than the model itself: run it as converted.
TorchModelOptions vad_model_options() {
    TorchModelOptions o;
    o.optimize = false;
    o.threads = 1;  // one 32 ms chunk per call: a second thread costs more than it gives (3-10x slower here)
    return o;
}
}  // namespace

struct VoiceActivity::Impl {
    Impl(VoiceActivityOptions o, ZooModel z) : options(o), zoo(std::move(z)) {}
    VoiceActivityOptions options;
    ZooModel zoo;
    static constexpr int64_t kHidden = 128;  // the LSTM's width: state is [2 (h, c), streams, 128]
    int sample_rate = 16000, chunk = 512, context = 64;
    int64_t streams = 2;       // batch rows: 0 the carried state, 1 the fresh one (zeroed every fresh_every chunks)
    int64_t fresh_every = 32;  // chunks
    // Stream state.
    double start_s = 0;
    int64_t samples = 0;
    int64_t chunks_run = 0;
    std::vector<float> pending;           // samples not yet in a chunk
    Tensor x, state;                      // [streams, context + chunk] (the rows alike), [2, streams, 128]
    std::vector<float> probs;

    void run_chunk(const float* chunk_samples) {
        // x = the last `context` samples of the previous chunk, then this chunk; every stream sees the same audio.
        const size_t row = size_t(context + chunk);
        float* d = x.data.data();
        std::copy(d + chunk, d + chunk + context, d);
        std::copy(chunk_samples, chunk_samples + chunk, d + context);
        for (int64_t r = 1; r < streams; ++r) std::copy(d, d + row, d + size_t(r) * row);
        if (streams > 1 && chunks_run % fresh_every == 0)
            for (int64_t k = 0; k < 2; ++k)  // h and c of stream 1
                std::fill_n(state.data.begin() + (k * streams + 1) * kHidden, kHidden, 0.0f);
        std::vector<Tensor> out = zoo.model.run(std::vector<Tensor>{x, state});
        if (out.size() < 2 || out[0].data.size() < size_t(streams) || out[1].data.size() != state.data.size())
            throw Error(zoo.model.file().string() + ": expected (prob, state) from silero_vad; run "
                        "scripts/convert-models.sh --force");
        probs.push_back(*std::max_element(out[0].data.begin(), out[0].data.begin() + streams));
        state.data = std::move(out[1].data);
        ++chunks_run;
    }
};

VoiceActivity::VoiceActivity(const ComputeDevice& device, VoiceActivityOptions options)
    : impl_(std::make_unique<Impl>(options, open_zoo_model("silero_vad", device, 0, vad_model_options()))) {
    Impl& d = *impl_;
    const ModelInput& in = d.zoo.manifest.input;
    if (in.sample_rate > 0) d.sample_rate = in.sample_rate;
    if (in.chunk_samples > 0) d.chunk = in.chunk_samples;
    if (in.shape.size() == 2 && in.shape[1] > d.chunk) d.context = int(in.shape[1] - d.chunk);
    if (options.fresh_state_ms > 0) {
        d.streams = 2;
        d.fresh_every = std::max<int64_t>(1, std::llround(double(options.fresh_state_ms) * d.sample_rate / 1000.0 / d.chunk));
    } else {
        d.streams = 1;
    }
    begin(0);
}
VoiceActivity::~VoiceActivity() = default;
VoiceActivity::VoiceActivity(VoiceActivity&&) noexcept = default;
VoiceActivity& VoiceActivity::operator=(VoiceActivity&&) noexcept = default;
int VoiceActivity::sample_rate() const { return impl_->sample_rate; }
int VoiceActivity::chunk_samples() const { return impl_->chunk; }

void VoiceActivity::begin(double start_s) {
    Impl& d = *impl_;
    d.start_s = start_s;
    d.samples = 0;
    d.pending.clear();
    d.probs.clear();
    d.chunks_run = 0;
    d.x = Tensor({d.streams, int64_t(d.context + d.chunk)});
    d.state = Tensor({2, d.streams, Impl::kHidden});
}

void VoiceActivity::push(const float* samples, size_t count) {
    Impl& d = *impl_;
    d.samples += int64_t(count);
    size_t i = 0;
    if (!d.pending.empty()) {
        const size_t take = std::min(count, size_t(d.chunk) - d.pending.size());
        d.pending.insert(d.pending.end(), samples, samples + take);
        i = take;
        if (d.pending.size() < size_t(d.chunk)) return;
        d.run_chunk(d.pending.data());
        d.pending.clear();
    }
    for (; i + size_t(d.chunk) <= count; i += size_t(d.chunk)) d.run_chunk(samples + i);
    d.pending.assign(samples + i, samples + count);
}

VoiceActivityResult VoiceActivity::finish() {
    Impl& d = *impl_;
    if (!d.pending.empty()) {
        d.pending.resize(size_t(d.chunk), 0.0f);
        d.run_chunk(d.pending.data());
        d.pending.clear();
    }
    VoiceActivityResult r;
    r.start_s = d.start_s;
    r.chunk_s = double(d.chunk) / d.sample_rate;
    r.sample_rate = d.sample_rate;
    r.samples = d.samples;
    r.chunk_probabilities = d.probs;
    r.segments = speech_segments(d.probs, d.samples, d.sample_rate, d.chunk, d.start_s, d.options);
    begin(0);
    return r;
}

VoiceActivityResult VoiceActivity::run(const std::filesystem::path& media, std::stop_token stop) {
    AudioDecoder::Options o;
    o.sample_rate = impl_->sample_rate;
    o.block_samples = impl_->chunk * 32;  // about a second
    AudioDecoder decoder(media, o);
    AudioBlock block;
    bool first = true;
    while (decoder.next(block)) {
        if (stop.stop_requested()) throw Cancelled();
        if (first) begin(block.pts_s), first = false;
        push(block.samples.data(), block.samples.size());
    }
    if (first) begin(0);
    return finish();
}

VoiceActivityResult VoiceActivity::run(const std::vector<float>& samples, double start_s) {
    begin(start_s);
    push(samples.data(), samples.size());
    return finish();
}

}  // namespace frameline
