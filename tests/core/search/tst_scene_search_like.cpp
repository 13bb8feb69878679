// "More like this" through the vector index (issue #9 item 2): a frame, a shot, a vector (an image's) and a title,
// on a store of generated titles whose vectors this test knows, so that every answer is checked against a brute
// force computed here from the stored rows: the index path must give the same shots, scores and evidence as
// scanning every embedding row did. The errors people get for examples that cannot be searched. (Real footage:
// tst_scene_search_reverse_shot.)
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "core/analysis/audio_embedding.h"
#include "core/error.h"
#include "core/search/like_index.h"
#include "core/search/scene_search.h"
#include "core/search/vector_index.h"
#include "core/store/store.h"
#include "tests/support/error_of.h"

using namespace frameline;
using test::error_of;

namespace {

constexpr int kDims = 24;                 // frame vectors ("visual:test")
constexpr int kShotsPerTitle = 12;
constexpr int kFramesPerShot = 3;
constexpr int kFramesPerShotSpan = 10;    // shot s: frames [10 s, 10 s + 10), sampled at 10 s + 1, +4, +7
const std::string kModel = "visual:test";
const std::string kMedia = "media:visual:test";

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    double d = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) d += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
    return na > 0 && nb > 0 ? d / std::sqrt(na * nb) : 0;
}

std::vector<float> random_unit(std::mt19937& rng, int dims, const std::vector<float>* around = nullptr,
                               double spread = 1.0) {
    std::normal_distribution<float> n(0, 1);
    std::vector<float> v(static_cast<size_t>(dims));
    for (int i = 0; i < dims; ++i) v[size_t(i)] = (around ? (*around)[size_t(i)] : 0.f) + float(spread) * n(rng);
    double len = 0;
    for (float x : v) len += double(x) * x;
    for (float& x : v) x = float(x / std::sqrt(len));
    return v;
}

// A title of kShotsPerTitle shots whose frames (and shot, title vectors) scatter around a few "set-ups".
int64_t add_title(Store& store, const std::string& name, std::mt19937& rng, const std::vector<std::vector<float>>& setups,
                  bool with_media_vectors = true) {
    NewTitle t;
    t.name = name;
    t.media_path = "/nonexistent/" + name + ".mkv";
    t.content_hash = "hash-" + name;
    t.fps = 25;
    const int64_t id = store.create_title(t);
    TitleAnalysis a;
    a.fps = 25;
    a.frame_count = kShotsPerTitle * kFramesPerShotSpan;
    a.duration_s = double(a.frame_count) / 25;
    ModelRunOutput frames_run;
    frames_run.model = "zoo";
    ModelRunOutput media_run;
    media_run.model = "embeddings";
    std::vector<float> title_sum(size_t(kDims + kAudioEmbeddingDims), 0.f);
    for (int s = 0; s < kShotsPerTitle; ++s) {
        Shot shot;
        shot.index = s;
        shot.start_frame = s * kFramesPerShotSpan;
        shot.end_frame = (s + 1) * kFramesPerShotSpan;
        shot.start_s = shot.start_frame / 25.0;
        shot.end_s = shot.end_frame / 25.0;
        a.shots.push_back(shot);
        const std::vector<float>& setup = setups[std::uniform_int_distribution<size_t>(0, setups.size() - 1)(rng)];
        std::vector<float> mean(size_t(kDims), 0.f);
        for (int k = 0; k < kFramesPerShot; ++k) {
            TitleAnalysis::Frame f;
            f.record.frame_index = shot.start_frame + 1 + 3 * k;
            f.record.pts_s = f.record.frame_index / 25.0;
            f.record.shot_index = s;
            a.frames.push_back(f);
            Embedding e;
            e.model = kModel;
            e.entity = "frame";
            e.entity_key = f.record.frame_index;
            e.vector = random_unit(rng, kDims, &setup, 0.08);
            for (int i = 0; i < kDims; ++i) mean[size_t(i)] += e.vector[size_t(i)];
            frames_run.embeddings.push_back(std::move(e));
        }
        // Shot: 0.8 x unit(mean of frames), 0.6 x a sound vector (none on odd shots), as media_embedder.h lays out.
        const std::vector<float> picture = random_unit(rng, kDims, &mean, 0.0);
        const std::vector<float> sound = random_unit(rng, kAudioEmbeddingDims);
        Embedding e;
        e.model = kMedia;
        e.entity = "shot";
        e.entity_key = s;
        for (float x : picture) e.vector.push_back(0.8f * x);
        for (float x : sound) e.vector.push_back(s % 2 ? 0.f : 0.6f * x);
        for (size_t i = 0; i < e.vector.size(); ++i) title_sum[i] += e.vector[i];
        media_run.embeddings.push_back(std::move(e));
    }
    store.save_analysis(id, a);
    store.save_model_run(id, frames_run);
    if (with_media_vectors) {
        Embedding e;
        e.model = kMedia;
        e.entity = "title";
        e.entity_key = 0;
        e.vector = title_sum;
        media_run.embeddings.push_back(std::move(e));
        store.save_model_run(id, media_run);
    }
    return id;
}


