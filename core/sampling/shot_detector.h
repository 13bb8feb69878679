#pragma once
// Streaming shot boundary detection on small YUV frames.
#include <deque>
#include <vector>

#include "core/media/image.h"
#include "core/sampling/shot.h"

namespace frameline {

class ShotDetector {
public:
    struct Options {
        double min_cut_score = 20.0;  // difference score (see difference()) a cut must exceed
        double ratio = 3.0;           // a cut's score against the mean of its neighbours' scores
        int window = 2;               // neighbours on each side for that mean
        int min_shot_frames = 8;      // boundaries closer than this to the previous one are ignored
        double black_luma = 24.0;     // mean luma at or under which a frame counts as black (fades)
        double flash_similarity = 0.5;// a spike whose after-frame is this close to the before-frame is a flash
    };

    ShotDetector();
    explicit ShotDetector(Options options);

    // Frames must arrive in order with consecutive indices.
    void push(const SmallFrame& frame);
    // No more frames: decide what is still pending.
    void finish();
    // Boundaries decided since the last call, in frame order.
    std::vector<Boundary> take_boundaries();

    // Every frame before this index has been decided: no boundary before it can still appear.
    int64_t decided_until() const { return decided_until_; }

private:
    struct Entry {
        int64_t index = 0;
        double pts_s = 0.0;
        double score = 0.0;   // difference to the previous frame
        double luma = 0.0;
        bool black = false;
        SmallFrame frame;
    };
    void decide(size_t i);
    void report(Boundary b);
    static double difference(const SmallFrame& a, const SmallFrame& b);

    Options opt_;
    std::deque<Entry> recent_;   // decided history, then undecided frames from position next_
    size_t next_ = 0;
    std::vector<Boundary> out_;
    int64_t last_boundary_ = 0;
    int64_t decided_until_ = 0;
    int64_t black_run_start_ = -1;  // first frame of the current black run, -1 when not in one
    bool seen_content_ = false;     // a non-black frame has been seen (fade-in from black at the start is no shot)
};

}  // namespace frameline
