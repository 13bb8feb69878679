// The tag review queue a page at a time (tag_queue.h), written once for both backends over sql::Connection.
#include <algorithm>
#include <set>

#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::Value;
using sql::value;

namespace {

// The model a tag came from, as the filter and the table name it: people's tags are "human".
constexpr const char* kModelExpr =
    "(CASE WHEN t.source = 'human' OR t.run_id IS NULL THEN 'human' ELSE COALESCE(r.model, 'unknown') END)";

// The integer rank of TagQueueKey (see there): exact on both backends, so a cursor never skips or repeats a row.
const char* rank_expr(TagQueueOrder order) {
    return order == TagQueueOrder::Uncertainty ? "CAST(ROUND(ABS(t.confidence - 0.5) * 1000000) AS BIGINT)"
                                               : "CAST(ROUND(COALESCE(s.start_s, -0.001) * 1000) AS BIGINT)";
}

// LIKE pattern for "contains `text`", with LIKE's own wildcards escaped. Lower-cased here and in SQL (ASCII on SQLite).
std::string contains_pattern(const std::string& text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out + "%";
}

FrameRef frame_ref(const sql::Rows& r, size_t i) { return FrameRef{r.int64(i, 0), r.integer(i, 1), r.int64(i, 2)}; }

}  // namespace

std::vector<TagQueueRow> Store::tag_queue(const TagQueueQuery& q) {
    const std::string rank = rank_expr(q.order);
    std::string where = "t.title_id = ?1";
    std::vector<Value> params{value(q.title_id)};
    auto param = [&params](Value v) {
        params.push_back(std::move(v));
        return "?" + std::to_string(params.size());
    };
    if (!q.filter.text.empty()) {
        const std::string p = param(value(contains_pattern(q.filter.text)));
        where += " AND (LOWER(t.label) LIKE " + p + " ESCAPE '\\' OR LOWER(t.category) LIKE " + p + " ESCAPE '\\')";
    }
    if (q.filter.state) where += " AND t.status = " + param(value(to_string(*q.filter.state)));
    if (!q.filter.model.empty()) where += std::string(" AND ") + kModelExpr + " = " + param(value(q.filter.model));
    // A small tolerance: the GUI's spin box shows two decimals and 0.55 must pass a 0.55 minimum.
    if (q.filter.min_confidence > 0) where += " AND t.confidence + 1e-9 >= " + param(value(q.filter.min_confidence));
    if (q.after) {
        const std::string k = param(value(q.after->rank)), id = param(value(q.after->id));
        where += " AND (" + rank + " > " + k + " OR (" + rank + " = " + k + " AND t.id > " + id + "))";
    }
    const std::string limit = param(value(std::max(1, q.limit)));

    auto r = sql().query(
        "SELECT t.id, t.title_id, COALESCE(t.shot_index, -1), t.category, t.label, t.run_id, t.source, t.status, "
        "t.version, t.confidence, t.evidence, " + std::string(kModelExpr) + ", COALESCE(s.start_s, -1), "
        "COALESCE(s.end_s, -1), " + rank +
            " FROM tags t LEFT JOIN model_runs r ON r.id = t.run_id "
            "LEFT JOIN shots s ON s.title_id = t.title_id AND s.shot_index = t.shot_index WHERE " + where +
            " ORDER BY " + rank + ", t.id LIMIT " + limit,
        params);
    std::vector<TagQueueRow> out;
    out.reserve(r.size());
    for (size_t i = 0; i < r.size(); ++i) {
        TagQueueRow row;
        Tag& t = row.tag;
        t.id = r.int64(i, 0);
        t.title_id = r.int64(i, 1);
        t.shot_index = r.integer(i, 2);
        t.category = r.text(i, 3);
        t.label = r.text(i, 4);
        t.run_id = r.int64(i, 5);
        t.source = r.text(i, 6);
        t.state = review_state_from_string(r.text(i, 7));
        t.version = r.int64(i, 8);
        t.confidence = r.real(i, 9);
        t.evidence = r.text(i, 10);
        row.model = r.text(i, 11);
        row.start_s = r.real(i, 12);
        row.end_s = r.real(i, 13);
        row.key = TagQueueKey{r.int64(i, 14), t.id};
        out.push_back(std::move(row));
    }
    return out;
}

