#pragma once
// Vector index (issue #9): nearest neighbours by cosine over one set of stored embeddings, one (model, entity)
// pair ("media:visual:...", "shot"). FAISS lives behind this header (vector_index.cpp); nothing here names it.
//
// Vectors are L2-normalised when added, so the inner product is the cosine. Below kExactSearchBelow vectors the
// index is exact (a flat scan); from there on it is an HNSW graph (approximate: recall@10 >= 0.95 with the default
// parameters on clustered data, bench/bench_search.cpp), chosen automatically and switched when adds cross it.
//
// Filters (a title set, and any predicate over the keys: tags, review status, characters resolved by the caller)
// combine with the vector search: a title filter that leaves few candidates (<= kExactSearchBelow) is answered
// exactly over just those; a wider one, or a predicate, searches the graph with FAISS's id selector (honoured by
// 1.7.3's HNSW) and a 2x longer search list, and falls back to an exact scan of the allowed vectors when the graph
// yields fewer than k of them (a predicate that allows very few: correct, at full-scan cost).
//
// The index is a cache of the database: save() writes it to a file with a header (format version, model, entity,
// dimensions, vector count, the caller's staleness fingerprint) and a checksum; open_vector_index() loads it when it
// matches the database and rebuilds (and rewrites) it when it is missing, stale or damaged.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace frameline {

class Store;

// Below this many vectors the index searches exhaustively (exact, and fast enough: 12 ms for 50k x 512-d on one
// core of the loaded 2-core machine, bench_search); at or above it, HNSW.
inline constexpr size_t kExactSearchBelow = 50000;

// What a vector belongs to: the title and the embedding row's entity key (frame index, shot index, 0 for the title,
// face id).
struct VectorKey {
    int64_t title_id = 0;
    int64_t entity_key = 0;
    bool operator==(const VectorKey&) const = default;
};

struct VectorHit {
    VectorKey key;
    float score = 0;  // cosine, -1..1
};

// Which vectors may be answered. Both parts empty: every vector.
struct VectorFilter {
    std::vector<int64_t> title_ids;               // only these titles (empty: every title)
    std::function<bool(const VectorKey&)> allow;  // and only the keys it allows (empty: all); called many times
};

enum class VectorIndexKind { Exact, Hnsw };

struct VectorIndexOptions {
    size_t exact_below = kExactSearchBelow;
    // HNSW: links per node, the build's and the search's candidate list lengths. bench/bench_search.cpp, 1M x 512-d
    // clustered, loaded 2-core machine: efConstruction 64, efSearch 512: recall@10 0.965, p95 2.4 ms (efSearch
    // 256: 0.951, 1.5 ms); efConstruction 40 plateaus lower (0.83 at efSearch 128, against 0.92 with 64).
    int hnsw_m = 32;
    int hnsw_ef_construction = 64;
    int hnsw_ef_search = 512;
};

class VectorIndex {
public:
    // An empty index for `dims`-dimensional vectors of `model`/`entity`. Throws frameline::Error for dims <= 0.
    VectorIndex(std::string model, std::string entity, int dims, VectorIndexOptions options = {});
    ~VectorIndex();
    VectorIndex(VectorIndex&&) noexcept;
    VectorIndex& operator=(VectorIndex&&) noexcept;

    // Adds keys.size() vectors (row-major, keys.size() x dims() floats), normalising each. Throws frameline::Error,
    // adding nothing, for a wrong vector length, a zero or non-finite vector, or a key already in the index.
    void add(const std::vector<VectorKey>& keys, const std::vector<float>& vectors);
    void add(const VectorKey& key, const std::vector<float>& vector) { add(std::vector<VectorKey>{key}, vector); }

    // The k best vectors by cosine with `query` (normalised here), best first; fewer when fewer pass the filter.
    // Throws frameline::Error for a query of the wrong length or a zero/non-finite one. Safe to call from several
    // threads at once (not while adding).
    std::vector<VectorHit> search(const std::vector<float>& query, int k, const VectorFilter& filter = {}) const;
    // The same by exhaustive scan, whatever the kind: the reference that tests and benchmarks compare against.
    std::vector<VectorHit> search_exact(const std::vector<float>& query, int k, const VectorFilter& filter = {}) const;
    // The stored (normalised) vector of `key`, if there is one: "more like this" for an item in the index.
    std::optional<std::vector<float>> vector(const VectorKey& key) const;

    // HNSW's search list length (recall against speed); ignored by an exact index.
    void set_ef_search(int ef_search);
    int ef_search() const;

    const std::string& model() const;
    const std::string& entity() const;
    int dims() const;
    size_t size() const;
    VectorIndexKind kind() const;
    // Approximate bytes held (vectors, graph, keys).
    size_t memory_bytes() const;

    // Writes the index with its header to `path` (through a temporary file and a rename, so readers never see half
    // a file). Throws frameline::Error naming the file when it cannot be written.
    void save(const std::filesystem::path& path, const std::string& fingerprint) const;
    // Reads a file save() wrote. Throws frameline::Error with one line naming the file and what is wrong (not a
    // vector index, another format version, truncated, checksum mismatch) and what to do.
    static VectorIndex load(const std::filesystem::path& path, VectorIndexOptions options = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A cache file's header, read without loading the vectors.
struct VectorCacheHeader {
    uint32_t format_version = 0;
    std::string model;
    std::string entity;
    int dims = 0;
    uint64_t count = 0;
    VectorIndexKind kind = VectorIndexKind::Exact;
    std::string fingerprint;
};
// Throws frameline::Error (one line, naming the file) when it is not a readable vector index cache.
VectorCacheHeader read_vector_cache_header(const std::filesystem::path& path);

// What the store holds for one embedding set, as a short string that changes whenever the set does (rows added,
// replaced by a new model run or deleted with their title): "count=N;max_id=M;runs=S" (Store::embedding_set_state).
std::string embedding_fingerprint(Store& store, const std::string& model, const std::string& entity);

// Every title's vectors of `model`/`entity`, keyed (title id, entity key). Throws frameline::Error when the set
// is empty (naming the model and entity, and how to list the stored ones) or two rows differ in length.
VectorIndex build_vector_index(Store& store, const std::string& model, const std::string& entity,
                               VectorIndexOptions options = {});

// Where the cache of a set lives: beside an SQLite database ("/data/f.db" -> "/data/f.db.vectors/<model>.<entity>.fvi",
// the model's unsafe characters replaced); for PostgreSQL under $XDG_CACHE_HOME/frameline/vectors/<host_db>/.
std::filesystem::path vector_cache_path(const std::string& store_url, const std::string& model,
                                        const std::string& entity);

struct OpenedVectorIndex {
    VectorIndex index;
    // What happened, one line: "loaded from <file>", "built: no cache yet", "rebuilt: the database changed since
    // the cache was written", "rebuilt: <the damaged file's error>".
    std::string how;
    bool rebuilt = false;
};
// The set's index from its cache when the cache matches the store's fingerprint, else built from the store and
// saved to `cache_path` (a cache that cannot be written is not an error: `how` says so).
OpenedVectorIndex open_vector_index(Store& store, const std::string& model, const std::string& entity,
                                    const std::filesystem::path& cache_path, VectorIndexOptions options = {});

}  // namespace frameline
