#pragma once
// On-screen text (issue #8 item 4): lines of text in a video frame, with their boxes and confidence, read by
// Tesseract 5 (LSTM engine, English model from Debian's tesseract-ocr-eng). Tesseract and Leptonica headers stay in
// screen_text_reader.cpp: this header speaks in the project's own types.
//
// How a frame is read (why, in screen_text_reader.cpp):
//   1. luma only; scaled up so that the picture is at least `min_working_height` px high (video text is small:
//      a 720p subtitle is ~20 px, a 360p one ~10 px, and Tesseract's layout analysis loses text under ~10 px);
//   2. page segmentation "sparse text" (PSM 11): frames hold a few scattered lines, not a page of columns;
//   3. a second pass reads the bright pixels alone as ink (white subtitles with a dark outline, which Otsu's
//      threshold on luma splits over a varied picture), unless the first read clean text; lines found by both
//      passes in the same place keep the better reading (more letters x confidence);
//   4. words under `min_word_confidence` and lines under `min_line_confidence` are dropped, as are lines that are
//      mostly not letters or digits, too small, or too tall to be a line of text (textures, edges, faces), and
//      short lines (under 4 letters: the usual junk) under `min_short_line_confidence`.
//
// Measured on the fixtures of tests/core/ocr/tst_screen_text.cpp (drawn text on black, white, synthetic and real
// pictures, 73 words, and frames without text): word recall 0.945, precision 0.973; outlined subtitles across
// hard black/white edges are the weak case (half read).
//
// Thread safety: one reader holds one Tesseract engine (TessBaseAPI), which is not thread-safe; use one reader per
// thread (read() from two threads at once on the same reader is serialised by a mutex, not parallel).
#include <memory>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/media/image.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct ScreenTextOptions {
    std::string language = "eng";       // Tesseract model name(s), e.g. "eng" or "eng+fra"
    int min_working_height = 720;       // upscale smaller pictures to this height (at most x4)
    double min_word_confidence = 0.50;  // 0..1: words under it are dropped from their line
    double min_line_confidence = 0.65;  // 0..1: mean of the line's kept words
    double min_letter_share = 0.6;      // letters and digits among the line's non-space characters
    int min_letters = 2;                // a line needs at least this many letters or digits
    int short_line_letters = 4;         // lines with fewer letters than this (junk is short) ...
    double min_short_line_confidence = 0.85;  // ... need this confidence
    int bright_text_threshold = 200;    // second pass on pixels at least this bright as ink (0: no second pass) ...
    int clean_lines = 2;                // ... unless the first pass read at least this many lines,
    double clean_line_confidence = 0.9; // ... every one at least this confident
    double min_line_height = 0.012;     // share of the picture's height: smaller boxes are noise
    double max_line_height = 0.35;      // taller boxes are not one line of text
};

class ScreenTextReader {
public:
    // Loads the language model. Throws frameline::Error naming the model and what to install when it is missing.
    explicit ScreenTextReader(ScreenTextOptions options = {});
    ~ScreenTextReader();
    ScreenTextReader(const ScreenTextReader&) = delete;
    ScreenTextReader& operator=(const ScreenTextReader&) = delete;

    // The picture's lines of text, top to bottom, as ScreenText rows (frame_index 0, boxes in picture fractions,
    // confidence 0..1). An empty or tiny picture (< 8 px a side) reads as no lines.
    std::vector<ScreenText> read(const RgbImage& image);

    const ScreenTextOptions& options() const { return options_; }

    // "5.3.0" (the library's version), for model run versions.
    static std::string engine_version();

private:
    struct Engine;
    // One Tesseract pass over a luma plane; the lines that pass the filters, boxes in fractions of the plane.
    std::vector<ScreenText> recognise(const std::vector<uint8_t>& plane, int width, int height);
    ScreenTextOptions options_;
    std::unique_ptr<Engine> engine_;
    std::mutex mutex_;
};

}  // namespace frameline
