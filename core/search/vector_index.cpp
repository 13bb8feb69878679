// The vector index behind vector_index.h, on FAISS (the only file that includes it).
//
// Labels: FAISS numbers vectors 0..n-1 in the order they were added; keys_[label] says whose each is. Both kinds
// keep the normalised vectors in a flat array (IndexFlatIP's own, or IndexHNSWFlat's storage), which the filtered
// exact scans read directly.
//
// Cache file (little-endian, as written by this machine; all integers fixed width):
//   "FLVECIDX"  u32 format version  u32 kind (0 exact, 1 HNSW)  u32 dims  u32 0  u64 count
//   u32+bytes model  u32+bytes entity  u32+bytes fingerprint
//   count x (i64 title id, i64 entity key)
//   the FAISS index (faiss::write_index)
//   "FLVECEND"  u64 checksum of every byte before "FLVECEND"
// load() checks the size and the checksum before it lets FAISS parse anything, so a truncated or damaged file is
// a one-line error and never a wild allocation inside FAISS.
#include "core/search/vector_index.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include <immintrin.h>
#include <omp.h>
#include <unistd.h>

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include "core/error.h"
#include "core/store/store.h"

namespace frameline {

namespace {

using idx_t = faiss::Index::idx_t;

constexpr char kMagic[8] = {'F', 'L', 'V', 'E', 'C', 'I', 'D', 'X'};
constexpr char kEndMagic[8] = {'F', 'L', 'V', 'E', 'C', 'E', 'N', 'D'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kTrailerBytes = 16;
constexpr uint32_t kMaxString = 1 << 16;

struct KeyHash {
    size_t operator()(const VectorKey& k) const noexcept {
        uint64_t h = uint64_t(k.title_id) * 0x9E3779B97F4A7C15ULL ^ uint64_t(k.entity_key) * 0xC2B2AE3D27D4EB4FULL;
        return size_t(h ^ (h >> 29));
    }
};

std::string key_text(const VectorKey& k) {
    return "title " + std::to_string(k.title_id) + " key " + std::to_string(k.entity_key);
}

// A 64-bit checksum, four lanes over 32-byte blocks (fast enough for gigabytes: ~0.3 s/GB). Each step is a
// bijection of the lane's state for a fixed word and of the word for a fixed state, so any single changed word
// changes the result.
class Checksum {
public:
    void update(const void* data, size_t n) {
        auto p = static_cast<const uint8_t*>(data);
        total_ += n;
        if (carry_n_ > 0) {
            const size_t take = std::min(n, sizeof carry_ - carry_n_);
            std::memcpy(carry_ + carry_n_, p, take);
            carry_n_ += take;
            p += take;
            n -= take;
            if (carry_n_ < sizeof carry_) return;
            block(carry_);
            carry_n_ = 0;
        }
        for (; n >= 32; p += 32, n -= 32) block(p);
        std::memcpy(carry_, p, n);
        carry_n_ = n;
    }
    uint64_t value() const {
        uint64_t h = total_ * 0x9E3779B97F4A7C15ULL;
        for (size_t i = 0; i < carry_n_; ++i) h = mix(h, carry_[i]);
        for (uint64_t lane : lane_) h = mix(h, lane);
        return h;
    }

private:
    static uint64_t mix(uint64_t h, uint64_t w) {
        h ^= w * 0xFF51AFD7ED558CCDULL;
        h = (h << 27) | (h >> 37);
        return h * 0xC4CEB9FE1A85EC53ULL + 0x165667B19E3779F9ULL;
    }
    void block(const uint8_t* p) {
        uint64_t w[4];
        std::memcpy(w, p, 32);
        for (int i = 0; i < 4; ++i) lane_[i] = mix(lane_[i], w[i]);
    }
    uint64_t lane_[4] = {1, 2, 3, 4};
    uint8_t carry_[32] = {};
    size_t carry_n_ = 0;
    uint64_t total_ = 0;
};

// FILE* writer/reader for FAISS's serialiser that also checksum what passes through.
struct ChecksumWriter : faiss::IOWriter {
    FILE* f = nullptr;
    Checksum sum;
    size_t operator()(const void* ptr, size_t size, size_t nitems) override {
        const size_t n = std::fwrite(ptr, size, nitems, f);
        sum.update(ptr, size * n);
        return n;
    }
};

struct FileReader : faiss::IOReader {
    FILE* f = nullptr;
    size_t operator()(void* ptr, size_t size, size_t nitems) override { return std::fread(ptr, size, nitems, f); }
};

struct File {
    FILE* f = nullptr;
    ~File() {
        if (f) std::fclose(f);
    }
};

template <typename T>
void put(ChecksumWriter& w, const T& v) {
    if (w(&v, sizeof v, 1) != 1) throw Error("short write");
}
void put_string(ChecksumWriter& w, const std::string& s) {
    put(w, uint32_t(s.size()));
    if (!s.empty() && w(s.data(), 1, s.size()) != s.size()) throw Error("short write");
}

// Reads the fixed header; `fail` builds the one-line error.
struct HeaderReader {
    FILE* f;
    const std::filesystem::path& path;
    uint64_t file_size;
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("vector index cache '" + path.string() + "': " + what +
                    " — delete it; it is rebuilt from the database");
    }
    template <typename T>
    T get() {
        T v{};
        if (std::fread(&v, sizeof v, 1, f) != 1) fail("truncated (the header ends early)");
        return v;
    }
    std::string get_string() {
        const auto n = get<uint32_t>();
        if (n > kMaxString) fail("damaged (a header string of " + std::to_string(n) + " bytes)");
        std::string s(n, '\0');
        if (n > 0 && std::fread(s.data(), 1, n, f) != n) fail("truncated (the header ends early)");
        return s;
    }
};

VectorCacheHeader read_header(HeaderReader& r) {
    char magic[8];
    if (std::fread(magic, 1, 8, r.f) != 8 || std::memcmp(magic, kMagic, 8) != 0)
        r.fail("not a Frameline vector index (no FLVECIDX header)");
    VectorCacheHeader h;
    h.format_version = r.get<uint32_t>();
    if (h.format_version != kFormatVersion)
        r.fail("format version " + std::to_string(h.format_version) + ", this build reads version " +
               std::to_string(kFormatVersion));
    const auto kind = r.get<uint32_t>();
    if (kind > 1) r.fail("damaged (index kind " + std::to_string(kind) + ")");
    h.kind = kind == 0 ? VectorIndexKind::Exact : VectorIndexKind::Hnsw;
    const auto dims = r.get<uint32_t>();
    if (dims == 0 || dims > 65536) r.fail("damaged (" + std::to_string(dims) + " dimensions)");
    h.dims = int(dims);
    r.get<uint32_t>();
    h.count = r.get<uint64_t>();
    h.model = r.get_string();
    h.entity = r.get_string();
    h.fingerprint = r.get_string();
    // The keys and the vectors alone take this much; anything shorter was cut off.
    const uint64_t at_least = uint64_t(std::ftell(r.f)) + h.count * (16 + 4 * uint64_t(dims)) + kTrailerBytes;
    if (h.count > (uint64_t(1) << 40) || r.file_size < at_least)
        r.fail("truncated (" + std::to_string(r.file_size) + " bytes, " + std::to_string(h.count) + " vectors need " +
               std::to_string(at_least) + ")");
    return h;
}

uint64_t file_size_of(const std::filesystem::path& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : uint64_t(n);
}

// Normalised copy of `v` (length dims). Empty when it is zero or not finite.
bool normalise_into(const float* v, int dims, float* out) {
    double sq = 0;
    for (int i = 0; i < dims; ++i) {
        if (!std::isfinite(v[i])) return false;
        sq += double(v[i]) * v[i];
    }
    if (!(sq > 0)) return false;
    const float inv = float(1.0 / std::sqrt(sq));
    for (int i = 0; i < dims; ++i) out[i] = v[i] * inv;
    return true;
}

std::string sanitise(const std::string& s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
    return out;
}

// The inner product, with AVX2+FMA where the CPU has them. Debian's libfaiss is built for any x86-64 and its
// fvec_inner_product runs scalar: 805 ns per 512-d product against 61 ns here (measured on this machine), and the
// HNSW build and search are little else.
float dot_portable(const float* a, const float* b, size_t d) {
    float s[8] = {};
    size_t i = 0;
    for (; i + 8 <= d; i += 8)
        for (size_t j = 0; j < 8; ++j) s[j] += a[i + j] * b[i + j];
    float out = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < d; ++i) out += a[i] * b[i];
    return out;
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b, size_t d) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    s0 = _mm256_add_ps(s0, s1);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    h = _mm_hadd_ps(h, h);
    h = _mm_hadd_ps(h, h);
    float out = _mm_cvtss_f32(h);
    for (; i < d; ++i) out += a[i] * b[i];
    return out;
}