struct Expected {
    int64_t title_id;
    int shot;
    double score;
};

// Brute force over the stored rows, as scene search scored "like" before the index: per shot, the best cosine of
// its frames with the example (below 0 counts 0), best first, ties by title then shot.
std::vector<Expected> brute_force_frames(Store& store, const std::vector<float>& example, int64_t only_title = 0) {
    std::vector<Expected> out;
    for (const TitleRecord& t : store.titles()) {
        if (only_title && t.id != only_title) continue;
        std::map<int, double> best;
        for (const Embedding& e : store.embeddings(t.id, kModel, "frame")) {
            const int shot = int(e.entity_key / kFramesPerShotSpan);
            const double c = cosine(example, e.vector);
            if (!best.count(shot) || c > best[shot]) best[shot] = c;
        }
        for (const auto& [shot, c] : best) out.push_back({t.id, shot, std::max(0.0, c)});
    }
    std::stable_sort(out.begin(), out.end(), [](const Expected& a, const Expected& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.title_id != b.title_id) return a.title_id < b.title_id;
        return a.shot < b.shot;
    });
    return out;
}

}  // namespace

class TestSceneSearchLike : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void likeFrameFromTheIndexEqualsBruteForce();
    void indexCacheFileAndStaleness();
    void inMemoryDatabaseKeepsNoFile();
    void likeVectorFindsItsShot();
    void likeShotRanksByShotEmbeddings();
    void likeShotErrors();
    void similarTitlesWithShotPairs();
    void similarTitlesErrors();

private:
    QTemporaryDir dir_;
    std::string db_;
    std::unique_ptr<Store> store_;
    std::vector<int64_t> titles_;
    int64_t bare_title_ = 0;  // frames only: no shot or title vectors
    std::vector<std::vector<float>> setups_;
};

void TestSceneSearchLike::initTestCase()
{
    QVERIFY(dir_.isValid());
    db_ = dir_.filePath("like.db").toStdString();
    store_ = open_store(db_);
    std::mt19937 rng(7);
    for (int i = 0; i < 8; ++i) setups_.push_back(random_unit(rng, kDims));
    for (int i = 0; i < 25; ++i) titles_.push_back(add_title(*store_, "title" + std::to_string(i), rng, setups_));
    bare_title_ = add_title(*store_, "bare", rng, setups_, false);
}

void TestSceneSearchLike::likeFrameFromTheIndexEqualsBruteForce()
{
    SceneSearch search(*store_);
    for (const int64_t title : {titles_[0], titles_[13], bare_title_})
        for (const int64_t frame : {int64_t(1), int64_t(57)})
            for (const int limit : {1, 7, 50, 100000}) {
                std::vector<float> example;
                for (const Embedding& e : store_->embeddings(title, kModel, "frame"))
                    if (e.entity_key == frame) example = e.vector;
                QVERIFY(!example.empty());
                for (const int64_t only : {int64_t(0), titles_[3]}) {
                    const std::vector<Expected> all = brute_force_frames(*store_, example, only);
                    std::map<std::pair<int64_t, int>, double> score_of;
                    for (const Expected& x : all) score_of[{x.title_id, x.shot}] = x.score;
                    const size_t n = std::min(all.size(), size_t(limit));
                    SceneQuery q;
                    q.like_title_id = title;
                    q.like_frame = frame;
                    q.limit = limit;
                    q.title_id = only;
                    const std::vector<SceneHit> hits = search.search(q);
                    QCOMPARE(hits.size(), n);
                    for (size_t i = 0; i < hits.size(); ++i) {
                        // The rank's score is the brute force's, and it is this shot's own best cosine.
                        QVERIFY2(std::abs(hits[i].score - all[i].score) < 1e-6,
                                 qPrintable(QStringLiteral("rank %1: %2 vs %3").arg(i).arg(hits[i].score).arg(all[i].score)));
                        const auto it = score_of.find({hits[i].title_id, hits[i].shot_index});
                        QVERIFY(it != score_of.end());
                        QVERIFY(std::abs(hits[i].score - it->second) < 1e-6);
                        QCOMPARE(hits[i].frame_index / kFramesPerShotSpan, int64_t(hits[i].shot_index));
                        QVERIFY(QString::fromStdString(hits[i].why).startsWith(QStringLiteral("like frame %1 (cosine").arg(frame)));
                    }
                    if (only == 0) {  // the example itself first, with its own frame shown
                        QCOMPARE(hits[0].title_id, title);
                        QCOMPARE(hits[0].frame_index, frame);
                        QCOMPARE(hits[0].score, 1.0);
                    }
                }
            }
}

