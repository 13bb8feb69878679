#include "core/media/video_decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "core/error.h"
#include "core/media/ffmpeg_util.h"

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
struct SwsFree {
    void operator()(SwsContext* s) const { sws_freeContext(s); }
};

int even(int v) { return std::max(2, v & ~1); }

// Reduces one 8-bit plane to out.width x out.height by averaging a 4x4 grid of samples spread over each output
// pixel's box: close to an area average at a fraction of its cost (a 1080p frame becomes 128x72 from ~150k reads).
// `step` is the distance between a plane's samples: 1 for planar formats, 2 for NV12's interleaved U and V.
void sample_box(const uint8_t* src, int stride, int src_w, int src_h, Plane& out, int step = 1) {
    const int w = out.width, h = out.height;
    uint8_t* dst = out.pixels.data();
    for (int oy = 0; oy < h; ++oy) {
        const int y0 = oy * src_h / h, y1 = std::max(y0 + 1, (oy + 1) * src_h / h);
        int rows[4];
        for (int k = 0; k < 4; ++k) rows[k] = y0 + (2 * k + 1) * (y1 - y0) / 8;
        for (int ox = 0; ox < w; ++ox) {
            const int x0 = ox * src_w / w, x1 = std::max(x0 + 1, (ox + 1) * src_w / w);
            int cols[4];
            for (int k = 0; k < 4; ++k) cols[k] = (x0 + (2 * k + 1) * (x1 - x0) / 8) * step;
            int sum = 0;
            for (int r : rows) {
                const uint8_t* line = src + static_cast<ptrdiff_t>(r) * stride;
                sum += line[cols[0]] + line[cols[1]] + line[cols[2]] + line[cols[3]];
            }
            dst[oy * w + ox] = static_cast<uint8_t>((sum + 8) >> 4);
        }
    }
}

// Rotates an interleaved RGB image clockwise by 90, 180 or 270 degrees.
RgbImage rotate(const RgbImage& in, int degrees_cw) {
    if (degrees_cw == 0) return in;
    RgbImage out;
    const bool sideways = degrees_cw == 90 || degrees_cw == 270;
    out.width = sideways ? in.height : in.width;
    out.height = sideways ? in.width : in.height;
    out.rgb.resize(in.rgb.size());
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            int ox = x, oy = y;
            if (degrees_cw == 90) { ox = in.height - 1 - y; oy = x; }
            else if (degrees_cw == 180) { ox = in.width - 1 - x; oy = in.height - 1 - y; }
            else if (degrees_cw == 270) { ox = y; oy = in.width - 1 - x; }
            const uint8_t* src = &in.rgb[(static_cast<size_t>(y) * in.width + x) * 3];
            uint8_t* dst = &out.rgb[(static_cast<size_t>(oy) * out.width + ox) * 3];
            dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2];
        }
    }
    return out;
}

