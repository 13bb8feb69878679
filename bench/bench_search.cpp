// The vector index (issue #9) at scale: N synthetic 512-d vectors (default 1M) in an HNSW index, against exact
// search (a full scan of the same vectors, measured in the same run): build time, memory (RSS delta), p50/p95
// latency of one top-10 query at a time over Q queries, recall@10 against exact on a subset, for a sweep of
// efSearch. Target (issue #9): top-10 over 1M shot vectors, p95 < 10 ms at recall@10 >= 0.95 on 2 cores.
//
// Data: a structured Gaussian mixture, not uniform noise. Real embeddings cluster (shots of one title, of one
// scene) and vary along few directions (published intrinsic-dimension estimates for CNN features are ~10-40, not
// 512): 1000 "titles" (random directions), 20 "scenes" each (title + offset), points = scene + a title-specific
// 16-d variation + small isotropic noise; queries are new draws from the same mixture. Uniform points on the sphere
// (no structure at all: every neighbour about as far as any other, the worst case for any approximate index and
// unlike any model's output) are printed for a smaller N (--uniform-n, default 100k) as the bound.
//
//   usage: bench_search [--n N] [--dims D] [--queries Q] [--truth T] [--m M] [--ef-construction E]
//                       [--ef 16,32,64,...] [--uniform-n N (0: skip)] [--db URL --model M [--entity shot]]
//                       [--save FILE | --load FILE] (the mixture's index, to sweep again without the build)
// --db: a real-data sample as well: that set's index from the database, exact against HNSW forced on it; with
// --entity frame also "more like this" end to end (SceneSearch, its index kept warm as a server keeps it) against
// the row scan it replaced (every title's frame embedding rows read and compared), in the same run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "core/search/like_index.h"
#include "core/search/scene_search.h"
#include "core/search/vector_index.h"
#include "core/store/store.h"

using namespace frameline;

namespace {

using Clock = std::chrono::steady_clock;
double since_s(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double rss_mib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

// splitmix64: fast, good enough, reproducible.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    float uniform() { return float(next() >> 40) * (1.0f / 16777216.0f); }
    // Approximately standard normal: Irwin-Hall with 4 terms (mean 2, variance 1/3), rescaled. Cheap; in 512-d
    // the sum of many such coordinates is as Gaussian as it needs to be.
    float normal() { return (uniform() + uniform() + uniform() + uniform() - 2.0f) * 1.7320508f; }
};

struct Mixture {
    int dims = 512;
    int titles = 1000, scenes = 20, local_dims = 16;
    float scene_spread = 0.5f, local_spread = 0.35f, noise = 0.15f;  // norms, title centres have norm ~1
    std::vector<float> scene_centres;  // titles*scenes x dims
    std::vector<float> bases;          // titles x local_dims x dims

    explicit Mixture(int d) : dims(d) {
        Rng r{12345};
        const float inv = 1.0f / std::sqrt(float(dims));
        std::vector<float> title(static_cast<size_t>(dims));
        scene_centres.resize(size_t(titles) * size_t(scenes) * size_t(dims));
        bases.resize(size_t(titles) * size_t(local_dims) * size_t(dims));
        for (int t = 0; t < titles; ++t) {
            for (float& v : title) v = r.normal() * inv;
            for (int s = 0; s < scenes; ++s) {
                float* c = &scene_centres[(size_t(t) * size_t(scenes) + size_t(s)) * size_t(dims)];
                for (int d = 0; d < dims; ++d) c[d] = title[size_t(d)] + r.normal() * inv * scene_spread;
            }
            for (size_t i = 0; i < size_t(local_dims) * size_t(dims); ++i)
                bases[size_t(t) * size_t(local_dims) * size_t(dims) + i] = r.normal() * inv;
        }
    }
    // Point i of stream `seed` (deterministic), into out[0..dims).
    void point(uint64_t seed, uint64_t i, float* out) const {
        Rng r{seed * 0x100000001B3ULL + i * 0x9E3779B97F4A7C15ULL};
        r.next();
        const size_t t = r.next() % size_t(titles), s = r.next() % size_t(scenes);
        const float* c = &scene_centres[(t * size_t(scenes) + s) * size_t(dims)];
        const float noise_scale = noise / std::sqrt(float(dims));
        for (int d = 0; d < dims; ++d) out[d] = c[d] + r.normal() * noise_scale;
        const float local_scale = local_spread / std::sqrt(float(local_dims));
        for (int j = 0; j < local_dims; ++j) {
            const float z = r.normal() * local_scale;
            const float* b = &bases[(t * size_t(local_dims) + size_t(j)) * size_t(dims)];
            for (int d = 0; d < dims; ++d) out[d] += z * b[d];
        }
    }
};

void uniform_point(int dims, uint64_t seed, uint64_t i, float* out) {
    Rng r{seed * 0x100000001B3ULL + i * 0x9E3779B97F4A7C15ULL};
    for (int d = 0; d < dims; ++d) out[d] = r.normal();
}

template <typename Gen>
std::vector<float> generate(size_t n, int dims, uint64_t seed, uint64_t first, const Gen& gen) {
    std::vector<float> out(n * size_t(dims));
    const unsigned threads = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (size_t i = t; i < n; i += threads) gen(seed, first + i, &out[i * size_t(dims)]);
        });
    for (auto& th : pool) th.join();
    return out;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

