#include "bench/reverse_shot_edit.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace frameline::bench {

namespace {
const char* const kFilm = "pyscenedetect/goldeneye-vfr-drop3.mp4";
const char* const kPhotos = "pyscenedetect/testvideo.mp4";

struct Slice {
    int setup;
    const char* source;
    double start_s;
    int frames;  // at the edit's 25 fps
};

std::string shell_quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}
}  // namespace

ReverseShotEdit reverse_shot_edit_plan() {
    ReverseShotEdit e;
    e.setups = {"film: computer screen, wide", "film: computer screen, close", "film: two people",
                "photo: leaf on a rock",       "photo: deer",                  "photo: dark rock",
                "photo: tyre tread"};
    enum { Wide, Close, People, Leaf, Deer, Rock, Tread };
    // Slices of one set-up never overlap; 25 frames = 1 s, the two-people shot is only 1.2 s long in the source.
    const Slice plan[] = {
        {Wide, kFilm, 0.10, 25},    {Close, kFilm, 3.90, 25},  {Wide, kFilm, 1.30, 25},   {Close, kFilm, 5.10, 25},
        {People, kFilm, 8.80, 12},  {Wide, kFilm, 2.50, 25},   {Close, kFilm, 6.30, 25},  {Leaf, kPhotos, 1.20, 25},
        {Deer, kPhotos, 7.60, 25},  {Leaf, kPhotos, 2.40, 25}, {Deer, kPhotos, 8.80, 25}, {Rock, kPhotos, 13.50, 25},
        {Leaf, kPhotos, 3.60, 25},  {Deer, kPhotos, 10.0, 25}, {Rock, kPhotos, 14.70, 25}, {Tread, kPhotos, 18.60, 25},
        {Rock, kPhotos, 15.90, 25}, {Tread, kPhotos, 19.80, 25}, {Leaf, kPhotos, 4.80, 25}, {Close, kFilm, 7.50, 25},
        {People, kFilm, 9.40, 12},  {Tread, kPhotos, 21.00, 25},
    };
    int64_t at = 0;
    for (const Slice& s : plan) {
        e.shots.push_back({s.setup, s.source, s.start_s, at, at + s.frames});
        at += s.frames;
    }
    return e;
}

std::filesystem::path testdata_dir() {
    if (const char* d = std::getenv("FRAMELINE_TESTDATA"); d && *d) return d;
    return "/work/shared/testdata";
}

ReverseShotEdit build_reverse_shot_edit(const std::filesystem::path& testdata, const std::filesystem::path& out,
                                        Retakes retakes) {
    ReverseShotEdit e = reverse_shot_edit_plan();
    e.retakes = retakes;
    // the k-th slice of a set-up as another take: zoom (crop share), crop centre, brightness, contrast, saturation
    struct Take {
        double keep, cx, cy, brightness, contrast, saturation;
    };
    const Take takes[4] = {{1.0, 0.5, 0.5, 0.0, 1.0, 1.0},
                           {0.88, 0.25, 0.35, 0.05, 1.1, 0.85},
                           {0.94, 0.75, 0.6, -0.05, 0.9, 1.15},
                           {0.82, 0.45, 0.4, 0.03, 1.05, 0.9}};
    std::vector<int> seen(e.setups.size(), 0);
    for (const char* src : {kFilm, kPhotos})
        if (!std::filesystem::exists(testdata / src))
            throw std::runtime_error("reverse-shot edit: needs " + (testdata / src).string() +
                                     " (set FRAMELINE_TESTDATA to the shared test media)");
    std::string inputs, filters, concat;
    for (size_t i = 0; i < e.shots.size(); ++i) {
        const EditShot& s = e.shots[i];
        const double seconds = double(s.end_frame - s.start_frame) / e.fps;
        char buf[256];
        // -ss before -i seeks exactly when transcoding; read a little more than needed, trim to the frame count.
        std::snprintf(buf, sizeof buf, " -ss %.3f -t %.3f -i ", s.source_start_s, seconds + 0.3);
        inputs += buf + shell_quoted((testdata / s.source).string());
        std::string take;
        if (retakes == Retakes::simulated) {
            const Take& t = takes[seen[size_t(s.setup)]++ % 4];
            std::snprintf(buf, sizeof buf, ",crop=iw*%.2f:ih*%.2f:(iw-iw*%.2f)*%.2f:(ih-ih*%.2f)*%.2f,eq=brightness=%.2f:contrast=%.2f:saturation=%.2f",
                          t.keep, t.keep, t.keep, t.cx, t.keep, t.cy, t.brightness, t.contrast, t.saturation);
            take = buf;
        }
        filters += "[" + std::to_string(i) + ":v]fps=" + std::to_string(e.fps) + take +
                   ",scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1,"
                   "format=yuv420p,trim=end_frame=" + std::to_string(s.end_frame - s.start_frame) +
                   ",setpts=PTS-STARTPTS[v" + std::to_string(i) + "];";
        concat += "[v" + std::to_string(i) + "]";
    }
    filters += concat + "concat=n=" + std::to_string(e.shots.size()) + ":v=1:a=0[out]";
    std::filesystem::create_directories(out.parent_path().empty() ? "." : out.parent_path());
    const std::string tmp = out.string() + ".tmp.mp4";
    const std::string cmd = "ffmpeg -v error -nostdin -y" + inputs + " -filter_complex " + shell_quoted(filters) +
                            " -map '[out]' -r " + std::to_string(e.fps) +
                            " -c:v libx264 -preset veryfast -crf 18 -g 50 " + shell_quoted(tmp) + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("reverse-shot edit: could not run ffmpeg");
    std::string said;
    char line[512];
    while (std::fgets(line, sizeof line, p)) said += line;
    const int rc = pclose(p);
    if (rc != 0) {
        std::filesystem::remove(tmp);
        throw std::runtime_error("reverse-shot edit: ffmpeg failed (is it installed?): " + said.substr(0, 600));
    }
    std::filesystem::rename(tmp, out);
    e.path = out;
    return e;
}

std::string reverse_shot_edit_disclaimer(const ReverseShotEdit& e) {
    return "EDIT BUILT FROM REAL SHOTS, NOT AN ORIGINAL FILM SCENE: " + std::to_string(e.shots.size()) +
           " non-overlapping slices of " + std::to_string(e.setups.size()) +
           " real camera set-ups (goldeneye-vfr-drop3.mp4 film, testvideo.mp4 photographs) interleaved A B A B C A ..." +
           (e.retakes == Retakes::simulated ? "; later slices of a set-up re-framed and re-exposed as other takes" : "");
}

}  // namespace frameline::bench
