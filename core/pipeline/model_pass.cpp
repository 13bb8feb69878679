#include "core/pipeline/model_pass.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/bounded_queue.h"
#include "core/store/store.h"

namespace frameline {

namespace {

// One sampled frame, as each distinct picture width wants it.
struct DecodedSample {
    int64_t frame_index = 0;
    double pts_s = 0.0;
    int shot_index = 0;
    std::map<int, RgbImage> by_width;
    int again_for = -1;  // a frame analysed again by this one set (push_again), or -1: for every set
};

size_t largest_batch(const std::vector<FrameModels*>& sets) {
    size_t largest = 1;
    for (FrameModels* set : sets) largest = std::max(largest, static_cast<size_t>(std::max(1, set->batch_size())));
    return largest;
}

}  // namespace

struct FrameModelStage::Impl {
    std::vector<FrameModels*> sets;
    ProgressFn progress;
    int64_t total = 0;
    std::vector<int> widths;          // per set
    std::vector<size_t> batch_sizes;  // per set
    std::vector<int> distinct;        // distinct widths
    BoundedQueue<DecodedSample> queue;
    std::atomic<bool> taking{true};
    std::vector<ModelRunOutput> outs;
    std::vector<int> analysed;  // frames per set

    Impl(std::vector<FrameModels*> s, ProgressFn p, int64_t t, size_t capacity)
        : sets(std::move(s)), progress(std::move(p)), total(t), queue(capacity) {}
};

// Decoding runs ahead of inference by at most two of the largest batches: memory stays flat for any title length.
FrameModelStage::FrameModelStage(std::vector<FrameModels*> sets, ProgressFn progress, int64_t total)
    : impl_(std::make_unique<Impl>(sets, std::move(progress), total, 2 * largest_batch(sets))) {
    Impl& d = *impl_;
    for (FrameModels* set : d.sets) {
        d.widths.push_back(set->picture_width());
        d.batch_sizes.push_back(static_cast<size_t>(std::max(1, set->batch_size())));
    }
    d.distinct = d.widths;
    std::sort(d.distinct.begin(), d.distinct.end());
    d.distinct.erase(std::unique(d.distinct.begin(), d.distinct.end()), d.distinct.end());
    d.outs.resize(d.sets.size());
    d.analysed.assign(d.sets.size(), 0);
    for (size_t k = 0; k < d.sets.size(); ++k) {
        d.outs[k].model = d.sets[k]->run_name();
        d.outs[k].model_version = d.sets[k]->run_version();
    }
}

FrameModelStage::~FrameModelStage() { impl_->queue.close(); }

bool FrameModelStage::push(int64_t frame_index, double pts_s, int shot_index, const DecodedPicture& picture) {
    Impl& d = *impl_;
    if (!d.taking) return false;
    DecodedSample sample{frame_index, pts_s, shot_index, {}};
    for (int w : d.distinct) sample.by_width.emplace(w, picture.rgb(w));
    return d.queue.push(std::move(sample));
}

bool FrameModelStage::push_again(size_t set, int64_t frame_index, double pts_s, int shot_index,
                                 const DecodedPicture& picture) {
    Impl& d = *impl_;
    if (!d.taking || set >= d.sets.size()) return false;
    DecodedSample sample{frame_index, pts_s, shot_index, {}, static_cast<int>(set)};
    sample.by_width.emplace(d.widths[set], picture.rgb(d.widths[set]));
    return d.queue.push(std::move(sample));
}

void FrameModelStage::close() { impl_->queue.close(); }

void FrameModelStage::cancel() {
    impl_->taking = false;
    impl_->queue.close();
    while (impl_->queue.try_pop()) {
    }
}

void FrameModelStage::run(std::stop_token stop) {
    Impl& d = *impl_;
    std::vector<std::vector<SampledPicture>> batches(d.sets.size());
    int64_t done = 0;
    auto run_batch = [&](size_t k) {
        if (batches[k].empty()) return;
        d.sets[k]->analyse(batches[k], d.outs[k]);
        done += static_cast<int64_t>(batches[k].size());
        batches[k].clear();
        if (d.progress) d.progress(Progress{"models", done, std::max(done, d.total)});
    };
    try {
        while (auto sample = d.queue.pop()) {
            if (stop.stop_requested() || !d.taking) {
                cancel();  // a producer blocked on the full queue returns
                return;
            }
            for (size_t k = 0; k < d.sets.size(); ++k) {
                const bool again = sample->again_for >= 0;
                if (again && sample->again_for != static_cast<int>(k)) continue;
                if (!again) ++d.analysed[k];  // counted as it is dispatched: saved only when every batch ran
                // The last set to take a width takes the picture itself; the others a copy.
                const bool last_user = again || std::find(d.widths.begin() + static_cast<std::ptrdiff_t>(k) + 1,
                                                          d.widths.end(), d.widths[k]) == d.widths.end();
                RgbImage& rgb = sample->by_width.at(d.widths[k]);
                batches[k].push_back(SampledPicture{sample->frame_index, sample->pts_s, sample->shot_index,
                                                    last_user ? std::move(rgb) : rgb});
                if (batches[k].size() == d.batch_sizes[k]) run_batch(k);
            }
        }
        if (!stop.stop_requested() && d.taking)
            for (size_t k = 0; k < d.sets.size(); ++k) run_batch(k);
    } catch (...) {
        cancel();  // the producer stops blocking; nothing of this pass is saved
        throw;
    }
}

std::vector<ModelPassResult> FrameModelStage::save(Store& store, int64_t title_id, int expected_frames) {
    Impl& d = *impl_;
    std::vector<ModelPassResult> results(d.sets.size());
    for (size_t k = 0; k < d.sets.size(); ++k) {
        results[k].frames = d.analysed[k];
        results[k].missing = std::max(0, expected_frames - d.analysed[k]);
        results[k].run_id = store.save_model_run(title_id, d.outs[k]);
    }
    return results;
}

std::vector<ModelPassResult> run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                              const std::vector<FrameModels*>& sets, const ProgressFn& progress,
                                              std::stop_token stop, int decoder_threads) {
    std::map<int64_t, const FrameRecord*> wanted;
    const std::vector<FrameRecord> frames = store.frames(title_id);
    for (const FrameRecord& f : frames) wanted.emplace(f.frame_index, &f);
    FrameModelStage stage(sets, progress, static_cast<int64_t>(wanted.size() * sets.size()));
    if (wanted.empty() || sets.empty()) return stage.save(store, title_id, 0);

    std::exception_ptr decode_error;
    std::jthread decoder([&](std::stop_token) {
        try {
            VideoDecoder::Options options;
            options.threads = decoder_threads;
            options.analysis_width = 16;  // the small planes are not used here
            VideoDecoder decoder(media, options);
            SmallFrame frame;
            size_t found = 0;
            while (found < wanted.size() && !stop.stop_requested() && decoder.next(frame)) {
                auto it = wanted.find(frame.index);
                if (it == wanted.end()) continue;
                ++found;
                if (!stage.push(frame.index, frame.pts_s, it->second->shot_index, *decoder.current_picture())) break;
            }
        } catch (...) {
            decode_error = std::current_exception();
        }
        stage.close();
    });
    stage.run(stop);  // on a model's error: the stage is cancelled, the decoder thread stops and is joined
    decoder.join();
    if (decode_error) std::rethrow_exception(decode_error);
    if (stop.stop_requested()) throw Cancelled();
    return stage.save(store, title_id, static_cast<int>(wanted.size()));
}

ModelPassResult run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                 FrameModels& models, const ProgressFn& progress, std::stop_token stop,
                                 int decoder_threads) {
    return run_frame_models(media, store, title_id, std::vector<FrameModels*>{&models}, progress, stop,
                            decoder_threads)
        .front();
}

}  // namespace frameline
