#pragma once
// Scenes, chapters and key scenes of a title, with exact frame ranges and timecodes (core/analysis/title_facts.h in,
// Chapter rows of kind Scene, Chapter and KeyScene out). Heuristics over the model outputs, every decision written
// into the evidence so a reviewer sees why a boundary is where it is.
//
// Scenes (unions of whole shots): walking the shots in time order, each cut is either a BREAK or a LINK.
//   break, always: the new shot begins with a fade (the shot detector's fades go through a flat, dark picture),
//     a black marker touches the cut, opening/closing credits start or end there, or the audio is silent
//     (< silence_dbfs) for long_silence_s or more across the cut;
//   link: the new shot looks like one of the scene's last `lookback_shots` shots (cosine distance of their visual
//     descriptors <= the threshold: frame embeddings from facts.embeddings when a model stored them, else a colour
//     and layout descriptor of the thumbnails), or shares a character with one of them (derive_characters), or
//     speech runs across the cut (a speech segment covers speech_bridge_s either side);
//   otherwise a break. A shot/reverse-shot dialogue links through its look-back and its characters.
// Chapters (unions of whole scenes): dynamic programming over the scene boundaries, minimising
//   sum over chapters of 2 ln(D / target)^2 (+ 10 below min, + (D / max - 1) above max)
//   - sum over the chosen boundaries of 4 x strength^3,
// strength 1 for fades, black and credits (bonus 4: taken unless a chapter would fall under the minimum), 0.6 for
// long silence (0.86), 0.3 for a plain scene change (0.11), 0.2 when the two scenes share a character (0.03): a
// plain boundary only tips the balance between chapter lengths of similar cost. target = target_share x the title (5 %), min and max likewise (2 % and 10 %), with
// floors for short titles so that a 12 s clip is not cut into 0.6 s chapters. A fade is therefore a chapter break
// unless it would leave a chapter under the minimum.
// Key scenes (the shot at a peak): robust z-scores over the title's shots, (x - median) / (1.4826 MAD), of
//   motion (largest FrameRecord::motion of the shot's sampled frames), loudness (90th percentile of the shot's
//   100 ms RMS levels, dBFS) and emotion intensity (largest expression score of a non-neutral face); a shot is a
//   peak when z >= peak_z, it is the largest within peak_window shots either side and above an absolute floor;
//   the top max_peaks_per_kind per kind. Plus the first shot of each of the main characters (the first
//   main_characters of out.characters, ranked by screen time). Reasons on one shot are joined in the label.
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/title_facts.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct ChapterOptions {
    // Scenes
    int lookback_shots = 4;
    // Cosine distances between shots' descriptors, measured by tst_scenes on real ingests (it prints them).
    // Embedding (the ingest's "visual:nsfw-mobilenetv2..." frame vectors): three framings of one picture 0.11-0.18
    // (coffee) and 0.19-0.29 (the cat), different pictures 0.43-0.61; goldeneye's two screen close-ups 0.24, screen
    // vs the woman-and-man shot 0.37-0.40. 0.33 sits between 0.29 and 0.37.
    // Colour descriptor: framings of one picture 0.06-0.10 (coffee), 0.09-0.17 (cat), different pictures 0.27-0.40;
    // but goldeneye's screen close-up vs the woman-and-man shot reads 0.11 and its two screens 0.24: colour alone is
    // at its limit, so 0.10 (a shot links when its nearest look-back shot is within it) and embeddings first.
    double colour_threshold = 0.10;
    double embedding_threshold = 0.33;
    std::string embedding_model;        // empty: the first model in facts.embeddings with frame vectors
    bool use_embeddings = true;         // false: always the colour descriptor
    double speech_bridge_s = 0.3;
    double long_silence_s = 2.0;
    double silence_dbfs = -50.0;
    double black_tolerance_s = 0.25;    // a black marker this close to a cut touches it
    bool measure_audio = true;          // decode the title's audio for loudness and silence (facts.media)
    // Chapters
    double target_share = 0.05;
    double min_share = 0.02;
    double max_share = 0.10;
    double min_chapter_floor_s = 2.0;   // short titles: chapters are at least this long ...
    double target_floor_s = 5.0;        // ... aim at least this long ...
    double max_chapter_floor_s = 20.0;  // ... and may be this long before the maximum bites
    // Key scenes
    double peak_z = 1.5;
    int peak_window = 2;
    int max_peaks_per_kind = 3;
    double min_motion = 2.0;       // mean absolute luma change per frame (0..255)
    double min_loudness_dbfs = -35.0;
    double min_emotion = 0.5;
    int main_characters = 3;
};

// A colour and layout descriptor of a picture (inside `active` when it is not empty): an 8 hue x 3 saturation x 3
// value histogram (Hellinger: square roots of the shares) and a 4x4 grid of mean colours, each block unit length,
// joined as one unit vector (108 values). Zeros for an empty picture. For comparing shots by cosine distance when no
// learned embedding is stored.
std::vector<float> colour_descriptor(const RgbImage& image, int active_x = 0, int active_y = 0, int active_width = 0,
                                     int active_height = 0);

// Appends scenes, chapters and key scenes (in that order, each in time order) to out.chapters. Uses
// out.characters when the caller ran derive_characters() first, else derives the characters itself (not appended).
// Throws frameline::Error for bad options; a title without shots gets nothing.
void derive_chapters(const TitleFacts& facts, ModelRunOutput& out, const ChapterOptions& options = {});

}  // namespace frameline
