#include "core/media/audio_decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/media/ffmpeg_util.h"
#include "core/media/streams_ffmpeg.h"

namespace frameline {
namespace {

struct CodecCloser {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwrFree {
    void operator()(SwrContext* s) const { swr_free(&s); }
};

// Differences between a frame's timestamp and the samples so far that are only jitter (container time bases of
// 1 ms, encoder rounding): below this nothing is filled or trimmed.
constexpr double kJitterS = 0.02;
// A forward jump larger than this is a broken timestamp, not a stretch of missing audio to fill with silence.
constexpr double kMaxGapS = 60.0;
// A backward jump larger than this is a timestamp reset (concatenated streams), not an overlap to trim.
constexpr double kMaxOverlapS = 1.0;
// Silence is fed to the resampler in pieces of this many input samples, so filling a gap never allocates much.
constexpr int kSilencePiece = 4096;

// The input format the resampler is set up for; a change mid-stream (broadcast recordings) re-creates it.
struct InputFormat {
    AVSampleFormat format = AV_SAMPLE_FMT_NONE;
    int sample_rate = 0;
    AVChannelLayout layout{};

    InputFormat() = default;
    InputFormat(const InputFormat&) = delete;
    InputFormat& operator=(const InputFormat&) = delete;
    ~InputFormat() { av_channel_layout_uninit(&layout); }

    // The frame's layout, or the default one for its channel count when the file does not say which channels.
    static void layout_of(const AVFrame* f, AVChannelLayout* out) {
        if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&f->ch_layout) == 0)
            av_channel_layout_default(out, f->ch_layout.nb_channels);
        else
            av_channel_layout_copy(out, &f->ch_layout);
    }

    bool matches(const AVFrame* f) const {
        if (f->format != format || f->sample_rate != sample_rate) return false;
        AVChannelLayout l{};
        layout_of(f, &l);
        const bool same = av_channel_layout_compare(&l, &layout) == 0;
        av_channel_layout_uninit(&l);
        return same;
    }

    void set(const AVFrame* f) {
        format = static_cast<AVSampleFormat>(f->format);
        sample_rate = f->sample_rate;
        av_channel_layout_uninit(&layout);
        layout_of(f, &layout);
    }
};

}  // namespace

struct AudioDecoder::Impl {
    std::filesystem::path path;
    Options options;
    ffmpeg::FormatPtr format;
    std::unique_ptr<AVCodecContext, CodecCloser> codec;
    std::unique_ptr<AVFrame, FrameFree> frame{av_frame_alloc()};
    std::unique_ptr<AVPacket, PacketFree> packet{av_packet_alloc()};
    std::unique_ptr<SwrContext, SwrFree> swr;
    InputFormat input;
    std::vector<uint8_t*> silence_planes;  // kSilencePiece samples of silence in the input format
    uint8_t* silence_buffer = nullptr;
    AudioStreamInfo info;
    AVStream* stream = nullptr;
    double start_s = 0.0;

    std::vector<float> pending;  // resampled output not yet handed out: pending[pending_pos..]
    size_t pending_pos = 0;
    int64_t emitted = 0;         // output samples handed out so far

    bool timeline_started = false;
    double first_pts_s = 0.0;      // time of output sample 0
    double input_end_s = 0.0;      // time just after the last input sample fed to the resampler
    int64_t silence_left = 0;      // input samples of silence still to feed before the held frame
    int trim_left = 0;             // input samples to drop from the start of the held frame
    bool frame_held = false;       // `frame` is decoded and waits to be fed
    bool input_done = false;
    int drain_errors = 0;
    bool decoder_done = false;
    bool finished = false;

    int64_t corrupt = 0;
    int64_t jumps = 0;
    int64_t filled_in = 0;  // input samples of silence fed (converted to output samples on request)
    double filled_out = 0.0;

    ~Impl() { free_silence(); }

    void free_silence() {
        av_freep(&silence_buffer);
        silence_planes.clear();
    }