using DotFn = float (*)(const float*, const float*, size_t);
const DotFn dot = [] {
    __builtin_cpu_init();  // a static initialiser may run before libgcc's own
    return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? dot_avx2 : dot_portable;
}();

struct FastIPComputer : faiss::DistanceComputer {
    const float* xb = nullptr;
    size_t d = 0;
    const float* q = nullptr;
    void set_query(const float* x) override { q = x; }
    float operator()(idx_t i) override { return dot(q, xb + size_t(i) * d, d); }
    float symmetric_dis(idx_t i, idx_t j) override { return dot(xb + size_t(i) * d, xb + size_t(j) * d, d); }
};

// IndexFlatIP whose distance computer (what HNSW builds and searches with) is the fast one. FAISS writes it as a
// plain IndexFlatIP; load() puts it back.
struct FastFlatIP : faiss::IndexFlatIP {
    explicit FastFlatIP(idx_t dims) : faiss::IndexFlatIP(dims) {}
    faiss::DistanceComputer* get_distance_computer() const override {
        auto* c = new FastIPComputer;
        c->xb = get_xb();
        c->d = size_t(d);
        return c;
    }
};

// The same vectors as fast storage (the codes move, nothing is copied).
std::unique_ptr<faiss::IndexFlatIP> to_fast(faiss::IndexFlatIP& plain) {
    auto fast = std::make_unique<FastFlatIP>(plain.d);
    fast->codes.swap(plain.codes);
    fast->ntotal = plain.ntotal;
    plain.ntotal = 0;
    return fast;
}