void TestSceneSearchLike::indexCacheFileAndStaleness()
{
    const std::filesystem::path cache = *like_cache_path(db_, kModel, "frame");
    QCOMPARE(cache.parent_path().string(), db_ + ".vectors");
    auto indexes = std::make_shared<LikeIndexes>();
    SceneQuery q;
    q.like_title_id = titles_[1];
    q.like_frame = 21;
    q.limit = 5;
    SceneSearch(*store_, indexes).search(q);
    QVERIFY2(std::filesystem::exists(cache), cache.c_str());  // written by the first search (or an earlier test's)
    SceneSearch(*store_, indexes).search(q);
    QCOMPARE(QString::fromStdString(indexes->last_how()), QStringLiteral("in memory"));

    // A new title whose frame is the example exactly: the kept index sees the database changed and answers it.
    std::mt19937 rng(99);
    const int64_t added = add_title(*store_, "added", rng, setups_);
    std::vector<float> example;
    for (const Embedding& e : store_->embeddings(titles_[1], kModel, "frame"))
        if (e.entity_key == 21) example = e.vector;
    ModelRunOutput copy;
    copy.model = "zoo";
    for (Embedding e : store_->embeddings(added, kModel, "frame")) {
        if (e.entity_key == 41) e.vector = example;  // shot 4's second frame
        copy.embeddings.push_back(e);
    }
    store_->save_model_run(added, copy);
    const auto hits = SceneSearch(*store_, indexes).search(q);
    QVERIFY2(QString::fromStdString(indexes->last_how()).startsWith(QStringLiteral("rebuilt")),
             indexes->last_how().c_str());
    std::set<std::pair<int64_t, int>> top;
    for (size_t i = 0; i < 2; ++i) top.insert({hits[i].title_id, hits[i].shot_index});
    QVERIFY(top.count({added, 4}) && top.count({titles_[1], 2}));
    QCOMPARE(hits[1].score, 1.0);
}

void TestSceneSearchLike::inMemoryDatabaseKeepsNoFile()
{
    QVERIFY(!like_cache_path(":memory:", kModel, "frame"));
    QVERIFY(!like_cache_path("sqlite://:memory:", kModel, "frame"));
    QVERIFY(!like_cache_path("sqlite:///some/dir/:memory:", kModel, "frame"));  // as SqliteStore::url() says it
    QVERIFY(like_cache_path("postgresql://u@h:5432/db", kModel, "frame")->string().find("frameline/vectors") !=
            std::string::npos);
    std::unique_ptr<Store> memory = open_store(":memory:");
    std::mt19937 rng(5);
    const int64_t a = add_title(*memory, "a", rng, setups_);
    add_title(*memory, "b", rng, setups_);
    auto indexes = std::make_shared<LikeIndexes>();
    SceneQuery q;
    q.like_title_id = a;
    q.like_frame = 4;
    const auto hits = SceneSearch(*memory, indexes).search(q);
    QCOMPARE(hits.size(), size_t(2 * kShotsPerTitle));
    QVERIFY2(QString::fromStdString(indexes->last_how()).contains(QStringLiteral("in memory")), indexes->last_how().c_str());
    QVERIFY(!std::filesystem::exists(":memory:.vectors"));
    // The process shares one set per database file, never one for in-memory databases (same URL, other rows).
    QCOMPARE(shared_like_indexes(store_->url()).get(), shared_like_indexes(store_->url()).get());
    QVERIFY(shared_like_indexes(memory->url()).get() != shared_like_indexes(memory->url()).get());
}

