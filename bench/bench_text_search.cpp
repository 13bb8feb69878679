// Text search over every title (issue #9 item 3): scene search with the full-text index's title prefilter against
// the same search scanning every title (the previous way: the sources wrapped so that the prefilter is off), on N
// synthetic titles (20 shots, 5 tags a shot, 60 transcript lines, 10 on-screen lines, a synopsis). A rare word
// (in 1% of titles), a common word (every title) and a word in no title; Store::search_text alone; the one-off
// index build after the bulk load. SQLite, and PostgreSQL on a throwaway local server. Results are checked equal.
//   usage: bench_text_search [--titles N] [--repeat K] [--sqlite-only]
#include <QCoreApplication>
#include <QTemporaryDir>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>

#include "core/search/media_text_sources.h"
#include "core/search/title_text_source.h"
#include "core/store/store.h"
#include "tests/support/postgres_server.h"

using namespace frameline;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

const char* const kVocabulary[] = {"car",    "street", "night", "rain",   "door",   "window", "kitchen", "forest",
                                   "river",  "bridge", "train", "phone",  "letter", "dog",    "horse",   "market",
                                   "church", "school", "office", "garden", "beach",  "mountain", "snow",  "fire",
                                   "table",  "chair",  "glass", "bottle", "money",  "gun",    "knife",   "ring"};

std::string words(std::mt19937& rng, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += (out.empty() ? "" : " ") + std::string(kVocabulary[rng() % std::size(kVocabulary)]);
    return out;
}

void fill(Store& store, int titles) {
    std::mt19937 rng(7);
    for (int k = 0; k < titles; ++k) {
        NewTitle t;
        t.name = "title " + std::to_string(k);
        t.media_path = "/media/" + std::to_string(k) + ".mp4";
        t.content_hash = "hash-" + std::to_string(k);
        t.fps = 25;
        const int64_t id = store.create_title(t);
        TitleAnalysis a;
        a.fps = 25;
        a.frame_count = 20 * 100;
        a.duration_s = a.frame_count / 25.0;
        for (int i = 0; i < 20; ++i) {
            Shot s;
            s.index = i;
            s.start_frame = i * 100;
            s.end_frame = (i + 1) * 100;
            s.start_s = s.start_frame / 25.0;
            s.end_s = s.end_frame / 25.0;
            a.shots.push_back(s);
            TitleAnalysis::Frame f;
            f.record.shot_index = i;
            f.record.frame_index = i * 100 + 50;
            f.record.pts_s = f.record.frame_index / 25.0;
            f.record.width = 32;
            f.record.height = 18;
            f.jpeg = {0xFF, 0xD8, 0xFF, 0xD9};
            a.frames.push_back(f);
        }
        store.save_analysis(id, a);
        ModelRunOutput run;
        run.model = "analysis";
        for (int i = 0; i < 20; ++i)
            for (int j = 0; j < 5; ++j) {
                Tag tag;
                tag.shot_index = i;
                tag.category = "object";
                tag.label = words(rng, 1);
                tag.confidence = 0.6;
                run.tags.push_back(tag);
            }
        if (k % 100 == 0) run.tags[0].label = "zeppelin";  // the rare word
        store.save_model_run(id, run);
        ModelRunOutput speech;
        speech.model = "speech";
        for (int i = 0; i < 60; ++i) {
            TranscriptSegment s;
            s.source = "subtitle";
            s.start_s = i * 1.3;
            s.end_s = s.start_s + 1.2;
            s.text = words(rng, 8);
            speech.transcript.push_back(s);
        }
        for (int i = 0; i < 10; ++i) {
            ScreenText line;
            line.frame_index = i * 200 + 50;
            line.x = line.y = 0.1;
            line.width = 0.5;
            line.height = 0.1;
            line.text = words(rng, 3);
            line.confidence = 0.9;
            speech.screen_text.push_back(line);
        }
        store.save_model_run(id, speech);
        TitleText synopsis;
        synopsis.title_id = id;
        synopsis.kind = "synopsis";
        synopsis.text = words(rng, 30) + ".";
        store.add_title_text(synopsis);
    }
}

void run(const char* backend, Store& store, int titles, int repeat) {
    std::printf("%s, %d titles (loaded; machine shared with other jobs)\n", backend, titles);
    auto t0 = Clock::now();
    fill(store, titles);
    std::printf("  bulk load %.1f s\n", since(t0));
    t0 = Clock::now();
    const int rebuilt = store.refresh_text_index();
    std::printf("  index build after the load: %d titles in %.2f s\n", rebuilt, since(t0));

    SceneSearch indexed(store);
    add_standard_text_sources(indexed);
    SceneSearch scan(store);  // the same sources behind other lambdas: no prefilter, every title scanned
    for (const TextSource& s : std::vector<TextSource>{title_text_source(), transcript_source(), screen_text_source()})
        scan.add_text_source([s](Store& st, int64_t title) { return s(st, title); });

    for (const char* q : {"zeppelin", "zeppelin night", "car", "xylophone"}) {
        SceneQuery query;
        query.text = q;
        query.limit = 50;
        double t_index = 1e9, t_scan = 1e9;
        size_t n_index = 0, n_scan = 0;
        for (int r = 0; r < repeat; ++r) {
            t0 = Clock::now();
            n_index = indexed.search(query).size();
            t_index = std::min(t_index, since(t0));
            t0 = Clock::now();
            n_scan = scan.search(query).size();
            t_scan = std::min(t_scan, since(t0));
        }
        std::printf("  '%s': index prefilter %.1f ms, scan %.1f ms: %.1fx faster; hits %zu vs %zu%s\n", q,
                    t_index * 1e3, t_scan * 1e3, t_scan / t_index, n_index, n_scan,
                    n_index == n_scan ? "" : "  MISMATCH");
    }
    for (const char* q : {"zeppelin", "car"}) {
        double best = 1e9;
        size_t n = 0;
        for (int r = 0; r < repeat; ++r) {
            t0 = Clock::now();
            n = store.search_text(q, 0, 50).size();
            best = std::min(best, since(t0));
        }
        std::printf("  search_text('%s'): %.2f ms, %zu spans\n", q, best * 1e3, n);
    }
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int titles = 300, repeat = 3;
    bool sqlite_only = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--titles") && i + 1 < argc) titles = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--sqlite-only")) sqlite_only = true;
        else {
            std::fprintf(stderr, "usage: bench_text_search [--titles N] [--repeat K] [--sqlite-only]\n");
            return 2;
        }
    }
    try {
        QTemporaryDir dir;
        auto sqlite = open_store(dir.filePath("bench.db").toStdString());
        run("SQLite", *sqlite, titles, repeat);
        if (!sqlite_only) {
            test::PostgresServer pg;
            if (!pg.available() || !pg.running()) {
                std::printf("PostgreSQL: skipped (%s)\n", qPrintable(pg.why()));
            } else {
                auto store = open_store(pg.create_database().toStdString());
                run("PostgreSQL", *store, titles, repeat);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_text_search: %s\n", e.what());
        return 1;
    }
    return 0;
}