double recall_at(const std::vector<VectorHit>& got, const std::vector<VectorHit>& truth) {
    std::set<std::pair<int64_t, int64_t>> t;
    for (const VectorHit& h : truth) t.insert({h.key.title_id, h.key.entity_key});
    size_t n = 0;
    for (const VectorHit& h : got) n += t.count({h.key.title_id, h.key.entity_key});
    return truth.empty() ? 1.0 : double(n) / double(truth.size());
}

std::vector<float> row(const std::vector<float>& data, size_t i, int dims) {
    return std::vector<float>(data.begin() + long(i) * dims, data.begin() + long(i + 1) * dims);
}

struct Args {
    size_t n = 1000000;
    int dims = 512;
    size_t queries = 1000;
    size_t truth = 200;
    int m = 32, ef_construction = 64;
    std::vector<int> ef = {16, 32, 48, 64, 96, 128, 192};
    size_t uniform_n = 100000;
    std::string db, model, entity = "shot";
    std::string save, load;  // the mixture's index: written after the build, or read instead of building
};

// Exact top-10 for the first `truth` queries: the first 20 one at a time on this thread (the exact search's
// latency, the reference), the rest on two threads (only the answers are needed).
std::vector<std::vector<VectorHit>> exact_truth(const VectorIndex& index, const std::vector<float>& queries,
                                                size_t truth, int dims, std::vector<double>* exact_ms) {
    std::vector<std::vector<VectorHit>> out(truth);
    const size_t timed = std::min<size_t>(truth, 20);
    for (size_t i = 0; i < timed; ++i) {
        const auto t0 = Clock::now();
        out[i] = index.search_exact(row(queries, i, dims), 10);
        exact_ms->push_back(since_s(t0) * 1000);
    }
    std::vector<std::thread> pool;
    for (size_t t = 0; t < 2; ++t)
        pool.emplace_back([&, t] {
            for (size_t i = timed + t; i < truth; i += 2) out[i] = index.search_exact(row(queries, i, dims), 10);
        });
    for (auto& th : pool) th.join();
    return out;
}

// The sweep over efSearch: recall on the truth subset, latency over every query (one at a time, one thread).
void sweep(VectorIndex& index, const std::vector<float>& queries, size_t nq, int dims,
           const std::vector<std::vector<VectorHit>>& truth, const std::vector<int>& efs, double exact_p50_ms,
           const char* label) {
    std::printf("  %-9s %6s %10s %8s %8s %8s %12s\n", label, "ef", "recall@10", "p50 ms", "p95 ms", "p99 ms",
                "exact/p50");
    for (int ef : efs) {
        index.set_ef_search(ef);
        for (size_t i = 0; i < std::min<size_t>(nq, 20); ++i) index.search(row(queries, i, dims), 10);  // warm
        std::vector<double> ms;
        double recall = 0;
        for (size_t i = 0; i < nq; ++i) {
            const std::vector<float> q = row(queries, i, dims);
            const auto t0 = Clock::now();
            const auto hits = index.search(q, 10);
            ms.push_back(since_s(t0) * 1000);
            if (i < truth.size()) recall += recall_at(hits, truth[i]);
        }
        recall /= double(std::max<size_t>(1, truth.size()));
        const double p50 = percentile(ms, 0.5);
        std::printf("  %-9s %6d %10.3f %8.3f %8.3f %8.3f %11.0fx\n", "", ef, recall, p50, percentile(ms, 0.95),
                    percentile(ms, 0.99), exact_p50_ms / p50);
        std::fflush(stdout);
    }
}

