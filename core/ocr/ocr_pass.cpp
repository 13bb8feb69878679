#include "core/ocr/ocr_pass.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "core/analysis/artwork.h"
#include "core/error.h"
#include "core/pipeline/model_pass.h"
#include "core/store/store.h"

namespace frameline {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Box-filter reduction to `width` (the thumbnails text_likeness() was tuned on are 320 px wide).
RgbImage reduce_to_width(const RgbImage& src, int width) {
    if (src.empty() || src.width <= width) return src;
    RgbImage out;
    out.width = width;
    out.height = std::max(1, static_cast<int>(std::lround(double(src.height) * width / src.width)));
    out.rgb.assign(static_cast<size_t>(out.width) * out.height * 3, 0);
    for (int y = 0; y < out.height; ++y) {
        const int y0 = y * src.height / out.height, y1 = std::max(y0 + 1, (y + 1) * src.height / out.height);
        for (int x = 0; x < out.width; ++x) {
            const int x0 = x * src.width / out.width, x1 = std::max(x0 + 1, (x + 1) * src.width / out.width);
            uint32_t sum[3] = {0, 0, 0};
            for (int yy = y0; yy < y1; ++yy)
                for (int xx = x0; xx < x1; ++xx)
                    for (int c = 0; c < 3; ++c) sum[c] += src.rgb[(static_cast<size_t>(yy) * src.width + xx) * 3 + c];
            const uint32_t n = static_cast<uint32_t>((y1 - y0) * (x1 - x0));
            for (int c = 0; c < 3; ++c)
                out.rgb[(static_cast<size_t>(y) * out.width + x) * 3 + c] = static_cast<uint8_t>(sum[c] / n);
        }
    }
    return out;
}

bool inside_credits(const std::vector<Marker>& markers, int64_t frame) {
    for (const Marker& m : markers)
        if ((m.kind == CueKind::OpeningCredits || m.kind == CueKind::ClosingCredits) && frame >= m.start_frame &&
            frame <= m.end_frame)
            return true;
    return false;
}

// The OCR step as a set of "frame models" for the model pass: it gets the decoded sampled frames in batches.
class OcrFrames final : public FrameModels {
public:
    // `markers`: the scan's, or none yet (beside the scan: frames_after_scan gives them).
    OcrFrames(const OcrPassOptions& options, std::optional<std::vector<Marker>> markers)
        : options_(options), markers_(std::move(markers)) {
        const int threads = std::max(1, options_.threads);
        for (int i = 0; i < threads; ++i) readers_.push_back(std::make_unique<ScreenTextReader>(options_.reader));
    }

    std::string run_name() const override { return "ocr"; }
    std::string run_version() const override {
        return "tesseract " + ScreenTextReader::engine_version() + " " + options_.reader.language;
    }
    int batch_size() const override { return 2 * static_cast<int>(readers_.size()); }
    int picture_width() const override { return options_.picture_width; }

    void analyse(const std::vector<SampledPicture>& batch, ModelRunOutput& out) override {
        // The gate: cheap, on this thread.
        std::vector<size_t> chosen;
        for (size_t i = 0; i < batch.size(); ++i) {
            const double likeness = picture_text_likeness(batch[i].rgb);
            const bool read = likeness >= options_.min_text_likeness ||
                              (markers_ && inside_credits(*markers_, batch[i].frame_index));
            seen_[batch[i].frame_index] = ReadFrame{batch[i].frame_index, batch[i].pts_s, read, false, {}};
            if (read) chosen.push_back(i);
        }
        // Tesseract: one engine per worker, pictures dealt round-robin.
        std::vector<std::vector<ScreenText>> found(batch.size());
        std::vector<double> spent(readers_.size(), 0.0);
        std::exception_ptr failure;
        std::mutex failure_mutex;
        auto work = [&](size_t worker) {
            try {
                for (size_t k = worker; k < chosen.size(); k += readers_.size()) {
                    const auto t0 = Clock::now();
                    found[chosen[k]] = readers_[worker]->read(batch[chosen[k]].rgb);
                    spent[worker] += seconds_since(t0);
                }
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                failure = std::current_exception();
            }
        };
        if (readers_.size() == 1 || chosen.size() <= 1) {
            work(0);
        } else {
            std::vector<std::jthread> workers;
            for (size_t w = 0; w < readers_.size(); ++w) workers.emplace_back(work, w);
        }
        if (failure) std::rethrow_exception(failure);
        for (double s : spent) ocr_s_ += s;
        for (size_t i = 0; i < batch.size(); ++i) {
            ReadFrame& seen = seen_[batch[i].frame_index];
            for (ScreenText& line : found[i]) {
                seen.lines.push_back(line.text);
                line.frame_index = batch[i].frame_index;
                out.screen_text.push_back(std::move(line));
            }
        }
        read_ += static_cast<int>(chosen.size());
        for (size_t i : chosen) read_frames_.insert(batch[i].frame_index);
        // The frames read are the evidence the artwork scorer needs: a read frame without lines has no text.
        out.detail = nlohmann::json{{"engine", "tesseract " + ScreenTextReader::engine_version()},
                                    {"language", options_.reader.language},
                                    {"min_text_likeness", options_.min_text_likeness},
                                    {"frames_seen", seen_.size()},
                                    {"frames_read", read_},
                                    {"ocr_s", std::round(ocr_s_ * 1000) / 1000},
                                    {"read_frames", read_frames_}}
                         .dump();
    }

