#pragma once
// The vector indexes behind "more like this" (scene_search.h): one VectorIndex (vector_index.h, FAISS) per
// embedding set — ("visual:...", "frame"), ("media:visual:...", "shot"), ("media:visual:...", "title") — so that a
// search across every title asks the index for candidates instead of reading every embedding row.
//
// Each set is opened from its cache file (open_vector_index: loaded when its fingerprint matches the database,
// else rebuilt and rewritten) and then kept in memory; every later get() costs one aggregate query (the set's
// fingerprint) and reopens only when the database changed. Where the cache file lives:
//   SQLite file     beside it: "/data/f.db" -> "/data/f.db.vectors/<model>.<entity>.<hash>.fvi"
//   PostgreSQL      $XDG_CACHE_HOME/frameline/vectors/<host_port_db>/ (per machine: every reviewer's machine builds
//                   its own from the shared database; the cache is never a source of truth)
//   SQLite :memory: nowhere: the index is built from the store and kept in memory only (the database dies with the
//                   process anyway)
// A cache that cannot be written (read-only folder) is not an error: the index is used from memory.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace frameline {

class Store;
class VectorIndex;

class LikeIndexes {
public:
    // The set's index, current with the store. Throws frameline::Error when the store holds no such vectors
    // (naming the model and entity) or the vectors differ in length.
    std::shared_ptr<const VectorIndex> get(Store& store, const std::string& model, const std::string& entity);
    // What the last get() did, one line: "in memory", "loaded from FILE", "built: ...", "rebuilt: ...".
    std::string last_how() const;

private:
    struct Entry {
        std::string fingerprint;
        std::shared_ptr<const VectorIndex> index;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, Entry> entries_;
    std::string last_how_;
};

// The process's indexes for one database (by URL), shared by every SceneSearch made without its own: the GUI's
// search view and the API server make a SceneSearch per query and still open each index once. An in-memory
// database gets a fresh set each time (two in-memory databases share a URL, not their rows).
std::shared_ptr<LikeIndexes> shared_like_indexes(const std::string& store_url);

// Where the cache of a store's set lives (see above); nullopt for an in-memory SQLite database.
std::optional<std::filesystem::path> like_cache_path(const std::string& store_url, const std::string& model,
                                                     const std::string& entity);

}  // namespace frameline
