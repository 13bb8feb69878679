#include "app/cli/title_ingester.h"

#include "app/cli/cli_output.h"
#include "app/cli/decoder_option.h"
#include "app/cli/ocr_ingest.h"
#include "app/cli/subtitle_ingest.h"

namespace frameline::cli {

TitleIngester::TitleIngester(std::unique_ptr<Store> store, Zoo zoo, Settings settings)
    : store_(std::move(store)), zoo_(std::move(zoo)), settings_(std::move(settings)) {
    // The zoo and the text reader see the sampled frames as the scan picks them: one decode, inference beside
    // the scan. The reader then reads the frames its gate passed over inside the credits the scan found: a seek
    // into each, not a second decode of the title.
    settings_.options.frame_models = [this](int64_t title_id) {
        std::vector<FrameModels*> sets;
        if (zoo_.frames) sets.push_back(zoo_.frames.get());
        if (settings_.read_text)
            sets.push_back(&reader_.emplace(*store_, title_id, ocr_options(settings_.threads),
                                            OcrStep::When::BesideScan).frames());
        return sets;
    };
}

TitleIngester::Done TitleIngester::ingest(const std::string& path) {
    Store& store = *store_;
    reader_.reset();
    // The soundtrack (voice activity, transcript) runs on its own thread beside the scan, the on-screen
    // text and the frame models: the recognisers are the longest step, and they need no frames.
    std::unique_ptr<SoundtrackJob> soundtrack;
    auto start_soundtrack = [&] {
        if (zoo_.speech && !soundtrack)
            soundtrack = std::make_unique<SoundtrackJob>(*zoo_.speech, path, settings_.threads,
                                                         settings_.steps.transcript);
    };
    settings_.options.started = [&](int64_t) { start_soundtrack(); };
    const ProgressFn progress = settings_.progress ? stderr_progress(path) : ProgressFn{};
    IngestResult r = ingest_file(path, store, settings_.options, progress);
    end_progress_line();
    nlohmann::ordered_json row{{"id", r.title_id},
                               {"path", path},
                               {"already_present", r.already_present},
                               {"shots", r.shots},
                               {"frames", r.frames}};
    if (!r.decoder.codec.empty()) row["decoder"] = decoder_json(r.decoder);
    row["subtitles"] = ingest_subtitles(store, r, path);
    // A title stored before is analysed again only when asked (--force) or when its model pass never
    // finished (an interrupted ingest resumes here).
    const bool analyse = zoo_.frames && (!r.already_present || !has_zoo_run(store, r.title_id));
    const bool read_text = settings_.read_text && (!r.already_present || !has_ocr_run(store, r.title_id));
    const TitleRecord title = *store.title(r.title_id);
    if (!r.model_passes.empty()) {  // the zoo (first) and the reader (last) ran beside the scan
        start_soundtrack();
        if (reader_) row["ocr"] = ocr_summary(reader_->finish(r.model_passes.back()));
        if (zoo_.frames)
            row["models"] = finish_zoo(zoo_, store, title, r.model_passes.front(), std::move(soundtrack));
    } else if (analyse) {
        start_soundtrack();
        nlohmann::ordered_json ocr;
        row["models"] = run_zoo(zoo_, store, title, settings_.threads, progress, std::move(soundtrack),
                                read_text ? &ocr : nullptr);
        if (read_text) row["ocr"] = ocr;
    } else if (read_text) {  // a title from before the OCR step
        row["ocr"] = ingest_ocr(store, title, settings_.threads, progress);
    }
    return Done{std::move(row), r.decoder};
}

}  // namespace frameline::cli