template <typename Gen>
void run_synthetic(const char* name, const Args& a, size_t n, const Gen& gen) {
    VectorIndexOptions o;
    o.hnsw_m = a.m;
    o.hnsw_ef_construction = a.ef_construction;
    VectorIndex index("bench:" + std::string(name), "shot", a.dims, o);
    const double rss0 = rss_mib();
    const auto t0 = Clock::now();
    double gen_s = 0;
    const size_t chunk = 50000;
    // --load: the index a previous run saved (same --n, --dims), to sweep again without the build.
    if (!a.load.empty()) {
        index = VectorIndex::load(a.load, o);
        std::printf("%s: loaded %zu vectors from %s in %.1f s (the cache's load time)\n", name, index.size(),
                    a.load.c_str(), since_s(t0));
        n = 0;
    }
    for (size_t first = 0; first < n; first += chunk) {
        const size_t c = std::min(chunk, n - first);
        const auto g0 = Clock::now();
        const std::vector<float> data = generate(c, a.dims, 1, first, gen);
        gen_s += since_s(g0);
        std::vector<VectorKey> keys(c);
        for (size_t i = 0; i < c; ++i) keys[i] = VectorKey{int64_t((first + i) / 1000 + 1), int64_t(first + i)};
        index.add(keys, data);
        std::fprintf(stderr, "\r%s: %zu / %zu added (%.0f s)", name, first + c, n, since_s(t0));
    }
    std::fprintf(stderr, "\n");
    const double build_s = since_s(t0) - gen_s;
    const double rss_delta = rss_mib() - rss0;
    std::printf("%s: %zu x %d-d, %s; build %.1f s (HNSW M=%d efConstruction=%d; generating the data excluded: %.1f s), "
                "RSS +%.0f MiB (index's own estimate %.0f MiB; raw vectors %.0f MiB)\n",
                name, n, a.dims, index.kind() == VectorIndexKind::Hnsw ? "HNSW" : "exact", build_s, a.m,
                a.ef_construction, gen_s, rss_delta, double(index.memory_bytes()) / 1048576.0,
                double(n) * a.dims * 4 / 1048576.0);
    std::fflush(stdout);
    if (!a.save.empty() && a.load.empty()) {
        const auto s0 = Clock::now();
        index.save(a.save, "bench");
        std::printf("  saved to %s in %.1f s\n", a.save.c_str(), since_s(s0));
    }

    const std::vector<float> queries = generate(a.queries, a.dims, 2, 0, gen);  // another stream: new points
    std::vector<double> exact_ms;
    const auto tt = Clock::now();
    const auto truth = exact_truth(index, queries, std::min(a.truth, a.queries), a.dims, &exact_ms);
    const double exact_p50 = percentile(exact_ms, 0.5);
    std::printf("  exact search (full scan, one query, one thread): p50 %.1f ms, p95 %.1f ms over %zu queries; "
                "truth for %zu queries in %.1f s\n",
                exact_p50, percentile(exact_ms, 0.95), exact_ms.size(), truth.size(), since_s(tt));
    std::fflush(stdout);
    sweep(index, queries, a.queries, a.dims, truth, a.ef, exact_p50, name);

    // Filters at the last efSearch of the sweep: half the keys by predicate (the graph with a selector), and ten
    // titles (10k candidates: an exact scan of just those), against the exact filtered answer.
    const size_t nf = std::min<size_t>(100, a.queries);
    VectorFilter half;
    half.allow = [](const VectorKey& k) { return k.entity_key % 2 == 0; };
    VectorFilter ten;
    for (int64_t t = 1; t <= 10; ++t) ten.title_ids.push_back(t * 37);
    for (const auto& [label, filter] : {std::pair<const char*, const VectorFilter*>{"half the keys", &half},
                                        std::pair<const char*, const VectorFilter*>{"10 titles", &ten}}) {
        std::vector<double> ms;
        double recall = 0;
        for (size_t i = 0; i < nf; ++i) {
            const std::vector<float> q = row(queries, i, a.dims);
            const auto t0 = Clock::now();
            const auto hits = index.search(q, 10, *filter);
            ms.push_back(since_s(t0) * 1000);
            recall += recall_at(hits, index.search_exact(q, 10, *filter));
        }
        std::printf("  filter %-13s ef %d: recall@10 %.3f, p50 %.3f ms, p95 %.3f ms over %zu queries\n", label,
                    index.ef_search(), recall / double(nf), percentile(ms, 0.5), percentile(ms, 0.95), nf);
    }
}

