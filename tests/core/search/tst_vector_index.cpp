// The vector index (issue #9): exact below the threshold and HNSW above it agree on clustered data, filters,
// the cache file (round trip, staleness against the database, damaged files), and the errors for bad vectors.
// Small sizes (thousands of 64-d vectors): seconds. bench/bench_search.cpp measures 1M x 512-d.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>

#include "core/error.h"
#include "core/search/vector_index.h"
#include "core/store/store.h"
#include "tests/support/error_of.h"

using namespace frameline;
using test::error_of;

namespace {

constexpr int kDims = 64;

// A Gaussian mixture: `clusters` random centres, points spread around them (like shots of one title or scene).
// The centres depend on `clusters` and `dims` only, so that queries (another seed) come from the same mixture.
std::vector<float> clustered(size_t n, int dims, int clusters, uint32_t seed) {
    std::mt19937 centre_rng(uint32_t(clusters * 7919 + dims));
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> centres(size_t(clusters) * size_t(dims));
    for (float& c : centres) c = g(centre_rng);
    std::vector<float> out(n * size_t(dims));
    std::uniform_int_distribution<int> pick(0, clusters - 1);
    for (size_t i = 0; i < n; ++i) {
        const int c = pick(rng);
        for (int d = 0; d < dims; ++d)
            out[i * size_t(dims) + size_t(d)] = centres[size_t(c) * size_t(dims) + size_t(d)] + 0.5f * g(rng);
    }
    return out;
}

std::vector<float> row(const std::vector<float>& data, size_t i, int dims = kDims) {
    return std::vector<float>(data.begin() + long(i) * dims, data.begin() + long(i + 1) * dims);
}

// Keys spread over 4 titles: title 1 + i % 4, key i.
std::vector<VectorKey> keys_for(size_t n) {
    std::vector<VectorKey> keys;
    for (size_t i = 0; i < n; ++i) keys.push_back(VectorKey{int64_t(1 + i % 4), int64_t(i)});
    return keys;
}

// The test's own reference: cosine by hand, best first.
std::vector<int64_t> brute_force(const std::vector<float>& data, const std::vector<float>& q, int k,
                                 const std::function<bool(int64_t)>& allow = {}) {
    const size_t n = data.size() / kDims;
    auto norm = [](const float* v) {
        double s = 0;
        for (int d = 0; d < kDims; ++d) s += double(v[d]) * v[d];
        return std::sqrt(s);
    };
    const double qn = norm(q.data());
    std::vector<std::pair<double, int64_t>> scored;
    for (size_t i = 0; i < n; ++i) {
        if (allow && !allow(int64_t(i))) continue;
        double dot = 0;
        for (int d = 0; d < kDims; ++d) dot += double(q[size_t(d)]) * data[i * kDims + size_t(d)];
        scored.emplace_back(dot / (qn * norm(&data[i * kDims])), int64_t(i));
    }
    std::sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<int64_t> out;
    for (size_t i = 0; i < scored.size() && int(i) < k; ++i) out.push_back(scored[i].second);
    return out;
}

std::vector<int64_t> keys_of(const std::vector<VectorHit>& hits) {
    std::vector<int64_t> out;
    for (const VectorHit& h : hits) out.push_back(h.key.entity_key);
    return out;
}

double overlap(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
    const std::set<int64_t> sa(a.begin(), a.end());
    size_t n = 0;
    for (int64_t x : b) n += sa.count(x);
    return b.empty() ? 1.0 : double(n) / double(b.size());
}


VectorIndexOptions small_threshold() {
    VectorIndexOptions o;
    o.exact_below = 1000;  // so that a few thousand vectors make a graph
    return o;
}

NewTitle new_title(const std::string& name) {
    NewTitle t;
    t.name = name;
    t.media_path = "/nonexistent/" + name + ".mkv";
    t.content_hash = "hash-" + name;
    return t;
}

// One "visual" model run for a title: `n` shot vectors of `dims`.
void save_shots(Store& store, int64_t title, size_t n, int dims, uint32_t seed) {
    const std::vector<float> data = clustered(n, dims, 5, seed);
    ModelRunOutput out;
    out.model = "visual";
    for (size_t i = 0; i < n; ++i) {
        Embedding e;
        e.model = "media:visual:test";
        e.entity = "shot";
        e.entity_key = int64_t(i);
        e.vector = std::vector<float>(data.begin() + long(i) * dims, data.begin() + long(i + 1) * dims);
        out.embeddings.push_back(e);
    }
    store.save_model_run(title, out);
}

}  // namespace

class TestVectorIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exactMatchesBruteForce();
    void hnswAgreesWithExact();
    void switchesToHnswAtThreshold();
    void filters();
    void saveLoadRoundTrip();
    void damagedCacheIsAClearError();
    void storeCacheIsRebuiltWhenStale();
    void emptyIndex();
    void badVectors();
    void cachePaths();
};

void TestVectorIndex::exactMatchesBruteForce()
{
    const std::vector<float> data = clustered(600, kDims, 12, 1);
    VectorIndex index("m", "shot", kDims);
    index.add(keys_for(600), data);
    QCOMPARE(index.kind(), VectorIndexKind::Exact);
    QCOMPARE(index.size(), size_t(600));
    const std::vector<float> queries = clustered(20, kDims, 12, 2);
    for (size_t qi = 0; qi < 20; ++qi) {
        const auto q = row(queries, qi);
        const auto hits = index.search(q, 10);
        QCOMPARE(keys_of(hits), brute_force(data, q, 10));
        QVERIFY(std::is_sorted(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.score > b.score; }));
        QVERIFY(hits[0].score <= 1.0001f && hits[0].score > 0.5f);
        QCOMPARE(hits[0].key.title_id, 1 + hits[0].key.entity_key % 4);
    }
    // A stored vector finds itself first, with cosine 1.
    const auto self = index.search(*index.vector(VectorKey{2, 5}), 1);
    QCOMPARE(self[0].key, (VectorKey{2, 5}));
    QVERIFY(std::abs(self[0].score - 1.f) < 1e-4f);
    QVERIFY(!index.vector(VectorKey{1, 5}));  // key 5 is title 2's
}

void TestVectorIndex::hnswAgreesWithExact()
{
    const size_t n = 4000;
    const std::vector<float> data = clustered(n, kDims, 40, 3);
    VectorIndex index("m", "shot", kDims, small_threshold());
    index.add(keys_for(n), data);
    QCOMPARE(index.kind(), VectorIndexKind::Hnsw);
    const std::vector<float> queries = clustered(100, kDims, 40, 4);
    double recall = 0;
    for (size_t qi = 0; qi < 100; ++qi) {
        const auto q = row(queries, qi);
        const auto exact = keys_of(index.search_exact(q, 10));
        QCOMPARE(exact, brute_force(data, q, 10));  // the reference itself is right
        recall += overlap(keys_of(index.search(q, 10)), exact);
    }
    recall /= 100;
    qInfo("HNSW recall@10 against exact: %.3f", recall);
    QVERIFY2(recall >= 0.95, qPrintable(QString::number(recall)));
    // A search list shorter than k still answers k (FAISS needs efSearch >= k; the index raises it).
    index.set_ef_search(2);
    QCOMPARE(index.search(row(queries, 0), 10).size(), size_t(10));
}

void TestVectorIndex::switchesToHnswAtThreshold()
{
    const std::vector<float> data = clustered(1500, kDims, 20, 5);
    VectorIndex index("m", "shot", kDims, small_threshold());
    const auto keys = keys_for(1500);
    index.add(std::vector<VectorKey>(keys.begin(), keys.begin() + 999),
              std::vector<float>(data.begin(), data.begin() + 999 * kDims));
    QCOMPARE(index.kind(), VectorIndexKind::Exact);
    index.add(std::vector<VectorKey>(keys.begin() + 999, keys.end()),
              std::vector<float>(data.begin() + 999 * kDims, data.end()));
    QCOMPARE(index.kind(), VectorIndexKind::Hnsw);
    QCOMPARE(index.size(), size_t(1500));
    // Vectors added before and after the switch are all there.
    for (size_t i : {size_t(0), size_t(998), size_t(999), size_t(1499)}) {
        const auto hits = index.search(row(data, i), 1);
        QCOMPARE(hits[0].key, keys[i]);
    }
}