void TestSceneSearchLike::likeVectorFindsItsShot()
{
    // An image's vector: here a stored frame's, nudged; its shot comes first, and the evidence names the image.
    std::vector<float> v;
    for (const Embedding& e : store_->embeddings(titles_[5], kModel, "frame"))
        if (e.entity_key == 64) v = e.vector;  // shot 6
    std::mt19937 rng(3);
    SceneQuery q;
    q.like_vector = random_unit(rng, kDims, &v, 0.01);
    q.like_what = "image x.png";
    q.embedding_model = kModel;
    q.limit = 10;
    const auto hits = SceneSearch(*store_).search(q);
    QCOMPARE(hits.size(), size_t(10));
    QCOMPARE(hits[0].title_id, titles_[5]);
    QCOMPARE(hits[0].shot_index, 6);
    QCOMPARE(hits[0].frame_index, int64_t(64));
    QVERIFY(hits[0].score > 0.99);
    const auto want = brute_force_frames(*store_, q.like_vector);
    for (size_t i = 0; i < hits.size(); ++i) QVERIFY(std::abs(hits[i].score - want[i].score) < 1e-6);
    QVERIFY2(QString::fromStdString(hits[0].why).startsWith(QStringLiteral("like image x.png (cosine")), hits[0].why.c_str());
    q.like_vector.resize(10);
    const QString wrong = error_of([&] { SceneSearch(*store_).search(q); });
    QVERIFY2(wrong.contains(QStringLiteral("10 values")) && wrong.contains(QStringLiteral("24")), qPrintable(wrong));
    q.embedding_model.clear();
    QVERIFY(!error_of([&] { SceneSearch(*store_).search(q); }).isEmpty());
}

void TestSceneSearchLike::likeShotRanksByShotEmbeddings()
{
    const int64_t title = titles_[2];
    const int shot = 4;  // an even shot: has sound
    std::vector<float> example;
    for (const Embedding& e : store_->embeddings(title, kMedia, "shot"))
        if (e.entity_key == shot) example = e.vector;
    QVERIFY(!example.empty());
    std::vector<Expected> want;
    for (const TitleRecord& t : store_->titles())
        for (const Embedding& e : store_->embeddings(t.id, kMedia, "shot"))
            want.push_back({t.id, int(e.entity_key), std::max(0.0, cosine(example, e.vector))});
    std::stable_sort(want.begin(), want.end(), [](const Expected& a, const Expected& b) { return a.score > b.score; });
    SceneQuery q;
    q.like_title_id = title;
    q.like_shot = shot;
    q.limit = 15;
    const auto hits = SceneSearch(*store_).search(q);
    QCOMPARE(hits.size(), size_t(15));
    QCOMPARE(hits[0].title_id, title);
    QCOMPARE(hits[0].shot_index, shot);
    QVERIFY(std::abs(hits[0].score - 1.0) < 1e-9);
    for (size_t i = 0; i < hits.size(); ++i) {
        QVERIFY2(std::abs(hits[i].score - want[i].score) < 1e-6, qPrintable(QString::number(i)));
        const QString why = QString::fromStdString(hits[i].why);
        QVERIFY2(why.startsWith(QStringLiteral("like shot %1:%2 (cosine").arg(title).arg(shot)) &&
                     why.contains(QStringLiteral("picture ")),
                 qPrintable(why));
        // Odd shots have no sound: the evidence says so instead of a cosine with zeros.
        QCOMPARE(why.contains(QStringLiteral("no sound to compare")), hits[i].shot_index % 2 == 1);
        QVERIFY(hits[i].frame_id > 0);  // a sampled frame of the shot is shown
        QCOMPARE(hits[i].frame_index / kFramesPerShotSpan, int64_t(hits[i].shot_index));
    }
    // Only one title: its shots only.
    q.title_id = titles_[7];
    for (const SceneHit& h : SceneSearch(*store_).search(q)) QCOMPARE(h.title_id, titles_[7]);
}

