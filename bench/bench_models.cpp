// The model zoo's per-frame set on the CPU: face detection, analysis of the faces found (expression, age/gender/
// descriptor, identity), objects and maturity, on real frames (scikit-image's test pictures and the goldeneye clip
// of the shared test media), in batches of 8 against one frame at a time in the same run; and the voice-activity
// model's real-time factor on speech.
//   usage: bench_models [--threads N] [--frames K] [--repeat R]
// Needs the converted zoo (scripts/convert-models.sh); FRAMELINE_TESTDATA for the film frames and jfk.wav.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/media/video_decoder.h"
#include "core/models/compute_device.h"
#include "core/models/face_analyser.h"
#include "core/models/face_detector.h"
#include "core/models/maturity_classifier.h"
#include "core/models/object_detector.h"
#include "core/models/voice_activity.h"

using namespace frameline;
namespace fs = std::filesystem;

namespace {
double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Frames of a picture or video file at `width` (FFmpeg reads PNGs as one-frame videos), every `step`-th frame.
std::vector<RgbImage> frames_of(const fs::path& file, int width, int step, size_t max) {
    std::vector<RgbImage> out;
    VideoDecoder dec(file);
    SmallFrame f;
    while (out.size() < max && dec.next(f))
        if (f.index % step == 0) out.push_back(dec.current_rgb(width));
    return out;
}

struct PassResult {
    double seconds = 0;
    size_t faces = 0, objects = 0;
};

// The whole per-frame set over `frames` in batches of `batch` frames.
PassResult run_pass(const std::vector<RgbImage>& frames, size_t batch, FaceDetector& faces, FaceAnalyser& analyser,
                    ObjectDetector& objects, MaturityClassifier& maturity) {
    PassResult r;
    const double t0 = now_s();
    for (size_t start = 0; start < frames.size(); start += batch) {
        const std::vector<RgbImage> part(frames.begin() + long(start),
                                         frames.begin() + long(std::min(frames.size(), start + batch)));
        const auto found = faces.detect(part);
        const auto analysed = analyser.analyse(part, found);
        for (const auto& f : found) r.faces += f.size();
        for (const auto& o : objects.detect(part)) r.objects += o.size();
        (void)maturity.classify(part);
        (void)analysed;
    }
    r.seconds = now_s() - t0;
    return r;
}
}  // namespace

int main(int argc, char** argv) {
    int threads = 2, repeat = 1;
    size_t max_frames = 24;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (a == "--frames" && i + 1 < argc) max_frames = size_t(std::atoi(argv[++i]));
        else if (a == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_models [--threads N] [--frames K] [--repeat R]\n");
            return 2;
        }
    }
    try {
        std::vector<RgbImage> frames;
        for (const char* name : {"astronaut.png", "chelsea.png", "coffee.png"}) {
            const fs::path p = fs::path("/usr/lib/python3/dist-packages/skimage/data") / name;
            if (fs::exists(p)) frames.push_back(frames_of(p, 512, 1, 1).at(0));
        }
        const char* td = std::getenv("FRAMELINE_TESTDATA");
        if (td) {
            const auto ge = frames_of(fs::path(td) / "pyscenedetect/goldeneye-vfr-drop3.mp4", 640, 10, max_frames);
            frames.insert(frames.end(), ge.begin(), ge.end());
        } else {
            std::fprintf(stderr, "bench_models: FRAMELINE_TESTDATA not set: skimage pictures only\n");
        }
        if (frames.empty()) throw Error("no frames: install python3-skimage or set FRAMELINE_TESTDATA");
        while (frames.size() < max_frames) frames.push_back(frames[frames.size() % 3]);
        frames.resize(std::min(frames.size(), max_frames));

        const ComputeDevice device = choose_compute_device("cpu", threads);
        std::printf("device: %s; %zu frames (skimage 512x512 and goldeneye 640x272)\n", device.name.c_str(), frames.size());
        FaceDetectorOptions fo8, fo1;
        fo8.max_batch = 8;
        fo1.max_batch = 1;
        FaceAnalyserOptions ao8, ao1;
        ao8.max_batch = 8;
        ao1.max_batch = 1;
        FaceDetector faces8(device, fo8), faces1(device, fo1);
        FaceAnalyser analyser8(device, ao8), analyser1(device, ao1);
        ObjectDetector objects(device);
        MaturityClassifier maturity8(device, MaturityClassifier::Options{8}), maturity1(device, MaturityClassifier::Options{1});

        // Warm-up (first runs of each batch size pay for the JIT's profiling).
        run_pass(std::vector<RgbImage>(frames.begin(), frames.begin() + long(std::min<size_t>(8, frames.size()))), 8,
                 faces8, analyser8, objects, maturity8);
        run_pass(std::vector<RgbImage>(frames.begin(), frames.begin() + 2), 1, faces1, analyser1, objects, maturity1);

        double best8 = 1e30, best1 = 1e30;
        PassResult r8, r1;
        for (int k = 0; k < repeat; ++k) {
            r8 = run_pass(frames, 8, faces8, analyser8, objects, maturity8);
            r1 = run_pass(frames, 1, faces1, analyser1, objects, maturity1);
            best8 = std::min(best8, r8.seconds);
            best1 = std::min(best1, r1.seconds);
        }
        const double fps8 = frames.size() / best8, fps1 = frames.size() / best1;
        std::printf("per-frame set (faces + analysis of %zu faces + objects + maturity):\n", r8.faces);
        std::printf("  batch 8:        %6.2f frames/s (%.2f s)\n", fps8, best8);
        std::printf("  one at a time:  %6.2f frames/s (%.2f s)\n", fps1, best1);
        std::printf("  batched / single: %.2fx\n", fps8 / fps1);

        // Each stage alone, batched, to show where the time goes.
        auto stage = [&](const char* what, auto&& fn) {
            const double t0 = now_s();
            fn();
            const double s = now_s() - t0;
            std::printf("  %-28s %7.1f ms/frame\n", what, 1000 * s / frames.size());
        };
        std::printf("stages, batch 8:\n");
        std::vector<std::vector<FaceDetection>> found;
        stage("face detection", [&] { found = faces8.detect(frames); });
        stage("face analysis (all faces)", [&] { (void)analyser8.analyse(frames, found); });
        stage("objects (batch of 1 inside)", [&] { (void)objects.detect(frames); });
        stage("maturity", [&] { (void)maturity8.classify(frames); });

        if (td && fs::exists(fs::path(td) / "speech/jfk.wav")) {
            for (int t : {1, threads}) {
                choose_compute_device("cpu", t);
                VoiceActivity vad(device);
                (void)vad.run(std::vector<float>(16000, 0.0f));  // warm-up
                const double t0 = now_s();
                const VoiceActivityResult r = vad.run(fs::path(td) / "speech/jfk.wav");
                const double s = now_s() - t0;
                std::printf("voice activity, jfk.wav (%.1f s, %zu segments), %d thread%s: %.3f s, real-time factor %.4f "
                            "(%.0fx faster than real time)\n",
                            r.duration_s(), r.segments.size(), t, t == 1 ? "" : "s", s, s / r.duration_s(),
                            r.duration_s() / s);
                if (t == threads) break;
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_models: %s\n", e.what());
        return 1;
    }
    return 0;
}