void TestVectorIndex::filters()
{
    const size_t n = 4000;
    const std::vector<float> data = clustered(n, kDims, 40, 6);
    const std::vector<float> queries = clustered(30, kDims, 40, 7);
    for (const bool graph : {false, true}) {
        VectorIndexOptions o;
        o.exact_below = graph ? 1000 : 100000;
        VectorIndex index("m", "shot", kDims, o);
        index.add(keys_for(n), data);
        QCOMPARE(index.kind(), graph ? VectorIndexKind::Hnsw : VectorIndexKind::Exact);
        double recall_even = 0;
        for (size_t qi = 0; qi < 30; ++qi) {
            const auto q = row(queries, qi);
            // One title (1000 candidates <= threshold: exact over them).
            VectorFilter by_title;
            by_title.title_ids = {3};
            const auto t = index.search(q, 10, by_title);
            QCOMPARE(keys_of(t), brute_force(data, q, 10, [](int64_t i) { return i % 4 == 2; }));
            // Half the vectors by predicate (the graph with a selector).
            VectorFilter even;
            even.allow = [](const VectorKey& k) { return k.entity_key % 2 == 0; };
            const auto e = index.search(q, 10, even);
            QCOMPARE(e.size(), size_t(10));
            for (const VectorHit& h : e) QVERIFY(h.key.entity_key % 2 == 0);
            recall_even += overlap(keys_of(e), brute_force(data, q, 10, [](int64_t i) { return i % 2 == 0; }));
            // A narrow predicate: six allowed vectors, all six come back, best first.
            VectorFilter five;
            five.allow = [](const VectorKey& k) { return k.entity_key % 797 == 0; };
            const auto f = index.search(q, 10, five);
            QCOMPARE(keys_of(f), brute_force(data, q, 10, [](int64_t i) { return i % 797 == 0; }));
            QCOMPARE(f.size(), size_t(6));  // 0, 797, ..., 3985
            // Two titles and a predicate together.
            VectorFilter both;
            both.title_ids = {1, 2};
            both.allow = [](const VectorKey& k) { return k.entity_key % 3 == 0; };
            for (const VectorHit& h : index.search(q, 10, both))
                QVERIFY(h.key.title_id <= 2 && h.key.entity_key % 3 == 0);
            // A title nobody has: nothing.
            VectorFilter none;
            none.title_ids = {99};
            QVERIFY(index.search(q, 10, none).empty());
        }
        recall_even /= 30;
        QVERIFY2(recall_even >= 0.95, qPrintable(QString::number(recall_even)));
    }
}

void TestVectorIndex::saveLoadRoundTrip()
{
    QTemporaryDir dir;
    const std::vector<float> data = clustered(2000, kDims, 20, 8);
    const std::vector<float> queries = clustered(10, kDims, 20, 9);
    for (const size_t n : {size_t(500), size_t(2000)}) {
        VectorIndex index("media:visual:x/r2", "shot", kDims, small_threshold());
        index.add(keys_for(n), std::vector<float>(data.begin(), data.begin() + long(n) * kDims));
        const std::filesystem::path path = dir.filePath(QString("i%1.fvi").arg(n)).toStdString();
        index.save(path, "count=7;max_id=9");
        const VectorCacheHeader h = read_vector_cache_header(path);
        QCOMPARE(h.model, std::string("media:visual:x/r2"));
        QCOMPARE(h.entity, std::string("shot"));
        QCOMPARE(h.fingerprint, std::string("count=7;max_id=9"));
        QCOMPARE(h.count, uint64_t(n));
        QCOMPARE(h.dims, kDims);
        QCOMPARE(h.kind, index.kind());
        const VectorIndex loaded = VectorIndex::load(path, small_threshold());
        QCOMPARE(loaded.kind(), n < 1000 ? VectorIndexKind::Exact : VectorIndexKind::Hnsw);
        QCOMPARE(loaded.size(), n);
        QCOMPARE(loaded.model(), index.model());
        for (size_t qi = 0; qi < 10; ++qi) {
            const auto q = row(queries, qi);
            const auto a = index.search(q, 10), b = loaded.search(q, 10);
            QCOMPARE(keys_of(a), keys_of(b));
            QCOMPARE(a[0].key, b[0].key);
        }
        VectorFilter t;
        t.title_ids = {4};
        QCOMPARE(keys_of(loaded.search(row(queries, 0), 5, t)), keys_of(index.search(row(queries, 0), 5, t)));
        QCOMPARE(*loaded.vector(VectorKey{4, 3}), *index.vector(VectorKey{4, 3}));
    }
}

