#include "core/pipeline/model_pass.h"

#include <algorithm>
#include <map>
#include <thread>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/bounded_queue.h"
#include "core/store/store.h"

namespace frameline {

namespace {

// One decoded sampled frame, as each distinct picture width wants it.
struct DecodedSample {
    int64_t frame_index = 0;
    double pts_s = 0.0;
    int shot_index = 0;
    std::map<int, RgbImage> by_width;
};

}  // namespace

std::vector<ModelPassResult> run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                              const std::vector<FrameModels*>& sets, const ProgressFn& progress,
                                              std::stop_token stop, int decoder_threads) {
    std::map<int64_t, const FrameRecord*> wanted;
    const std::vector<FrameRecord> frames = store.frames(title_id);
    for (const FrameRecord& f : frames) wanted.emplace(f.frame_index, &f);
    std::vector<ModelRunOutput> outs(sets.size());
    std::vector<ModelPassResult> results(sets.size());
    for (size_t k = 0; k < sets.size(); ++k) {
        outs[k].model = sets[k]->run_name();
        outs[k].model_version = sets[k]->run_version();
    }
    auto save_all = [&] {
        for (size_t k = 0; k < sets.size(); ++k) results[k].run_id = store.save_model_run(title_id, outs[k]);
    };
    if (wanted.empty() || sets.empty()) {
        save_all();
        return results;
    }

    std::vector<int> widths;
    std::vector<size_t> batch_sizes;
    for (FrameModels* set : sets) {
        widths.push_back(set->picture_width());
        batch_sizes.push_back(static_cast<size_t>(std::max(1, set->batch_size())));
    }
    std::vector<int> distinct = widths;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());

    // Decoding runs ahead of inference by at most two of the largest batches: memory stays flat for any title length.
    BoundedQueue<DecodedSample> queue(2 * *std::max_element(batch_sizes.begin(), batch_sizes.end()));
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
                DecodedSample d{frame.index, frame.pts_s, it->second->shot_index, {}};
                for (int w : distinct) d.by_width.emplace(w, decoder.current_rgb(w));
                if (!queue.push(std::move(d))) break;
            }
        } catch (...) {
            decode_error = std::current_exception();
        }
        queue.close();
    });

    std::vector<std::vector<SampledPicture>> batches(sets.size());
    int64_t done = 0;
    const int64_t total = static_cast<int64_t>(wanted.size() * sets.size());
    auto run_batch = [&](size_t k) {
        if (batches[k].empty()) return;
        sets[k]->analyse(batches[k], outs[k]);
        results[k].frames += static_cast<int>(batches[k].size());
        done += static_cast<int64_t>(batches[k].size());
        batches[k].clear();
        if (progress) progress(Progress{"models", done, total});
    };
    try {
        while (auto sample = queue.pop()) {
            if (stop.stop_requested()) break;
            for (size_t k = 0; k < sets.size(); ++k) {
                // The last set to take a width takes the picture itself; the others a copy.
                const bool last_user = std::find(widths.begin() + static_cast<std::ptrdiff_t>(k) + 1, widths.end(),
                                                 widths[k]) == widths.end();
                RgbImage& rgb = sample->by_width.at(widths[k]);
                batches[k].push_back(SampledPicture{sample->frame_index, sample->pts_s, sample->shot_index,
                                                    last_user ? std::move(rgb) : rgb});
                if (batches[k].size() == batch_sizes[k]) run_batch(k);
            }
        }
        for (size_t k = 0; k < sets.size(); ++k) run_batch(k);
    } catch (...) {
        queue.close();  // lets the decoder thread finish; the jthread joins on the way out
        throw;
    }
    decoder.join();
    if (decode_error) std::rethrow_exception(decode_error);
    if (stop.stop_requested()) throw Cancelled();
    for (ModelPassResult& r : results) r.missing = static_cast<int>(wanted.size()) - r.frames;
    save_all();
    return results;
}

ModelPassResult run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                 FrameModels& models, const ProgressFn& progress, std::stop_token stop,
                                 int decoder_threads) {
    return run_frame_models(media, store, title_id, std::vector<FrameModels*>{&models}, progress, stop,
                            decoder_threads)
        .front();
}

}  // namespace frameline