// A frame as RGB at `width` (height keeps the display aspect: sample aspect ratio, then rotation), rotated as the
// file says: what a person sees. `scaler` is reused between calls.
RgbImage picture_rgb(const AVFrame* f, int rotation, int width, std::unique_ptr<SwsContext, SwsFree>& scaler) {
    RgbImage img;
    if (!f || width <= 0) return img;
    const bool sideways = rotation == 90 || rotation == 270;
    double sar = (f->sample_aspect_ratio.num > 0 && f->sample_aspect_ratio.den > 0) ? av_q2d(f->sample_aspect_ratio) : 1.0;
    double display_w = f->width * sar, display_h = f->height;
    if (sideways) std::swap(display_w, display_h);
    int out_w = std::max(2, width);
    int out_h = std::max(2, static_cast<int>(std::lround(out_w * display_h / display_w)));
    // Scale to the pre-rotation orientation, then rotate.
    int scale_w = sideways ? out_h : out_w;
    int scale_h = sideways ? out_w : out_h;
    scaler.reset(sws_getCachedContext(scaler.release(), f->width, f->height, static_cast<AVPixelFormat>(f->format),
                                      scale_w, scale_h, AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!scaler) return img;
    img.width = scale_w;
    img.height = scale_h;
    img.rgb.resize(static_cast<size_t>(scale_w) * scale_h * 3);
    uint8_t* dst[4] = {img.rgb.data(), nullptr, nullptr, nullptr};
    int stride[4] = {scale_w * 3, 0, 0, 0};
    sws_scale(scaler.get(), f->data, f->linesize, 0, f->height, dst, stride);
    return rotate(img, rotation);
}

std::atomic<HardwareDecode> default_hardware{HardwareDecode::Auto};

// One CUDA device for the process: each costs a CUDA context (time and GPU memory), and FFmpeg's decoders share one
// safely. Tried once, so a machine without a driver pays for the attempt once.
struct CudaDevice {
    AVBufferRef* context = nullptr;  // kept for the life of the process
    std::string why;                 // why there is none
};

const CudaDevice& cuda_device() {
    static const CudaDevice device = [] {
        CudaDevice d;
        ffmpeg::quiet_logging();
        ffmpeg::take_logged_errors();
        AVBufferRef* ref = nullptr;
        if (int rc = av_hwdevice_ctx_create(&ref, AV_HWDEVICE_TYPE_CUDA, nullptr, nullptr, 0); rc < 0) {
            const std::string logged = ffmpeg::take_logged_errors();
            d.why = logged.empty() ? "no CUDA device (" + ffmpeg::error_text(rc) + ")" : logged;
        } else {
            d.context = ref;
        }
        return d;
    }();
    return device;
}

bool has_nvdec(const AVCodec* decoder) {
    for (int i = 0;; ++i) {
        const AVCodecHWConfig* config = avcodec_get_hw_config(decoder, i);
        if (!config) return false;
        if (config->device_type == AV_HWDEVICE_TYPE_CUDA && (config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX))
            return true;
    }
}

// FFmpeg's get_format: NVDEC's surfaces when offered. They are not offered when NVDEC cannot take the stream (its
// profile, bit depth or size) or its set-up failed; then the first software format, and the decoder says why.
AVPixelFormat pick_pixel_format(AVCodecContext* codec, const AVPixelFormat* offered) {
    auto* used = static_cast<DecoderUsed*>(codec->opaque);
    for (const AVPixelFormat* p = offered; *p != AV_PIX_FMT_NONE; ++p)
        if (*p == AV_PIX_FMT_CUDA) return *p;
    if (used && used->hardware) {
        used->hardware = false;
        const char* profile = avcodec_profile_name(codec->codec_id, codec->profile);
        const char* format = av_get_pix_fmt_name(codec->sw_pix_fmt);
        used->why = std::string("NVDEC does not decode this stream (") + (profile ? profile : "profile ?") + ", " +
                    (format ? format : "format ?") + ")";
    }
    for (const AVPixelFormat* p = offered; *p != AV_PIX_FMT_NONE; ++p) {
        const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(*p);
        if (desc && !(desc->flags & AV_PIX_FMT_FLAG_HWACCEL)) return *p;
    }
    return AV_PIX_FMT_NONE;
}

}  // namespace

HardwareDecode parse_hardware_decode(const std::string& text) {
    if (text == "auto") return HardwareDecode::Auto;
    if (text == "software") return HardwareDecode::Software;
    if (text == "nvdec") return HardwareDecode::Nvdec;
    throw Error("unknown decoder '" + text + "' — use auto, software or nvdec");
}

void set_default_hardware_decode(HardwareDecode h) { default_hardware.store(h); }
HardwareDecode default_hardware_decode() { return default_hardware.load(); }

std::string DecoderUsed::describe() const {
    if (hardware) return codec + " on NVDEC";
    return codec + " in software" + (why.empty() ? "" : " (" + why + ")");
}

struct VideoDecoder::Impl {
    std::filesystem::path path;
    Options options;
    ffmpeg::FormatPtr format;
    std::unique_ptr<AVCodecContext, CodecCloser> codec;
    std::unique_ptr<AVFrame, FrameFree> frame{av_frame_alloc()};
    std::unique_ptr<AVFrame, FrameFree> host_frame{av_frame_alloc()};  // an NVDEC frame copied to the host
    bool on_host = false;  // the current picture is host_frame
    std::unique_ptr<AVPacket, PacketFree> packet{av_packet_alloc()};
    std::unique_ptr<SwsContext, SwsFree> small_scaler;
    mutable std::unique_ptr<SwsContext, SwsFree> rgb_scaler;
    MediaInfo info;
    DecoderUsed used;
    AVStream* stream = nullptr;
    double start_s = 0.0;
    int64_t next_index = 0;
    double last_pts_s = -1.0;
    int64_t corrupt = 0;
    int64_t first_damage = -1;
    bool input_done = false;
    bool have_frame = false;
    bool sought = false;  // indices are unknown after a seek

    void open() {
        format = ffmpeg::open_input(path);
        int index = ffmpeg::find_video_stream(format.get(), path);
        stream = format->streams[index];
        info = ffmpeg::describe(format.get(), index, path);
        for (unsigned i = 0; i < format->nb_streams; ++i)
            if (static_cast<int>(i) != index) format->streams[i]->discard = AVDISCARD_ALL;
        const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
        codec.reset(avcodec_alloc_context3(decoder));
        if (!codec || avcodec_parameters_to_context(codec.get(), stream->codecpar) < 0)
            throw Error("cannot set up the video decoder for '" + path.string() + "' — the stream header is damaged");
        int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
        codec->thread_count = std::max(1, threads);
        codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
        codec->pkt_timebase = stream->time_base;
        if (options.skip_loop_filter) codec->skip_loop_filter = AVDISCARD_ALL;
        use_nvdec_if_possible(decoder);
        if (int rc = avcodec_open2(codec.get(), decoder, nullptr); rc < 0)
            throw Error("cannot open the " + info.video_codec + " decoder for '" + path.string() +
                        "': " + ffmpeg::error_text(rc));
        start_s = format->start_time != AV_NOPTS_VALUE ? static_cast<double>(format->start_time) / AV_TIME_BASE : 0.0;
    }

