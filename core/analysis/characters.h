#pragma once
// Characters of a title: the faces the zoo found (core/analysis/title_facts.h), grouped by identity with
// agglomerative clustering under a distance threshold (no cluster count: a title has as many people as it has),
// ranked by screen time, each with its best face crop and the faces and frames behind it as evidence.
//
// Identity vectors are faceres' 1024-d descriptors, L2-normalised (mobilefacenet's vector is nearly constant across
// people, so it is not used); distance = cosine distance (1 - cos). Two faces in the same sampled frame are
// different people: their distance is infinite, so no cluster ever holds two faces of one frame (a cannot-link
// constraint; it keeps a two-shot of two look-alikes from collapsing into one character).
//
// Threshold (measured on real ingests through the zoo; tst_characters prints the numbers): the same person in other
// frames and shots sits at cosine distance 0.01-0.05 (five crops and zooms of the astronaut), 0.03-0.14 (goldeneye's
// woman across frames 140-158; 0.06 between her film frame and a zoomed crop of it), 0.07-0.20 (goldeneye's man
// across those frames), 0.18 (goldeneye's cartoon avatar in two shots); different people at 0.54-0.73 (astronaut vs
// woman 0.65-0.71, astronaut vs man 0.66-0.73, woman vs man 0.55-0.64, the avatar vs the man 0.54-0.58), and the
// detector's false faces on a cat and a coffee cup 0.65-0.87 from any person. The threshold 0.37 is the middle of
// the gap (0.20 .. 0.54); average linkage, so one odd face does not split or chain a character.
//
// Screen time: faces exist only on sampled frames (one per ~4 s of shot, at least one per shot), so a shot's time is
// shared out by its sampled frames: a character appearing in k of a shot's n sampled frames is on screen for
// k / n x the shot's duration, summed over the shots where it appears. A one-frame shot of 2 s with the face gives
// 2 s; a 12 s shot sampled 3 times with the face in 2 of them gives 8 s.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/title_facts.h"
#include "core/store/annotation_records.h"

namespace frameline {

enum class Linkage { Average, Complete };

struct CharacterOptions {
    // Merge clusters while their linkage distance (cosine) is at most this; see the measurements above.
    double distance_threshold = 0.37;
    Linkage linkage = Linkage::Average;
    // Faces smaller than this (height as a fraction of the frame) or with a lower detector score are left out of the
    // clustering: their descriptor is mostly noise (BlazeFace finds faces of ~1/20 of the 640 px model picture).
    double min_face_height = 0.04;
    double min_face_score = 0.5;
    // A cluster seen in one sampled frame only is noise (a poster, a passer-by, a false detection) unless its face is
    // large and clear: then it is kept as a low-confidence character (a short title may show a person in one shot,
    // sampled once). Set keep_single_frame to false to drop every one-frame cluster.
    bool keep_single_frame = true;
    double single_frame_min_height = 0.15;
    double single_frame_min_score = 0.8;
    double single_frame_confidence = 0.3;  // the confidence such a character gets at most
    // Pairwise distances are O(n^2) memory: beyond this many faces the clustering runs on the largest, clearest
    // ones and the rest join their nearest cluster (average distance) when it is within the threshold.
    size_t max_clustered_faces = 4000;
    // How many of a character's faces (largest x score first) are decoded to measure sharpness for the best face.
    size_t best_face_candidates = 12;
};

// Clusters of face indices (into `vectors`) from agglomerative clustering: merge the nearest pair of clusters
// while their linkage distance is <= threshold. `frames[i]` is the frame of face i: faces of one frame never share a
// cluster (pass an empty vector for no constraint). Nearest-neighbour-chain algorithm (exact for average and
// complete linkage), O(n^2) time and memory. Clusters in order of their smallest member. Throws frameline::Error
// when vectors differ in length or `frames` has the wrong size.
std::vector<std::vector<size_t>> cluster_agglomerative(const std::vector<std::vector<float>>& vectors,
                                                       const std::vector<int64_t>& frames, double threshold,
                                                       Linkage linkage);

// How frontal a face is, 0..1, from BlazeFace's six keypoints (landmarks JSON [[x,y],...] in frame fractions): the
// nose tip halfway between the eyes and the ears equally far from the nose read 1; a profile reads near 0. 0.5 when
// the landmarks are missing or unreadable (no evidence either way).
double face_frontality(const std::string& landmarks_json);

// Appends the title's characters to out.characters, ranked by screen time (longest first). Faces without an
// identity vector are ignored. Throws frameline::Error for bad options.
void derive_characters(const TitleFacts& facts, ModelRunOutput& out, const CharacterOptions& options = {});

}  // namespace frameline
