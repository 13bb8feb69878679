// Is the review window responsive on a big title? Builds a synthetic 3,000-shot title in an SQLite database through
// the Store API (10,000 sampled frames with real small JPEG thumbnails, frame embeddings, 4,000 faces in 20
// characters, a tag per shot plus title tags, chapters and key scenes, artwork candidates, speech and music), opens
// the main window offscreen and, while it selects the title, switches through every tab and scrolls every list and
// grid, measures the GUI event loop with a probe: a 5 ms timer whose ticks should come every 5 ms. A late tick is a
// stall of the GUI thread. Prints the worst and the 99th-percentile stall per phase and overall, as ratios against
// the 100 ms target (issue #7: no GUI-thread stall over 100 ms on a 3,000-shot title).
//   usage: bench_ui_latency [--keep DIR] [--trace-stalls FILE]   (QT_QPA_PLATFORM defaults to offscreen)
// --trace-stalls: a watchdog thread samples the GUI thread's stack (SIGPROF + backtrace) while it is stalled for
// more than 50 ms and appends the stacks to FILE (c++filt them): that names the code behind each stall.
#include <QAbstractItemView>
#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <execinfo.h>
#include <fcntl.h>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/store/store.h"
#include "ui/main_window.h"
#include "ui/review_session.h"
#include "ui/title_view.h"

using namespace frameline;

namespace {

constexpr int kShots = 3000, kFrames = 10000, kCharacters = 20;
constexpr int kProbeMs = 5;
constexpr double kTargetMs = 100.0;

std::vector<std::vector<uint8_t>> thumbnail_variants()
{
    // A handful of distinct 160x90 pictures (what the ingest stores: a small JPEG per sampled frame).
    std::vector<std::vector<uint8_t>> out;
    for (int v = 0; v < 16; ++v) {
        QImage image(160, 90, QImage::Format_RGB32);
        image.fill(QColor::fromHsv(v * 22 % 360, 120, 60 + v * 10));
        QPainter p(&image);
        p.setPen(Qt::white);
        p.drawEllipse(20 + v * 5, 10, 40, 40);
        p.drawText(QRect(0, 60, 160, 30), Qt::AlignCenter, QStringLiteral("frame %1").arg(v));
        p.end();
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "JPEG", 80);
        out.emplace_back(bytes.begin(), bytes.end());
    }
    return out;
}

int64_t frame_index_of(int k) { return static_cast<int64_t>(k) * 18 + 3; }