void TestVectorIndex::damagedCacheIsAClearError()
{
    QTemporaryDir dir;
    const std::vector<float> data = clustered(1500, kDims, 20, 10);
    VectorIndex index("m", "shot", kDims, small_threshold());
    index.add(keys_for(1500), data);
    const std::string path = dir.filePath("good.fvi").toStdString();
    index.save(path, "fp");
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto write = [&](const std::string& name, const std::string& content) {
        const std::string p = dir.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(p, std::ios::binary).write(content.data(), long(content.size()));
        return p;
    };
    struct Case {
        std::string name;
        std::string content;
        QString expect;
    };
    std::string flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x10;  // in the vectors or the graph: only the checksum can tell
    std::string flipped_header = bytes;
    flipped_header[36] ^= 0x01;  // the model name's byte: "m" -> "l"
    const std::vector<Case> cases = {
        {"cut.fvi", bytes.substr(0, bytes.size() * 2 / 3), "truncated"},
        {"cut-end.fvi", bytes.substr(0, bytes.size() - 3), "truncated"},
        {"header-only.fvi", bytes.substr(0, 20), "truncated"},
        {"flipped.fvi", flipped, "checksum mismatch"},
        {"flipped-header.fvi", flipped_header, "checksum mismatch"},
        {"text.fvi", "not an index at all, just text", "not a Frameline vector index"},
        {"empty.fvi", "", "not a Frameline vector index"},
    };
    for (const Case& c : cases) {
        const std::string p = write(c.name, c.content);
        const QString e = error_of([&] { VectorIndex::load(p); });
        QVERIFY2(e.contains(c.expect), qPrintable(QString::fromStdString(c.name) + ": " + e));
        QVERIFY2(e.contains(QString::fromStdString(p)), qPrintable(e));  // names the file
        QVERIFY2(e.contains("rebuilt"), qPrintable(e));                  // and what to do
        QVERIFY2(!e.contains('\n'), qPrintable(e));
    }
    QVERIFY(error_of([&] { VectorIndex::load(dir.filePath("missing.fvi").toStdString()); }).contains("cannot be read"));
    // The good file still loads.
    QCOMPARE(VectorIndex::load(path).size(), size_t(1500));
}

void TestVectorIndex::storeCacheIsRebuiltWhenStale()
{
    QTemporaryDir dir;
    const std::string db = dir.filePath("f.db").toStdString();
    std::unique_ptr<Store> store = open_store(db);
    const int64_t a = store->create_title(new_title("a"));
    const int64_t b = store->create_title(new_title("b"));
    save_shots(*store, a, 40, 32, 11);
    save_shots(*store, b, 30, 32, 12);
    const std::string model = "media:visual:test";
    const std::filesystem::path cache = vector_cache_path(db, model, "shot");
    QCOMPARE(cache.parent_path().string(), db + ".vectors");

    OpenedVectorIndex first = open_vector_index(*store, model, "shot", cache);
    QVERIFY2(first.rebuilt && first.how.find("no cache yet") != std::string::npos, first.how.c_str());
    QCOMPARE(first.index.size(), size_t(70));
    QVERIFY(std::filesystem::exists(cache));
    // Keys are (title, shot index).
    QVERIFY(first.index.vector(VectorKey{b, 29}));
    QVERIFY(!first.index.vector(VectorKey{b, 30}));

    OpenedVectorIndex second = open_vector_index(*store, model, "shot", cache);
    QVERIFY2(!second.rebuilt && second.how.find("loaded") != std::string::npos, second.how.c_str());
    QCOMPARE(second.index.size(), size_t(70));

    // A re-run of the last title with as many rows: SQLite reuses the freed row ids, so count and max id alone
    // would not notice; the run ids do.
    const std::string before = embedding_fingerprint(*store, model, "shot");
    save_shots(*store, b, 30, 32, 13);
    QVERIFY(embedding_fingerprint(*store, model, "shot") != before);
    OpenedVectorIndex third = open_vector_index(*store, model, "shot", cache);
    QVERIFY2(third.rebuilt && third.how.find("database changed") != std::string::npos, third.how.c_str());
    QCOMPARE(third.index.size(), size_t(70));
    // The new vectors are the ones indexed: title b's shot 0 finds itself.
    const std::vector<float> v = store->embeddings(b, model, "shot")[0].vector;
    QCOMPARE(third.index.search(v, 1)[0].key, (VectorKey{b, 0}));

    // A damaged cache: rebuilt, saying why, and rewritten so that the next open loads it.
    std::filesystem::resize_file(cache, std::filesystem::file_size(cache) - 100);
    OpenedVectorIndex fourth = open_vector_index(*store, model, "shot", cache);
    QVERIFY2(fourth.rebuilt && fourth.how.find("truncated") != std::string::npos, fourth.how.c_str());
    QVERIFY(!open_vector_index(*store, model, "shot", cache).rebuilt);

    // Another entity or model is another set; a model with no vectors is an error naming it.
    QCOMPARE(embedding_fingerprint(*store, model, "title"), std::string("count=0;max_id=0;runs=0"));
    const QString e = error_of([&] { build_vector_index(*store, "media:visual:none", "shot"); });
    QVERIFY2(e.contains("media:visual:none") && e.contains("no 'shot' embeddings"), qPrintable(e));

    // Rows of two lengths in one set: an error naming the title.
    const int64_t c = store->create_title(new_title("c"));
    save_shots(*store, c, 5, 16, 14);
    const QString mixed = error_of([&] { build_vector_index(*store, model, "shot"); });
    QVERIFY2(mixed.contains("title " + QString::number(c)) && mixed.contains("16 dimensions"), qPrintable(mixed));
}

