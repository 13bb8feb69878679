#include "core/pipeline/ingest.h"

#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/media/content_hash.h"
#include "core/media/probe.h"
#include "core/pipeline/frame_seek.h"
#include "core/store/store.h"

namespace frameline {
namespace {

NewTitle describe_title(const std::filesystem::path& path, const MediaInfo& info, const std::string& hash) {
    NewTitle t;
    t.name = path.stem().string();
    t.media_path = std::filesystem::absolute(path).lexically_normal().string();
    t.content_hash = hash;
    t.size_bytes = info.size_bytes;
    t.container = info.container;
    t.video_codec = info.video_codec;
    t.duration_s = info.duration_s;
    t.fps = info.fps;
    t.width = info.width;
    t.height = info.height;
    t.rotation_deg = info.rotation_deg;
    return t;
}

TitleAnalysis::Frame to_stored(SampledFrame&& f) {
    TitleAnalysis::Frame out;
    out.record.shot_index = f.shot_index;
    out.record.frame_index = f.index;
    out.record.pts_s = f.pts_s;
    out.record.kind = f.kind;
    out.record.representative = f.kind == FrameKind::Representative;
    out.record.metrics = f.metrics;
    out.record.flags = f.flags;
    out.record.active = f.active;
    out.record.motion = f.motion;
    out.record.width = f.width;
    out.record.height = f.height;
    out.jpeg = std::move(f.jpeg);
    return out;
}

TitleAnalysis to_analysis(const ScanResult& scan) {
    TitleAnalysis a;
    a.frame_count = scan.frame_count;
    a.duration_s = scan.duration_s;
    a.fps = scan.duration_s > 0 ? static_cast<double>(scan.frame_count) / scan.duration_s : scan.info.fps;
    a.shots = scan.shots;
    a.markers = scan.markers;
    return a;
}

// Writes sampled frames to the store's staging area in batches while the scan runs: thumbnails never pile up in
// memory, whatever the title's length.
class FrameStager {
public:
    FrameStager(Store& store, int64_t title_id) : store_(store), title_id_(title_id) {}
    void add(std::vector<SampledFrame>&& frames) {
        for (SampledFrame& f : frames) batch_.push_back(to_stored(std::move(f)));
        if (batch_.size() >= kBatch) flush();
    }
    void flush() {
        if (batch_.empty()) return;
        store_.stage_frames(title_id_, batch_);
        batch_.clear();
    }

private:
    static constexpr size_t kBatch = 64;
    Store& store_;
    int64_t title_id_;
    std::vector<TitleAnalysis::Frame> batch_;
};

std::unique_ptr<Store::ContentLock> wait_for_content(Store& store, const std::string& hash, const ProgressFn& progress,
                                                     std::stop_token stop) {
    for (int64_t waited_s = 0;; ++waited_s) {
        if (auto lock = store.try_lock_content(hash)) return lock;
        if (progress) progress(Progress{"waiting", waited_s, 0});  // for another ingest of this content
        for (int i = 0; i < 10; ++i) {
            if (stop.stop_requested()) throw Cancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

// The frame models on their own thread beside the scan, fed the sampled frames' full pictures as each shot closes.
// Whatever way the ingest ends, the thread is stopped and joined before the title's fate is written.
class ModelsBesideScan {
public:
    ModelsBesideScan(std::vector<FrameModels*> sets, std::stop_token stop) : stop_(stop), sets_(sets) {
        if (sets.empty()) return;
        stage_.emplace(std::move(sets));
        thread_ = std::jthread([this, stop] {
            try {
                stage_->run(stop);
            } catch (...) {
                error_ = std::current_exception();
            }
        });
    }
    ~ModelsBesideScan() {
        if (!stage_) return;
        stage_->cancel();
        if (thread_.joinable()) thread_.join();
    }
    bool running() const { return stage_.has_value(); }

    // Hands each frame's picture to the models (and lets go of it): blocks while the models are two batches behind.
    void take(std::vector<SampledFrame>& frames) {
        if (!stage_) return;
        for (SampledFrame& f : frames) {
            if (f.picture) stage_->push(f.index, f.pts_s, f.shot_index, *f.picture);
            f.picture.reset();
            sampled_[f.index] = Sampled{f.pts_s, f.shot_index};
        }
    }

    // After the scan: the frames a set wants again now that the markers are known (FrameModels::frames_after_scan),
    // decoded by seeking and given to that set alone.
    void after_scan(const std::filesystem::path& path, const std::vector<Marker>& markers, int threads) {
        for (size_t k = 0; k < sets_.size() && !stop_.stop_requested(); ++k) {
            std::vector<FrameAt> at;
            for (int64_t index : sets_[k]->frames_after_scan(markers))
                if (auto it = sampled_.find(index); it != sampled_.end()) at.push_back(FrameAt{index, it->second.pts_s});
            if (at.empty()) continue;
            FrameSeekOptions seek;
            seek.threads = threads;
            decode_frames_at(
                path, at,
                [&](const FrameAt& f, const DecodedPicture& picture) {
                    return stage_->push_again(k, f.frame_index, f.pts_s, sampled_.at(f.frame_index).shot_index,
                                              picture);
                },
                seek, stop_);
        }
    }

    // After the scan: the last batches, then each set's run saved. Throws a model's error (nothing saved).
    std::vector<ModelPassResult> finish(Store& store, int64_t title_id, int expected_frames) {
        stage_->close();
        thread_.join();
        if (error_) std::rethrow_exception(error_);
        if (stop_.stop_requested()) throw Cancelled();
        return stage_->save(store, title_id, expected_frames);
    }

private:
    std::stop_token stop_;
    std::vector<FrameModels*> sets_;
    struct Sampled {
        double pts_s = 0.0;
        int shot_index = 0;
    };
    std::map<int64_t, Sampled> sampled_;  // every frame given to the sets, for after_scan
    std::optional<FrameModelStage> stage_;
    std::exception_ptr error_;
    std::jthread thread_;
};

}  // namespace

IngestResult ingest_file(const std::filesystem::path& path, Store& store, const IngestOptions& options,
                         const ProgressFn& progress, std::stop_token stop) {
    if (progress) progress(Progress{"probe", 0, 0});
    const MediaInfo info = probe_media(path);
    const std::string hash = content_hash(path);
    // One ingest of a content at a time, wherever it runs (another worker may have a copy of this file): wait for
    // the other to finish, then find its title stored.
    const std::unique_ptr<Store::ContentLock> lock = wait_for_content(store, hash, progress, stop);

    IngestResult result;
    auto existing = store.find_title_by_hash(hash);
    const std::string media_path = std::filesystem::absolute(path).lexically_normal().string();
    if (existing && existing->media_path != media_path && !std::filesystem::exists(existing->media_path))
        store.set_media_path(existing->id, media_path);  // moved or renamed: follow it
    if (existing && existing->status == TitleStatus::Ready && !options.force) {
        result.title_id = existing->id;
        result.already_present = true;
        result.shots = existing->shot_count;
        return result;
    }
    // A failed, cancelled or interrupted earlier ingest of the same content is redone under the same title.
    result.title_id = existing ? existing->id : store.create_title(describe_title(path, info, hash));
    store.set_title_status(result.title_id, TitleStatus::Ingesting, "");
    if (options.started) options.started(result.title_id);

    store.clear_staged_frames(result.title_id);  // leftovers of an interrupted earlier run
    FrameStager stager(store, result.title_id);
    ModelsBesideScan models(options.frame_models ? options.frame_models(result.title_id) : std::vector<FrameModels*>{},
                            stop);
    ScanOptions scan_options = options.scan;
    scan_options.keep_pictures = models.running();
    ScanResult scan;
    try {
        scan = scan_video(path, scan_options, progress, stop, [&](std::vector<SampledFrame>&& frames) {
            models.take(frames);
            stager.add(std::move(frames));
        });
        stager.flush();
    } catch (const Cancelled&) {
        store.clear_staged_frames(result.title_id);
        store.set_title_status(result.title_id, TitleStatus::Cancelled, "ingest cancelled; add the file again to redo it");
        throw;
    } catch (const std::exception& e) {
        store.clear_staged_frames(result.title_id);
        store.set_title_status(result.title_id, TitleStatus::Failed, e.what());
        throw;
    }
    if (progress) progress(Progress{"store", 0, 1});
    store.save_analysis(result.title_id, to_analysis(scan));
    if (progress) progress(Progress{"store", 1, 1});
    result.shots = static_cast<int>(scan.shots.size());
    result.frames = static_cast<int>(scan.sampled_frames);
    result.decoder = scan.decoder;
    if (models.running()) {
        models.after_scan(path, scan.markers, options.scan.threads);
        result.model_passes = models.finish(store, result.title_id, result.frames);
    }
    return result;
}

IngestJob::IngestJob(std::filesystem::path path, std::string database_url, IngestOptions options, Callbacks callbacks)
    : thread_([path = std::move(path), url = std::move(database_url), options, cb = std::move(callbacks)](
                  std::stop_token stop) {
          try {
              auto store = open_store(url);
              IngestResult r = ingest_file(path, *store, options, cb.progress, stop);
              if (cb.finished) cb.finished(r);
          } catch (const Cancelled&) {
              if (cb.failed) cb.failed("cancelled");
          } catch (const std::exception& e) {
              if (cb.failed) cb.failed(e.what());
          }
      }) {}

IngestJob::~IngestJob() = default;  // std::jthread requests stop and joins

void IngestJob::cancel() { thread_.request_stop(); }

}  // namespace frameline