// FAISS parallelises even a single query's search over its OpenMP team (IndexHNSW::search opens a parallel region
// for any n): on a busy machine the team's barrier then waits for a descheduled thread, and one query's latency
// jumps from ~1 ms to tens of ms. One query runs on the calling thread alone; callers parallelise over queries.
struct OneOpenMPThread {
    int saved = omp_get_max_threads();
    OneOpenMPThread() { omp_set_num_threads(1); }
    ~OneOpenMPThread() { omp_set_num_threads(saved); }
};

}  // namespace

struct VectorIndex::Impl {
    std::string model;
    std::string entity;
    int dims = 0;
    VectorIndexOptions options;
    VectorIndexKind kind = VectorIndexKind::Exact;
    std::unique_ptr<faiss::Index> index;
    std::vector<VectorKey> keys;  // by label
    std::unordered_map<VectorKey, idx_t, KeyHash> label_of;
    std::unordered_map<int64_t, std::vector<idx_t>> labels_of_title;
    int ef_search = 0;

    size_t size() const { return keys.size(); }

    const float* data() const {
        const faiss::Index* flat = kind == VectorIndexKind::Exact
                                       ? index.get()
                                       : static_cast<const faiss::IndexHNSW*>(index.get())->storage;
        return static_cast<const faiss::IndexFlat*>(flat)->get_xb();
    }

    std::unique_ptr<faiss::Index> make_hnsw() const {
        auto h = std::make_unique<faiss::IndexHNSWFlat>(dims, options.hnsw_m, faiss::METRIC_INNER_PRODUCT);
        delete h->storage;  // owned (own_fields): replaced by the fast kind
        h->storage = new FastFlatIP(dims);
        h->hnsw.efConstruction = options.hnsw_ef_construction;
        h->hnsw.efSearch = ef_search;
        return h;
    }

    void remember(const VectorKey& key) {
        const idx_t label = idx_t(keys.size());
        keys.push_back(key);
        label_of.emplace(key, label);
        labels_of_title[key.title_id].push_back(label);
    }

    std::vector<float> normalised_query(const std::vector<float>& query) const {
        if (int(query.size()) != dims)
            throw Error("vector search: the query has " + std::to_string(query.size()) + " dimensions, the index of '" +
                        model + "' " + entity + " vectors has " + std::to_string(dims) +
                        " — query with a vector of the same model");
        std::vector<float> q(static_cast<size_t>(dims));
        if (!normalise_into(query.data(), dims, q.data()))
            throw Error("vector search: the query vector is zero or not finite — give a real embedding");
        return q;
    }

