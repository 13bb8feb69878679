#pragma once
// `frameline-cli ingest`'s work on one title after another (scan, subtitles, the zoo and the text reader beside the
// scan, the soundtrack, the analysis), with its own database connection and models: --jobs runs several, each on a
// thread of its own.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/cli/title_models.h"
#include "core/media/video_decoder.h"
#include "core/ocr/ocr_pass.h"
#include "core/pipeline/ingest.h"
#include "core/store/store.h"

namespace frameline::cli {

class TitleIngester {
public:
    struct Settings {
        IngestOptions options;  // scan, sampling, force (frame_models and started are set here)
        Steps steps;
        bool read_text = true;  // the on-screen text reader (not with --models none or --skip ocr)
        int threads = 0;        // per title; 0 = one per core
        bool progress = true;   // draw the progress line on a terminal
    };
    struct Done {
        nlohmann::ordered_json row;  // the title's row of the JSON report
        DecoderUsed decoder;
    };

    TitleIngester(std::unique_ptr<Store> store, Zoo zoo, Settings settings);
    Store& store() { return *store_; }

    // Throws frameline::Error (the title is stored as failed, or not at all) or frameline::Cancelled.
    Done ingest(const std::string& path);

private:
    std::unique_ptr<Store> store_;
    Zoo zoo_;
    Settings settings_;
    std::optional<OcrStep> reader_;  // the current title's
};

}  // namespace frameline::cli