int64_t build_title(Store& store)
{
    NewTitle t;
    t.name = "big title (3,000 shots)";
    t.content_hash = "bench-ui-latency";
    t.media_path = "/media/big.mp4";
    const int64_t id = store.create_title(t);
    const auto jpegs = thumbnail_variants();
    for (int k = 0; k < kFrames; k += 64) {
        std::vector<TitleAnalysis::Frame> batch;
        for (int j = k; j < k + 64 && j < kFrames; ++j) {
            TitleAnalysis::Frame f;
            f.record.shot_index = j * kShots / kFrames;
            f.record.frame_index = frame_index_of(j);
            f.record.pts_s = f.record.frame_index / 25.0;
            f.record.metrics = FrameMetrics{120, 40, 800, 30};
            f.record.width = 320;
            f.record.height = 180;
            f.jpeg = jpegs[j % jpegs.size()];
            batch.push_back(std::move(f));
        }
        store.stage_frames(id, batch);
    }
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
    store.save_analysis(id, a);

    // The zoo's run: frame embeddings, faces, speech and music.
    ModelRunOutput zoo;
    zoo.model = "zoo";
    zoo.model_version = "bench";
    for (int k = 0; k < kFrames; ++k) {
        Embedding e;
        e.model = "visual";
        e.entity = "frame";
        e.entity_key = frame_index_of(k);
        e.vector.assign(64, 0.0f);
        e.vector[k % 64] = 1.0f;
        e.vector[(k * 7) % 64] += 0.5f;
        zoo.embeddings.push_back(std::move(e));
        if (k % 5) continue;
        for (int f = 0; f < 2; ++f) {
            Face face;
            face.frame_index = frame_index_of(k);
            face.x = 0.1 + 0.45 * f;
            face.y = 0.2;
            face.width = 0.25;
            face.height = 0.35;
            face.score = 0.9;
            face.expression = "neutral";
            face.identity.assign(16, 0.0f);
            face.identity[(k / 5 + f) % 16] = 1.0f;
            zoo.faces.push_back(std::move(face));
        }
    }
    for (int i = 0; i < 300; ++i) {
        AudioSegment s;
        s.kind = i % 3 ? "speech" : "music";
        s.start_s = i * 24.0;
        s.end_s = i * 24.0 + 15.0;
        s.confidence = 0.8;
        zoo.audio_segments.push_back(s);
    }
    store.save_model_run(id, zoo);

    // The analysis: a tag per shot (and a second on every third), title tags, characters, chapters, artwork.
    ModelRunOutput analysis;
    analysis.model = "analysis";
    analysis.model_version = "bench";
    const char* labels[] = {"person", "car", "dog", "city", "night", "close-up", "wide", "calm", "tense", "warm"};
    for (int i = 0; i < kShots; ++i)
        for (int n = 0; n < (i % 3 ? 1 : 2); ++n) {
            Tag t;
            t.shot_index = i;
            t.category = n ? "shot_scale" : "object";
            t.label = labels[(i + n * 5) % 10];
            t.confidence = 0.3 + 0.6 * ((i * 37 + n * 11) % 100) / 100.0;
            t.evidence = "{\"frames\":[" + std::to_string(frame_index_of(i * kFrames / kShots)) + "]}";
            analysis.tags.push_back(t);
        }
    for (const char* mood : {"tense", "warm", "melancholic", "drama"}) {
        Tag t;
        t.category = "mood";
        t.label = mood;
        t.confidence = 0.6;
        analysis.tags.push_back(t);
    }
    std::vector<Character> characters(kCharacters);
    const auto faces = store.faces(id);
    for (size_t f = 0; f < faces.size(); ++f) characters[f % kCharacters].face_ids.push_back(faces[f].id);
    for (Character& c : characters) {
        c.confidence = 0.7;
        c.best_face_id = c.face_ids.front();
        c.screen_time_s = c.face_ids.size() * 0.72;
    }
    analysis.characters = characters;
    for (int c = 0; c < 60; ++c) {
        Chapter ch;
        ch.kind = ChapterKind::Chapter;
        ch.start_frame = c * 3000;
        ch.end_frame = (c + 1) * 3000 - 1;
        ch.start_s = ch.start_frame / 25.0;
        ch.end_s = (ch.end_frame + 1) / 25.0;
        ch.label = "Chapter " + std::to_string(c + 1);
        ch.confidence = 0.6;
        analysis.chapters.push_back(ch);
        Chapter key = ch;
        key.kind = ChapterKind::KeyScene;
        key.start_frame = ch.start_frame + 600;
        key.end_frame = ch.start_frame + 1199;
        key.start_s = key.start_frame / 25.0;
        key.end_s = (key.end_frame + 1) / 25.0;
        key.label = "Key scene " + std::to_string(c + 1);
        analysis.chapters.push_back(key);
    }
    for (int w = 0; w < 40; ++w) {
        ArtworkCandidate a;
        a.frame_index = frame_index_of(w * 250 + 7);
        a.score = 0.9 - w * 0.01;
        a.confidence = a.score;
        a.breakdown = R"({"sharpness":0.8,"exposure":0.7,"faces":0.5,"composition":0.6})";
        a.crops = R"({"16:9":[0,0.06,1,0.84],"2:3":[0.3,0,0.5,1],"1:1":[0.2,0,0.75,1]})";
        analysis.artwork.push_back(a);
    }
    store.save_model_run(id, analysis);
    return id;
}

// The stall tracer: the probe stamps every tick; a watchdog thread interrupts the GUI thread while no tick came
// for 50 ms and the signal handler writes its stack (backtrace_symbols_fd is safe in a handler once warmed up).
std::atomic<int64_t> g_last_tick_ns{0};
std::atomic<const char*> g_phase{""};
int g_trace_fd = -1;

