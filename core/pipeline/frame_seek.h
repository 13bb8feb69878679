#pragma once
// Chosen frames of a title decoded again by seeking, for the few frames a step wants once the scan is over (the
// on-screen text reader's frames inside the credits the scan found): decoding the whole title again would cost as
// much as the scan itself.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <vector>

namespace frameline {

class DecodedPicture;

struct FrameAt {
    int64_t frame_index = 0;
    double pts_s = 0.0;  // as the scan's decode gave it (SmallFrame::pts_s)
};

struct FrameSeekOptions {
    int threads = 0;      // decoder threads; 0 = one per core
    double gap_s = 10.0;  // frames closer than this are reached by decoding on, farther ones by a seek
};

// Calls `found` with each frame's picture, in order of time; `found` returning false stops. Frames are matched by
// presentation time (within a quarter of a frame), so indices need not be known after a seek. Answers how many
// frames were not reached: past the end, in damage, or a file that cannot seek. Throws frameline::Error when the
// file cannot be opened.
int decode_frames_at(const std::filesystem::path& media, std::vector<FrameAt> frames,
                     const std::function<bool(const FrameAt&, const DecodedPicture&)>& found,
                     const FrameSeekOptions& options = {}, std::stop_token stop = {});

}  // namespace frameline
