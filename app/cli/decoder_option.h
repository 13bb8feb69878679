#pragma once
// frameline-cli's `--decoder auto|software|nvdec` (issue #10): where the run's video decodes happen, and the log line
// and JSON that say what was used.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/media/video_decoder.h"

namespace frameline::cli {

CLI::Option* add_decoder_option(CLI::App* cmd, std::string& value);
// Makes `value` the default of every VideoDecoder in this process (scan, model pass, on-screen text).
void apply_decoder(const std::string& value);
// One line on stderr: "frameline-cli: 'a.mp4': h264 on NVDEC", or in software and why.
void report_decoder(const std::string& path, const DecoderUsed& used);
// {"codec": "h264", "hardware": "nvdec"|"software", "why": "..."}
nlohmann::ordered_json decoder_json(const DecoderUsed& used);

}  // namespace frameline::cli
