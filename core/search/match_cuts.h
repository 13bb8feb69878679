#pragma once
// Match cuts (issue #9 item 2, as at Netflix): pairs of shots from DIFFERENT scenes whose framing matches, found by
// the similarity of their sampled frames' visual embeddings (the ingest's "visual:..." frame vectors: MobileNetV2
// features and a colour-and-layout descriptor, so composition and colour both count), for an editor to cut from one
// to the other.
//
// A pair (a, b), a before b, is a match cut when
//   - a and b are in different scenes: the stored scenes (chapters of kind Scene, core/analysis/scenes.h; a
//     rejected scene joins the one before it, a corrected one counts with its corrected range); a title without
//     stored scenes counts every shot as its own scene (the result says so);
//   - they are not neighbours (b.index - a.index >= min_shot_gap, 2): two adjacent shots that look alike are one
//     set-up cut in two (the scene detector only separates them for a fade, black or silence), not a match cut;
//   - the best cosine over their frame pairs is >= min_cosine: a matching framing;
//   - and < duplicate_cosine: at or above it the two are the same picture (a shot re-used, a repeated insert, the
//     same set-up filmed twice without a change), a near-duplicate, which an editor does not need to be told of.
// The thresholds are measured on the ingest's vectors ("visual:nsfw-mobilenetv2-gap-p1+colour0.50/r2"; tst_match_cuts
// prints them) for titles cut from still pictures: the same shot re-used 0.9999-1.0; the same framing with the camera
// moved a little (a crop shifted by 2-3 %) 0.969; mirrored 0.924; the same picture framed tighter 0.86-0.88 (coffee)
// or 0.70 (astronaut); the same framing heavily regraded (desaturated, darker) 0.75-0.77; different pictures
// 0.36-0.60. So 0.72 takes a regraded or moved framing and leaves out different pictures, and 0.985 leaves out
// re-used footage while keeping a moved camera. The embedding sees content and colour more than composition: a
// tighter framing of the same subject (0.86-0.88) passes too, as a candidate an editor may or may not take.
// Across titles (options.across_titles) every pair of shots of two different titles is a candidate too.
//
// Candidates: all frame pairs are compared exactly while the frames in play are fewer than index_above (5000); from
// there an HNSW VectorIndex (FAISS) answers each frame's candidates_per_frame nearest frames, with a filter that
// leaves out the frame's own scene and neighbouring shots, so that a shot's look-alikes in its own scene do not crowd
// out the matches. Approximate: a pair can be missed, never invented. Measured on synthetic clustered 1388-d frames
// (a throwaway program, loaded 2-core machine): 2000 frames exact 0.45 s, graph 1.0 s (building it dominates);
// 8000 frames exact 6.9 s, graph 3.6 s (0.53x), the same top 50 pairs. A flat index is no help here: it scans
// every vector per query, the exact path's n^2 with more overhead.
#include <cstdint>
#include <string>
#include <vector>

namespace frameline {

class Store;

inline constexpr double kMatchCutMinCosine = 0.72;
inline constexpr double kMatchCutDuplicateCosine = 0.985;

struct MatchCutOptions {
    double min_cosine = kMatchCutMinCosine;
    double duplicate_cosine = kMatchCutDuplicateCosine;
    int min_shot_gap = 2;
    bool across_titles = false;
    int limit = 50;  // <= 0: all
    // The model whose "frame" vectors are compared; "" = the first title's first model whose name starts with
    // "visual" (as scene search picks it).
    std::string embedding_model;
    size_t index_above = 5000;      // frames in play from which the vector index finds candidates
    int candidates_per_frame = 20;  // nearest frames asked per frame then
};

// One side of a pair: the shot, its scene and the frame to show.
struct MatchCutShot {
    int64_t title_id = 0;
    std::string title_name;
    int shot_index = 0;
    int scene = 0;            // 0-based scene number in the title (with no stored scenes: the shot index)
    int64_t frame_index = 0;  // the sampled frame of the best frame pair
    int64_t frame_id = 0;     // its stored row (thumbnail)
    double time_s = 0;
    double shot_start_s = 0;
    double shot_end_s = 0;
};

struct MatchCut {
    MatchCutShot from;  // earlier (in the first title)
    MatchCutShot to;
    double cosine = 0;  // of the two frames shown
};

struct MatchCutResult {
    std::vector<MatchCut> cuts;  // best first (ties: title, shots)
    std::string model;
    int titles = 0;
    int shots = 0;             // shots with at least one frame vector
    int frames = 0;            // frame vectors compared
    bool used_index = false;   // candidates from the vector index (else every pair exactly)
    int near_duplicates = 0;   // shot pairs left out for cosine >= duplicate_cosine
    std::vector<int64_t> titles_without_scenes;  // counted shot by shot
};

// Throws frameline::Error (one line) for no titles, an unknown title id, bad options (a threshold outside -1..1,
// min_cosine >= duplicate_cosine, a gap < 1), or titles without frame vectors of the model (naming it).
MatchCutResult find_match_cuts(Store& store, const std::vector<int64_t>& title_ids,
                               const MatchCutOptions& options = {});

}  // namespace frameline