void TestVectorIndex::emptyIndex()
{
    QTemporaryDir dir;
    VectorIndex index("m", "title", kDims);
    QCOMPARE(index.size(), size_t(0));
    const std::vector<float> q(kDims, 1.f);
    QVERIFY(index.search(q, 10).empty());
    QVERIFY(index.search_exact(q, 10).empty());
    index.add(std::vector<VectorKey>{}, std::vector<float>{});
    QCOMPARE(index.size(), size_t(0));
    const std::string path = dir.filePath("empty.fvi").toStdString();
    index.save(path, "count=0");
    const VectorIndex loaded = VectorIndex::load(path);
    QCOMPARE(loaded.size(), size_t(0));
    QVERIFY(loaded.search(q, 10).empty());
    // k larger than the index, and k <= 0.
    index.add(VectorKey{1, 0}, q);
    QCOMPARE(index.search(q, 10).size(), size_t(1));
    QVERIFY(index.search(q, 0).empty());
}

void TestVectorIndex::badVectors()
{
    VectorIndex index("media:visual:a", "shot", kDims);
    index.add(VectorKey{1, 1}, std::vector<float>(kDims, 0.5f));
    QString e = error_of([&] { index.add(VectorKey{1, 2}, std::vector<float>(32, 0.5f)); });
    QVERIFY2(e.contains("64 dimensions") && e.contains("got 32"), qPrintable(e));
    e = error_of([&] { index.search(std::vector<float>(128, 0.5f), 5); });
    QVERIFY2(e.contains("128 dimensions") && e.contains("has 64"), qPrintable(e));
    e = error_of([&] { index.add(VectorKey{1, 3}, std::vector<float>(kDims, 0.f)); });
    QVERIFY2(e.contains("title 1 key 3") && e.contains("zero"), qPrintable(e));
    std::vector<float> nan(kDims, 1.f);
    nan[7] = std::nanf("");
    QVERIFY(error_of([&] { index.add(VectorKey{1, 4}, nan); }).contains("not finite"));
    QVERIFY(error_of([&] { index.search(nan, 5); }).contains("not finite"));
    QVERIFY(error_of([&] { index.add(VectorKey{1, 1}, std::vector<float>(kDims, 1.f)); }).contains("added twice"));
    // A failed add adds nothing.
    QCOMPARE(index.size(), size_t(1));
    QVERIFY(error_of([&] { VectorIndex("m", "shot", 0); }).contains("0 dimensions"));
    QVERIFY(error_of([&] { index.add(VectorKey{1, 9}, std::vector<float>(kDims, 1.f)); }).isEmpty());
}

void TestVectorIndex::cachePaths()
{
    QCOMPARE(vector_cache_path("sqlite:///data/f.db", "m", "shot").parent_path().string(), std::string("/data/f.db.vectors"));
    QCOMPARE(vector_cache_path("/data/f.db", "m", "shot").parent_path().string(), std::string("/data/f.db.vectors"));
    // Names that sanitise alike stay apart.
    QVERIFY(vector_cache_path("/d.db", "a:b", "shot") != vector_cache_path("/d.db", "a_b", "shot"));
    QVERIFY(vector_cache_path("/d.db", "a", "shot") != vector_cache_path("/d.db", "a", "title"));
    qputenv("XDG_CACHE_HOME", "/cache");
    const std::string pg = vector_cache_path("postgresql://me:secret@db.example:5432/frameline", "m", "shot").string();
    QVERIFY2(pg.rfind("/cache/frameline/vectors/", 0) == 0 && pg.find("secret") == std::string::npos, pg.c_str());
}

QTEST_GUILESS_MAIN(TestVectorIndex)
#include "tst_vector_index.moc"