void TestSceneSearchLike::likeShotErrors()
{
    SceneQuery q;
    q.like_title_id = titles_[0];
    q.like_shot = kShotsPerTitle;  // one past the last
    QString e = error_of([&] { SceneSearch(*store_).search(q); });
    QVERIFY2(e.contains(QStringLiteral("no shot %1").arg(kShotsPerTitle)) && e.contains(QStringLiteral("12 shots")),
             qPrintable(e));
    q.like_title_id = bare_title_;
    q.like_shot = 0;
    e = error_of([&] { SceneSearch(*store_).search(q); });
    QVERIFY2(e.contains(QStringLiteral("shot 0 of title 'bare'")) && e.contains(QStringLiteral("analyse")), qPrintable(e));
    int64_t t = 0;
    int s = -1;
    parse_like_shot(*store_, "title3:7", &t, &s);
    QCOMPARE(t, titles_[3]);
    QCOMPARE(s, 7);
    QVERIFY(error_of([&] { parse_like_shot(*store_, "7", &t, &s); }).contains(QStringLiteral("TITLE:SHOT")));
    QVERIFY(error_of([&] { parse_like_shot(*store_, "title3:x", &t, &s); }).contains(QStringLiteral("TITLE:SHOT")));
    QVERIFY(error_of([&] { parse_like_shot(*store_, "nobody:1", &t, &s); }).contains(QStringLiteral("no title 'nobody'")));
}

void TestSceneSearchLike::similarTitlesWithShotPairs()
{
    LikeIndexes indexes;
    const int64_t title = titles_[4];
    std::vector<float> example;
    std::map<int64_t, std::vector<float>> vectors;
    for (const TitleRecord& t : store_->titles())
        for (const Embedding& e : store_->embeddings(t.id, kMedia, "title")) vectors[t.id] = e.vector;
    example = vectors.at(title);
    std::vector<std::pair<double, int64_t>> want;
    for (const auto& [id, v] : vectors)
        if (id != title) want.push_back({cosine(example, v), id});
    std::sort(want.rbegin(), want.rend());
    const auto hits = similar_titles(*store_, indexes, title, 5);
    QCOMPARE(hits.size(), size_t(5));
    std::vector<Embedding> mine = store_->embeddings(title, kMedia, "shot");
    for (size_t i = 0; i < hits.size(); ++i) {
        QCOMPARE(hits[i].title_id, want[i].second);
        QVERIFY(std::abs(hits[i].score - want[i].first) < 1e-6);
        QVERIFY(QString::fromStdString(hits[i].why).startsWith(QStringLiteral("title cosine ")));
        QCOMPARE(hits[i].pairs.size(), size_t(3));
        // Each pair: the other title's nearest shot to one of the example's (longest) shots, best pairs first.
        const std::vector<Embedding> theirs = store_->embeddings(hits[i].title_id, kMedia, "shot");
        for (size_t k = 0; k < hits[i].pairs.size(); ++k) {
            const ShotPair& p = hits[i].pairs[k];
            double best = -2;
            int best_shot = -1;
            for (const Embedding& o : theirs)
                if (const double c = cosine(mine[size_t(p.shot)].vector, o.vector); c > best) best = c, best_shot = int(o.entity_key);
            QCOMPARE(p.other_shot, best_shot);
            QVERIFY(std::abs(p.cosine - best) < 1e-5);
            QCOMPARE(p.other_start_s, best_shot * kFramesPerShotSpan / 25.0);
            if (k > 0) QVERIFY(hits[i].pairs[k - 1].cosine >= p.cosine);
            QVERIFY(QString::fromStdString(hits[i].why).contains(QStringLiteral("shot %1 ~ shot %2").arg(p.shot).arg(p.other_shot)));
        }
    }
}

void TestSceneSearchLike::similarTitlesErrors()
{
    LikeIndexes indexes;
    QString e = error_of([&] { similar_titles(*store_, indexes, bare_title_, 5); });
    QVERIFY2(e.contains(QStringLiteral("'bare'")) && e.contains(QStringLiteral("title embedding")) &&
                 e.contains(QStringLiteral("analyse")),
             qPrintable(e));
    e = error_of([&] { similar_titles(*store_, indexes, 987654, 5); });
    QVERIFY2(e.contains(QStringLiteral("987654")), qPrintable(e));
}

QTEST_GUILESS_MAIN(TestSceneSearchLike)
#include "tst_scene_search_like.moc"
