// `frameline-cli streams MEDIA`: a file's audio and subtitle streams with their languages, the audio track the
// analysis would listen to, the sidecar subtitle files next to it, the container's synopsis/description, and with
// --cues every subtitle cue; no database. Also the language and subtitle parts of `ingest` (subtitle_ingest.h).
#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "app/cli/subtitle_ingest.h"
#include "core/error.h"
#include "core/media/languages.h"
#include "core/media/sidecar_subtitles.h"
#include "core/media/streams.h"
#include "core/media/subtitle_reader.h"
#include "core/pipeline/subtitle_step.h"
#include "core/store/store.h"

namespace frameline::cli {

using json = nlohmann::ordered_json;

namespace {

double ms_round(double s) { return std::round(s * 1000.0) / 1000.0; }

json stream_json(const MediaStream& s) {
    json j{{"index", s.index},
           {"codec", s.codec},
           {"language", s.language},
           {"language_name", language_name(s.language)},
           {"title", s.title}};
    if (s.language_tag != s.language) j["language_tag"] = s.language_tag;
    if (s.kind == StreamKind::Audio) {
        j["channels"] = s.channels;
        j["channel_layout"] = s.channel_layout;
        j["sample_rate"] = s.sample_rate;
    } else {
        j["text"] = s.text;
    }
    j["default"] = s.is_default;
    j["forced"] = s.forced;
    j["hearing_impaired"] = s.hearing_impaired;
    j["visual_impaired"] = s.visual_impaired;
    j["commentary"] = s.commentary;
    j["decodable"] = s.decodable;
    return j;
}

json cue_json(const TranscriptSegment& c) {
    return json{{"source", c.source},
                {"language", c.language},
                {"start_s", ms_round(c.start_s)},
                {"end_s", ms_round(c.end_s)},
                {"text", c.text}};
}

std::string flags_text(const MediaStream& s) {
    std::string f;
    if (s.is_default) f += " default";
    if (s.forced) f += " forced";
    if (s.hearing_impaired) f += " hearing-impaired";
    if (s.visual_impaired) f += " audio-description";
    if (s.commentary) f += " commentary";
    return f.empty() ? "" : " [" + f.substr(1) + "]";
}

}  // namespace

CLI::Option* add_audio_language_option(CLI::App* cmd, std::string& value) {
    return cmd
        ->add_option("--audio-language", value,
                     "analysis audio track by language, e.g. eng,fra (the first the file has; default: the file's "
                     "default track, else the first)")
        ->check([](const std::string& v) -> std::string {
            try {
                parse_language_list(v);
                return {};
            } catch (const Error& e) {
                return e.what();
            }
        });
}

void apply_audio_language(const std::string& value) { set_audio_language_preference(parse_language_list(value)); }

json ingest_subtitles(Store& store, const IngestResult& ingested, const std::string& media) {
    if (ingested.already_present) {
        for (const ModelRun& r : store.model_runs(ingested.title_id))
            if (r.model == "subtitles" && r.status == "done") {
                json j = json::parse(r.detail, nullptr, false);
                if (j.is_discarded() || !j.is_object()) j = json::object();
                j["run"] = r.id;
                j["already_present"] = true;
                return j;
            }
    }
    const SubtitleStepResult r = run_subtitle_step(store, ingested.title_id, media);
    for (const std::string& w : r.warnings) std::cerr << "frameline-cli: warning: " << w << std::endl;
    json j = json::parse(r.detail, nullptr, false);
    if (j.is_discarded() || !j.is_object()) j = json::object();
    j["run"] = r.run_id;
    j["metadata_texts"] = r.metadata_texts;
    return j;
}

void add_streams_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string media;
        std::string audio_language;
        bool cues = false;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand(
        "streams", "Audio and subtitle streams with their languages, sidecar subtitle files, synopsis metadata");
    cmd->add_option("MEDIA", args->media, "media file")->required();
    add_audio_language_option(cmd, args->audio_language);
    cmd->add_flag("--cues", args->cues, "also read every text subtitle cue (embedded and sidecar files)");
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        const std::vector<std::string> preference = parse_language_list(args->audio_language);
        std::vector<std::string> warnings;
        std::vector<TranscriptSegment> cues;
        MediaStreams streams;
        std::vector<SubtitleTrack> tracks;
        if (args->cues) {
            EmbeddedSubtitles e = read_embedded_subtitles(args->media);
            streams = std::move(e.streams);
            tracks = std::move(e.tracks);
            warnings = std::move(e.warnings);
        } else {
            streams = list_streams(args->media);
        }
        const AudioChoice choice = choose_audio_stream(streams.audio, preference);