TagQueueStats Store::tag_queue_stats(int64_t title_id) {
    sql::Connection& db = sql();
    TagQueueStats stats;
    auto states = db.query("SELECT status, COUNT(*) FROM tags WHERE title_id = ?1 GROUP BY status", {value(title_id)});
    for (size_t i = 0; i < states.size(); ++i) {
        stats.total += states.int64(i, 1);
        if (states.text(i, 0) != "proposed") stats.reviewed += states.int64(i, 1);
    }
    auto models = db.query(std::string("SELECT DISTINCT ") + kModelExpr +
                               " FROM tags t LEFT JOIN model_runs r ON r.id = t.run_id WHERE t.title_id = ?1 ORDER BY 1",
                           {value(title_id)});
    for (size_t i = 0; i < models.size(); ++i) stats.models.push_back(models.text(i, 0));
    auto categories =
        db.query("SELECT DISTINCT category FROM tags WHERE title_id = ?1 ORDER BY 1", {value(title_id)});
    for (size_t i = 0; i < categories.size(); ++i) stats.categories.push_back(categories.text(i, 0));
    return stats;
}

std::vector<FrameRef> Store::frames_of_shots(int64_t title_id, const std::vector<int>& shot_indices) {
    std::vector<FrameRef> out;
    const std::set<int> shots(shot_indices.begin(), shot_indices.end());
    if (shots.empty()) return out;
    std::string in;
    std::vector<Value> params{value(title_id)};
    for (int s : shots) {
        params.push_back(value(s));
        in += (in.empty() ? "?" : ", ?") + std::to_string(params.size());
    }
    auto r = sql().query("SELECT id, shot_index, frame_index FROM sampled_frames WHERE title_id = ?1 AND shot_index IN (" +
                             in + ") ORDER BY frame_index",
                         params);
    for (size_t i = 0; i < r.size(); ++i) out.push_back(frame_ref(r, i));
    return out;
}

std::vector<FrameRef> Store::frames_nearest(int64_t title_id, const std::vector<int64_t>& frame_indices) {
    // Two lookups on the (title_id, frame_index) unique index per wanted frame: the first at or after it and the
    // last before it, whichever is nearer (the later one on a tie).
    std::vector<FrameRef> out;
    sql::Connection& db = sql();
    for (int64_t index : frame_indices) {
        auto after = db.query("SELECT id, shot_index, frame_index FROM sampled_frames WHERE title_id = ?1 AND "
                              "frame_index >= ?2 ORDER BY frame_index LIMIT 1",
                              {value(title_id), value(index)});
        auto before = db.query("SELECT id, shot_index, frame_index FROM sampled_frames WHERE title_id = ?1 AND "
                               "frame_index < ?2 ORDER BY frame_index DESC LIMIT 1",
                               {value(title_id), value(index)});
        if (after.empty() && before.empty()) return {};
        if (after.empty()) out.push_back(frame_ref(before, 0));
        else if (before.empty()) out.push_back(frame_ref(after, 0));
        else out.push_back(index - before.int64(0, 2) < after.int64(0, 2) - index ? frame_ref(before, 0)
                                                                                 : frame_ref(after, 0));
    }
    return out;
}

std::optional<FrameRef> Store::sampled_frame(int64_t frame_id) {
    auto r = sql().query("SELECT id, shot_index, frame_index, title_id FROM sampled_frames WHERE id = ?1",
                         {value(frame_id)});
    if (r.empty()) return std::nullopt;
    FrameRef f = frame_ref(r, 0);
    f.title_id = r.int64(0, 3);
    return f;
}

}  // namespace frameline
