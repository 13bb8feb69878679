#include "core/pipeline/model_pass.h"

#include <map>
#include <thread>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "core/pipeline/bounded_queue.h"
#include "core/store/store.h"

namespace frameline {

ModelPassResult run_frame_models(const std::filesystem::path& media, Store& store, int64_t title_id,
                                 FrameModels& models, const ProgressFn& progress, std::stop_token stop,
                                 int decoder_threads) {
    std::map<int64_t, const FrameRecord*> wanted;
    const std::vector<FrameRecord> frames = store.frames(title_id);
    for (const FrameRecord& f : frames) wanted.emplace(f.frame_index, &f);
    ModelRunOutput out;
    out.model = models.run_name();
    out.model_version = models.run_version();
    ModelPassResult result;
    if (wanted.empty()) {
        result.run_id = store.save_model_run(title_id, out);
        return result;
    }

    // Decoding runs ahead of inference by at most two batches: memory stays flat for any title length.
    const int batch_size = std::max(1, models.batch_size());
    BoundedQueue<SampledPicture> queue(2 * static_cast<size_t>(batch_size));
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
                SampledPicture p{frame.index, frame.pts_s, it->second->shot_index,
                                 decoder.current_rgb(models.picture_width())};
                if (!queue.push(std::move(p))) break;
            }
        } catch (...) {
            decode_error = std::current_exception();
        }
        queue.close();
    });

    std::vector<SampledPicture> batch;
    auto run_batch = [&] {
        if (batch.empty()) return;
        models.analyse(batch, out);
        result.frames += static_cast<int>(batch.size());
        batch.clear();
        if (progress) progress(Progress{"models", result.frames, static_cast<int64_t>(wanted.size())});
    };
    try {
        while (auto picture = queue.pop()) {
            if (stop.stop_requested()) break;
            batch.push_back(std::move(*picture));
            if (static_cast<int>(batch.size()) == batch_size) run_batch();
        }
        run_batch();
    } catch (...) {
        queue.close();  // lets the decoder thread finish; the jthread joins on the way out
        throw;
    }
    decoder.join();
    if (decode_error) std::rethrow_exception(decode_error);
    if (stop.stop_requested()) throw Cancelled();
    result.missing = static_cast<int>(wanted.size()) - result.frames;
    result.run_id = store.save_model_run(title_id, out);
    return result;
}

}  // namespace frameline
