#pragma once
// A contact sheet of artwork candidates: one PNG an artwork team can glance at (or attach to a ticket) without the
// GUI. Each tile is the candidate's stored thumbnail with its 2:3 poster crop outlined (yellow; red when the crop had
// to cut a face), its counted faces boxed (green), and under it the rank, frame, time, score and the score's terms.
// Drawn with a built-in 5x7 pixel font (core has no Qt and no font library); upper-case ASCII only.
#include <filesystem>
#include <string>
#include <vector>

#include "core/analysis/title_facts.h"
#include "core/media/image.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct ContactSheetOptions {
    int columns = 4;
    int tile_width = 320;  // thumbnails are 320 px wide: no resampling at the default
};

// The sheet as an image. Candidates without a thumbnail get a grey tile (and still their numbers). Throws
// frameline::Error when there are no candidates.
RgbImage make_contact_sheet(const TitleFacts& facts, const std::vector<ArtworkCandidate>& candidates,
                            const ContactSheetOptions& options = {});

// make_contact_sheet() written as PNG. Throws frameline::Error naming the file when it cannot be written.
void write_contact_sheet(const std::filesystem::path& path, const TitleFacts& facts,
                         const std::vector<ArtworkCandidate>& candidates, const ContactSheetOptions& options = {});

// Draws `text` (upper-cased; unknown characters as '?') at (x, y) with 5x7 glyphs scaled by `scale`. Exposed for tests.
void draw_text(RgbImage& image, int x, int y, const std::string& text, const uint8_t colour[3], int scale = 1);

}  // namespace frameline
