#include "core/speech/transcribe.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/pipeline/bounded_queue.h"
#include "core/speech/pocketsphinx_recogniser.h"

namespace frameline {

namespace {

// One piece of audio for a recogniser: a stretch, or a part of a long one.
struct Job {
    double offset_s = 0;  // title time of samples[0]
    std::vector<float> samples;
};

int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

RecogniserFactory factory_of(const TranscribeOptions& options) {
    if (options.recogniser) return options.recogniser;
    return [] { return std::make_unique<PocketsphinxRecogniser>(); };
}

// Cuts the planned stretches out of a stream of audio blocks and recognises them on `threads` threads.
// `next_block` gives the stream (AudioDecoder::next or one block of samples in memory).
Transcript recognise_stream(const std::function<bool(AudioBlock&)>& next_block, int sample_rate,
                            const std::vector<SpeechSegment>& speech, int threads, std::stop_token stop,
                            const TranscribeOptions& options) {
    Transcript out;
    for (const SpeechSegment& s : speech) out.speech_s += std::max(0.0, s.end_s - s.start_s);
    if (speech.empty()) return out;

    const RecogniserFactory make = factory_of(options);
    // The first recogniser on the calling thread: a missing model fails here, before any audio is decoded.
    std::unique_ptr<SpeechRecogniser> first = make();
    out.engine = first->name();
    if (first->sample_rate() != sample_rate)
        throw Error("the recogniser " + out.engine + " wants audio at " + std::to_string(first->sample_rate()) +
                    " Hz, not " + std::to_string(sample_rate) + " Hz");

    // Stretches are planned once the stream's first timestamp is known.
    std::vector<SpeechStretch> stretches;
    const double piece_s = options.max_unit_s + 2 * options.pad_s;
    double total_ms = 0;

    const int wanted = threads > 0 ? threads : cores();
    BoundedQueue<Job> queue(static_cast<size_t>(2 * wanted));
    std::stop_source halt;
    std::stop_callback on_stop(stop, [&] {
        halt.request_stop();
        queue.close();
    });
    std::mutex mutex;
    std::vector<TranscriptSegment> results;
    std::exception_ptr error;
    double done_ms = 0;

    auto worker = [&](std::unique_ptr<SpeechRecogniser> recogniser) {
        try {
            if (!recogniser) recogniser = make();
            while (std::optional<Job> job = queue.pop()) {
                if (halt.stop_requested()) continue;
                TranscriptSegment seg = recogniser->recognise(std::span<const float>(job->samples), job->offset_s);
                const double ms = 1000.0 * static_cast<double>(job->samples.size()) / sample_rate;
                std::lock_guard lock(mutex);
                if (!seg.words.empty()) results.push_back(std::move(seg));
                done_ms += ms;
                if (options.progress)
                    options.progress(Progress{"transcribe", static_cast<int64_t>(done_ms),
                                              static_cast<int64_t>(std::max(done_ms, total_ms))});
            }
        } catch (...) {
            {
                std::lock_guard lock(mutex);
                if (!error) error = std::current_exception();
            }
            halt.request_stop();
            queue.close();
        }
    };

    std::vector<std::jthread> workers;
    // Before the workers are joined: the queue closes, and when decoding threw, what is queued is dropped.
    struct CloseOnExit {
        BoundedQueue<Job>& queue;
        std::stop_source& halt;
        int exceptions = std::uncaught_exceptions();
        ~CloseOnExit() {
            if (std::uncaught_exceptions() > exceptions) halt.request_stop();
            queue.close();
        }
    } close_on_exit{queue, halt};

    std::vector<float> buffer;  // decoded samples not yet needed by a later stretch
    int64_t buffer_first = 0;   // stream index of buffer[0]
    double first_pts = 0;
    bool started = false;
    size_t next = 0;
    auto index_of = [&](double t) { return static_cast<int64_t>(std::llround((t - first_pts) * sample_rate)); };
    auto buffer_end = [&] { return buffer_first + static_cast<int64_t>(buffer.size()); };

    // Sends stretch `k` (with what the buffer holds of it) to the recognisers, long ones in pieces.
    auto dispatch = [&](size_t k) {
        const SpeechStretch& s = stretches[k];
        const int64_t from = std::clamp(index_of(s.audio_start_s), buffer_first, buffer_end());
        const int64_t to = std::clamp(index_of(s.audio_end_s), from, buffer_end());
        if (to - from < sample_rate / 10) return;
        const std::span<const float> audio(buffer.data() + (from - buffer_first), static_cast<size_t>(to - from));
        std::vector<size_t> cuts = quiet_cut_points(audio, sample_rate, piece_s);
        cuts.push_back(audio.size());
        size_t at = 0;
        for (size_t cut : cuts) {
            Job job;
            job.offset_s = first_pts + static_cast<double>(from + static_cast<int64_t>(at)) / sample_rate;
            job.samples.assign(audio.begin() + static_cast<long>(at), audio.begin() + static_cast<long>(cut));
            at = cut;
            ++out.stretches;
            if (!queue.push(std::move(job))) return;  // closed: stopping
        }
    };
    // Keeps only what the next stretch needs.
    auto trim = [&] {
        const int64_t keep_from = next < stretches.size() ? index_of(stretches[next].audio_start_s) : buffer_end();
        const int64_t drop = std::clamp<int64_t>(keep_from - buffer_first, 0, static_cast<int64_t>(buffer.size()));
        buffer.erase(buffer.begin(), buffer.begin() + static_cast<long>(drop));
        buffer_first += drop;
    };

    AudioBlock block;
    while (!halt.stop_requested() && next_block(block)) {
        if (!started) {
            started = true;
            first_pts = block.pts_s - static_cast<double>(block.first_sample) / sample_rate;
            buffer_first = block.first_sample;
            stretches = plan_stretches(speech, options, first_pts);
            for (const SpeechStretch& s : stretches) total_ms += 1000.0 * (s.audio_end_s - s.audio_start_s);
            const int n = std::max(1, std::min(wanted, static_cast<int>(stretches.size())));
            out.threads = n;
            workers.emplace_back(worker, std::move(first));
            for (int i = 1; i < n; ++i) workers.emplace_back(worker, nullptr);
        }
        buffer.insert(buffer.end(), block.samples.begin(), block.samples.end());
        out.audio_s = static_cast<double>(buffer_end()) / sample_rate;
        while (next < stretches.size() && buffer_end() >= index_of(stretches[next].audio_end_s)) dispatch(next++);
        trim();
        if (next == stretches.size()) break;  // the rest of the audio holds no speech
    }
    while (!halt.stop_requested() && next < stretches.size()) dispatch(next++);  // the stream ended early
    queue.close();
    workers.clear();  // joins

    if (error) std::rethrow_exception(error);
    if (stop.stop_requested()) throw Cancelled();
    std::sort(results.begin(), results.end(),
              [](const TranscriptSegment& a, const TranscriptSegment& b) { return a.start_s < b.start_s; });
    out.segments = std::move(results);
    return out;
}

}  // namespace

std::vector<SpeechStretch> plan_stretches(std::vector<SpeechSegment> speech, const TranscribeOptions& options,
                                          double audio_start_s, double audio_end_s) {
    std::sort(speech.begin(), speech.end(),
              [](const SpeechSegment& a, const SpeechSegment& b) { return a.start_s < b.start_s; });
    std::vector<SpeechStretch> out;
    for (const SpeechSegment& s : speech) {
        if (s.end_s <= s.start_s) continue;
        if (!out.empty()) {
            SpeechStretch& last = out.back();
            const double gap = s.start_s - last.end_s;
            if (gap <= options.merge_gap_s && s.end_s - last.start_s <= options.max_unit_s) {
                last.end_s = std::max(last.end_s, s.end_s);
                continue;
            }
        }
        out.push_back(SpeechStretch{s.start_s, s.end_s, s.start_s, s.end_s});
    }
    for (size_t i = 0; i < out.size(); ++i) {
        const double before = i == 0 ? options.pad_s : std::min(options.pad_s, (out[i].start_s - out[i - 1].end_s) / 2);
        const double after =
            i + 1 == out.size() ? options.pad_s : std::min(options.pad_s, (out[i + 1].start_s - out[i].end_s) / 2);
        out[i].audio_start_s = std::max(audio_start_s, out[i].start_s - std::max(0.0, before));
        out[i].audio_end_s = std::min(audio_end_s, out[i].end_s + std::max(0.0, after));
    }
    return out;
}

std::vector<size_t> quiet_cut_points(std::span<const float> samples, int sample_rate, double max_piece_s) {
    const size_t max_piece = static_cast<size_t>(max_piece_s * sample_rate);
    const size_t frame = static_cast<size_t>(std::max(1, sample_rate / 100));  // 10 ms
    std::vector<size_t> cuts;
    if (max_piece < 2 * frame || samples.size() <= max_piece) return cuts;
    // Energy per 10 ms frame, then its running mean over 15 frames (prefix sums).
    const size_t frames = samples.size() / frame;
    std::vector<double> prefix(frames + 1, 0.0);
    for (size_t f = 0; f < frames; ++f) {
        double e = 0;
        for (size_t i = f * frame; i < (f + 1) * frame; ++i) e += double(samples[i]) * samples[i];
        prefix[f + 1] = prefix[f] + e / static_cast<double>(frame);
    }
    const size_t half = 7;
    auto smoothed = [&](size_t f) {
        const size_t a = f >= half ? f - half : 0, b = std::min(frames, f + half + 1);
        return (prefix[b] - prefix[a]) / static_cast<double>(b - a);
    };
    size_t at = 0;
    while (samples.size() - at > max_piece) {
        const size_t lo = (at + max_piece / 2) / frame, hi = std::min(frames, (at + max_piece) / frame);
        size_t best = hi;
        double best_e = std::numeric_limits<double>::infinity();
        for (size_t f = lo; f < hi; ++f) {
            const double e = smoothed(f);
            if (e < best_e) best_e = e, best = f;
        }
        const size_t cut = std::min(at + max_piece, std::max(at + frame, best * frame + frame / 2));
        cuts.push_back(cut);
        at = cut;
    }
    return cuts;
}

Transcript transcribe_samples(std::span<const float> samples, int sample_rate, double start_s,
                              const std::vector<SpeechSegment>& speech, int threads, std::stop_token stop,
                              const TranscribeOptions& options) {
    bool given = false;
    auto one_block = [&](AudioBlock& b) {
        if (given || samples.empty()) return false;
        given = true;
        b.samples.assign(samples.begin(), samples.end());
        b.first_sample = 0;
        b.pts_s = start_s;
        return true;
    };
    Transcript t = recognise_stream(one_block, sample_rate, speech, threads, stop, options);
    t.audio_s = static_cast<double>(samples.size()) / sample_rate;
    return t;
}

Transcript transcribe(const std::filesystem::path& media, const std::vector<SpeechSegment>& speech, int threads,
                      std::stop_token stop, const TranscribeOptions& options) {
    AudioDecoder::Options decode;
    decode.sample_rate = 16000;  // PocketSphinx's en-us model; another engine's rate is checked in recognise_stream
    std::optional<AudioDecoder> decoder = AudioDecoder::open_if_audio(media, decode);
    if (!decoder) {
        Transcript none;
        none.has_audio = false;
        return none;
    }
    Transcript t = recognise_stream([&](AudioBlock& b) { return decoder->next(b); }, decode.sample_rate, speech,
                                    threads, stop, options);
    // Decoding stops after the last speech; the container knows the whole length.
    t.audio_s = std::max(t.audio_s, decoder->info().duration_s);
    return t;
}

Transcript transcribe(const std::filesystem::path& media, VoiceActivity& vad, int threads, std::stop_token stop,
                      const TranscribeOptions& options) {
    VoiceActivityResult found;
    try {
        found = vad.run(media, stop);
    } catch (const NoAudioStream&) {
        Transcript none;
        none.has_audio = false;
        return none;
    }
    if (stop.stop_requested()) throw Cancelled();
    Transcript t = transcribe(media, found.segments, threads, stop, options);
    t.audio_s = found.duration_s();
    return t;
}

}  // namespace frameline
