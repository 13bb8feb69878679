// The OCR step of frameline-cli ingest and analyse (issue #8 item 4).
#include "app/cli/ocr_ingest.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "app/cli/cli_output.h"
#include "core/ocr/ocr_pass.h"
#include "core/store/store.h"

namespace frameline::cli {

bool has_ocr_run(Store& store, int64_t title_id) {
    for (const ModelRun& r : store.model_runs(title_id))
        if (r.model == "ocr" && r.status == "done") return true;
    return false;
}

OcrPassOptions ocr_options(int threads) {
    const int cores = threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    OcrPassOptions options;
    options.threads = std::max(1, cores / 2);  // Tesseract's LSTM also runs OpenMP threads of its own
    return options;
}

nlohmann::ordered_json ocr_summary(const OcrPassResult& r) {
    nlohmann::ordered_json credits = nlohmann::ordered_json::array();
    for (const CreditsDecision& d : r.credits) {
        nlohmann::ordered_json c = marker_json(d.marker);
        c["how"] = d.how;
        c["credits_frames"] = d.credits_frames;
        c["read_frames"] = d.read_frames;
        credits.push_back(c);
    }
    return {{"run", r.run_id},
            {"frames", r.frames},
            {"frames_read", r.frames_read},
            {"lines", r.lines},
            {"ocr_s", std::round(r.ocr_s * 1000) / 1000},
            {"wall_s", std::round(r.wall_s * 1000) / 1000},
            {"credits", credits}};
}

nlohmann::ordered_json ingest_ocr(Store& store, const TitleRecord& title, int threads, const ProgressFn& progress) {
    const int cores = threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    const OcrPassOptions options = ocr_options(threads);
    const OcrPassResult r = run_ocr_pass(title.media_path, store, title.id, options, progress, {},
                                         std::max(1, cores - options.threads));
    end_progress_line();
    return ocr_summary(r);
}

}  // namespace frameline::cli
