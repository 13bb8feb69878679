#pragma once
// Artwork candidates (issue #6, item 4): every sampled frame is scored as key art, a diverse set is picked, and each
// pick gets crops for the usual artwork shapes that keep its faces in the picture. Like Netflix's AVA, the output is
// a proposal with its evidence: each candidate carries a breakdown (every term, its value and its weight) so the
// artwork team sees why a frame was proposed, and reviewers accept or reject it in the GUI.
//
// Score of a frame (all terms 0..1; defaults in ArtworkWeights, they sum to 1):
//   weighted = sum(weight_i * term_i) / sum(weight_i)
//   score    = weighted * product(gates)
//   terms:
//     sharpness     log-scaled Laplacian variance of the thumbnail: 0 at <= 30, 1 at >= 600 (frame_quality.cpp calls
//                   < 60 blurry and "several hundred" sharp); x0.5 when flagged blurry.
//     exposure      mid-grey is best: 1 - |brightness - 118| / 118, times min(1, contrast / 40); x0.5 per exposure
//                   flag (underexposed, overexposed, low_contrast).
//     face          the largest counted face (detector score >= min_face_score): 0 below min_face_height of the picture's height,
//                   rising linearly to 1 at good_face_height, easing to 0.7 for extreme close-ups (>= 0.9); times 0.5
//                   when main characters are known and none of the frame's faces belongs to one. 0 with no face.
//     expression    intensity of the largest face's expression: its score when not "neutral", 1 - score when neutral.
//     composition   with faces: 0.6 thirds + 0.4 headroom; thirds: the largest face's eye line (top + 0.4 height)
//                   near the upper third line, its centre near a vertical third line (or, worth 0.8, the centre);
//                   headroom: space above the top face, best 0.04..0.20 of the height, 0.2 when the face touches the
//                   top. Without faces the largest object box (score >= 0.4) near the third lines; 0.5 with neither.
//     no_transition 0 when flagged in_transition or inside a shot's fade/dissolve span, else 1.
//     no_text       0 inside credits markers. A frame the OCR pass read (facts.ocr_frames): 1 - covered / 0.08,
//                   covered = the share of the picture's height under its OCR lines (union of their rows). Else
//                   the PROXY, kept only as the fallback where OCR did not run or did not read the frame (its gate
//                   is this proxy): 1 - text_likeness / 0.08, where text_likeness() is the share of thumbnail rows in
//                   short bands of thin high-contrast strokes.
//     not_sensitive 1 - (Porn + Hentai + 0.5 Sexy) of the "nsfw" frame scores; 1 (and a note) when not scored.
//   gates (multiply): black or white frame 0.1; in transition 0.3; inside credits 0.5; sensitive (Porn + Hentai >=
//   0.5) 0.1. A gate marks a frame that is unusable as key art whatever its other merits.
//
// Diversity: greedy maximal marginal relevance. The next pick maximises
//   lambda * score - (1 - lambda) * max over picked of similarity(frame, picked)
// with similarity = 0.5 appearance + 0.3 context + 0.2 characters, where appearance is the cosine of the frames'
// visual embeddings (an embedding model named "visual..." in the facts) or, without one, of colour descriptors
// (colour_descriptor()), rescaled against the title's median pair (so "alike" means alike for this title: (c - m) /
// (1 - m), clamped to 0..1); context is 1 in the same shot, 0.5 in the same scene (Scene chapters in the output), else
// 0; characters is the Jaccard overlap of the characters shown (when characters are known), else 0. A frame that
// looks like a pick (appearance >= duplicate_appearance) is never picked: a title with few distinct pictures gets
// fewer than `count` candidates rather than near-duplicates. Candidates come out in pick order (the first is the best).
//
// Crops (artwork_crop()): the largest crop of the shape inside the active picture (black bars excluded) that keeps
// every counted face with margins (0.25 of the face's width at the sides, 0.35 of its height above for hair, 0.25
// below), placed with the top face's eye line at a third of the crop's height and the faces centred across; when the
// margins do not fit, the bare face boxes (flag "reduced_margin"); when even those do not fit, as many of the largest
// faces as fit together, placed the same way (flag "faces_cut": a poster with one whole face beats two halves). Without faces the crop centres on the salient objects, else on the picture.
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/title_facts.h"
#include "core/media/image.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct ArtworkWeights {
    double sharpness = 0.15;
    double exposure = 0.15;
    double face = 0.25;
    double expression = 0.10;
    double composition = 0.15;
    double no_transition = 0.05;
    double no_text = 0.05;
    double not_sensitive = 0.10;
};

