#pragma once
// On-screen text in frameline-cli's ingest and analyse (issue #8 item 4); the step is core/ocr/ocr_pass.h.
#include <nlohmann/json.hpp>
#include <string>

#include "core/store/records.h"

namespace frameline {
class Store;
}

namespace frameline::cli {

// True when the title has a finished "ocr" run (an ingest of a stored title reads it again only when it has none).
bool has_ocr_run(Store& store, int64_t title_id);

// Reads the title's sampled frames (run "ocr"), refines its credits markers, and answers a summary as JSON:
// {"run","frames","frames_read","lines","ocr_s","wall_s","credits":[{kind,start_frame,end_frame,how,...}]}.
// `threads`: the command's --threads (0 = one per core); half of them read text, the decoder takes the rest.
nlohmann::ordered_json ingest_ocr(Store& store, const TitleRecord& title, int threads, const std::string& label);

}  // namespace frameline::cli