    // The k best of `candidates` (labels) that pass `allow`, by exhaustive scan.
    std::vector<VectorHit> exact_over(const float* q, int k, const std::vector<idx_t>& candidates,
                                      const std::function<bool(const VectorKey&)>& allow) const {
        std::vector<idx_t> ids;
        ids.reserve(candidates.size());
        for (idx_t id : candidates)
            if (!allow || allow(keys[size_t(id)])) ids.push_back(id);
        std::vector<float> ip(ids.size());
        const float* xb = data();
        for (size_t i = 0; i < ids.size(); ++i) ip[i] = dot(q, xb + size_t(ids[i]) * size_t(dims), size_t(dims));
        std::vector<size_t> order(ids.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        const size_t n = std::min(order.size(), size_t(k));
        std::partial_sort(order.begin(), order.begin() + long(n), order.end(),
                          [&](size_t a, size_t b) { return ip[a] > ip[b] || (ip[a] == ip[b] && ids[a] < ids[b]); });
        std::vector<VectorHit> out;
        for (size_t i = 0; i < n; ++i) out.push_back(VectorHit{keys[size_t(ids[order[i]])], ip[order[i]]});
        return out;
    }

    std::vector<VectorHit> search(const std::vector<float>& query, int k, const VectorFilter& filter,
                                  bool force_exact) const;
};

namespace {

// FAISS's view of a VectorFilter: label -> key -> title set and predicate.
struct KeySelector : faiss::IDSelector {
    const std::vector<VectorKey>* keys = nullptr;
    const std::unordered_set<int64_t>* titles = nullptr;  // null: every title
    const std::function<bool(const VectorKey&)>* allow = nullptr;
    bool is_member(idx_t id) const override {
        const VectorKey& key = (*keys)[size_t(id)];
        if (titles && !titles->count(key.title_id)) return false;
        return !*allow || (*allow)(key);
    }
};

}  // namespace

std::vector<VectorHit> VectorIndex::Impl::search(const std::vector<float>& query, int k, const VectorFilter& filter,
                                                 bool force_exact) const {
    const std::vector<float> q = normalised_query(query);
    if (k <= 0 || keys.empty()) return {};
    const bool by_title = !filter.title_ids.empty();
    const bool filtered = by_title || bool(filter.allow);
    std::unordered_set<int64_t> titles(filter.title_ids.begin(), filter.title_ids.end());

    // A title filter names its candidates outright: when they are few, scan just them.
    if (by_title) {
        size_t n = 0;
        for (int64_t t : titles)
            if (auto it = labels_of_title.find(t); it != labels_of_title.end()) n += it->second.size();
        if (force_exact || kind == VectorIndexKind::Exact || n <= options.exact_below) {
            std::vector<idx_t> candidates;
            candidates.reserve(n);
            for (int64_t t : titles)
                if (auto it = labels_of_title.find(t); it != labels_of_title.end())
                    candidates.insert(candidates.end(), it->second.begin(), it->second.end());
            std::sort(candidates.begin(), candidates.end());
            return exact_over(q.data(), k, candidates, filter.allow);
        }
    }

    KeySelector selector;
    selector.keys = &keys;
    selector.titles = by_title ? &titles : nullptr;
    selector.allow = &filter.allow;
    const idx_t kk = std::min<idx_t>(k, idx_t(keys.size()));
    std::vector<float> dist(size_t(kk), 0.f);
    std::vector<idx_t> labels(size_t(kk), -1);
    if (force_exact || kind == VectorIndexKind::Exact) {
        // A full scan of either kind's flat storage (what IndexFlatIP::search does, with the fast product).
        std::vector<idx_t> all;
        all.reserve(keys.size());
        for (idx_t id = 0; id < idx_t(keys.size()); ++id)
            if (!filtered || selector.is_member(id)) all.push_back(id);
        return exact_over(q.data(), k, all, {});
    }
    {
        OneOpenMPThread one;
        faiss::SearchParametersHNSW params;
        // A filter drops some of what the graph walk finds (FAISS 1.7.3's HNSW honours the selector, checked):
        // walk a longer list so that k allowed ones remain.
        params.efSearch = std::max(ef_search * (filtered ? 2 : 1), int(kk));
        params.sel = filtered ? &selector : nullptr;
        index->search(1, q.data(), kk, dist.data(), labels.data(), &params);
    }
    std::vector<VectorHit> out;
    for (idx_t i = 0; i < kk; ++i) {
        if (labels[size_t(i)] < 0) continue;
        // Checked again here: the answer must not depend on whether an index kind honours the selector.
        if (filtered && !selector.is_member(labels[size_t(i)])) continue;
        out.push_back(VectorHit{keys[size_t(labels[size_t(i)])], dist[size_t(i)]});
    }
    // A narrow filter can leave the graph walk with fewer than k allowed vectors although more exist: scan them all.
    if (filtered && idx_t(out.size()) < kk && kind == VectorIndexKind::Hnsw && !force_exact) {
        std::vector<idx_t> all;
        all.reserve(keys.size());
        for (idx_t id = 0; id < idx_t(keys.size()); ++id)
            if (selector.is_member(id)) all.push_back(id);
        return exact_over(q.data(), k, all, {});
    }
    return out;
}

VectorIndex::VectorIndex(std::string model, std::string entity, int dims, VectorIndexOptions options)
    : impl_(std::make_unique<Impl>()) {
    if (dims <= 0)
        throw Error("vector index of '" + model + "' " + entity + " vectors: " + std::to_string(dims) +
                    " dimensions — an embedding has at least one");
    impl_->model = std::move(model);
    impl_->entity = std::move(entity);
    impl_->dims = dims;
    impl_->options = options;
    impl_->ef_search = std::max(1, options.hnsw_ef_search);
    impl_->index = std::make_unique<FastFlatIP>(dims);
}

VectorIndex::~VectorIndex() = default;
VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;

void VectorIndex::add(const std::vector<VectorKey>& keys, const std::vector<float>& vectors) {
    Impl& m = *impl_;
    const size_t n = keys.size();
    const std::string where = "vector index of '" + m.model + "' " + m.entity + " vectors";
    if (vectors.size() != n * size_t(m.dims))
        throw Error(where + ": " + std::to_string(n) + " keys need " + std::to_string(n * size_t(m.dims)) +
                    " floats (" + std::to_string(m.dims) + " dimensions each), got " + std::to_string(vectors.size()) +
                    " — every vector of one index comes from the same model");
    if (n == 0) return;
    std::vector<float> norm(vectors.size());
    std::unordered_set<VectorKey, KeyHash> batch;
    for (size_t i = 0; i < n; ++i) {
        if (!normalise_into(vectors.data() + i * size_t(m.dims), m.dims, norm.data() + i * size_t(m.dims)))
            throw Error(where + ": the vector of " + key_text(keys[i]) +
                        " is zero or not finite — re-run the embedding step for that title");
        if (m.label_of.count(keys[i]) || !batch.insert(keys[i]).second)
            throw Error(where + ": " + key_text(keys[i]) + " is added twice — each key has one vector");
    }
    if (m.kind == VectorIndexKind::Exact && m.size() + n >= m.options.exact_below) {
        // Crossing the threshold: the graph takes over, built from what the flat index holds plus the new ones.
        std::unique_ptr<faiss::Index> graph = m.make_hnsw();
        if (m.size() > 0) graph->add(idx_t(m.size()), m.data());
        m.index = std::move(graph);
        m.kind = VectorIndexKind::Hnsw;
    }
    m.index->add(idx_t(n), norm.data());
    for (const VectorKey& k : keys) m.remember(k);
}

std::vector<VectorHit> VectorIndex::search(const std::vector<float>& query, int k, const VectorFilter& filter) const {
    return impl_->search(query, k, filter, false);
}

std::vector<VectorHit> VectorIndex::search_exact(const std::vector<float>& query, int k,
                                                 const VectorFilter& filter) const {
    return impl_->search(query, k, filter, true);
}

std::optional<std::vector<float>> VectorIndex::vector(const VectorKey& key) const {
    const auto it = impl_->label_of.find(key);
    if (it == impl_->label_of.end()) return std::nullopt;
    const float* v = impl_->data() + size_t(it->second) * size_t(impl_->dims);
    return std::vector<float>(v, v + impl_->dims);
}

void VectorIndex::set_ef_search(int ef_search) {
    impl_->ef_search = std::max(1, ef_search);
    if (impl_->kind == VectorIndexKind::Hnsw)
        static_cast<faiss::IndexHNSW*>(impl_->index.get())->hnsw.efSearch = impl_->ef_search;
}
int VectorIndex::ef_search() const { return impl_->ef_search; }
const std::string& VectorIndex::model() const { return impl_->model; }
const std::string& VectorIndex::entity() const { return impl_->entity; }
int VectorIndex::dims() const { return impl_->dims; }
size_t VectorIndex::size() const { return impl_->size(); }
VectorIndexKind VectorIndex::kind() const { return impl_->kind; }

size_t VectorIndex::memory_bytes() const {
    const Impl& m = *impl_;
    size_t bytes = m.size() * size_t(m.dims) * sizeof(float);
    if (m.kind == VectorIndexKind::Hnsw) {
        const faiss::HNSW& h = static_cast<const faiss::IndexHNSW*>(m.index.get())->hnsw;
        bytes += h.neighbors.size() * sizeof(faiss::HNSW::storage_idx_t) + h.levels.size() * sizeof(int) +
                 h.offsets.size() * sizeof(size_t);
    }
    // keys, the key -> label map (a node and a bucket each), labels by title
    bytes += m.size() * (sizeof(VectorKey) + sizeof(VectorKey) + sizeof(idx_t) + 2 * sizeof(void*) + sizeof(idx_t));
    return bytes;
}

void VectorIndex::save(const std::filesystem::path& path, const std::string& fingerprint) const {
    const Impl& m = *impl_;
    const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
    const auto fail = [&](const std::string& what) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw Error("vector index cache '" + path.string() + "': " + what +
                    " — check the folder's permissions and free space");
    };
    if (fingerprint.size() > kMaxString || m.model.size() > kMaxString || m.entity.size() > kMaxString)
        fail("model, entity or fingerprint longer than " + std::to_string(kMaxString) + " bytes");
    File file;
    file.f = std::fopen(tmp.c_str(), "wb");
    if (!file.f) fail(std::string("cannot be written: ") + std::strerror(errno));
    ChecksumWriter w;
    w.f = file.f;
    w.name = tmp.string();
    try {
        if (w(kMagic, 1, 8) != 8) throw Error("short write");
        put(w, kFormatVersion);
        put(w, uint32_t(m.kind == VectorIndexKind::Exact ? 0 : 1));
        put(w, uint32_t(m.dims));
        put(w, uint32_t(0));
        put(w, uint64_t(m.size()));
        put_string(w, m.model);
        put_string(w, m.entity);
        put_string(w, fingerprint);
        std::vector<int64_t> flat;
        flat.reserve(m.size() * 2);
        for (const VectorKey& k : m.keys) {
            flat.push_back(k.title_id);
            flat.push_back(k.entity_key);
        }
        if (!flat.empty() && w(flat.data(), sizeof(int64_t), flat.size()) != flat.size()) throw Error("short write");
        faiss::write_index(m.index.get(), &w);
        const uint64_t sum = w.sum.value();
        if (std::fwrite(kEndMagic, 1, 8, file.f) != 8 || std::fwrite(&sum, sizeof sum, 1, file.f) != 1)
            throw Error("short write");
    } catch (const faiss::FaissException& e) {
        fail(std::string("cannot be written: ") + e.what());
    } catch (const Error&) {
        fail(std::string("cannot be written: ") + std::strerror(errno));
    }
    const int rc = std::fclose(file.f);
    file.f = nullptr;
    if (rc != 0) fail(std::string("cannot be written: ") + std::strerror(errno));
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail("cannot be replaced: " + ec.message());
}

