#include "core/pipeline/subtitle_step.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/media/sidecar_subtitles.h"
#include "core/media/streams.h"
#include "core/media/subtitle_reader.h"
#include "core/store/store.h"

namespace frameline {
namespace {

// The container's synopsis and description as title texts (source "metadata"), each stored once: a text already
// there with the same kind and words is not added again on re-ingest.
int store_metadata_texts(Store& store, int64_t title_id, const ContainerMetadata& metadata) {
    if (metadata.texts.empty()) return 0;
    const std::vector<TitleText> stored = store.title_texts(title_id);
    int added = 0;
    for (const MetadataText& m : metadata.texts) {
        const bool known = std::any_of(stored.begin(), stored.end(), [&](const TitleText& t) {
            return t.kind == m.kind && t.text == m.text;
        });
        if (known) continue;
        TitleText t;
        t.title_id = title_id;
        t.kind = m.kind;
        t.source = "metadata";
        t.language = m.language;
        t.text = m.text;
        store.add_title_text(t);
        ++added;
    }
    return added;
}

}  // namespace

SubtitleStepResult run_subtitle_step(Store& store, int64_t title_id, const std::filesystem::path& media,
                                     std::stop_token stop) {
    SubtitleStepResult result;
    ModelRunOutput out;
    out.model = "subtitles";
    out.model_version = "1";
    nlohmann::ordered_json tracks = nlohmann::ordered_json::array(), sidecars = nlohmann::ordered_json::array();
    nlohmann::ordered_json audio = nullptr;

    try {
        EmbeddedSubtitles embedded = read_embedded_subtitles(media, stop);
        for (SubtitleTrack& t : embedded.tracks) {
            nlohmann::ordered_json row{{"stream", t.stream.index},
                                       {"codec", t.stream.codec},
                                       {"language", t.stream.language},
                                       {"title", t.stream.title},
                                       {"forced", t.stream.forced},
                                       {"hearing_impaired", t.stream.hearing_impaired},
                                       {"cues", t.cues.size()}};
            if (!t.skipped.empty()) {
                row["skipped"] = t.skipped;
                result.warnings.push_back("'" + media.string() + "' stream " + std::to_string(t.stream.index) + ": " +
                                          t.skipped);
            }
            tracks.push_back(row);
            std::move(t.cues.begin(), t.cues.end(), std::back_inserter(out.transcript));
        }
        result.warnings.insert(result.warnings.end(), embedded.warnings.begin(), embedded.warnings.end());
        const AudioChoice choice = choose_audio_stream(embedded.streams.audio, audio_language_preference());
        if (choice.stream_index >= 0)
            audio = {{"stream", choice.stream_index}, {"language", choice.language}, {"why", choice.why}};
        result.metadata_texts = store_metadata_texts(store, title_id, embedded.streams.metadata);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        // The title was ingested from this file a moment ago; if it cannot be read again now, say so and go on
        // with the sidecar files.
        result.warnings.push_back(std::string("embedded subtitles not read: ") + e.what());
    }

    for (const SidecarFile& file : find_sidecar_subtitles(media)) {
        if (stop.stop_requested()) throw Cancelled();
        nlohmann::ordered_json row{{"file", file.path.filename().string()},
                                   {"language", file.language},
                                   {"forced", file.forced},
                                   {"hearing_impaired", file.hearing_impaired}};
        try {
            SidecarSubtitles s = read_sidecar_subtitles(file);
            row["cues"] = s.cues.size();
            row["warnings"] = s.warnings.size();
            result.warnings.insert(result.warnings.end(), s.warnings.begin(), s.warnings.end());
            std::move(s.cues.begin(), s.cues.end(), std::back_inserter(out.transcript));
        } catch (const Error& e) {
            row["cues"] = 0;
            row["error"] = e.what();
            result.warnings.push_back(e.what());
        }
        sidecars.push_back(row);
    }

    std::stable_sort(out.transcript.begin(), out.transcript.end(),
                     [](const TranscriptSegment& a, const TranscriptSegment& b) { return a.start_s < b.start_s; });
    nlohmann::ordered_json detail{{"tracks", tracks},
                                  {"sidecars", sidecars},
                                  {"audio", audio},
                                  {"cues", out.transcript.size()},
                                  {"warnings", result.warnings.size()}};
    out.detail = detail.dump();
    result.detail = out.detail;
    result.cues = static_cast<int>(out.transcript.size());
    result.run_id = store.save_model_run(title_id, out);
    return result;
}

}  // namespace frameline
