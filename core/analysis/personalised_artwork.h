#pragma once
// Personalised artwork (issue #6, item 5): an artwork team describes audience segments as weights over characters,
// moods and genres (and, optionally, any tag); the picked artwork candidates are ranked per segment from what each
// candidate's frame and shot show, and an A/B plan is exported for an experimentation platform.
//
// Segment profiles, as the artwork team writes them (JSON):
//   {"segments": [
//      {"id": "romance-fans",                      required, unique, [A-Za-z0-9_.-]+
//       "name": "Romance fans",                    optional
//       "characters": {"Natalya": 1.0, "12": 0.5, "#1": 0.3},   by stored character id ("12"), by rank by screen time
//                                                  ("#1" = the main character), or by name (case-insensitive)
//       "moods": {"joyful": 1.0, "tense": -0.5},   mood tag labels; negative weights push away
//       "genres": {"romance": 1.0},                genre tag labels
//       "tags": {"object:car": 0.5}},              optional, any "category:label"
//      ...],
//    "variants_per_segment": 3}                    optional: how many arms each segment gets (default 3)
//
// Affinity of a candidate for a segment (tag confidences and presences are 0..1):
//   characters: weight x (1 when one of the character's faces is in the candidate's frame, 0.5 when only elsewhere in
//               its shot, else 0)
//   moods, tags: weight x confidence of the tag on the candidate's shot (or 0.5 x the title-level tag's when the shot
//               has none)
//   genres:     weight x confidence of the genre tag on the shot, else of the title's (no discount: genres are a
//               title's by nature, so they separate titles more than frames)
//   accepted or corrected tags count with confidence 1, rejected ones not at all.
//   affinity  = sum of those / sum of |weights|  (-1..1)
//   segment score = 0.7 x affinity + 0.3 x artwork score; ties keep the artwork order.
// Why 0.7/0.3: the segment's taste decides, the artwork score breaks near-ties so a segment never gets a poor frame
// merely because it shows the right face.
//
// A/B plan (JSON), schema "frameline.artwork-ab-plan/1":
//   {"schema": "frameline.artwork-ab-plan/1",
//    "title": {"id", "name", "content_hash", "media"},
//    "control": VARIANT_ID,                          the best artwork overall: every segment's control arm
//    "variants": [{"id": "art-<hash8>-f<frame>",     stable: the title's content hash and the frame index
//                  "frame_index", "pts_s", "candidate_id" (0 when not stored), "artwork_score",
//                  "crops": {"16:9": [x,y,w,h], "2:3": ..., "1:1": ..., "4:3": ...}  (frame fractions),
//                  "segments": [{"segment", "rank", "score", "affinity"}]}],   the segments it is an arm of
//    "segments": [{"id", "name", "arms": [VARIANT_ID...], "ranking": [{"variant", "score", "affinity", "matched"}]}]}
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/analysis/title_facts.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct SegmentProfile {
    std::string id;
    std::string name;
    std::map<std::string, double> characters;
    std::map<std::string, double> moods;
    std::map<std::string, double> genres;
    std::map<std::string, double> tags;  // "category:label"
};

struct SegmentProfiles {
    std::vector<SegmentProfile> segments;
    int variants_per_segment = 3;
};

// Parses the profiles JSON above. Throws frameline::Error naming the problem (not JSON, a segment without an id, a
// duplicate id, a weight that is not a number) so the artwork team can fix the file.
SegmentProfiles parse_segment_profiles(const std::string& json_text);

// What the ranking reads: the picked candidates and the tags and characters of the same title (from the same run, or
// from the store for a title analysed earlier).
struct ArtworkContext {
    const TitleFacts* facts = nullptr;
    std::vector<ArtworkCandidate> artwork;
    std::vector<Tag> tags;
    std::vector<Character> characters;
};

struct SegmentRank {
    size_t candidate = 0;  // index into ArtworkContext::artwork
    double score = 0;      // 0.7 affinity + 0.3 artwork score
    double affinity = 0;
    std::string matched;   // JSON: each matched weight and what matched it
};

// Every candidate ranked for the segment, best first.
std::vector<SegmentRank> rank_artwork_for_segment(const ArtworkContext& context, const SegmentProfile& segment);

// The stable variant id of a candidate: "art-" + the first 8 characters of the title's content hash (its id when
// there is none) + "-f" + the frame index.
std::string artwork_variant_id(const TitleRecord& title, int64_t frame_index);

// The A/B plan JSON (schema above), indented.
std::string export_ab_plan(const ArtworkContext& context, const SegmentProfiles& profiles);

}  // namespace frameline