int64_t steady_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void on_stall_signal(int)
{
    void* frames[96];
    const int n = backtrace(frames, 96);
    char header[256];
    const int len = std::snprintf(header, sizeof header, "---- GUI thread stalled %.0f ms in phase: %s\n",
                                  (steady_ns() - g_last_tick_ns.load()) / 1e6, g_phase.load());
    if (write(g_trace_fd, header, static_cast<size_t>(len)) < 0) return;
    backtrace_symbols_fd(frames, n, g_trace_fd);
}

class StallTracer {
public:
    explicit StallTracer(const QString& path)
    {
        g_trace_fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (g_trace_fd < 0) return;
        void* warm[4];
        backtrace(warm, 4);  // loads libgcc now, not inside the handler
        std::signal(SIGPROF, on_stall_signal);
        gui_ = pthread_self();
        g_last_tick_ns = steady_ns();
        watchdog_ = std::thread([this] {
            int64_t sampled_tick = -1;
            int64_t last_sample_ns = 0;
            while (!stop_) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                const int64_t tick = g_last_tick_ns.load(), now = steady_ns();
                if (now - tick < 50'000'000) continue;
                // One sample at 50 ms into a stall, then one every 30 ms while it lasts.
                if (tick != sampled_tick || now - last_sample_ns > 30'000'000) {
                    sampled_tick = tick;
                    last_sample_ns = now;
                    pthread_kill(gui_, SIGPROF);
                }
            }
        });
    }
    ~StallTracer()
    {
        stop_ = true;
        if (watchdog_.joinable()) watchdog_.join();
        std::signal(SIGPROF, SIG_DFL);
        if (g_trace_fd >= 0) ::close(g_trace_fd);
    }

private:
    pthread_t gui_{};
    std::thread watchdog_;
    std::atomic<bool> stop_{false};
};

// The event-loop probe: a 5 ms precise timer; each tick records how long after the previous one it came.
class Probe {
public:
    Probe()
    {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(kProbeMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            g_last_tick_ns = steady_ns();
            const qint64 now = clock_.nsecsElapsed();
            if (last_ns_ >= 0) {
                const double gap_ms = (now - last_ns_) / 1e6;
                stalls_.push_back(std::max(0.0, gap_ms - kProbeMs));
            }
            last_ns_ = now;
        });
        clock_.start();
        timer_.start();
    }
    // Starts a new phase: its stalls are kept apart.
    void begin() { stalls_.clear(); }
    std::vector<double> take() { return std::exchange(stalls_, {}); }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ns_ = -1;
    std::vector<double> stalls_;
};

// Runs the event loop for `ms` (the probe ticks meanwhile).
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs the event loop until `done()` or `max_ms`.
template <class Done>
void spin_until(Done done, int max_ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < max_ms) spin(20);
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

struct PhaseResult {
    std::string name;
    double max_ms = 0, p99_ms = 0;
    size_t ticks = 0;
    qint64 wall_ms = 0;
};