VectorCacheHeader read_vector_cache_header(const std::filesystem::path& path) {
    File file;
    file.f = std::fopen(path.c_str(), "rb");
    HeaderReader r{file.f, path, file_size_of(path)};
    if (!file.f) r.fail(std::string("cannot be read: ") + std::strerror(errno));
    return read_header(r);
}

VectorIndex VectorIndex::load(const std::filesystem::path& path, VectorIndexOptions options) {
    File file;
    file.f = std::fopen(path.c_str(), "rb");
    HeaderReader r{file.f, path, file_size_of(path)};
    if (!file.f) r.fail(std::string("cannot be read: ") + std::strerror(errno));
    const VectorCacheHeader h = read_header(r);
    const long body = std::ftell(file.f);

    // Pass 1: the trailer and the checksum of everything before it, before FAISS parses a byte.
    {
        const uint64_t covered = r.file_size - kTrailerBytes;
        if (std::fseek(file.f, 0, SEEK_SET) != 0) r.fail("cannot be read");
        Checksum sum;
        std::vector<uint8_t> buf(size_t(1) << 20);
        for (uint64_t left = covered; left > 0;) {
            const size_t want = size_t(std::min<uint64_t>(left, buf.size()));
            if (std::fread(buf.data(), 1, want, file.f) != want) r.fail("truncated (read error)");
            sum.update(buf.data(), want);
            left -= want;
        }
        char end[8];
        uint64_t stored = 0;
        if (std::fread(end, 1, 8, file.f) != 8 || std::memcmp(end, kEndMagic, 8) != 0)
            r.fail("truncated (no end marker: it was cut off while being written or copied)");
        if (std::fread(&stored, sizeof stored, 1, file.f) != 1) r.fail("truncated");
        if (stored != sum.value()) r.fail("damaged (checksum mismatch)");
    }

    // Pass 2: keys and the FAISS index.
    if (std::fseek(file.f, body, SEEK_SET) != 0) r.fail("cannot be read");
    VectorIndex index(h.model, h.entity, h.dims, options);
    Impl& m = *index.impl_;
    std::vector<int64_t> flat(size_t(h.count) * 2);
    if (!flat.empty() && std::fread(flat.data(), sizeof(int64_t), flat.size(), file.f) != flat.size())
        r.fail("truncated (the keys end early)");
    m.keys.reserve(size_t(h.count));
    m.label_of.reserve(size_t(h.count));
    for (size_t i = 0; i < size_t(h.count); ++i) {
        const VectorKey key{flat[2 * i], flat[2 * i + 1]};
        if (m.label_of.count(key)) r.fail("damaged (" + key_text(key) + " twice)");
        m.remember(key);
    }
    std::unique_ptr<faiss::Index> loaded;
    try {
        FileReader reader;
        reader.f = file.f;
        reader.name = path.string();
        loaded.reset(faiss::read_index(&reader));
    } catch (const std::exception& e) {
        r.fail(std::string("damaged (FAISS cannot read it: ") + e.what() + ")");
    }
    if (std::ftell(file.f) != long(r.file_size - kTrailerBytes)) r.fail("damaged (bytes between index and end marker)");
    const bool kind_ok = h.kind == VectorIndexKind::Exact
                             ? dynamic_cast<faiss::IndexFlatIP*>(loaded.get()) != nullptr
                             : dynamic_cast<faiss::IndexHNSWFlat*>(loaded.get()) != nullptr;
    if (!kind_ok || loaded->d != h.dims || uint64_t(loaded->ntotal) != h.count ||
        loaded->metric_type != faiss::METRIC_INNER_PRODUCT)
        r.fail("damaged (the FAISS index does not match the header)");
    if (h.kind == VectorIndexKind::Exact) {
        m.index = to_fast(static_cast<faiss::IndexFlatIP&>(*loaded));
    } else {
        auto* graph = static_cast<faiss::IndexHNSW*>(loaded.get());
        auto* plain = dynamic_cast<faiss::IndexFlatIP*>(graph->storage);
        if (!plain) r.fail("damaged (the HNSW index's storage is not flat inner-product vectors)");
        graph->storage = to_fast(*plain).release();
        delete plain;
        graph->hnsw.efSearch = m.ef_search;
        m.index = std::move(loaded);
    }
    m.kind = h.kind;
    return index;
}

