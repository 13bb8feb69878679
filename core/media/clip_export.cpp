#include "core/media/clip_export.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cmath>
#include <functional>
#include <map>
#include <queue>
#include <system_error>
#include <vector>

#include "core/error.h"
#include "core/media/ffmpeg_util.h"

namespace frameline {

const char* to_string(ClipMethod method) { return method == ClipMethod::StreamCopy ? "stream-copy" : "re-encode"; }

namespace {

struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFree {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct CodecFree {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct SwsFree {
    void operator()(SwsContext* s) const { sws_freeContext(s); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFree>;

// One video packet as the demuxer gives it. Each undamaged packet decodes to one frame whose timestamp is the
// packet's pts, so sorting packets by pts gives VideoDecoder's frame numbering without decoding anything.
struct VideoPacket {
    int64_t pts = AV_NOPTS_VALUE;
    int64_t dts = AV_NOPTS_VALUE;
    int64_t duration = 0;
    int64_t decode_pos = 0;  // position in decode (file) order
    bool key = false;
};

struct FrameIndex {
    std::vector<VideoPacket> frames;   // presentation order once has_pts; decode order otherwise
    std::vector<int64_t> by_decode;    // decode position -> presentation index
    bool complete = false;             // read to the end: frames.size() is the title's frame count
    bool has_pts = true;               // every packet had a pts (false: raw streams, some AVI)
};

// Reads the video packets until frames [0, needed) are settled in presentation order, or to the end of the file.
// Packets are read in decode order and dts never decreases, and no packet shows before it is decoded (pts >= dts):
// once dts passes a timestamp, no later packet can come before it. 32 more packets are read after that as margin
// for containers whose dts the demuxer only guesses (Matroska stores pts alone).
FrameIndex index_frames(AVFormatContext* format, int video, int64_t needed) {
    std::vector<AVDiscard> saved;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        saved.push_back(format->streams[i]->discard);
        if (static_cast<int>(i) != video) format->streams[i]->discard = AVDISCARD_ALL;
    }
    FrameIndex index;
    PacketPtr packet(av_packet_alloc());
    std::priority_queue<int64_t, std::vector<int64_t>, std::greater<>> unsettled;
    int64_t settled = 0, stop_at = -1, position = 0;
    bool eof = false;
    for (;;) {
        if (av_read_frame(format, packet.get()) < 0) {  // end of file, or damage that ends reading (as the decoder)
            eof = true;
            break;
        }
        if (packet->stream_index == video && !(packet->flags & AV_PKT_FLAG_DISCARD)) {
            VideoPacket v{packet->pts, packet->dts, packet->duration, position++, (packet->flags & AV_PKT_FLAG_KEY) != 0};
            if (v.pts == AV_NOPTS_VALUE) index.has_pts = false;
            else unsettled.push(v.pts);
            index.frames.push_back(v);
            if (v.dts != AV_NOPTS_VALUE)
                while (!unsettled.empty() && unsettled.top() < v.dts) {
                    unsettled.pop();
                    ++settled;
                }
        }
        av_packet_unref(packet.get());
        if (stop_at < 0 && index.has_pts && settled >= needed) stop_at = position + 32;
        if (stop_at >= 0 && position >= stop_at) break;
    }
    index.complete = eof;
    for (unsigned i = 0; i < format->nb_streams; ++i) format->streams[i]->discard = saved[i];
    if (index.has_pts)
        std::stable_sort(index.frames.begin(), index.frames.end(),
                         [](const VideoPacket& a, const VideoPacket& b) { return a.pts < b.pts; });
    index.by_decode.resize(index.frames.size());
    for (size_t i = 0; i < index.frames.size(); ++i) index.by_decode[index.frames[i].decode_pos] = static_cast<int64_t>(i);
    return index;
}

// The muxer for an output extension; nullptr when Frameline does not write that kind of file.
const char* muxer_for(const std::filesystem::path& output) {
    std::string ext = output.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".mp4" || ext == ".m4v") return "mp4";
    if (ext == ".mov") return "mov";
    if (ext == ".mkv") return "matroska";
    return nullptr;
}

bool is_mov_family(const char* muxer) { return std::string(muxer) == "mp4" || std::string(muxer) == "mov"; }

// Everything an export needs after planning: the open source, its frame index and the decision.
struct Session {
    ClipRequest request;
    ffmpeg::FormatPtr format;
    int video = -1;
    int audio = -1;
    FrameIndex index;
    ClipPlan plan;
    const char* muxer = nullptr;
    int64_t start_pts = 0, end_pts = 0, next_pts = 0;  // video time base: first frame, last frame, end of last frame
    int64_t key_pts = 0, key_dts = AV_NOPTS_VALUE;     // the packet decoding (or copying) starts at
    bool copy_audio = true;

    std::string where() const {
        return "cannot export frames " + std::to_string(request.start_frame) + "-" + std::to_string(request.end_frame) +
               " of '" + request.source.string() + "' to '" + request.output.string() + "': ";
    }
    [[noreturn]] void fail(const std::string& reason) const { throw Error(where() + reason); }

    double seconds(int64_t pts) const {
        const double start = format->start_time != AV_NOPTS_VALUE ? static_cast<double>(format->start_time) / AV_TIME_BASE : 0.0;
        return static_cast<double>(pts) * av_q2d(format->streams[video]->time_base) - start;  // as VideoDecoder
    }
};

// Checks what can be checked without reading the source: the range, the extension, the output folder.
void check_request(const Session& s) {
    const ClipRequest& r = s.request;
    if (r.start_frame < 0) s.fail("frames are counted from 0 — give a start frame of 0 or more");
    if (r.end_frame < r.start_frame) s.fail("the range ends before it starts — give START-END with END >= START");
    if (!s.muxer)
        s.fail("unknown output extension '" + r.output.extension().string() + "' — name the clip .mp4, .m4v, .mov or .mkv");
    std::filesystem::path folder = r.output.parent_path();
    if (folder.empty()) folder = ".";
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        s.fail("the folder '" + folder.string() + "' does not exist — create it or choose another output path");
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
        s.fail("the folder '" + folder.string() + "' is not writable — choose another output path");
    if (std::filesystem::is_directory(r.output, ec)) s.fail("the output path is a folder — give a file name");
    if (std::filesystem::exists(r.output, ec) && std::filesystem::equivalent(r.output, r.source, ec))
        s.fail("the output is the source file — choose another output path");
}

// The decode position from which the range can be decoded: the last key packet at or before the range's first
// packet in decode order, and before the start frame (a key packet shown after the start belongs to an open GOP).
int64_t key_position_for(const FrameIndex& index, int64_t first_pos, int64_t start_pts) {
    for (int64_t pos = first_pos; pos >= 0; --pos) {
        const VideoPacket& p = index.frames[index.by_decode[pos]];
        if (p.key && (p.pts == AV_NOPTS_VALUE || p.pts <= start_pts)) return pos;
    }
    return 0;  // no key packet: decode from the first packet, as VideoDecoder does
}

std::unique_ptr<Session> open_session(const ClipRequest& request) {
    auto s = std::make_unique<Session>();
    s->request = request;
    s->muxer = muxer_for(request.output);
    check_request(*s);
    try {
        s->format = ffmpeg::open_input(request.source);
        s->video = ffmpeg::find_video_stream(s->format.get(), request.source);
    } catch (const Error& e) {
        s->fail(e.what());
    }
    s->audio = av_find_best_stream(s->format.get(), AVMEDIA_TYPE_AUDIO, -1, s->video, nullptr, 0);
    if (s->audio < 0) s->audio = -1;

    s->index = index_frames(s->format.get(), s->video, request.end_frame + 2);
    const FrameIndex& index = s->index;
    const auto count = static_cast<int64_t>(index.frames.size());
    if (count == 0) s->fail("the video stream has no frames — is the file complete?");
    if (request.end_frame >= count)
        s->fail("the title has " + std::to_string(count) + " frames (0-" + std::to_string(count - 1) +
                ") — choose a range inside it");

    ClipPlan& plan = s->plan;
    plan.start_frame = request.start_frame;
    plan.end_frame = request.end_frame;
    plan.frame_count = request.end_frame - request.start_frame + 1;
    const AVStream* vs = s->format->streams[s->video];
    plan.video_codec = avcodec_get_name(vs->codecpar->codec_id);
    if (s->audio >= 0) {
        plan.has_audio = true;
        plan.audio_codec = avcodec_get_name(s->format->streams[s->audio]->codecpar->codec_id);
    }
    const AVOutputFormat* out_format = av_guess_format(s->muxer, nullptr, nullptr);
    if (s->audio >= 0 && avformat_query_codec(out_format, s->format->streams[s->audio]->codecpar->codec_id,
                                              FF_COMPLIANCE_NORMAL) == 0)
        s->fail("its " + plan.audio_codec + " audio cannot go into a " + request.output.extension().string() +
                " file — name the clip .mkv");

    if (!index.has_pts) {
        // Without timestamps frames are found by counting decoded frames from the start, as VideoDecoder does.
        plan.method = ClipMethod::Reencode;
        plan.reason = "the video packets carry no timestamps, so the range is found by decoding from the start"
                      " (video only: there are no timestamps to cut the audio by)";
        plan.has_audio = false;
        plan.audio_codec.clear();
        s->audio = -1;
        plan.decode_from_frame = 0;
        s->start_pts = s->end_pts = s->next_pts = 0;
        s->key_pts = AV_NOPTS_VALUE;
        const double fps = vs->avg_frame_rate.num > 0 ? av_q2d(vs->avg_frame_rate) : 25.0;
        plan.start_s = static_cast<double>(request.start_frame) / fps;  // an estimate; no timestamps to say better
        plan.end_s = static_cast<double>(request.end_frame + 1) / fps;
        plan.video_codec = avcodec_find_encoder_by_name("libx264") ? "h264" : "mpeg4";
        return s;
    }

    const VideoPacket& first = index.frames[request.start_frame];
    const VideoPacket& last = index.frames[request.end_frame];
    s->start_pts = first.pts;
    s->end_pts = last.pts;
    if (request.end_frame + 1 < count) {
        s->next_pts = index.frames[request.end_frame + 1].pts;
    } else {  // the title's last frame: its own duration, else one nominal frame
        int64_t duration = last.duration;
        if (duration <= 0 && vs->avg_frame_rate.num > 0)
            duration = av_rescale_q(1, av_inv_q(vs->avg_frame_rate), vs->time_base);
        s->next_pts = last.pts + std::max<int64_t>(1, duration);
    }
    plan.start_s = s->seconds(s->start_pts);
    plan.end_s = s->seconds(s->next_pts);

    // Where the range's packets lie in decode order: a copy is clean only when they form one unbroken run that
    // starts with the key packet of the first frame. Otherwise a frame of the range refers to a frame outside it
    // (B-frames at the end, an open GOP at the start) and copying would leave frames that cannot be decoded.
    int64_t min_pos = first.decode_pos, max_pos = first.decode_pos;
    for (int64_t i = request.start_frame; i <= request.end_frame; ++i) {
        min_pos = std::min(min_pos, index.frames[i].decode_pos);
        max_pos = std::max(max_pos, index.frames[i].decode_pos);
    }
    const int64_t key_pos = key_position_for(index, min_pos, s->start_pts);
    const int64_t key_frame = index.by_decode[key_pos];
    plan.decode_from_frame = key_frame;
    const bool unbroken = min_pos == first.decode_pos && max_pos - min_pos + 1 == plan.frame_count;
    const bool codec_fits = avformat_query_codec(out_format, vs->codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 0;

    plan.method = ClipMethod::Reencode;
    if (request.force_reencode) {
        plan.reason = "a re-encode was asked for";
    } else if (!first.key) {
        plan.reason = "frame " + std::to_string(request.start_frame) + " is not a key frame (the previous key frame is " +
                      std::to_string(key_frame) + ")";
    } else if (!unbroken) {
        plan.reason = "frames of the range depend on frames outside it (B-frames around frame " +
                      std::to_string(request.end_frame) + "), so it cannot be cut without decoding";
    } else if (!codec_fits) {
        plan.reason = plan.video_codec + " video cannot go into a " + request.output.extension().string() + " file";
    } else {
        plan.method = ClipMethod::StreamCopy;
        plan.reason = "the range starts on a key frame and its packets form one unbroken run";
    }
    if (plan.method == ClipMethod::Reencode) {
        plan.video_codec = avcodec_find_encoder_by_name("libx264") ? "h264" : "mpeg4";
        const VideoPacket& key = index.frames[key_frame];
        s->key_pts = key.pts;
        s->key_dts = key.dts;
    } else {
        s->key_pts = first.pts;
        s->key_dts = first.dts;
    }
    return s;
}

// A file in the output folder that becomes the clip only by rename(); removed on any failure.
struct TempFile {
    std::filesystem::path path;
    bool keep = false;
    ~TempFile() {
        if (keep) return;
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

struct OutputClose {
    void operator()(AVFormatContext* c) const {
        if (!c) return;
        if (c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
        avformat_free_context(c);
    }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputClose>;

// Keeps the source's codec tag when the output container knows it (hvc1 stays hvc1), else lets the muxer choose.
uint32_t codec_tag_for(const AVOutputFormat* format, const AVCodecParameters* par) {
    if (!format->codec_tag || !par->codec_tag) return 0;
    return av_codec_get_id(format->codec_tag, par->codec_tag) == par->codec_id ? par->codec_tag : 0;
}

void copy_stream_side_data(const AVStream* in, AVStream* out) {
    for (int i = 0; i < in->nb_side_data; ++i) {
        const AVPacketSideData& sd = in->side_data[i];
        if (uint8_t* dst = av_stream_new_side_data(out, sd.type, sd.size)) std::memcpy(dst, sd.data, sd.size);
    }
}

// Writes the planned clip. One pass over the source from a seek point before the range: video packets of the range
// are copied (or decoded and the range's frames encoded), audio packets whose middle falls in the range are copied.
class ClipWriter {
public:
    explicit ClipWriter(Session& s) : s_(s) {}

    ClipResult run() {
        const ClipPlan& plan = s_.plan;
        TempFile temp{s_.request.output.parent_path() /
                      ("." + s_.request.output.filename().string() + ".partial-" + std::to_string(::getpid()))};
        open_output(temp.path);
        if (plan.method == ClipMethod::Reencode) open_codecs();
        add_streams();
        AVDictionary* options = nullptr;
        if (is_mov_family(s_.muxer)) {
            // No edit lists (players differ on them); negative composition offsets keep the first frame at 0 with B-frames.
            av_dict_set(&options, "use_editlist", "0", 0);
            av_dict_set(&options, "movflags", "+negative_cts_offsets+faststart", 0);
        }
        int rc = avformat_write_header(out_.get(), &options);
        av_dict_free(&options);
        if (rc < 0) s_.fail("cannot start writing: " + ffmpeg::error_text(rc) + " — check the disk and the folder");

        seek_before_range();
        pump();
        if (frames_ != plan.frame_count)
            s_.fail("only " + std::to_string(frames_) + " of " + std::to_string(plan.frame_count) +
                    " frames could be read — the file may be damaged; try another range");
        if ((rc = av_write_trailer(out_.get())) < 0)
            s_.fail("cannot finish writing: " + ffmpeg::error_text(rc) + " — is the disk full?");
        out_.reset();  // closes the file before the rename
        std::error_code ec;
        std::filesystem::rename(temp.path, s_.request.output, ec);
        if (ec) s_.fail("cannot move the finished clip into place: " + ec.message());
        temp.keep = true;

        ClipResult result;
        result.plan = plan;
        result.output = s_.request.output;
        result.frames_written = frames_;
        const AVRational vtb = s_.format->streams[s_.video]->time_base;
        result.video_duration_s = static_cast<double>(video_end_) * av_q2d(vtb);
        if (s_.audio >= 0)
            result.audio_duration_s = static_cast<double>(audio_end_) * av_q2d(s_.format->streams[s_.audio]->time_base);
        result.size_bytes = static_cast<int64_t>(std::filesystem::file_size(s_.request.output, ec));
        return result;
    }

private:
    Session& s_;
    OutputPtr out_;
    AVStream* out_video_ = nullptr;
    AVStream* out_audio_ = nullptr;
    CodecPtr decoder_, encoder_;
    std::unique_ptr<SwsContext, SwsFree> scaler_;
    FramePtr converted_;
    std::map<int64_t, int64_t> durations_;  // encoder pts -> frame duration (encoder time base)
    int64_t frames_ = 0;        // video frames of the range written (copy) or sent to the encoder (re-encode)
    int64_t video_end_ = 0;     // end of the last video frame, video time base, rebased
    int64_t audio_end_ = 0;     // end of the last audio packet, audio time base, rebased
    bool video_done_ = false;
    bool audio_done_ = false;
    bool waiting_for_key_ = true;
    int64_t audio_origin_ = AV_NOPTS_VALUE;  // source audio pts that becomes 0 in the clip
    int64_t counted_ = 0;                    // decoded frames, for sources without timestamps

    void open_output(const std::filesystem::path& path) {
        AVFormatContext* raw = nullptr;
        int rc = avformat_alloc_output_context2(&raw, nullptr, s_.muxer, path.c_str());
        if (rc < 0 || !raw) s_.fail("cannot set up the " + std::string(s_.muxer) + " writer: " + ffmpeg::error_text(rc));
        out_.reset(raw);
        if ((rc = avio_open(&out_->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0)
            s_.fail("cannot create a file in '" + path.parent_path().string() + "': " + ffmpeg::error_text(rc) +
                    " — check the folder's permissions and free space");
    }

    void open_codecs() {
        const AVStream* in = s_.format->streams[s_.video];
        const AVCodec* decoder = avcodec_find_decoder(in->codecpar->codec_id);
        decoder_.reset(avcodec_alloc_context3(decoder));
        if (!decoder_ || avcodec_parameters_to_context(decoder_.get(), in->codecpar) < 0)
            s_.fail("cannot set up the video decoder — the stream header is damaged");
        decoder_->pkt_timebase = in->time_base;
        decoder_->thread_count = 0;  // one per core
        if (int rc = avcodec_open2(decoder_.get(), decoder, nullptr); rc < 0)
            s_.fail("cannot open the video decoder: " + ffmpeg::error_text(rc));

        // libx264 where FFmpeg has it (Debian's does); MPEG-4 part 2 otherwise, which every FFmpeg can write.
        const AVCodec* encoder = avcodec_find_encoder_by_name("libx264");
        if (!encoder) encoder = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
        if (!encoder) s_.fail("this FFmpeg has no H.264 or MPEG-4 encoder — install one with libx264");
        encoder_.reset(avcodec_alloc_context3(encoder));
        AVCodecContext* e = encoder_.get();
        e->width = in->codecpar->width;
        e->height = in->codecpar->height;
        e->sample_aspect_ratio = in->codecpar->sample_aspect_ratio;
        const auto source_format = static_cast<AVPixelFormat>(in->codecpar->format);
        e->pix_fmt = AV_PIX_FMT_YUV420P;
        if (encoder->pix_fmts && source_format != AV_PIX_FMT_NONE) {
            for (const AVPixelFormat* f = encoder->pix_fmts; *f != AV_PIX_FMT_NONE; ++f)
                if (*f == source_format) e->pix_fmt = source_format;  // keep 4:2:2, 4:4:4, 10-bit where it can
        }
        e->time_base = in->time_base;
        if (encoder->id == AV_CODEC_ID_MPEG4 && e->time_base.den > 65535) e->time_base = AVRational{1, 1000};
        e->framerate = in->avg_frame_rate.num > 0 ? in->avg_frame_rate : in->r_frame_rate;
        e->color_range = in->codecpar->color_range;
        e->color_primaries = in->codecpar->color_primaries;
        e->color_trc = in->codecpar->color_trc;
        e->colorspace = in->codecpar->color_space;
        e->chroma_sample_location = in->codecpar->chroma_location;
        e->thread_count = 0;
        if (out_->oformat->flags & AVFMT_GLOBALHEADER) e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        if (encoder->id == AV_CODEC_ID_H264) {
            av_opt_set(e->priv_data, "preset", "fast", 0);
            av_opt_set(e->priv_data, "crf", "18", 0);  // visually lossless for review clips
        } else {
            e->flags |= AV_CODEC_FLAG_QSCALE;
            e->global_quality = FF_QP2LAMBDA * 3;
        }
        if (int rc = avcodec_open2(e, encoder, nullptr); rc < 0)
            s_.fail("cannot open the " + std::string(encoder->name) + " encoder: " + ffmpeg::error_text(rc));
    }

    void add_streams() {
        const AVStream* in = s_.format->streams[s_.video];
        out_video_ = avformat_new_stream(out_.get(), nullptr);
        if (!out_video_) s_.fail("out of memory");
        if (encoder_) {
            avcodec_parameters_from_context(out_video_->codecpar, encoder_.get());
            out_video_->time_base = encoder_->time_base;
        } else {
            avcodec_parameters_copy(out_video_->codecpar, in->codecpar);
            out_video_->codecpar->codec_tag = codec_tag_for(out_->oformat, in->codecpar);
            out_video_->time_base = in->time_base;
        }
        out_video_->avg_frame_rate = in->avg_frame_rate;
        out_video_->r_frame_rate = in->r_frame_rate;
        out_video_->sample_aspect_ratio = in->sample_aspect_ratio;
        copy_stream_side_data(in, out_video_);  // the display matrix: a rotated phone video stays upright
        av_dict_copy(&out_video_->metadata, in->metadata, 0);
        if (s_.audio >= 0) {
            const AVStream* ia = s_.format->streams[s_.audio];
            out_audio_ = avformat_new_stream(out_.get(), nullptr);
            if (!out_audio_) s_.fail("out of memory");
            avcodec_parameters_copy(out_audio_->codecpar, ia->codecpar);
            out_audio_->codecpar->codec_tag = codec_tag_for(out_->oformat, ia->codecpar);
            out_audio_->time_base = ia->time_base;
            av_dict_copy(&out_audio_->metadata, ia->metadata, 0);
        }
    }

    // Seeks to a key frame at or before the packet decoding starts at, and a second before the range (audio packets
    // lie around their video in the file). If the demuxer lands too late, reads from the start instead.
    void seek_before_range() {
        for (unsigned i = 0; i < s_.format->nb_streams; ++i)
            s_.format->streams[i]->discard =
                (static_cast<int>(i) == s_.video || static_cast<int>(i) == s_.audio) ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
        if (s_.key_pts == AV_NOPTS_VALUE) {
            rewind();
            return;
        }
        const AVRational tb = s_.format->streams[s_.video]->time_base;
        const int64_t one_second = av_rescale_q(1, AVRational{1, 1}, tb);
        const int64_t key_ts = s_.key_dts != AV_NOPTS_VALUE ? s_.key_dts : s_.key_pts;
        const int64_t target = std::min(key_ts, s_.start_pts - one_second);
        if (av_seek_frame(s_.format.get(), s_.video, target, AVSEEK_FLAG_BACKWARD) < 0) {
            rewind();
            return;
        }
        // Look at the first video packet after the seek: it must not come after the key packet.
        PacketPtr packet(av_packet_alloc());
        bool early_enough = false;
        while (av_read_frame(s_.format.get(), packet.get()) >= 0) {
            const bool video = packet->stream_index == s_.video;
            if (video) {
                early_enough = (packet->dts != AV_NOPTS_VALUE && s_.key_dts != AV_NOPTS_VALUE)
                                   ? packet->dts <= s_.key_dts
                                   : packet->pts != AV_NOPTS_VALUE && packet->pts <= s_.key_pts;
            }
            av_packet_unref(packet.get());
            if (video) break;
        }
        if (!early_enough || av_seek_frame(s_.format.get(), s_.video, target, AVSEEK_FLAG_BACKWARD) < 0) rewind();
    }

    // Reads the source again from its first packet: opening it anew works for every demuxer, seekable or not.
    void rewind() {
        ffmpeg::FormatPtr fresh = ffmpeg::open_input(s_.request.source);
        for (unsigned i = 0; i < fresh->nb_streams; ++i) fresh->streams[i]->discard = s_.format->streams[i]->discard;
        s_.format = std::move(fresh);
    }

    void write(AVPacket* packet, AVStream* out, AVRational from) {
        packet->stream_index = out->index;
        packet->pos = -1;
        av_packet_rescale_ts(packet, from, out->time_base);
        if (int rc = av_interleaved_write_frame(out_.get(), packet); rc < 0)
            s_.fail("cannot write: " + ffmpeg::error_text(rc) + " — is the disk full?");
    }

    void pump() {
        PacketPtr packet(av_packet_alloc());
        audio_done_ = s_.audio < 0;
        waiting_for_key_ = true;
        while (!(video_done_ && audio_done_)) {
            if (av_read_frame(s_.format.get(), packet.get()) < 0) break;
            if (packet->stream_index == s_.video && !video_done_) {
                if (s_.plan.method == ClipMethod::StreamCopy) copy_video(packet.get());
                else decode_video(packet.get());
            } else if (packet->stream_index == s_.audio && !audio_done_) {
                copy_audio(packet.get());
            }
            av_packet_unref(packet.get());
        }
        if (decoder_ && !video_done_) {  // the range runs to the end of the file: drain the decoder
            avcodec_send_packet(decoder_.get(), nullptr);
            receive_frames();
        }
        if (encoder_) flush_encoder();
    }

    void copy_video(AVPacket* packet) {
        if ((packet->flags & AV_PKT_FLAG_DISCARD) || packet->pts == AV_NOPTS_VALUE) return;
        if (packet->pts < s_.start_pts || packet->pts > s_.end_pts) return;
        packet->pts -= s_.start_pts;
        if (packet->dts != AV_NOPTS_VALUE) packet->dts -= s_.start_pts;
        video_end_ = std::max(video_end_, packet->pts + std::max<int64_t>(packet->duration, 0));
        // The last frame lasts until the next frame of the source, whatever the packet says.
        if (packet->pts == s_.end_pts - s_.start_pts) {
            packet->duration = s_.next_pts - s_.end_pts;
            video_end_ = std::max(video_end_, s_.next_pts - s_.start_pts);
        }
        write(packet, out_video_, s_.format->streams[s_.video]->time_base);
        if (++frames_ == s_.plan.frame_count) video_done_ = true;
    }

    void decode_video(AVPacket* packet) {
        if (packet->flags & AV_PKT_FLAG_DISCARD) return;
        if (waiting_for_key_ && !(packet->flags & AV_PKT_FLAG_KEY) && s_.key_pts != AV_NOPTS_VALUE) return;
        waiting_for_key_ = false;
        avcodec_send_packet(decoder_.get(), packet);  // a damaged packet: its frame is missing, counted at the end
        receive_frames();
    }

    void receive_frames() {
        FramePtr frame(av_frame_alloc());
        int64_t decoded_index = -1;  // only for files without timestamps: frames counted from the start
        while (!video_done_) {
            int rc = avcodec_receive_frame(decoder_.get(), frame.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) continue;
            if (frame->width <= 0 || frame->height <= 0) continue;  // VideoDecoder does not count these either
            int64_t ts = frame->best_effort_timestamp;
            if (ts == AV_NOPTS_VALUE) ts = frame->pts;
            bool in_range = false;
            int64_t rebased = 0;
            if (s_.key_pts == AV_NOPTS_VALUE) {  // no timestamps: count frames
                decoded_index = counted_++;
                in_range = decoded_index >= s_.plan.start_frame && decoded_index <= s_.plan.end_frame;
                rebased = decoded_index - s_.plan.start_frame;
            } else {
                in_range = ts != AV_NOPTS_VALUE && ts >= s_.start_pts && ts <= s_.end_pts;
                rebased = ts - s_.start_pts;
            }
            if (in_range) encode(frame.get(), rebased);
            av_frame_unref(frame.get());
        }
    }

    void encode(AVFrame* frame, int64_t rebased) {
        AVCodecContext* e = encoder_.get();
        const AVRational in_tb = s_.format->streams[s_.video]->time_base;
        AVFrame* input = frame;
        if (frame->width != e->width || frame->height != e->height || frame->format != e->pix_fmt) {
            scaler_.reset(sws_getCachedContext(scaler_.release(), frame->width, frame->height,
                                               static_cast<AVPixelFormat>(frame->format), e->width, e->height,
                                               e->pix_fmt, SWS_BICUBIC, nullptr, nullptr, nullptr));
            if (!scaler_) s_.fail("cannot convert the frames' pixel format for the encoder");
            if (!converted_) {
                converted_.reset(av_frame_alloc());
                converted_->format = e->pix_fmt;
                converted_->width = e->width;
                converted_->height = e->height;
                if (av_frame_get_buffer(converted_.get(), 0) < 0) s_.fail("out of memory");
            }
            av_frame_make_writable(converted_.get());
            sws_scale(scaler_.get(), frame->data, frame->linesize, 0, frame->height, converted_->data,
                      converted_->linesize);
            input = converted_.get();
        }
        int64_t pts = 0, duration = 0;
        if (s_.key_pts == AV_NOPTS_VALUE) {  // no timestamps: frames at the nominal rate
            const AVRational frame_tb = av_inv_q(e->framerate.num > 0 ? e->framerate : AVRational{25, 1});
            pts = av_rescale_q(rebased, frame_tb, e->time_base);
            duration = av_rescale_q(1, frame_tb, e->time_base);
        } else {
            const int64_t source_pts = rebased + s_.start_pts;
            int64_t next = s_.next_pts;
            const auto& frames = s_.index.frames;
            const int64_t i = s_.plan.start_frame + frames_;
            if (i < static_cast<int64_t>(frames.size()) && frames[i].pts == source_pts && i + 1 <= s_.plan.end_frame)
                next = frames[i + 1].pts;
            pts = av_rescale_q(rebased, in_tb, e->time_base);
            duration = av_rescale_q(next - source_pts, in_tb, e->time_base);
        }
        durations_[pts] = std::max<int64_t>(1, duration);
        input->pts = pts;
        input->pict_type = AV_PICTURE_TYPE_NONE;  // the encoder decides; the first frame is a key frame anyway
        if (int rc = avcodec_send_frame(e, input); rc < 0) s_.fail("the encoder refused a frame: " + ffmpeg::error_text(rc));
        ++frames_;
        receive_packets();
        if (frames_ == s_.plan.frame_count) video_done_ = true;
    }

    void receive_packets() {
        PacketPtr packet(av_packet_alloc());
        for (;;) {
            int rc = avcodec_receive_packet(encoder_.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) s_.fail("the encoder failed: " + ffmpeg::error_text(rc));
            if (auto it = durations_.find(packet->pts); it != durations_.end()) packet->duration = it->second;
            const AVRational vtb = s_.format->streams[s_.video]->time_base;
            video_end_ = std::max(video_end_, av_rescale_q(packet->pts + packet->duration, encoder_->time_base, vtb));
            write(packet.get(), out_video_, encoder_->time_base);
        }
    }

    void flush_encoder() {
        avcodec_send_frame(encoder_.get(), nullptr);
        receive_packets();
    }

    // Audio packets whose middle lies in [start, end of the last frame): the audio track is the video's length to
    // within one packet (21 ms for AAC at 48 kHz), and starts at 0 (the first packet moves by at most half its length).
    void copy_audio(AVPacket* packet) {
        if (packet->pts == AV_NOPTS_VALUE || s_.key_pts == AV_NOPTS_VALUE) {
            if (s_.key_pts == AV_NOPTS_VALUE) audio_done_ = true;  // no timestamps to cut audio by: video only
            return;
        }
        const AVStream* ia = s_.format->streams[s_.audio];
        const AVRational vtb = s_.format->streams[s_.video]->time_base;
        const int64_t start = av_rescale_q(s_.start_pts, vtb, ia->time_base);
        const int64_t end = av_rescale_q(s_.next_pts, vtb, ia->time_base);
        int64_t duration = packet->duration;
        if (duration <= 0 && ia->codecpar->frame_size > 0 && ia->codecpar->sample_rate > 0)
            duration = av_rescale_q(ia->codecpar->frame_size, AVRational{1, ia->codecpar->sample_rate}, ia->time_base);
        const int64_t middle = packet->pts + duration / 2;
        if (packet->pts >= end) {
            audio_done_ = true;
            return;
        }
        if (middle < start || middle >= end) return;
        // The first packet may begin up to half a packet before the range: the whole track moves by that much, so
        // packets neither overlap nor leave gaps.
        if (audio_origin_ == AV_NOPTS_VALUE) audio_origin_ = std::min(start, packet->pts);
        const int64_t rebased = packet->pts - audio_origin_;
        packet->pts = rebased;
        packet->dts = rebased;
        packet->duration = duration;
        audio_end_ = std::max(audio_end_, rebased + duration);
        write(packet, out_audio_, ia->time_base);
    }
};

}  // namespace

ClipPlan plan_clip(const ClipRequest& request) { return open_session(request)->plan; }

ClipResult export_clip(const ClipRequest& request) {
    auto session = open_session(request);
    ClipWriter writer(*session);
    return writer.run();
}

}  // namespace frameline