void run_database(const Args& a) {
    std::unique_ptr<Store> store = open_store(a.db);
    VectorIndexOptions o;
    o.hnsw_m = a.m;
    o.hnsw_ef_construction = a.ef_construction;
    o.exact_below = 0;  // a sample smaller than the threshold would be exact: force the graph to compare
    const auto t0 = Clock::now();
    VectorIndex index = build_vector_index(*store, a.model, a.entity, o);
    const double build_s = since_s(t0);
    std::printf("database %s, %s %s: %zu x %d-d, HNSW build %.2f s\n", a.db.c_str(), a.model.c_str(),
                a.entity.c_str(), index.size(), index.dims(), build_s);
    // Queries: stored vectors of every k-th key (each finds itself; the other 9 are the test).
    std::vector<float> queries;
    size_t nq = 0;
    const size_t step = std::max<size_t>(1, index.size() / std::min<size_t>(a.queries, index.size()));
    for (const TitleRecord& t : store->titles())
        for (const Embedding& e : store->embeddings(t.id, a.model, a.entity))
            if (e.id % int64_t(step) == 0 && nq < a.queries) {
                const auto v = index.vector(VectorKey{t.id, e.entity_key});
                queries.insert(queries.end(), v->begin(), v->end());
                ++nq;
            }
    std::vector<double> exact_ms;
    const auto truth = exact_truth(index, queries, std::min(a.truth, nq), index.dims(), &exact_ms);
    sweep(index, queries, nq, index.dims(), truth, a.ef, percentile(exact_ms, 0.5), "database");
}

