// Store::title_summaries(): every title with its review progress, for the Library view. Written once for both
// backends over sql::Connection: one GROUP BY query per table over the whole database, so the cost does not grow
// with one round trip per title (a library of hundreds of titles is read in a handful of queries).
#include <map>

#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::value;

namespace {

void add_state(ReviewCounts& counts, const std::string& state, int n) {
    counts.total += n;
    if (state == "proposed") counts.proposed += n;
    else if (state == "accepted") counts.accepted += n;
    else if (state == "rejected") counts.rejected += n;
    else if (state == "corrected") counts.corrected += n;
}

}  // namespace

std::vector<TitleSummary> Store::title_summaries() {
    std::vector<TitleRecord> titles = this->titles();
    std::vector<TitleSummary> out(titles.size());
    std::map<int64_t, TitleSummary*> by_id;
    for (size_t i = 0; i < titles.size(); ++i) {
        out[i].title = std::move(titles[i]);
        by_id[out[i].title.id] = &out[i];
    }
    // A title created by another connection between titles() and the counts is not in by_id: it shows up on the
    // next read, whole, rather than half-counted now.
    auto summary = [&by_id](int64_t title_id) -> TitleSummary* {
        auto it = by_id.find(title_id);
        return it == by_id.end() ? nullptr : it->second;
    };

    // No transaction: a count that moves between two of these statements is read right on the next reload (the
    // view reloads on every change), and a read transaction would hold SQLite's writer lock (BEGIN IMMEDIATE).
    sql::Connection& db = sql();

    auto frames = db.query("SELECT title_id, COUNT(*) FROM sampled_frames GROUP BY title_id");
    for (size_t i = 0; i < frames.size(); ++i)
        if (TitleSummary* s = summary(frames.int64(i, 0))) s->sampled_frames = frames.int64(i, 1);

    auto tags = db.query("SELECT title_id, status, COUNT(*) FROM tags GROUP BY title_id, status");
    for (size_t i = 0; i < tags.size(); ++i)
        if (TitleSummary* s = summary(tags.int64(i, 0))) add_state(s->tags, tags.text(i, 1), tags.integer(i, 2));

    auto characters = db.query("SELECT title_id, status, COUNT(*), COUNT(CASE WHEN name <> '' THEN 1 END) "
                               "FROM characters GROUP BY title_id, status");
    for (size_t i = 0; i < characters.size(); ++i) {
        TitleSummary* s = summary(characters.int64(i, 0));
        if (!s) continue;
        const std::string state = characters.text(i, 1);
        add_state(s->characters, state, characters.integer(i, 2));
        if (state != "rejected") {
            s->characters_kept += characters.integer(i, 2);
            s->characters_named += characters.integer(i, 3);
        }
    }

    auto chapters = db.query("SELECT title_id, kind, status, COUNT(*) FROM chapters GROUP BY title_id, kind, status");
    for (size_t i = 0; i < chapters.size(); ++i) {
        TitleSummary* s = summary(chapters.int64(i, 0));
        if (!s) continue;
        const std::string kind = chapters.text(i, 1);
        ReviewCounts& counts = kind == "chapter" ? s->chapters : kind == "key_scene" ? s->key_scenes : s->scenes;
        add_state(counts, chapters.text(i, 2), chapters.integer(i, 3));
    }

    auto artwork = db.query("SELECT title_id, status, COUNT(*) FROM artwork_candidates GROUP BY title_id, status");
    for (size_t i = 0; i < artwork.size(); ++i)
        if (TitleSummary* s = summary(artwork.int64(i, 0)))
            add_state(s->artwork, artwork.text(i, 1), artwork.integer(i, 2));

    // The newest event of each title: the highest id (ids grow with time on both backends; `at` has whole seconds).
    auto events = db.query("SELECT title_id, at, reviewer FROM review_events WHERE id IN "
                           "(SELECT MAX(id) FROM review_events WHERE title_id IS NOT NULL GROUP BY title_id)");
    for (size_t i = 0; i < events.size(); ++i) {
        if (TitleSummary* s = summary(events.int64(i, 0))) {
            s->last_review_at = events.text(i, 1);
            s->last_reviewer = events.text(i, 2);
        }
    }
    return out;
}

}  // namespace frameline