    void use_nvdec_if_possible(const AVCodec* decoder) {
        used.codec = info.video_codec;
        if (options.hardware == HardwareDecode::Software) return;
        std::string why;
        if (!has_nvdec(decoder)) why = "this FFmpeg has no NVDEC decoding for " + info.video_codec;
        else if (!cuda_device().context) why = cuda_device().why;
        if (!why.empty()) {
            if (options.hardware == HardwareDecode::Nvdec) refuse_nvdec(why);
            used.why = "NVDEC: " + why;
            return;
        }
        codec->hw_device_ctx = av_buffer_ref(cuda_device().context);
        codec->get_format = pick_pixel_format;
        codec->opaque = &used;
        used.hardware = true;
    }

    [[noreturn]] void refuse_nvdec(const std::string& why) const {
        throw Error("cannot decode '" + path.string() + "' on NVDEC: " + why + " — use --decoder auto or software");
    }

    // The picture of the current frame on the host: NVDEC's frames are copied over (NV12, or P010 for 10 bits).
    const AVFrame* picture() const { return on_host ? host_frame.get() : frame.get(); }

    void bring_to_host() {
        on_host = false;
        if (frame->format != AV_PIX_FMT_CUDA) return;
        // Copy into the last frame's host buffer when nothing else holds it (a kept DecodedPicture does) and the size
        // is the same: a fresh 3 MB buffer per frame costs page faults at hundreds of frames a second.
        AVFrame* host = host_frame.get();
        if (host->buf[0] && (!av_frame_is_writable(host) || host->width != frame->width || host->height != frame->height))
            av_frame_unref(host);
        if (int rc = av_hwframe_transfer_data(host_frame.get(), frame.get(), 0); rc < 0)
            throw Error("cannot copy frame " + std::to_string(next_index) + " of '" + path.string() +
                        "' from the GPU: " + ffmpeg::error_text(rc) + " — try --decoder software");
        // The fields the picture is read with (av_frame_copy_props would pile side data onto a reused frame).
        host->sample_aspect_ratio = frame->sample_aspect_ratio;
        host->pts = frame->pts;
        host->best_effort_timestamp = frame->best_effort_timestamp;
        host->color_range = frame->color_range;
        host->colorspace = frame->colorspace;
        host->color_primaries = frame->color_primaries;
        host->color_trc = frame->color_trc;
        host->chroma_location = frame->chroma_location;
        on_host = true;
    }

    void note_damage() {
        ++corrupt;
        if (first_damage < 0) first_damage = next_index;
    }

    // Feeds packets until the decoder has a frame; false at the end of the stream.
    bool receive() {
        av_frame_unref(frame.get());
        for (;;) {
            int rc = avcodec_receive_frame(codec.get(), frame.get());
            if (rc == 0) return true;
            if (rc == AVERROR_EOF) return false;
            if (rc != AVERROR(EAGAIN)) {  // a broken frame: skip it, keep decoding
                note_damage();
                continue;
            }
            if (input_done) return false;
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
    }

    double frame_time_s() const {
        int64_t ts = frame->best_effort_timestamp;
        if (ts == AV_NOPTS_VALUE) ts = frame->pts;
        if (ts == AV_NOPTS_VALUE) {
            double step = info.fps > 0 ? 1.0 / info.fps : 0.04;
            return last_pts_s < 0 ? 0.0 : last_pts_s + step;
        }
        return static_cast<double>(ts) * av_q2d(stream->time_base) - start_s;
    }

    void scale_small(SmallFrame& out) {
        const AVFrame* frame = picture();
        const int w = std::max(2, std::min(options.analysis_width, frame->width));
        const int h = even(static_cast<int>(std::lround(static_cast<double>(w) * frame->height / frame->width)));
        for (Plane* p : {&out.y, &out.u, &out.v}) {
            p->width = w;
            p->height = h;
            p->pixels.resize(static_cast<size_t>(w) * h);  // no allocation when the buffer is recycled
        }
        // The common case, 8-bit 4:2:0 far larger than the analysis size: sample the decoder's planes directly.
        const auto format = static_cast<AVPixelFormat>(frame->format);
        // NV12 (NVDEC's 8-bit frames) is the same 4:2:0 with U and V interleaved in one plane.
        const bool planar = format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P;
        const bool nv12 = format == AV_PIX_FMT_NV12;
        if ((planar || nv12) && frame->width >= 4 * w) {
            sample_box(frame->data[0], frame->linesize[0], frame->width, frame->height, out.y);
            const int cw = (frame->width + 1) / 2, ch = (frame->height + 1) / 2;
            const int step = nv12 ? 2 : 1;
            const uint8_t* v = nv12 ? frame->data[1] + 1 : frame->data[2];
            const int v_stride = nv12 ? frame->linesize[1] : frame->linesize[2];
            sample_box(frame->data[1], frame->linesize[1], cw, ch, out.u, step);
            sample_box(v, v_stride, cw, ch, out.v, step);
            return;
        }
        small_scaler.reset(sws_getCachedContext(small_scaler.release(), frame->width, frame->height,
                                                static_cast<AVPixelFormat>(frame->format), w, h, AV_PIX_FMT_YUV444P,
                                                SWS_AREA, nullptr, nullptr, nullptr));
        if (!small_scaler) throw Error("cannot scale frames of '" + path.string() + "' (pixel format not supported)");
        uint8_t* dst[4] = {out.y.pixels.data(), out.u.pixels.data(), out.v.pixels.data(), nullptr};
        int stride[4] = {w, w, w, 0};
        sws_scale(small_scaler.get(), frame->data, frame->linesize, 0, frame->height, dst, stride);
    }
};

VideoDecoder::VideoDecoder(const std::filesystem::path& path, Options options) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->options = options;
    impl_->open();
}