std::string embedding_fingerprint(Store& store, const std::string& model, const std::string& entity) {
    const Store::EmbeddingSetState s = store.embedding_set_state(model, entity);
    return "count=" + std::to_string(s.count) + ";max_id=" + std::to_string(s.max_id) +
           ";runs=" + std::to_string(s.run_id_sum);
}

VectorIndex build_vector_index(Store& store, const std::string& model, const std::string& entity,
                               VectorIndexOptions options) {
    std::optional<VectorIndex> index;
    int64_t first_title = 0;
    for (const TitleRecord& title : store.titles()) {
        const std::vector<Embedding> rows = store.embeddings(title.id, model, entity);
        if (rows.empty()) continue;
        if (!index) {
            index.emplace(model, entity, int(rows.front().vector.size()), options);
            first_title = title.id;
        }
        std::vector<VectorKey> keys;
        std::vector<float> vectors;
        keys.reserve(rows.size());
        vectors.reserve(rows.size() * size_t(index->dims()));
        for (const Embedding& e : rows) {
            if (int(e.vector.size()) != index->dims())
                throw Error("database '" + store.url() + "': the '" + model + "' " + entity + " embedding of title " +
                            std::to_string(title.id) + " key " + std::to_string(e.entity_key) + " has " +
                            std::to_string(e.vector.size()) + " dimensions, title " + std::to_string(first_title) +
                            "'s have " + std::to_string(index->dims()) +
                            " — re-run the embedding step for one of them");
            keys.push_back(VectorKey{title.id, e.entity_key});
            vectors.insert(vectors.end(), e.vector.begin(), e.vector.end());
        }
        index->add(keys, vectors);
    }
    if (!index)
        throw Error("database '" + store.url() + "': no '" + entity + "' embeddings of model '" + model +
                    "' — ingest titles with embeddings first, or name a stored model ('frameline-cli show TITLE')");
    return std::move(*index);
}