// "More like this" from stored frames: SceneSearch (index) against the row scan it replaced, top-10 shots.
void run_like(const Args& a) {
    std::unique_ptr<Store> store = open_store(a.db);
    std::vector<std::pair<int64_t, int64_t>> examples;  // title, frame
    std::vector<TitleRecord> titles = store->titles();
    const size_t total = size_t(store->embedding_set_state(a.model, "frame").count);
    const size_t want = std::min<size_t>(a.queries, 50), step = std::max<size_t>(1, total / std::max<size_t>(1, want));
    size_t seen = 0;
    for (const TitleRecord& t : titles)
        for (const Embedding& e : store->embeddings(t.id, a.model, "frame"))
            if (seen++ % step == 0 && examples.size() < want) examples.push_back({t.id, e.entity_key});
    if (examples.empty()) return;
    auto indexes = std::make_shared<LikeIndexes>();
    std::vector<double> index_ms, scan_ms;
    double agree = 0;
    for (const auto& [title, frame] : examples) {
        SceneQuery q;
        q.like_title_id = title;
        q.like_frame = frame;
        q.embedding_model = a.model;
        q.limit = 10;
        SceneSearch(*store, indexes).search(q);  // the first opens the index: not timed (the server's warm state)
        auto t0 = Clock::now();
        const std::vector<SceneHit> hits = SceneSearch(*store, indexes).search(q);
        index_ms.push_back(since_s(t0) * 1000);
        // The scan: every title's rows, each shot's best frame cosine.
        t0 = Clock::now();
        std::vector<float> example;
        for (const Embedding& e : store->embeddings(title, a.model, "frame"))
            if (e.entity_key == frame) example = e.vector;
        std::vector<std::tuple<double, int64_t, int>> scored;
        for (const TitleRecord& t : store->titles()) {
            const std::vector<Shot> shots = store->shots(t.id);
            std::map<int, double> best;
            for (const Embedding& e : store->embeddings(t.id, a.model, "frame")) {
                double d = 0, na = 0, nb = 0;
                for (size_t i = 0; i < e.vector.size() && i < example.size(); ++i)
                    d += double(e.vector[i]) * example[i], na += double(example[i]) * example[i],
                        nb += double(e.vector[i]) * e.vector[i];
                const double c = na > 0 && nb > 0 ? d / std::sqrt(na * nb) : 0;
                for (const Shot& sh : shots)
                    if (e.entity_key >= sh.start_frame && e.entity_key < sh.end_frame &&
                        (!best.count(sh.index) || c > best[sh.index]))
                        best[sh.index] = c;
            }
            for (const auto& [shot, c] : best) scored.push_back({c, t.id, shot});
        }
        std::sort(scored.rbegin(), scored.rend());
        if (scored.size() > 10) scored.resize(10);
        scan_ms.push_back(since_s(t0) * 1000);
        size_t same = 0;
        for (const SceneHit& h : hits)
            for (const auto& [c, t, shot] : scored) same += (t == h.title_id && shot == h.shot_index);
        agree += scored.empty() ? 1 : double(same) / double(scored.size());
    }
    const double ip50 = percentile(index_ms, 0.5), sp50 = percentile(scan_ms, 0.5);
    std::printf("more like this (frames, %zu examples, %zu titles): index p50 %.2f ms p95 %.2f ms, row scan p50 %.2f "
                "ms p95 %.2f ms: %.1fx; top-10 shots shared with the scan %.3f\n",
                examples.size(), titles.size(), ip50, percentile(index_ms, 0.95), sp50, percentile(scan_ms, 0.95),
                ip50 > 0 ? sp50 / ip50 : 0.0, agree / double(examples.size()));
}

std::vector<int> parse_list(const std::string& s) {
    std::vector<int> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_search: %s needs a value\n", k.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (k == "--n") a.n = std::stoul(next());
        else if (k == "--dims") a.dims = std::stoi(next());
        else if (k == "--queries") a.queries = std::stoul(next());
        else if (k == "--truth") a.truth = std::stoul(next());
        else if (k == "--m") a.m = std::stoi(next());
        else if (k == "--ef-construction") a.ef_construction = std::stoi(next());
        else if (k == "--ef") a.ef = parse_list(next());
        else if (k == "--uniform-n") a.uniform_n = std::stoul(next());
        else if (k == "--db") a.db = next();
        else if (k == "--model") a.model = next();
        else if (k == "--entity") a.entity = next();
        else if (k == "--save") a.save = next();
        else if (k == "--load") a.load = next();
        else {
            std::fprintf(stderr, "usage: bench_search [--n N] [--dims D] [--queries Q] [--truth T] [--m M] "
                                 "[--ef-construction E] [--ef 16,32,...] [--uniform-n N] [--db URL --model M "
                                 "[--entity shot]]\n");
            return 2;
        }
    }
    try {
        std::printf("bench_search: %u hardware threads; latency is one query at a time (FAISS answers one query on "
                    "one thread)\n",
                    std::thread::hardware_concurrency());
        if (a.n > 0) {
            const Mixture mix(a.dims);
            run_synthetic("mixture", a, a.n,
                          [&](uint64_t seed, uint64_t i, float* out) { mix.point(seed, i, out); });
        }
        Args uniform = a;  // never saved or loaded
        uniform.save.clear();
        uniform.load.clear();
        if (a.uniform_n > 0)
            run_synthetic("uniform", uniform, a.uniform_n,
                          [&](uint64_t seed, uint64_t i, float* out) { uniform_point(a.dims, seed, i, out); });
        if (!a.db.empty()) {
            if (a.model.empty()) throw Error("--db needs --model (a stored embedding model, e.g. media:visual:...)");
            run_database(a);
            if (a.entity == "frame") run_like(a);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_search: %s\n", e.what());
        return 1;
    }
    return 0;
}
