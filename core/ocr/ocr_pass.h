#pragma once
// The OCR step of an ingest (model run "ocr", issue #8 item 4): the title's sampled frames, as the ingest's scan
// decodes them or decoded again for a stored title (core/pipeline/model_pass.h), the ones that may hold text are read
// with Tesseract (ScreenTextReader, one engine per worker thread), the lines are saved as the run's screen_text,
// and the credits markers are refined with what was read (core/analysis/credits_text.h).
//
// Cost bound: a frame is read only when the text_likeness() proxy (the artwork scorer's "thin high-contrast stroke
// bands", core/analysis/artwork.h) of its 320 or 640 px wide reduction reaches `min_text_likeness`, or when it lies
// inside a credits marker of the scan (credits need reading whatever the proxy says). Frames that the proxy rejects
// count as read-with-no-text nowhere: they are "not read" for the credits rule, and the artwork scorer keeps the
// proxy for them. Measured numbers: bench/bench_ocr.cpp and the README's performance section.
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/analysis/credits_text.h"
#include "core/ocr/screen_text_reader.h"
#include "core/pipeline/model_pass.h"
#include "core/pipeline/progress.h"

namespace frameline {

class Store;

struct OcrPassOptions {
    ScreenTextOptions reader;
    // Proxy gate (share of rows in text-like bands; picture_text_likeness()). Measured on the frames of
    // tests/core/ocr/tst_screen_text.cpp: every frame with drawn text 0.029..0.12 (the least: a 36 px outlined
    // subtitle on film, a 30 px green terminal line), real photographs with their watermark 0.039..0.044, the
    // frames without text (bars, fractal, gradients, Game of Life, a photograph) 0. 0 reads every sampled frame.
    double min_text_likeness = 0.01;
    int threads = 1;            // OCR workers, one Tesseract engine each (Tesseract also uses OpenMP inside)
    int picture_width = 1280;   // frames are decoded at this width (the reader upscales small pictures further)
    CreditsTextOptions credits;
};

struct OcrPassResult {
    int64_t run_id = 0;
    int frames = 0;          // sampled frames decoded
    int frames_read = 0;     // ... of which Tesseract read
    int lines = 0;           // lines of text saved
    std::vector<int64_t> read_frames;  // the frames Tesseract read, in order
    double ocr_s = 0;        // Tesseract's time, summed over workers
    double wall_s = 0;       // the whole step: decode, gate, OCR, save, credits
    std::vector<CreditsDecision> credits;  // the credits markers after the rule
};

// The step in two parts, for a model pass that the OCR shares with other frame models (one decode of the title):
// frames() goes into the pass; finish() takes the pass's result for it, refines the credits markers and answers the
// step's result (wall_s counts from the construction).
//  - AfterScan: on a stored title (run_frame_models with several sets); the stored markers decide what is read.
//  - BesideScan: in the ingest's own pass (IngestOptions::frame_models), before the scan has found the credits: the
//    gate alone decides, then the frames it passed over inside the scan's credits are read after the scan
//    (FrameModels::frames_after_scan). The title is decoded once, plus a seek into each credits marker.
class OcrStep {
public:
    enum class When { AfterScan, BesideScan };
    // Error: no such title.
    OcrStep(Store& store, int64_t title_id, const OcrPassOptions& options = {}, When when = When::AfterScan);
    ~OcrStep();
    OcrStep(const OcrStep&) = delete;
    OcrStep& operator=(const OcrStep&) = delete;

    FrameModels& frames();
    OcrPassResult finish(const ModelPassResult& pass);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The whole step with a decode of its own. Throws frameline::Error (nothing saved) or frameline::Cancelled.
OcrPassResult run_ocr_pass(const std::filesystem::path& media, Store& store, int64_t title_id,
                           const OcrPassOptions& options = {}, const ProgressFn& progress = {},
                           std::stop_token stop = {}, int decoder_threads = 0);

// The gate's measure for one picture (any size): the larger text_likeness() of its 320 and 640 px wide reductions.
double picture_text_likeness(const RgbImage& picture);

}  // namespace frameline