std::filesystem::path vector_cache_path(const std::string& store_url, const std::string& model,
                                        const std::string& entity) {
    // A short hash keeps two models apart whose names differ only in characters that sanitise() replaces.
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : model + '\n' + entity) h = (h ^ c) * 1099511628211ULL;
    char tag[17];
    std::snprintf(tag, sizeof tag, "%08llx", static_cast<unsigned long long>(h & 0xFFFFFFFFULL));
    std::string name = sanitise(model);
    if (name.size() > 120) name.resize(120);
    name += "." + sanitise(entity) + "." + tag + ".fvi";

    if (store_url.rfind("postgresql://", 0) == 0 || store_url.rfind("postgres://", 0) == 0) {
        std::string rest = store_url.substr(store_url.find("://") + 3);
        if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);  // no credentials
        if (const auto q = rest.find('?'); q != std::string::npos) rest.resize(q);
        std::filesystem::path base;
        if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) base = xdg;
        else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".cache";
        else base = std::filesystem::temp_directory_path();
        return base / "frameline" / "vectors" / sanitise(rest) / name;
    }
    std::string file = store_url;
    if (file.rfind("sqlite://", 0) == 0) file = file.substr(9);
    return std::filesystem::path(file + ".vectors") / name;
}

OpenedVectorIndex open_vector_index(Store& store, const std::string& model, const std::string& entity,
                                    const std::filesystem::path& cache_path, VectorIndexOptions options) {
    // The fingerprint is taken before the build: a change during the build leaves a cache that the next open
    // finds stale, never a stale cache that looks fresh.
    const std::string fingerprint = embedding_fingerprint(store, model, entity);
    std::string how;
    std::error_code ec;
    if (std::filesystem::exists(cache_path, ec)) {
        try {
            const VectorCacheHeader h = read_vector_cache_header(cache_path);
            if (h.model == model && h.entity == entity && h.fingerprint == fingerprint)
                return OpenedVectorIndex{VectorIndex::load(cache_path, options), "loaded from " + cache_path.string(),
                                         false};
            how = h.fingerprint != fingerprint
                      ? "rebuilt: the database changed since '" + cache_path.string() + "' was written"
                      : "rebuilt: '" + cache_path.string() + "' held another embedding set";
        } catch (const Error& e) {
            how = std::string("rebuilt: ") + e.what();
        }
    } else {
        how = "built: no cache yet at '" + cache_path.string() + "'";
    }
    VectorIndex index = build_vector_index(store, model, entity, options);
    try {
        if (cache_path.has_parent_path()) std::filesystem::create_directories(cache_path.parent_path());
        index.save(cache_path, fingerprint);
    } catch (const std::exception& e) {
        how += std::string("; not cached: ") + e.what();
    }
    return OpenedVectorIndex{std::move(index), how, true};
}

}  // namespace frameline
