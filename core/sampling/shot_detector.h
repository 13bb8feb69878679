#pragma once
// Streaming shot boundary detection on small YUV frames: hard cuts, dissolves, and fades through black or white,
// each with its span. Robust to flashes (brightness spikes of a few frames) and to motion and pans.
//
// Frames are pushed in order; each is decided once `kLookahead` later frames have arrived, so boundaries come out
// a little behind the decoder. Memory is a fixed ring of small frames, whatever the title's length.
#include <cstdint>
#include <vector>

#include "core/media/image.h"
#include "core/sampling/shot.h"

namespace frameline {

class ShotDetector {
public:
    struct Options {
        double min_cut_score = 12.0;     // frame_difference() a cut must exceed
        double cut_ratio = 3.0;          // ... and exceed this many times its neighbours' mean
        int window = 2;                  // neighbours on each side for that mean
        int min_shot_frames = 8;         // a boundary closer than this to the previous one is dropped
        double flash_similarity = 0.5;   // a picture this close to one just before a spike means a flash, not a cut
        double black_luma = 24.0;        // flat frames (fades): mean luma at most this (black) ...
        double white_luma = 225.0;       // ... or at least this (white) ...
        double flat_stddev = 12.0;       // ... with luma spread at most this
        double blank_stddev = 3.0;       // a frame of any single colour (spread at most this) is flat too
        double dissolve_min_change = 14.0;  // frame_difference() between the two shots of a dissolve
        double dissolve_blend_ratio = 0.3;  // blend error / change at most this inside a dissolve
        double dissolve_texture_dip = 0.75; // middle frame's texture at most this share of its ends' mean
    };

    // Frames kept before and after the one being decided.
    static constexpr int kLookahead = 40;
    static constexpr int kHistory = 64;

    ShotDetector();
    explicit ShotDetector(Options options);

    // Frames must arrive in order with consecutive indices.
    void push(const SmallFrame& frame);
    // No more frames: decide what is still pending.
    void finish();
    // Boundaries decided since the last call, in frame order.
    std::vector<Boundary> take_boundaries();

private:
    struct Entry {
        int64_t index = -1;
        double pts_s = 0.0;
        double diff = 0.0;   // frame_difference() to the previous frame
        double luma = 0.0;
        double stddev = 0.0;
        double texture = 0.0;  // texture_energy()
        int flat = 0;        // 0: picture, 1: black, 2: white, 3: blank (one other colour)
        SmallFrame frame;
    };
    struct Candidate {
        Boundary boundary;
        double quality = 0.0;  // to choose among overlapping candidates of one kind
    };

    bool has(int64_t index) const;
    Entry& at(int64_t index);
    const Entry& at(int64_t index) const;

    void decide(int64_t i);
    void decide_flat_run_end(int64_t i);
    void test_cut(int64_t i);
    void test_dissolve(int64_t i);
    bool ramp_step(int64_t nearer, int64_t farther, const SmallFrame& flat_frame, int flat) const;
    void dissolve_span(int64_t a, int64_t b, Boundary& out) const;
    int64_t fade_out_start(int64_t run_start) const;
    int64_t fade_in_end(int64_t first_picture) const;
    void add_candidate(Candidate c);
    void settle(int64_t before);
    void report(Boundary b);

    Options opt_;
    std::vector<Entry> ring_;  // kHistory + kLookahead + 1 entries, reused: no allocation per frame after warm-up
    int64_t newest_ = -1;
    int64_t next_decide_ = 0;
    int64_t flat_run_start_ = -1;  // first frame of the current run of flat frames, -1 outside one
    bool seen_picture_ = false;
    std::vector<Candidate> pending_;  // candidates that a later, overlapping one may still replace
    std::vector<Boundary> out_;
    int64_t last_boundary_ = 0;
};

}  // namespace frameline
