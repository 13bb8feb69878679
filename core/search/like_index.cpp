// The in-memory front of the vector index caches for "more like this" (see like_index.h).
#include "core/search/like_index.h"

#include "core/search/vector_index.h"
#include "core/store/store.h"

namespace frameline {

std::optional<std::filesystem::path> like_cache_path(const std::string& store_url, const std::string& model,
                                                     const std::string& entity) {
    std::string path = store_url;
    if (path.rfind("sqlite://", 0) == 0) path = path.substr(9);
    // SqliteStore::url() makes ":memory:" absolute ("sqlite:///cwd/:memory:"): the last component says it.
    const std::string last = std::filesystem::path(path).filename().string();
    if (path.empty() || last == ":memory:" || last.rfind("file::memory:", 0) == 0 || path.rfind("file::memory:", 0) == 0 ||
        path.find("mode=memory") != std::string::npos)
        return std::nullopt;
    return vector_cache_path(store_url, model, entity);
}

std::shared_ptr<const VectorIndex> LikeIndexes::get(Store& store, const std::string& model,
                                                    const std::string& entity) {
    // The fingerprint is read on the caller's own connection before the lock: searches on a server's threads check
    // it at once, not one after another (bench_serve). Then one lock for the open: two searches asking for the same
    // changed set at once build it once.
    const std::string fingerprint = embedding_fingerprint(store, model, entity);
    std::lock_guard lock(mutex_);
    Entry& e = entries_[{model, entity}];
    if (e.index && e.fingerprint == fingerprint) {
        last_how_ = "in memory";
        return e.index;
    }
    e.index.reset();
    if (const auto path = like_cache_path(store.url(), model, entity)) {
        OpenedVectorIndex opened = open_vector_index(store, model, entity, *path);
        last_how_ = opened.how;
        e.index = std::make_shared<const VectorIndex>(std::move(opened.index));
    } else {
        e.index = std::make_shared<const VectorIndex>(build_vector_index(store, model, entity));
        last_how_ = "built in memory (in-memory database: no cache file)";
    }
    e.fingerprint = fingerprint;
    return e.index;
}

std::shared_ptr<LikeIndexes> shared_like_indexes(const std::string& store_url) {
    if (!like_cache_path(store_url, "", "")) return std::make_shared<LikeIndexes>();
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<LikeIndexes>> by_url;
    std::lock_guard lock(mutex);
    std::shared_ptr<LikeIndexes>& set = by_url[store_url];
    if (!set) set = std::make_shared<LikeIndexes>();
    return set;
}

std::string LikeIndexes::last_how() const {
    std::lock_guard lock(mutex_);
    return last_how_;
}

}  // namespace frameline