    void open() {
        format = ffmpeg::open_input(path);
        const std::string name = path.string();
        int index = options.stream_index;
        if (index >= 0) {
            if (index >= static_cast<int>(format->nb_streams) ||
                format->streams[index]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO)
                throw Error("'" + name + "': stream " + std::to_string(index) +
                            " is not an audio stream — pick the index of one of its audio streams");
            info.choice = "asked for stream " + std::to_string(index);
        } else {
            const AudioChoice choice = choose_audio_stream(ffmpeg::describe_streams(format.get(), path).audio,
                                                           options.languages);
            if (choice.stream_index < 0)
                throw NoAudioStream("'" + name + "' has no audio stream — audio analysis does not apply to it");
            index = choice.stream_index;
            info.choice = choice.why;
        }
        stream = format->streams[index];
        for (unsigned i = 0; i < format->nb_streams; ++i)
            if (static_cast<int>(i) != index) format->streams[i]->discard = AVDISCARD_ALL;

        const AVCodecParameters* par = stream->codecpar;
        info.stream_index = index;
        info.codec = avcodec_get_name(par->codec_id);
        const MediaStream described = ffmpeg::describe_stream(stream);
        info.language = described.language;
        info.title = described.title;
        info.input_sample_rate = par->sample_rate;
        info.input_channels = par->ch_layout.nb_channels;
        info.sample_rate = options.sample_rate;
        if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
            info.duration_s = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
        else if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
            info.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;

        const AVCodec* decoder = avcodec_find_decoder(par->codec_id);
        if (!decoder)
            throw Error("'" + name + "': no decoder for audio codec '" + info.codec +
                        "' in this FFmpeg — convert the file or install an FFmpeg with that codec");
        codec.reset(avcodec_alloc_context3(decoder));
        if (!codec || avcodec_parameters_to_context(codec.get(), par) < 0)
            throw Error("cannot set up the audio decoder for '" + name + "' — the stream header is damaged");
        codec->pkt_timebase = stream->time_base;
        codec->thread_count = 1;  // audio decoding is cheap; threads would only reorder work
        if (int rc = avcodec_open2(codec.get(), decoder, nullptr); rc < 0)
            throw Error("cannot open the " + info.codec + " audio decoder for '" + name +
                        "': " + ffmpeg::error_text(rc));
        start_s = format->start_time != AV_NOPTS_VALUE ? static_cast<double>(format->start_time) / AV_TIME_BASE : 0.0;
    }

    void note_damage() { ++corrupt; }

    // The next decoded frame into `frame`; false at the end of the stream.
    bool receive() {
        av_frame_unref(frame.get());
        while (!decoder_done) {
            int rc = avcodec_receive_frame(codec.get(), frame.get());
            if (rc == 0) {
                if (frame->nb_samples <= 0 || frame->sample_rate <= 0 || frame->ch_layout.nb_channels <= 0) {
                    note_damage();
                    av_frame_unref(frame.get());
                    continue;
                }
                if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT)) note_damage();
                return true;
            }
            if (rc == AVERROR_EOF) {
                decoder_done = true;
                break;
            }
            if (rc != AVERROR(EAGAIN)) note_damage();  // a broken frame: skip it and read on
            if (input_done) {
                // Draining: errors are skipped frames, but a decoder that neither ends nor gives frames is done.
                if (rc != AVERROR(EAGAIN) && ++drain_errors < 64) continue;
                decoder_done = true;
                break;
            }
            rc = av_read_frame(format.get(), packet.get());
            if (rc < 0) {
                input_done = true;  // end of file or unrecoverable read error: drain what the decoder holds
                avcodec_send_packet(codec.get(), nullptr);
                continue;
            }
            if (packet->stream_index == stream->index) {
                if (avcodec_send_packet(codec.get(), packet.get()) < 0) note_damage();
            }
            av_packet_unref(packet.get());
        }
        return false;
    }

    // Appends what the resampler gives for `count` input samples (nullptr/0 drains it).
    void convert(const uint8_t** data, int count) {
        for (;;) {
            const int room = swr_get_out_samples(swr.get(), count);
            if (room <= 0) return;
            const size_t old = pending.size();
            pending.resize(old + static_cast<size_t>(room));
            uint8_t* out[1] = {reinterpret_cast<uint8_t*>(pending.data() + old)};
            const int got = swr_convert(swr.get(), out, room, data, count);
            pending.resize(old + static_cast<size_t>(std::max(got, 0)));
            if (got < 0) {
                note_damage();
                return;
            }
            if (data) return;  // converting: all input consumed in one call
            if (got == 0) return;  // draining: until nothing is left
        }
    }

    void drain_resampler() {
        if (swr) convert(nullptr, 0);
    }

    void configure(const AVFrame* f) {
        drain_resampler();  // the old format's tail belongs before the new format's samples
        input.set(f);
        AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
        SwrContext* raw = nullptr;
        int rc = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, options.sample_rate, &input.layout,
                                     input.format, input.sample_rate, 0, nullptr);
        swr.reset(raw);
        // Mix matrix normalised to full scale: stereo becomes (L + R) / 2, as the reference VAD pipelines average
        // channels; without it FFmpeg's float path gives (L + R) / sqrt(2), which can exceed 1.
        if (rc >= 0 && swr) rc = av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
        if (rc < 0 || !swr || (rc = swr_init(swr.get())) < 0)
            throw Error("cannot convert the audio of '" + path.string() + "' (" + std::to_string(input.sample_rate) +
                        " Hz, " + std::to_string(input.layout.nb_channels) + " channels, " +
                        (av_get_sample_fmt_name(input.format) ? av_get_sample_fmt_name(input.format) : "?") +
                        "): " + ffmpeg::error_text(rc));
        free_silence();
        const int channels = input.layout.nb_channels;
        silence_planes.assign(static_cast<size_t>(av_sample_fmt_is_planar(input.format) ? channels : 1), nullptr);
        if (av_samples_alloc(silence_planes.data(), nullptr, channels, kSilencePiece, input.format, 0) < 0)
            throw Error("out of memory while decoding the audio of '" + path.string() + "'");
        silence_buffer = silence_planes[0];
        av_samples_set_silence(silence_planes.data(), 0, kSilencePiece, channels, input.format);
    }

    double frame_time_s() const {
        int64_t ts = frame->best_effort_timestamp;
        if (ts == AV_NOPTS_VALUE) ts = frame->pts;
        if (ts == AV_NOPTS_VALUE) return NAN;
        return static_cast<double>(ts) * av_q2d(stream->time_base) - start_s;
    }

    // Takes in a freshly decoded frame: sets up the resampler, and decides the silence before it or the samples
    // of it to drop so that the output stays one continuous timeline.
    void accept_frame() {
        if (!swr || !input.matches(frame.get())) configure(frame.get());
        const double t = frame_time_s();
        const double rate = frame->sample_rate;
        if (!timeline_started) {
            timeline_started = true;
            first_pts_s = std::isnan(t) ? 0.0 : t;
            input_end_s = first_pts_s;
        }
        silence_left = 0;
        trim_left = 0;
        if (!std::isnan(t)) {
            const double diff = t - input_end_s;
            if (diff > kJitterS && diff <= kMaxGapS) {
                silence_left = std::llround(diff * rate);
            } else if (diff < -kJitterS && diff >= -kMaxOverlapS) {
                trim_left = static_cast<int>(std::min<int64_t>(std::llround(-diff * rate), frame->nb_samples));
            } else if (std::abs(diff) > kJitterS) {
                ++jumps;  // broken or reset timestamps: keep the samples contiguous
            }
        }
        frame_held = true;
    }

    void feed_silence() {
        const int n = static_cast<int>(std::min<int64_t>(silence_left, kSilencePiece));
        convert(const_cast<const uint8_t**>(silence_planes.data()), n);
        silence_left -= n;
        filled_in += n;
        filled_out += static_cast<double>(n) * options.sample_rate / input.sample_rate;
        input_end_s += static_cast<double>(n) / input.sample_rate;
    }

    void feed_frame() {
        frame_held = false;
        const int count = frame->nb_samples - trim_left;
        if (count <= 0) return;
        const bool planar = av_sample_fmt_is_planar(input.format) != 0;
        const int channels = input.layout.nb_channels;
        const size_t skip = static_cast<size_t>(trim_left) * av_get_bytes_per_sample(input.format) *
                            (planar ? 1 : static_cast<size_t>(channels));
        std::vector<const uint8_t*> planes(planar ? static_cast<size_t>(channels) : 1);
        for (size_t p = 0; p < planes.size(); ++p) planes[p] = frame->extended_data[p] + skip;
        convert(planes.data(), count);
        input_end_s += static_cast<double>(count) / input.sample_rate;
    }

    size_t available() const { return pending.size() - pending_pos; }

    // Resamples until `want` output samples wait or the stream is exhausted.
    void fill(size_t want) {
        while (available() < want && !finished) {
            if (frame_held && silence_left > 0) {
                feed_silence();
            } else if (frame_held) {
                feed_frame();
            } else if (receive()) {
                accept_frame();
            } else {
                drain_resampler();
                finished = true;
            }
        }
    }
};