VideoDecoder::~VideoDecoder() = default;

const MediaInfo& VideoDecoder::info() const { return impl_->info; }
const DecoderUsed& VideoDecoder::decoder() const { return impl_->used; }

int64_t VideoDecoder::corrupt_packets() const { return impl_->corrupt; }
int64_t VideoDecoder::first_damage_frame() const { return impl_->first_damage; }

bool VideoDecoder::next(SmallFrame& out) {
    Impl& d = *impl_;
    d.have_frame = false;
    while (d.receive()) {
        if (d.frame->width <= 0 || d.frame->height <= 0) {
            d.note_damage();
            continue;
        }
        if (d.frame->decode_error_flags || (d.frame->flags & AV_FRAME_FLAG_CORRUPT)) d.note_damage();
        if (d.options.hardware == HardwareDecode::Nvdec && !d.used.hardware) d.refuse_nvdec(d.used.why);
        d.bring_to_host();
        out.index = d.sought ? -1 : d.next_index++;
        out.pts_s = d.frame_time_s();
        d.last_pts_s = out.pts_s;
        d.scale_small(out);
        d.have_frame = true;
        return true;
    }
    return false;
}

bool VideoDecoder::seek(double seconds) {
    Impl& d = *impl_;
    const double target = std::max(0.0, seconds) + d.start_s;  // the stream's clock: pts_s counts from start_s
    const int64_t ts = av_rescale_q(std::llround(target * AV_TIME_BASE), AV_TIME_BASE_Q, d.stream->time_base);
    if (av_seek_frame(d.format.get(), d.stream->index, ts, AVSEEK_FLAG_BACKWARD) < 0) return false;
    avcodec_flush_buffers(d.codec.get());
    d.input_done = false;
    d.have_frame = false;
    d.sought = true;
    d.last_pts_s = -1.0;
    return true;
}

RgbImage VideoDecoder::current_rgb(int width) const {
    const Impl& d = *impl_;
    if (!d.have_frame) return {};
    return picture_rgb(d.picture(), d.info.rotation_deg, width, d.rgb_scaler);
}

struct DecodedPicture::Impl {
    std::unique_ptr<AVFrame, FrameFree> frame{av_frame_alloc()};
    int rotation_deg = 0;
};

DecodedPicture::DecodedPicture(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DecodedPicture::~DecodedPicture() = default;

RgbImage DecodedPicture::rgb(int width) const {
    // One scaler per thread, reused while the size and format stay the same (sws_getCachedContext).
    thread_local std::unique_ptr<SwsContext, SwsFree> scaler;
    return picture_rgb(impl_->frame.get(), impl_->rotation_deg, width, scaler);
}

std::shared_ptr<const DecodedPicture> VideoDecoder::current_picture() const {
    const Impl& d = *impl_;
    if (!d.have_frame) return nullptr;
    auto impl = std::make_unique<DecodedPicture::Impl>();
    if (!impl->frame || av_frame_ref(impl->frame.get(), d.picture()) < 0)
        throw Error("out of memory keeping frame " + std::to_string(d.next_index - 1) + " of '" + d.path.string() + "'");
    impl->rotation_deg = d.info.rotation_deg;
    return std::shared_ptr<const DecodedPicture>(new DecodedPicture(std::move(impl)));
}

}  // namespace frameline
