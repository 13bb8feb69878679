#include "core/media/streams.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
}
#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/media/ffmpeg_util.h"
#include "core/media/languages.h"
#include "core/media/streams_ffmpeg.h"

namespace frameline {
namespace {

std::string tag(const AVDictionary* metadata, const char* key) {
    const AVDictionaryEntry* e = av_dict_get(metadata, key, nullptr, 0);
    return e && e->value ? e->value : "";
}

std::string trimmed(std::string s) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
    s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
    return s;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The container's synopsis and description tags. Matroska tags in a language other than "und" come as
// "DESCRIPTION-fre" (FFmpeg appends the tag's language); MP4's ldes and desc atoms come as "synopsis" and
// "description".
ContainerMetadata describe_metadata(const AVDictionary* metadata) {
    ContainerMetadata out;
    const AVDictionaryEntry* e = nullptr;
    while ((e = av_dict_get(metadata, "", e, AV_DICT_IGNORE_SUFFIX))) {
        if (!e->key || !e->value) continue;
        std::string key = lower(e->key), language = "und";
        if (const size_t dash = key.rfind('-'); dash != std::string::npos) {
            language = stream_language(key.substr(dash + 1));
            key.resize(dash);
        }
        std::string value = trimmed(e->value);
        if (value.empty()) continue;
        if (key == "title" && out.title.empty()) {
            out.title = value;
        } else if (key == "comment" && out.comment.empty()) {
            out.comment = value;
        } else if (key == "synopsis" || key == "summary" || key == "description") {
            const std::string kind = key == "description" ? "description" : "synopsis";
            const bool repeat = std::any_of(out.texts.begin(), out.texts.end(), [&](const MetadataText& t) {
                return t.kind == kind && t.text == value;
            });
            if (!repeat) out.texts.push_back(MetadataText{kind, e->key, language, std::move(value)});
        }
    }
    return out;
}

std::mutex preference_mutex;
std::vector<std::string> preference;

}  // namespace

namespace ffmpeg {

MediaStream describe_stream(const AVStream* s) {
    const AVCodecParameters* par = s->codecpar;
    MediaStream m;
    m.index = s->index;
    m.kind = par->codec_type == AVMEDIA_TYPE_AUDIO      ? StreamKind::Audio
             : par->codec_type == AVMEDIA_TYPE_SUBTITLE ? StreamKind::Subtitle
             : par->codec_type == AVMEDIA_TYPE_VIDEO    ? StreamKind::Video
                                                        : StreamKind::Other;
    m.codec = avcodec_get_name(par->codec_id);
    m.language_tag = tag(s->metadata, "language");
    m.language = stream_language(m.language_tag);
    m.title = trimmed(tag(s->metadata, "title"));
    m.is_default = (s->disposition & AV_DISPOSITION_DEFAULT) != 0;
    m.forced = (s->disposition & AV_DISPOSITION_FORCED) != 0;
    m.hearing_impaired = (s->disposition & AV_DISPOSITION_HEARING_IMPAIRED) != 0;
    m.visual_impaired = (s->disposition & AV_DISPOSITION_VISUAL_IMPAIRED) != 0;
    m.commentary = (s->disposition & AV_DISPOSITION_COMMENT) != 0;
    m.decodable = avcodec_find_decoder(par->codec_id) != nullptr;
    if (m.kind == StreamKind::Audio) {
        m.channels = par->ch_layout.nb_channels;
        m.sample_rate = par->sample_rate;
        if (par->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC && av_channel_layout_check(&par->ch_layout)) {
            char layout[64] = {};
            if (av_channel_layout_describe(&par->ch_layout, layout, sizeof layout) > 0) m.channel_layout = layout;
        }
    }
    if (m.kind == StreamKind::Subtitle) {
        const AVCodecDescriptor* d = avcodec_descriptor_get(par->codec_id);
        m.text = d && (d->props & AV_CODEC_PROP_TEXT_SUB) != 0;
    }
    return m;
}

MediaStreams describe_streams(AVFormatContext* format, const std::filesystem::path& path) {
    MediaStreams out;
    out.path = path.string();
    out.container = format->iformat ? format->iformat->name : "";
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        out.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        MediaStream m = describe_stream(format->streams[i]);
        if (m.kind == StreamKind::Audio) out.audio.push_back(std::move(m));
        else if (m.kind == StreamKind::Subtitle) out.subtitles.push_back(std::move(m));
    }
    out.metadata = describe_metadata(format->metadata);
    return out;
}

}  // namespace ffmpeg

MediaStreams list_streams(const std::filesystem::path& path) {
    ffmpeg::FormatPtr format = ffmpeg::open_input(path);
    return ffmpeg::describe_streams(format.get(), path);
}

AudioChoice choose_audio_stream(const std::vector<MediaStream>& audio, const std::vector<std::string>& languages) {
    if (audio.empty()) return {};
    // Usable tracks first: ones FFmpeg can decode and that say how many channels they have.
    std::vector<const MediaStream*> usable;
    for (const MediaStream& m : audio)
        if (m.decodable && m.channels > 0) usable.push_back(&m);
    if (usable.empty())
        for (const MediaStream& m : audio) usable.push_back(&m);

    // Among `candidates`: the default track, else the first main one (not commentary, not audio description).
    const auto best_of = [](const std::vector<const MediaStream*>& candidates) -> const MediaStream* {
        for (const MediaStream* m : candidates)
            if (m->is_default) return m;
        for (const MediaStream* m : candidates)
            if (!m->commentary && !m->visual_impaired) return m;
        return candidates.front();
    };
    const auto chosen = [](const MediaStream* m, std::string why) {
        return AudioChoice{m->index, m->language, std::move(why)};
    };

    for (const std::string& language : languages) {
        std::vector<const MediaStream*> matching;
        for (const MediaStream* m : usable)
            if (same_language(m->language, language)) matching.push_back(m);
        if (!matching.empty()) return chosen(best_of(matching), "preferred language " + language);
    }
    std::string missing;
    if (!languages.empty()) {
        missing = " (no track in ";
        for (size_t i = 0; i < languages.size(); ++i) missing += (i ? " or " : "") + languages[i];
        missing += ")";
    }
    for (const MediaStream* m : usable)
        if (m->is_default) return chosen(m, "default track" + missing);
    return chosen(usable.front(), "first track" + missing);
}

void set_audio_language_preference(std::vector<std::string> languages) {
    std::lock_guard lock(preference_mutex);
    preference = std::move(languages);
}

std::vector<std::string> audio_language_preference() {
    std::lock_guard lock(preference_mutex);
    return preference;
}

}  // namespace frameline
