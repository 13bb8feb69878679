#pragma once
// The tag review queue, read a page at a time (Store::tag_queue in tag_queue.cpp): filters and order run in SQL, and
// each page starts after the last row of the previous one (keyset paging), so that a title with tens of thousands of
// tags costs what one screenful costs, and a page read after a review never skips or repeats a row.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline {

enum class TagQueueOrder {
    // Confidence nearest 0.5 first. Why not lowest first: a tag at 0.05 or at 0.95 is one the model is sure about
    // either way (a quick reject or accept); the reviewer's judgement matters most where the model is torn.
    Uncertainty,
    Time,  // shot order (title-wide tags first), as the title plays
};

// A row's place in the order. Integers so that a cursor read from one backend compares exactly on both: the rank is
// |confidence - 0.5| in millionths (Uncertainty) or the shot's start in milliseconds (Time; -1 for title-wide tags).
struct TagQueueKey {
    int64_t rank = 0;
    int64_t id = 0;
};

struct TagQueueFilter {
    std::string text;                  // in the label or the category; case-insensitive for ASCII letters
    std::optional<ReviewState> state;  // nullopt: every state
    std::string model;                 // the run's model, "human" for people's tags; "": every model
    double min_confidence = 0;
};

struct TagQueueQuery {
    int64_t title_id = 0;
    TagQueueFilter filter;
    TagQueueOrder order = TagQueueOrder::Uncertainty;
    std::optional<TagQueueKey> after;  // nullopt: from the start
    int limit = 200;
};

struct TagQueueRow {
    Tag tag;
    std::string model;   // "human" for a person's tag
    double start_s = -1; // the shot's range; -1 for title-wide tags (or a shot the title no longer has)
    double end_s = -1;
    TagQueueKey key;
};

// The whole title's counts and choices, for the progress bar and the filter lists (a few indexed GROUP BYs).
struct TagQueueStats {
    int64_t total = 0;
    int64_t reviewed = 0;  // not proposed any more
    std::vector<std::string> models;
    std::vector<std::string> categories;
};

// A sampled frame as evidence needs it: which frame, in which shot, and the id its thumbnail is read by.
struct FrameRef {
    int64_t id = 0;
    int shot_index = 0;
    int64_t frame_index = 0;
    int64_t title_id = 0;  // set by Store::sampled_frame only
};

}  // namespace frameline
