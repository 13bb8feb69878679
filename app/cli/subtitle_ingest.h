#pragma once
// Languages and subtitles in frameline-cli's ingest and analyse (issue #8 item 3); the code is in command_streams.cpp.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/pipeline/ingest.h"

namespace frameline {
class Store;
}

namespace frameline::cli {

// `--audio-language L`: the analysis audio track by language ("eng,fra": the first that the file has; default:
// the file's default track, else the first). A value that is not a language list is a usage error (exit 2).
CLI::Option* add_audio_language_option(CLI::App* cmd, std::string& value);
// Makes `value` the preference of every AudioDecoder in this process (streams.h: set_audio_language_preference).
void apply_audio_language(const std::string& value);

// The subtitle step (core/pipeline/subtitle_step.h) for an ingested title: run when the title is new or was
// analysed again, or has no "subtitles" run yet; its warnings on stderr; a summary as JSON (the run's detail).
nlohmann::ordered_json ingest_subtitles(Store& store, const IngestResult& ingested, const std::string& media);

}  // namespace frameline::cli