// Scrolls every scrollable item view in `root` from top to bottom a page at a time, and back to the top.
void scroll_views(QWidget* root)
{
    for (QAbstractItemView* view : root->findChildren<QAbstractItemView*>()) {
        if (!view->isVisible()) continue;
        QScrollBar* bar = view->verticalScrollBar();
        if (!bar || bar->maximum() <= 0) continue;
        const int step = std::max(1, bar->pageStep());
        for (int v = 0; v <= bar->maximum(); v += step) {
            bar->setValue(v);
            spin(15);  // a person scrolling fast: a page every 15 ms
        }
        bar->setValue(0);
        spin(50);
    }
}

}  // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-bench"));  // no user preferences
    QSettings().clear();
    qputenv("FRAMELINE_CLI", "/nonexistent");

    QString keep, trace;
    for (int i = 1; i + 1 < argc; ++i) {
        if (QString::fromLocal8Bit(argv[i]) == QLatin1String("--keep")) keep = QString::fromLocal8Bit(argv[++i]);
        else if (QString::fromLocal8Bit(argv[i]) == QLatin1String("--trace-stalls"))
            trace = QString::fromLocal8Bit(argv[++i]);
    }
    QTemporaryDir tmp;
    const QString db = (keep.isEmpty() ? tmp.path() : keep) + QStringLiteral("/bench_ui.db");
    QFile::remove(db);

    QElapsedTimer build;
    build.start();
    int64_t title_id = 0;
    size_t tags = 0, faces = 0;
    {
        auto store = open_store(db.toStdString());
        title_id = build_title(*store);
        tags = store->tags(title_id).size();
        faces = store->faces(title_id).size();
    }
    std::printf("bench_ui_latency: %d shots, %d sampled frames with JPEG thumbnails, %zu tags, %zu faces in %d "
                "characters, 120 chapters/key scenes, 40 artwork candidates (SQLite, built in %.1f s)\n",
                kShots, kFrames, tags, faces, kCharacters, build.elapsed() / 1000.0);

    QElapsedTimer open_clock;
    open_clock.start();
    frameline::ui::MainWindow window(open_store(db.toStdString()));
    window.resize(1400, 900);
    window.show();
    const double open_ms = open_clock.nsecsElapsed() / 1e6;
    // The window selects the first (only) title by itself: select nothing first, so that selecting is measured.
    Probe probe;
    std::vector<PhaseResult> results;
    std::vector<double> all;
    std::unique_ptr<StallTracer> tracer;
    if (!trace.isEmpty()) tracer = std::make_unique<StallTracer>(trace);
    std::vector<std::string> phase_names;  // g_phase points into these
    phase_names.reserve(32);
    auto phase = [&](const std::string& name, auto&& body) {
        phase_names.push_back(name);
        g_phase = phase_names.back().c_str();
        QElapsedTimer wall;
        wall.start();
        probe.begin();
        body();
        std::vector<double> stalls = probe.take();
        all.insert(all.end(), stalls.begin(), stalls.end());
        PhaseResult r;
        r.name = name;
        r.ticks = stalls.size();
        r.max_ms = stalls.empty() ? 0 : *std::max_element(stalls.begin(), stalls.end());
        r.p99_ms = percentile(stalls, 0.99);
        r.wall_ms = wall.elapsed();
        results.push_back(r);
    };

    phase("first load (window opened on the title)", [&] {
        spin_until([&] { return window.titleView()->titleId() == title_id && !window.titleView()->isLoading(); },
                   20000);
        spin(1500);
    });
    phase("select title again (reload)", [&] {
        window.titleListView()->clearSelection();
        spin(300);
        window.selectTitle(title_id);
        spin_until([&] { return window.titleView()->titleId() == title_id && !window.titleView()->isLoading(); },
                   20000);
        spin(1500);
    });
    phase("scroll frame grid + shot strip (title)", [&] {
        window.showView(QStringLiteral("title"));
        spin(200);
        scroll_views(window.titleView());
    });
    for (const QString& view : {QStringLiteral("tags"), QStringLiteral("characters"), QStringLiteral("chapters"),
                                QStringLiteral("artwork"), QStringLiteral("search")}) {
        phase(("switch to " + view).toStdString(), [&] {
            window.showView(view);
            window.session()->waitForIdle(20000);
            spin(2000);  // loads run on the read pool; their results land on the GUI thread
        });
        phase(("scroll " + view).toStdString(), [&] { scroll_views(window.viewTabs()->currentWidget()); });
    }
    phase("back to title", [&] {
        window.showView(QStringLiteral("title"));
        spin(1000);
    });

    std::printf("window constructed and shown in %.0f ms (before the event loop runs; not a probe phase)\n", open_ms);
    tracer.reset();
    std::printf("%-42s %8s %7s %10s %10s %9s\n", "phase", "wall ms", "ticks", "max ms", "p99 ms", "max/100");
    for (const PhaseResult& r : results)
        std::printf("%-42s %8lld %7zu %10.1f %10.1f %9.2f%s\n", r.name.c_str(), static_cast<long long>(r.wall_ms),
                    r.ticks, r.max_ms, r.p99_ms, r.max_ms / kTargetMs, r.max_ms > kTargetMs ? "  OVER" : "");
    const double max_all = all.empty() ? 0 : *std::max_element(all.begin(), all.end());
    const double p99_all = percentile(all, 0.99);
    std::printf("all phases: %zu ticks, max stall %.1f ms (ratio to 100 ms target %.2f), p99 %.1f ms (ratio %.2f)\n",
                all.size(), max_all, max_all / kTargetMs, p99_all, p99_all / kTargetMs);
    return 0;
}
