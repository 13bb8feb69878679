#pragma once
// On-screen text in frameline-cli's ingest and analyse (issue #8 item 4); the step is core/ocr/ocr_pass.h.
#include <nlohmann/json.hpp>
#include <string>

#include "core/ocr/ocr_pass.h"
#include "core/store/records.h"

namespace frameline {
class Store;
}

namespace frameline::cli {

// True when the title has a finished "ocr" run (an ingest of a stored title reads it again only when it has none).
bool has_ocr_run(Store& store, int64_t title_id);

// The step's options for the command's --threads (0 = one per core): half of them read text.
OcrPassOptions ocr_options(int threads);

// A summary of the step as JSON:
// {"run","frames","frames_read","lines","ocr_s","wall_s","credits":[{kind,start_frame,end_frame,how,...}]}.
nlohmann::ordered_json ocr_summary(const OcrPassResult& result);

// Reads the title's sampled frames with a decode of its own (run "ocr"), refines its credits markers, and answers
// the summary. For a title whose frame models run too, the command shares their decode instead (OcrStep).
nlohmann::ordered_json ingest_ocr(Store& store, const TitleRecord& title, int threads, const ProgressFn& progress);

}  // namespace frameline::cli