    // Beside the scan: the frames the gate passed over that lie inside the scan's credits, to be read after all.
    std::vector<int64_t> frames_after_scan(const std::vector<Marker>& markers) override {
        if (markers_) return {};  // read as their markers said
        markers_ = markers;
        std::vector<int64_t> wanted;
        for (const auto& [frame, seen] : seen_)
            if (!seen.read && inside_credits(markers, frame)) wanted.push_back(frame);
        return wanted;
    }

    const std::optional<std::vector<Marker>>& markers() const { return markers_; }
    const std::map<int64_t, ReadFrame>& seen() const { return seen_; }
    int read() const { return read_; }
    double ocr_s() const { return ocr_s_; }

private:
    OcrPassOptions options_;
    std::optional<std::vector<Marker>> markers_;
    std::vector<std::unique_ptr<ScreenTextReader>> readers_;
    std::map<int64_t, ReadFrame> seen_;
    std::set<int64_t> read_frames_;
    int read_ = 0;
    double ocr_s_ = 0;
};

}  // namespace

double picture_text_likeness(const RgbImage& picture) {
    // 320 px: the thumbnails the proxy was tuned on. 640 px: a roll of short centred names in small type (28 px of
    // 720) has too few strokes per row at 320 px to count, and reads 0.036 at 640.
    return std::max(text_likeness(reduce_to_width(picture, 320)), text_likeness(reduce_to_width(picture, 640)));
}

struct OcrStep::Impl {
    Impl(Store& s, int64_t id, const OcrPassOptions& options, std::optional<std::vector<Marker>> m)
        : store(s), title_id(id), ocr(options, std::move(m)), credits_options(options.credits) {}
    Store& store;
    int64_t title_id;
    OcrFrames ocr;
    CreditsTextOptions credits_options;
    Clock::time_point t0 = Clock::now();
};

OcrStep::OcrStep(Store& store, int64_t title_id, const OcrPassOptions& options, When when) {
    if (!store.title(title_id)) throw Error("no title " + std::to_string(title_id) + " in " + store.url());
    std::optional<std::vector<Marker>> markers;
    if (when == When::AfterScan) markers = store.markers(title_id);
    impl_ = std::make_unique<Impl>(store, title_id, options, std::move(markers));
}

OcrStep::~OcrStep() = default;

FrameModels& OcrStep::frames() { return impl_->ocr; }

OcrPassResult OcrStep::finish(const ModelPassResult& pass) {
    Impl& s = *impl_;
    OcrPassResult result;
    result.run_id = pass.run_id;
    result.frames = pass.frames;
    result.frames_read = s.ocr.read();
    result.ocr_s = s.ocr.ocr_s();
    for (const auto& [frame, seen] : s.ocr.seen()) {
        result.lines += static_cast<int>(seen.lines.size());
        if (seen.read) result.read_frames.push_back(frame);
    }

    // Credits: the scan's markers confirmed, extended or contradicted, and new ones found, by the rule.
    std::vector<ReadFrame> frames;
    for (const FrameRecord& f : s.store.frames(s.title_id)) {
        auto it = s.ocr.seen().find(f.frame_index);
        ReadFrame r = it != s.ocr.seen().end() ? it->second : ReadFrame{f.frame_index, f.pts_s, false, false, {}};
        r.black = (f.flags & kFlagBlack) != 0;
        frames.push_back(std::move(r));
    }
    std::vector<ShotSpan> shots;
    for (const Shot& sh : s.store.shots(s.title_id))
        shots.push_back(ShotSpan{sh.start_frame, sh.end_frame, sh.start_s, sh.end_s});
    // The scan's markers: as the step was given them, or (beside a scan that never named them) as stored.
    const std::vector<Marker> markers = s.ocr.markers() ? *s.ocr.markers() : s.store.markers(s.title_id);
    std::vector<Marker> visual;
    for (const Marker& m : markers)
        if (m.kind == CueKind::OpeningCredits || m.kind == CueKind::ClosingCredits) visual.push_back(m);
    const std::optional<TitleRecord> title = s.store.title(s.title_id);
    if (!title)
        throw Error("title " + std::to_string(s.title_id) + " was removed from " + s.store.url() + " during its OCR");
    result.credits = refine_credits(visual, frames, shots, title->duration_s, s.credits_options);
    std::vector<Marker> refined;
    for (const CreditsDecision& d : result.credits) refined.push_back(d.marker);
    s.store.replace_proposed_markers(s.title_id, {CueKind::OpeningCredits, CueKind::ClosingCredits}, refined, "ocr");
    result.wall_s = seconds_since(s.t0);
    return result;
}

OcrPassResult run_ocr_pass(const std::filesystem::path& media, Store& store, int64_t title_id,
                           const OcrPassOptions& options, const ProgressFn& progress, std::stop_token stop,
                           int decoder_threads) {
    OcrStep step(store, title_id, options);
    ProgressFn renamed;
    if (progress)
        renamed = [&progress](const Progress& p) { progress(Progress{"ocr", p.done, p.total}); };
    const ModelPassResult pass = run_frame_models(media, store, title_id, step.frames(), renamed, stop, decoder_threads);
    return step.finish(pass);
}

}  // namespace frameline