struct ArtworkOptions {
    int count = 12;                 // how many candidates to pick
    ArtworkWeights weights;
    // Faces of the title's main characters (e.g. main_character_face_ids() of the characters found in the same run).
    // Empty: taken from the characters already in the ModelRunOutput (those with a face scoring min_face_score), if
    // any; else no main-character preference.
    std::vector<int64_t> main_character_face_ids;
    double diversity_lambda = 0.7;  // MMR: 1 = by score only, 0 = by difference only
    // A frame whose rescaled appearance similarity to an earlier pick is at least this is a near-duplicate and is not
    // picked, even when fewer than `count` remain. Measured on goldeneye (visual embeddings): frames of one static
    // shot 0.93..0.98, the same set-up with different on-screen text 0.75..0.88.
    double duplicate_appearance = 0.9;
    // A frame scoring under this share of the best frame's score is never a candidate: a title with few usable
    // pictures gets fewer candidates rather than black or blurred ones (testvideo.mp4 offered a 0.03 frame beside
    // 0.51 ones).
    double min_relative_score = 0.25;
    // A face counts (for the face, expression and composition terms, and the crops) when its detector score is at
    // least this. Measured with the zoo's face detector: real faces 0.83..0.95 (goldeneye's two actors, the
    // astronaut), false faces 0.59..0.65 (a coffee cup, a cat) and a cartoon face on a screen 0.63..0.76.
    double min_face_score = 0.75;
    double min_face_height = 0.08;  // share of the picture's height below which a face is too small for key art
    double good_face_height = 0.30; // share from which a face is large enough
};

// One frame's score and its reasons.
struct FrameArtworkScore {
    int64_t frame_index = 0;
    int64_t frame_id = 0;
    int shot_index = 0;
    double score = 0;
    std::string breakdown;           // JSON: {"score","weighted","terms":{name:{"value","weight"}},"gates":{..},...}
    std::vector<int64_t> face_ids;   // the counted faces (kept inside every crop)
};

// Scores every sampled frame of the title, in frame order.
std::vector<FrameArtworkScore> score_artwork_frames(const TitleFacts& facts, const ArtworkOptions& options = {});

// A box in frame fractions (0..1, top-left origin).
struct FrameBox {
    double x = 0, y = 0, width = 0, height = 0;
};

struct ArtworkShape {
    const char* name;  // "16:9"
    double aspect;     // width / height
};
// 16:9 (hero banner), 2:3 (poster), 1:1 (tile), 4:3 (legacy tile).
const std::vector<ArtworkShape>& artwork_shapes();

struct ArtworkCrop {
    FrameBox box;
    std::string flag;  // "" | "reduced_margin" | "faces_cut"
};
// The crop of `aspect` (display width / height) in a picture of `frame_aspect`, inside `active` (frame fractions),
// that keeps `faces` (frame fractions) in frame as described above; `salient` boxes place a crop without faces.
ArtworkCrop artwork_crop(double aspect, double frame_aspect, const std::vector<FrameBox>& faces,
                         const FrameBox& active = {0, 0, 1, 1}, const std::vector<FrameBox>& salient = {});

// The no-on-screen-text PROXY: share (0..1) of the image's rows that lie in bands 3..24 rows high of thin
// high-contrast strokes (a luma step >= 48 up and back down within 1..5 px, at least width/32 such strokes per row).
// Captions, titles and credits make such bands; it is a heuristic, not text recognition.
double text_likeness(const RgbImage& image);

// A palette-and-layout descriptor of a thumbnail for similarity when there is no visual embedding: the square roots
// of a 4x4x4 RGB histogram (64 values, so the cosine is the Bhattacharyya coefficient) and the mean colours of a 2x2
// grid (12 values, weight 0.5), L2-normalised. Empty for an empty image.
std::vector<float> colour_descriptor(const RgbImage& image);

// The faces of the title's main characters: the characters with at least a quarter of the top character's screen
// time, at most `max_characters` of them. Why: a supporting character's face is a weaker artwork subject.
std::vector<int64_t> main_character_face_ids(const std::vector<Character>& characters, int max_characters = 4);
// The same over the characters that have at least one face scoring min_face_score in `faces`. Why: on goldeneye a
// cartoon face on a computer screen (detector scores 0.63..0.76) is on screen 8.8 s and the two actors 1.2 s each;
// without this filter the drawing would be the only "main character" and the actors' two-shot would count half.
std::vector<int64_t> main_character_face_ids(const std::vector<Character>& characters, const std::vector<Face>& faces,
                                             double min_face_score, int max_characters = 4);

// Scores the frames, picks a diverse set and appends it to `out.artwork` (best first), each with its breakdown, crops
// (JSON {"16:9":[x,y,w,h],...}) and evidence (frame, shot, faces, nsfw scores, the pick's rank and its nearest
// earlier pick). A title without sampled frames gets none.
void derive_artwork(const TitleFacts& facts, ModelRunOutput& out, const ArtworkOptions& options = {});

}  // namespace frameline