AudioDecoder::AudioDecoder(const std::filesystem::path& path, Options options) : impl_(std::make_unique<Impl>()) {
    if (options.sample_rate <= 0) options.sample_rate = 16000;
    if (options.block_samples <= 0) options.block_samples = options.sample_rate;
    impl_->path = path;
    impl_->options = options;
    impl_->open();
}

std::optional<AudioDecoder> AudioDecoder::open_if_audio(const std::filesystem::path& path, Options options) {
    try {
        return AudioDecoder(path, options);
    } catch (const NoAudioStream&) {
        return std::nullopt;
    }
}

AudioDecoder::~AudioDecoder() = default;
AudioDecoder::AudioDecoder(AudioDecoder&&) noexcept = default;
AudioDecoder& AudioDecoder::operator=(AudioDecoder&&) noexcept = default;

const AudioStreamInfo& AudioDecoder::info() const { return impl_->info; }
int64_t AudioDecoder::corrupt_packets() const { return impl_->corrupt; }
int64_t AudioDecoder::timestamp_jumps() const { return impl_->jumps; }
int64_t AudioDecoder::silence_filled_samples() const { return std::llround(impl_->filled_out); }

bool AudioDecoder::next(AudioBlock& out) {
    Impl& d = *impl_;
    const size_t block = static_cast<size_t>(d.options.block_samples);
    d.fill(block);
    const size_t n = std::min(block, d.available());
    out.samples.assign(d.pending.begin() + static_cast<ptrdiff_t>(d.pending_pos),
                       d.pending.begin() + static_cast<ptrdiff_t>(d.pending_pos + n));
    out.first_sample = d.emitted;
    out.pts_s = d.first_pts_s + static_cast<double>(d.emitted) / d.options.sample_rate;
    d.pending_pos += n;
    d.emitted += static_cast<int64_t>(n);
    // Keep the buffer from growing: drop what was handed out once it is most of it (what stays is small).
    if (d.pending_pos * 2 >= d.pending.size()) {
        d.pending.erase(d.pending.begin(), d.pending.begin() + static_cast<ptrdiff_t>(d.pending_pos));
        d.pending_pos = 0;
    }
    return n > 0;
}

}  // namespace frameline
