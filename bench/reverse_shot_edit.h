#pragma once
// An evaluation edit for visual embeddings: shot / reverse-shot style cutting between camera set-ups, built at run
// time with the ffmpeg tool from REAL footage in $FRAMELINE_TESTDATA. It is an edit made from real shots, not an
// original film scene: the shared test media hold no dialogue scene, so non-overlapping time slices of each real
// camera set-up are cut apart and interleaved (A B A B C A ...). Slices of one set-up show the same framing at
// different moments, as the shots of one camera set-up in a dialogue scene do.
//
// Set-ups (source times avoid the sources' own transitions):
//   pyscenedetect/goldeneye-vfr-drop3.mp4 (film): computer screen, wide (0 - 3.75 s); the screen, close
//   (3.75 - 8.76 s); two people (8.76 - 9.97 s)
//   pyscenedetect/testvideo.mp4 (photographs): leaf on a rock (1.0 - 6.0 s), deer (7.5 - 11.5 s), dark rock
//   (13.3 - 17.7 s), tyre tread (18.5 - 22.7 s)
// Output: 640x360 (film letterboxed), 25 fps constant, H.264, no audio; each shot an exact number of frames.
//
// Retakes::simulated makes it harder, as real coverage is: the photographs are still pictures and the film's
// camera barely moves, so two slices of one set-up can be nearly the same pixels. With it, the 2nd, 3rd and 4th
// slice of each set-up are re-framed and re-exposed as another take of that set-up would be (zoom in 6-18 % about
// an off-centre point, brightness -0.05..+0.05, contrast 0.9-1.1, saturation 0.85-1.15; the 1st slice unchanged).
#include <filesystem>
#include <string>
#include <vector>

namespace frameline::bench {

struct EditShot {
    int setup = 0;                // index into ReverseShotEdit::setups
    std::string source;           // relative to the test media folder
    double source_start_s = 0.0;  // where the slice starts in the source
    int64_t start_frame = 0;      // in the edit: frames [start_frame, end_frame)
    int64_t end_frame = 0;
};

enum class Retakes { none, simulated };

struct ReverseShotEdit {
    std::filesystem::path path;
    Retakes retakes = Retakes::none;
    int fps = 25;
    std::vector<std::string> setups;  // "film: screen, wide", ...
    std::vector<EditShot> shots;      // in edit order
    int64_t frames() const { return shots.empty() ? 0 : shots.back().end_frame; }
};

// The edit's plan (no files touched): set-ups and shots with their frame ranges.
ReverseShotEdit reverse_shot_edit_plan();

// The test media folder: $FRAMELINE_TESTDATA, else /work/shared/testdata (the shared checkout's default).
std::filesystem::path testdata_dir();

// Builds the edit into `out` (an .mp4, written again every time: a few seconds).
// Returns the plan with `path` set, or throws std::runtime_error with what is missing or what ffmpeg said.
ReverseShotEdit build_reverse_shot_edit(const std::filesystem::path& testdata, const std::filesystem::path& out,
                                        Retakes retakes = Retakes::none);

// One line for reports: "EDIT BUILT FROM REAL SHOTS ... not an original film scene".
std::string reverse_shot_edit_disclaimer(const ReverseShotEdit& edit);

}  // namespace frameline::bench
