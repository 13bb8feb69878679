#include "core/media/subtitle_reader.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}
#include <algorithm>
#include <cstring>
#include <memory>
#include <tuple>

#include "core/error.h"
#include "core/media/ffmpeg_util.h"
#include "core/media/streams_ffmpeg.h"
#include "core/media/subtitle_text.h"

namespace frameline {
namespace {

struct CodecCloser {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;

// A cue whose packet and decoder give no end: it lasts until the next cue, but never longer than this.
constexpr double kOpenCueMaxS = 10.0;

struct Reader {
    SubtitleTrack* track = nullptr;
    std::unique_ptr<AVCodecContext, CodecCloser> codec;
    AVStream* stream = nullptr;
    std::vector<bool> open_ended;  // per cue: the end is a guess, to be set from the next cue
};

// The decoded subtitle's text: each rectangle's text without markup, joined by line breaks.
std::string text_of(const AVSubtitle& sub) {
    std::string text;
    for (unsigned i = 0; i < sub.num_rects; ++i) {
        const AVSubtitleRect* r = sub.rects[i];
        std::string part;
        if (r->type == SUBTITLE_ASS && r->ass) part = ass_dialogue_text(r->ass);
        else if (r->type == SUBTITLE_TEXT && r->text) part = plain_cue_text(r->text);
        if (part.empty()) continue;
        if (!text.empty()) text += '\n';
        text += part;
    }
    return text;
}

// A copy of `packet` whose payload, read as Windows-1252, is re-encoded as UTF-8.
PacketPtr recoded(const AVPacket* packet) {
    const std::string utf8 =
        windows1252_to_utf8(std::string_view(reinterpret_cast<const char*>(packet->data), packet->size));
    PacketPtr copy(av_packet_alloc());
    if (!copy || av_new_packet(copy.get(), static_cast<int>(utf8.size())) < 0) return nullptr;
    std::memcpy(copy->data, utf8.data(), utf8.size());
    av_packet_copy_props(copy.get(), packet);
    copy->stream_index = packet->stream_index;
    return copy;
}

std::string stream_name(const std::filesystem::path& path, const MediaStream& s) {
    return "'" + path.string() + "' stream " + std::to_string(s.index) + " (" + s.codec + ", " + s.language + ")";
}

}  // namespace

EmbeddedSubtitles read_embedded_subtitles(const std::filesystem::path& path, std::stop_token stop) {
    ffmpeg::FormatPtr format = ffmpeg::open_input(path);
    const double start_s =
        format->start_time != AV_NOPTS_VALUE ? static_cast<double>(format->start_time) / AV_TIME_BASE : 0.0;
    const bool has_duration = format->duration != AV_NOPTS_VALUE && format->duration > 0;
    const double title_end_s = has_duration ? static_cast<double>(format->duration) / AV_TIME_BASE : 0.0;
    EmbeddedSubtitles out;
    out.streams = ffmpeg::describe_streams(format.get(), path);
    out.tracks.reserve(out.streams.subtitles.size());
    for (const MediaStream& s : out.streams.subtitles) out.tracks.push_back(SubtitleTrack{s, {}, {}, 0, 0});

    // One decoder per text track; everything else is discarded by the demuxer.
    std::vector<Reader> readers(format->nb_streams);
    bool any = false;
    for (SubtitleTrack& t : out.tracks) {
        const MediaStream& s = t.stream;
        if (!s.text) {
            t.skipped = "not text: " + s.codec + " subtitles are pictures of text — skipped";
            continue;
        }
        const AVCodec* decoder = avcodec_find_decoder(format->streams[s.index]->codecpar->codec_id);
        if (!decoder) {
            t.skipped = "no decoder for " + s.codec + " subtitles in this FFmpeg — skipped";
            continue;
        }
        Reader& r = readers[s.index];
        r.stream = format->streams[s.index];
        r.codec.reset(avcodec_alloc_context3(decoder));
        if (!r.codec || avcodec_parameters_to_context(r.codec.get(), r.stream->codecpar) < 0) {
            t.skipped = "the stream's header is damaged — skipped";
            r.codec.reset();
            continue;
        }
        r.codec->pkt_timebase = r.stream->time_base;
        if (int rc = avcodec_open2(r.codec.get(), decoder, nullptr); rc < 0) {
            t.skipped = "cannot open the " + s.codec + " decoder: " + ffmpeg::error_text(rc) + " — skipped";
            r.codec.reset();
            continue;
        }
        r.track = &t;
        any = true;
    }
    for (unsigned i = 0; i < format->nb_streams; ++i)
        if (!readers[i].codec) format->streams[i]->discard = AVDISCARD_ALL;
    if (!any) return out;

    PacketPtr packet(av_packet_alloc());
    int64_t packets = 0;
    int read_errors = 0;
    while (true) {
        if ((++packets & 255) == 0 && stop.stop_requested()) throw Cancelled();
        const int rc = av_read_frame(format.get(), packet.get());
        if (rc == AVERROR_EOF) break;
        if (rc < 0) {
            // A damaged stretch: the demuxer usually resynchronises; a file that keeps failing is at its end.
            if (rc == AVERROR(EAGAIN) || ++read_errors < 32) continue;
            out.warnings.push_back("'" + path.string() + "': reading stopped early: " + ffmpeg::error_text(rc) +
                                   " — the file may be truncated");
            break;
        }
        std::unique_ptr<AVPacket, void (*)(AVPacket*)> unref(packet.get(), av_packet_unref);
        if (packet->stream_index < 0 || packet->stream_index >= static_cast<int>(readers.size())) continue;
        Reader& r = readers[packet->stream_index];
        if (!r.codec || packet->size <= 0) continue;
        SubtitleTrack& t = *r.track;

        const int64_t pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (pts == AV_NOPTS_VALUE) {
            ++t.bad_packets;
            continue;
        }
        AVSubtitle sub{};
        int got = 0;
        int drc = avcodec_decode_subtitle2(r.codec.get(), &sub, &got, packet.get());
        const std::string_view payload(reinterpret_cast<const char*>(packet->data), packet->size);
        if (drc == AVERROR_INVALIDDATA && !is_valid_utf8(payload)) {
            // Text subtitles must be UTF-8; old files carry Windows-1252. Read them as that.
            if (PacketPtr copy = recoded(packet.get())) {
                drc = avcodec_decode_subtitle2(r.codec.get(), &sub, &got, copy.get());
                if (drc >= 0) ++t.recoded_packets;
            }
        }
        if (drc < 0) {
            ++t.bad_packets;
            continue;
        }
        if (!got) continue;
        std::unique_ptr<AVSubtitle, void (*)(AVSubtitle*)> free_sub(&sub, avsubtitle_free);
        std::string text = text_of(sub);
        if (text.empty()) continue;  // mov_text marks the gaps between cues with empty samples

        const double tb = av_q2d(r.stream->time_base);
        const double packet_s = static_cast<double>(pts) * tb - start_s;
        TranscriptSegment cue;
        cue.source = "subtitle";
        cue.language = t.stream.language;
        cue.start_s = packet_s + sub.start_display_time / 1000.0;
        bool open = false;
        if (packet->duration > 0) {
            cue.end_s = packet_s + static_cast<double>(packet->duration) * tb;
        } else if (sub.end_display_time > sub.start_display_time && sub.end_display_time != UINT32_MAX) {
            cue.end_s = packet_s + sub.end_display_time / 1000.0;
        } else {
            open = true;
            cue.end_s = cue.start_s + kOpenCueMaxS;
        }
        cue.text = std::move(text);
        t.cues.push_back(std::move(cue));
        r.open_ended.push_back(open);
    }

    for (Reader& r : readers) {
        if (!r.track) continue;
        SubtitleTrack& t = *r.track;
        // Open cues end where the next one starts; then order, and drop exact repeats (ASS scripts repeat lines
        // for layered effects).
        std::vector<size_t> order(t.cues.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return t.cues[a].start_s < t.cues[b].start_s; });
        std::vector<TranscriptSegment> sorted;
        sorted.reserve(t.cues.size());
        for (size_t k = 0; k < order.size(); ++k) {
            TranscriptSegment cue = std::move(t.cues[order[k]]);
            if (r.open_ended[order[k]]) {
                double end = k + 1 < order.size() ? t.cues[order[k + 1]].start_s : title_end_s;
                if (end > cue.start_s) cue.end_s = std::min(end, cue.start_s + kOpenCueMaxS);
            }
            const bool repeat = !sorted.empty() && std::tie(sorted.back().start_s, sorted.back().end_s,
                                                            sorted.back().text) ==
                                                       std::tie(cue.start_s, cue.end_s, cue.text);
            if (!repeat) sorted.push_back(std::move(cue));
        }
        t.cues = std::move(sorted);
        if (t.bad_packets > 0)
            out.warnings.push_back(stream_name(path, t.stream) + ": " + std::to_string(t.bad_packets) +
                                   " subtitle packets could not be decoded — skipped");
        if (t.recoded_packets > 0)
            out.warnings.push_back(stream_name(path, t.stream) + ": " + std::to_string(t.recoded_packets) +
                                   " cues were not UTF-8 and were read as Windows-1252 — check their accents");
    }
    return out;
}

}  // namespace frameline
