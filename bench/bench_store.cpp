// Database speed for a big title: 3,000 shots and 10,000 sampled frames (with 8 KiB thumbnails) written as an
// ingest writes them (frames staged in batches of 64, then one save), and the review window's first screen read
// back (title list, shots, frames, the first 40 thumbnails); then one model run's output (embeddings, faces, tags). SQLite, and PostgreSQL on a throwaway local server.
//   usage: bench_store [--repeat K]
#include <QCoreApplication>
#include <QTemporaryDir>
#include <chrono>
#include <cstdio>

#include "core/store/store.h"
#include "tests/support/postgres_server.h"

using namespace frameline;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

constexpr int kShots = 3000, kFrames = 10000, kThumbnailBytes = 8192;

TitleAnalysis big_analysis() {
    TitleAnalysis a;
    a.frame_count = kShots * 60;
    a.fps = 25;
    a.duration_s = a.frame_count / 25.0;
    for (int i = 0; i < kShots; ++i) {
        Shot s;
        s.index = i;
        s.start_frame = i * 60;
        s.end_frame = (i + 1) * 60;
        s.start_s = s.start_frame / 25.0;
        s.end_s = s.end_frame / 25.0;
        s.transition = i ? Transition::Cut : Transition::None;
        s.transition_start = s.transition_end = s.start_frame;
        a.shots.push_back(s);
    }
    return a;
}

std::vector<TitleAnalysis::Frame> frames_batch(int from, int count) {
    std::vector<TitleAnalysis::Frame> out;
    for (int k = from; k < from + count && k < kFrames; ++k) {
        TitleAnalysis::Frame f;
        f.record.shot_index = k * kShots / kFrames;
        f.record.frame_index = static_cast<int64_t>(k) * 18 + 3;
        f.record.pts_s = f.record.frame_index / 25.0;
        f.record.metrics = FrameMetrics{120, 40, 800, 30};
        f.record.width = 320;
        f.record.height = 180;
        f.jpeg.assign(kThumbnailBytes, static_cast<uint8_t>(k));
        out.push_back(std::move(f));
    }
    return out;
}

// What the model zoo and the analysis write for such a title: a 1024-d embedding per sampled frame, two faces
// with 192-d identities on every third frame, and five tags per shot.
ModelRunOutput zoo_output() {
    ModelRunOutput out;
    out.model = "zoo";
    for (int k = 0; k < kFrames; ++k) {
        Embedding e;
        e.entity = "frame";
        e.entity_key = static_cast<int64_t>(k) * 18 + 3;
        e.vector.assign(1024, 0.001f * (k % 97));
        out.embeddings.push_back(std::move(e));
        if (k % 3) continue;
        for (int f = 0; f < 2; ++f) {
            Face face;
            face.frame_index = e.entity_key;
            face.x = 0.1 + 0.4 * f;
            face.y = 0.2;
            face.width = face.height = 0.2;
            face.score = 0.9;
            face.identity.assign(192, 0.01f * f);
            out.faces.push_back(std::move(face));
        }
    }
    for (int i = 0; i < kShots; ++i)
        for (const char* label : {"person", "car", "calm", "close-up", "warm"}) {
            Tag t;
            t.shot_index = i;
            t.category = "bench";
            t.label = label;
            t.confidence = 0.5;
            out.tags.push_back(t);
        }
    return out;
}

size_t rows_of(const ModelRunOutput& o) { return o.embeddings.size() + o.faces.size() + o.tags.size(); }

void measure(const char* backend, const std::string& url, int repeat) {
    const ModelRunOutput zoo = zoo_output();
    double write_s = 1e9, first_screen_s = 1e9, zoo_s = 1e9;
    for (int r = 0; r < repeat; ++r) {
        auto store = open_store(url);
        NewTitle t;
        t.name = "big " + std::to_string(r);
        t.content_hash = std::string(backend) + std::to_string(r);
        t.media_path = "/media/big.mp4";
        const int64_t id = store->create_title(t);
        auto t0 = Clock::now();
        for (int k = 0; k < kFrames; k += 64) store->stage_frames(id, frames_batch(k, 64));
        store->save_analysis(id, big_analysis());
        write_s = std::min(write_s, since(t0));
        t0 = Clock::now();
        store->save_model_run(id, zoo);
        zoo_s = std::min(zoo_s, since(t0));

        auto reader = open_store(url);  // a reviewer's window: its own connection
        t0 = Clock::now();
        auto titles = reader->titles();
        auto shots = reader->shots(id);
        auto frames = reader->frames(id);
        size_t bytes = 0;
        for (int k = 0; k < 40; ++k) bytes += reader->thumbnail_jpeg(frames[k].id).size();
        first_screen_s = std::min(first_screen_s, since(t0));
        if (shots.size() != kShots || frames.size() != kFrames || bytes != 40u * kThumbnailBytes)
            std::fprintf(stderr, "bench: %s read back the wrong rows\n", backend);
    }
    const double rows = kShots + kFrames;
    std::printf("%-10s write %5.2f s = %7.0f rows/s (target 5000: ratio %.1f)   first screen %6.1f ms (target 200: "
                "ratio %.2f)\n",
                backend, write_s, rows / write_s, rows / write_s / 5000.0, first_screen_s * 1000,
                first_screen_s * 1000 / 200.0);
    const double zoo_rows = double(rows_of(zoo));
    std::printf("%-10s model run: %.0f rows (embeddings, faces, tags) in %5.2f s = %7.0f rows/s (target 5000: ratio "
                "%.1f)\n",
                backend, zoo_rows, zoo_s, zoo_rows / zoo_s, zoo_rows / zoo_s / 5000.0);
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int repeat = 2;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--repeat") repeat = std::max(1, std::atoi(argv[++i]));
    std::printf("%d shots + %d sampled frames (%d KiB thumbnails), best of %d\n", kShots, kFrames,
                kThumbnailBytes / 1024, repeat);
    QTemporaryDir dir;
    measure("sqlite", dir.filePath("bench.db").toStdString(), repeat);
    test::PostgresServer server;
    if (!server.running()) {
        std::printf("postgres   skipped: %s\n", qPrintable(server.why()));
        return 0;
    }
    measure("postgres", server.create_database("bench").toStdString(), repeat);
    return 0;
}