        json audio = json::array(), subtitles = json::array(), sidecars = json::array(), texts = json::array();
        for (const MediaStream& s : streams.audio) {
            json j = stream_json(s);
            j["analysed"] = s.index == choice.stream_index;
            audio.push_back(j);
        }
        for (const MediaStream& s : streams.subtitles) {
            json j = stream_json(s);
            if (!s.text) j["skipped"] = "not text: " + s.codec + " subtitles are pictures of text";
            for (SubtitleTrack& t : tracks) {
                if (t.stream.index != s.index) continue;
                j["cues"] = t.cues.size();
                if (!t.skipped.empty()) j["skipped"] = t.skipped;
                cues.insert(cues.end(), t.cues.begin(), t.cues.end());
            }
            subtitles.push_back(j);
        }
        for (const SidecarFile& f : find_sidecar_subtitles(args->media)) {
            json j{{"file", f.path.string()},
                   {"format", f.format},
                   {"language", f.language},
                   {"language_name", language_name(f.language)},
                   {"forced", f.forced},
                   {"hearing_impaired", f.hearing_impaired}};
            if (args->cues) {
                try {
                    SidecarSubtitles s = read_sidecar_subtitles(f);
                    j["cues"] = s.cues.size();
                    warnings.insert(warnings.end(), s.warnings.begin(), s.warnings.end());
                    cues.insert(cues.end(), s.cues.begin(), s.cues.end());
                } catch (const Error& e) {
                    j["cues"] = 0;
                    j["error"] = e.what();
                    warnings.push_back(e.what());
                }
            }
            sidecars.push_back(j);
        }
        for (const MetadataText& t : streams.metadata.texts)
            texts.push_back({{"kind", t.kind}, {"key", t.key}, {"language", t.language}, {"text", t.text}});
        std::stable_sort(cues.begin(), cues.end(), [](const TranscriptSegment& a, const TranscriptSegment& b) {
            return a.start_s < b.start_s;
        });
        for (const std::string& w : warnings) std::cerr << "frameline-cli: warning: " << w << std::endl;

        if (args->json) {
            json doc{{"file", args->media},
                     {"container", streams.container},
                     {"duration_s", ms_round(streams.duration_s)},
                     {"metadata", {{"title", streams.metadata.title},
                                   {"comment", streams.metadata.comment},
                                   {"texts", texts}}},
                     {"audio", audio},
                     {"audio_choice", choice.stream_index < 0
                                          ? json(nullptr)
                                          : json{{"stream", choice.stream_index},
                                                 {"language", choice.language},
                                                 {"why", choice.why}}},
                     {"subtitles", subtitles},
                     {"sidecars", sidecars}};
            if (args->cues) {
                json list = json::array();
                for (const TranscriptSegment& c : cues) list.push_back(cue_json(c));
                doc["cues"] = list;
            }
            doc["warnings"] = warnings;
            print_json(doc);
        } else {
            std::printf("%s: %s, %.3f s\n", args->media.c_str(), streams.container.c_str(), streams.duration_s);
            if (!streams.metadata.title.empty()) std::printf("  title: %s\n", streams.metadata.title.c_str());
            for (const MetadataText& t : streams.metadata.texts)
                std::printf("  %s (%s): %s\n", t.kind.c_str(), t.language.c_str(), t.text.c_str());
            for (const MediaStream& s : streams.audio)
                std::printf("  audio    #%d %s %s %d ch %d Hz%s%s%s\n", s.index, s.codec.c_str(), s.language.c_str(),
                            s.channels, s.sample_rate, s.title.empty() ? "" : (" \"" + s.title + "\"").c_str(),
                            flags_text(s).c_str(), s.index == choice.stream_index ? "  <- analysed" : "");
            for (const MediaStream& s : streams.subtitles)
                std::printf("  subtitle #%d %s %s%s%s%s\n", s.index, s.codec.c_str(), s.language.c_str(),
                            s.title.empty() ? "" : (" \"" + s.title + "\"").c_str(), flags_text(s).c_str(),
                            s.text ? "" : "  (pictures of text: not read)");
            for (const json& f : sidecars)
                std::printf("  sidecar  %s %s\n", f["file"].get<std::string>().c_str(),
                            f["language"].get<std::string>().c_str());
            for (const TranscriptSegment& c : cues)
                std::printf("  %9.3f - %9.3f  %s %s  %s\n", c.start_s, c.end_s, c.source.c_str(), c.language.c_str(),
                            c.text.c_str());
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
