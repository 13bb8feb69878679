#include "core/media/ffmpeg_util.h"

extern "C" {
#include <libavutil/display.h>
}
#include <cmath>
#include <cstdio>
#include <mutex>
#include <system_error>
#include <utility>

#include "core/error.h"

namespace frameline::ffmpeg {

std::string error_text(int av_error) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(av_error, text, sizeof text);
    return text;
}

namespace {

thread_local std::string logged_errors;

void keep_errors(void* avcl, int level, const char* fmt, va_list args) {
    if (level > AV_LOG_ERROR) return;
    char line[512] = {};
    int print_prefix = 0;  // no "[h264 @ 0x...]" prefix: the message is for people
    av_log_format_line2(avcl, level, fmt, args, line, sizeof line, &print_prefix);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.empty() || logged_errors.size() > 400) return;
    logged_errors += (logged_errors.empty() ? "" : "; ") + text;
}

}  // namespace

void quiet_logging() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_ERROR);
        av_log_set_callback(keep_errors);
    });
}

std::string take_logged_errors() { return std::exchange(logged_errors, std::string()); }

FormatPtr open_input(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error("cannot open '" + name + "': no such file — check the path");
    if (std::filesystem::is_directory(path, ec))
        throw Error("cannot open '" + name + "': it is a folder — give a video file");
    quiet_logging();
    AVFormatContext* raw = nullptr;
    if (int rc = avformat_open_input(&raw, name.c_str(), nullptr, nullptr); rc < 0)
        throw Error("cannot open '" + name + "': " + error_text(rc) + " — is it a video file FFmpeg can read?");
    FormatPtr format(raw);
    if (int rc = avformat_find_stream_info(format.get(), nullptr); rc < 0)
        throw Error("cannot read streams of '" + name + "': " + error_text(rc) + " — the file may be damaged");
    return format;
}

int find_video_stream(AVFormatContext* format, const std::filesystem::path& path) {
    int best = -1;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream* s = format->streams[i];
        if (s->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
        if (s->disposition & AV_DISPOSITION_ATTACHED_PIC) continue;  // cover art is not the title
        if (s->codecpar->width <= 0 || s->codecpar->height <= 0) continue;
        if (best < 0 || (s->disposition & AV_DISPOSITION_DEFAULT)) {
            if (best < 0 || !(format->streams[best]->disposition & AV_DISPOSITION_DEFAULT)) best = static_cast<int>(i);
        }
    }
    if (best < 0)
        throw Error("'" + path.string() + "' has no video stream — Frameline analyses video files");
    if (!avcodec_find_decoder(format->streams[best]->codecpar->codec_id))
        throw Error("'" + path.string() + "': no decoder for video codec '" +
                    avcodec_get_name(format->streams[best]->codecpar->codec_id) +
                    "' in this FFmpeg — convert the file or install an FFmpeg with that codec");
    return best;
}

int rotation_degrees(const AVStream* stream) {
    const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
    if (!matrix) return 0;
    // av_display_rotation_get gives the counter-clockwise angle; display needs the clockwise one.
    double ccw = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    if (std::isnan(ccw)) return 0;
    int cw = static_cast<int>(std::lround(-ccw)) % 360;
    if (cw < 0) cw += 360;
    return (cw + 45) / 90 * 90 % 360;
}

static double to_fps(AVRational r) { return r.num > 0 && r.den > 0 ? av_q2d(r) : 0.0; }

MediaInfo describe(AVFormatContext* format, int video_stream, const std::filesystem::path& path) {
    MediaInfo info;
    info.path = path.string();
    info.container = format->iformat ? format->iformat->name : "";
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    info.size_bytes = ec ? 0 : static_cast<int64_t>(size);
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        info.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream* s = format->streams[i];
        StreamInfo si;
        si.index = static_cast<int>(i);
        si.codec = avcodec_get_name(s->codecpar->codec_id);
        if (const AVDictionaryEntry* lang = av_dict_get(s->metadata, "language", nullptr, 0)) si.language = lang->value;
        switch (s->codecpar->codec_type) {
            case AVMEDIA_TYPE_VIDEO:
                si.kind = StreamKind::Video;
                si.width = s->codecpar->width;
                si.height = s->codecpar->height;
                si.fps = to_fps(s->avg_frame_rate);
                si.attached_picture = (s->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
                break;
            case AVMEDIA_TYPE_AUDIO:
                si.kind = StreamKind::Audio;
                si.sample_rate = s->codecpar->sample_rate;
                si.channels = s->codecpar->ch_layout.nb_channels;
                info.has_audio = true;
                break;
            case AVMEDIA_TYPE_SUBTITLE: si.kind = StreamKind::Subtitle; break;
            default: si.kind = StreamKind::Other; break;
        }
        info.streams.push_back(si);
    }
    if (video_stream >= 0) {
        const AVStream* s = format->streams[video_stream];
        info.video_stream = video_stream;
        info.video_codec = avcodec_get_name(s->codecpar->codec_id);
        info.rotation_deg = rotation_degrees(s);
        const bool sideways = info.rotation_deg == 90 || info.rotation_deg == 270;
        info.width = sideways ? s->codecpar->height : s->codecpar->width;
        info.height = sideways ? s->codecpar->width : s->codecpar->height;
        info.nominal_fps = to_fps(s->r_frame_rate);
        info.fps = to_fps(s->avg_frame_rate);
        if (info.fps <= 0) info.fps = info.nominal_fps;
        info.frame_count_estimate = s->nb_frames > 0 ? s->nb_frames
                                                     : static_cast<int64_t>(std::llround(info.duration_s * info.fps));
        if (info.duration_s <= 0 && s->duration != AV_NOPTS_VALUE)
            info.duration_s = static_cast<double>(s->duration) * av_q2d(s->time_base);
    }
    return info;
}

}  // namespace frameline::ffmpeg
