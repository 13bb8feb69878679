// The full-text index (issue #9 item 3), written once for both backends over sql::Connection: text_spans holds one
// row per searchable span of a title; SQLite indexes it with FTS5 (tokenizer "ascii"), PostgreSQL with a tsvector
// column and a GIN index (schema.cpp, migration 8).
//
// Why stale marks and a lazy rebuild rather than index writes in every writer: the mirrored rows change in many
// places (model runs saved or superseded, reviews, merges and splits, renames, added tags and chapters, title
// texts, new analyses). Triggers on those tables mark the title stale in the same transaction as the change, so no
// writer (today's or a future one) can forget it; the spans of stale titles are rebuilt here, in one transaction,
// before a query. A title's rebuild reads a few hundred rows, and only titles that changed are rebuilt.
//
// Words are scene search's (scene_search.cpp words_of): runs of ASCII letters and digits and bytes >= 0x80, ASCII
// lower-cased. The index stores them space-separated in `words`, and queries are built from the same split, so the
// index and the scan can never disagree on what a word is; user input never reaches the query syntax unescaped.
#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::value;

namespace {

// Longer words are cut (PostgreSQL takes lexemes up to 2 KB); query words are cut the same way, so a cut word still
// finds what it starts.
constexpr size_t kMaxWordBytes = 200;

std::vector<std::string> index_words(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (cur.empty()) return;
        if (cur.size() > kMaxWordBytes) {
            size_t n = kMaxWordBytes;
            while (n > 0 && (static_cast<unsigned char>(cur[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 character
            cur.resize(n);
        }
        if (!cur.empty()) out.push_back(std::move(cur));
        cur.clear();
    };
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80)
            cur += char(std::tolower(u));
        else
            flush();
    }
    flush();
    return out;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

bool is_postgres(sql::Connection& db) { return *db.lock_rows() != '\0'; }

// One word as a prefix query term of the backend. Words hold no ASCII punctuation, but quotes are escaped anyway.
std::string prefix_term(sql::Connection& db, const std::string& word) {
    std::string out;
    if (is_postgres(db)) {  // tsquery input: a quoted lexeme is taken as it is ('' and \\ inside)
        out = "'";
        for (char c : word) {
            if (c == '\'' || c == '\\') out += c;
            out += c;
        }
        return out + "':*";
    }
    out = "\"";  // FTS5: a string in double quotes ("" inside), * after it: a prefix
    for (char c : word) {
        if (c == '"') out += c;
        out += c;
    }
    return out + "\"*";
}

std::string all_terms(sql::Connection& db, const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : is_postgres(db) ? " & " : " AND ") + prefix_term(db, w);
    return out;
}

// The spans of one title, from the rows they mirror; the title's old spans go first.
void rebuild_title(sql::Connection& db, int64_t title_id) {
    db.exec("DELETE FROM text_spans WHERE title_id = ?1", {value(title_id)});
    const auto title = db.query("SELECT duration_s, fps FROM titles WHERE id = ?1", {value(title_id)});
    if (title.empty()) return;  // the title went (its stale mark came from the cascade)
    const double duration_s = title.real(0, 0);
    const double fps = title.real(0, 1) > 0 ? title.real(0, 1) : 25.0;
    const sql::Value id = value(title_id);

    std::vector<std::vector<sql::Value>> rows;
    auto add = [&](const std::string& field, const char* entity, int64_t entity_id, double start_s, double end_s,
                   const std::string& text) {
        const std::vector<std::string> words = index_words(text);
        if (words.empty()) return;
        rows.push_back({id, value(field), value(entity), value(entity_id), value(start_s), value(end_s), value(text),
                        value(joined(words))});
    };

    // Tags: label and category, over their shot (or the whole title); rejected ones are no evidence.
    auto r = db.query("SELECT t.id, t.category, t.label, s.start_s, s.end_s FROM tags t LEFT JOIN shots s ON "
                      "s.title_id = t.title_id AND s.shot_index = t.shot_index WHERE t.title_id = ?1 AND "
                      "t.status <> 'rejected' ORDER BY t.id",
                      {id});
    for (size_t i = 0; i < r.size(); ++i)
        add("tag", "tag", r.int64(i, 0), r.null(i, 3) ? 0 : r.real(i, 3), r.null(i, 4) ? duration_s : r.real(i, 4),
            r.text(i, 1) + ":" + r.text(i, 2));
    // Characters: their names, from their first to their last face.
    r = db.query("SELECT c.id, c.name, MIN(f.frame_index), MAX(f.frame_index) FROM characters c LEFT JOIN faces f ON "
                 "f.character_id = c.id WHERE c.title_id = ?1 AND c.status <> 'rejected' AND c.name <> '' "
                 "GROUP BY c.id, c.name ORDER BY c.id",
                 {id});
    for (size_t i = 0; i < r.size(); ++i)
        add("character", "character", r.int64(i, 0), r.null(i, 2) ? 0 : double(r.int64(i, 2)) / fps,
            r.null(i, 3) ? duration_s : double(r.int64(i, 3) + 1) / fps, r.text(i, 1));
    // Chapters, scenes and key scenes: their labels; the field is the kind.
    r = db.query("SELECT id, kind, label, start_s, end_s FROM chapters WHERE title_id = ?1 AND status <> 'rejected' "
                 "AND label <> '' ORDER BY start_s, id",
                 {id});
    for (size_t i = 0; i < r.size(); ++i)
        add(r.text(i, 1), "chapter", r.int64(i, 0), r.real(i, 3), r.real(i, 4), r.text(i, 2));
    // Synopsis, description, reviews: about the whole title.
    r = db.query("SELECT id, kind, text FROM title_texts WHERE title_id = ?1 ORDER BY id", {id});
    for (size_t i = 0; i < r.size(); ++i) add(r.text(i, 1), "title_text", r.int64(i, 0), 0, duration_s, r.text(i, 2));
    // What is said and what is written on screen, from current runs (as Store::transcript and screen_text).
    r = db.query("SELECT id, source, start_s, end_s, text FROM transcript_segments WHERE title_id = ?1 AND run_id IN "
                 "(SELECT id FROM model_runs WHERE title_id = ?1 AND status = 'done') ORDER BY start_s, id",
                 {id});
    for (size_t i = 0; i < r.size(); ++i)
        add(r.text(i, 1) == "speech" ? "transcript" : "subtitle", "transcript_segment", r.int64(i, 0), r.real(i, 2),
            r.real(i, 3), r.text(i, 4));
    r = db.query("SELECT t.id, t.frame_index, f.pts_s, t.text FROM screen_text t LEFT JOIN sampled_frames f ON "
                 "f.title_id = t.title_id AND f.frame_index = t.frame_index WHERE t.title_id = ?1 AND t.run_id IN "
                 "(SELECT id FROM model_runs WHERE title_id = ?1 AND status = 'done') ORDER BY t.frame_index, t.id",
                 {id});
    for (size_t i = 0; i < r.size(); ++i) {
        const double at = r.null(i, 2) ? double(r.int64(i, 1)) / fps : r.real(i, 2);
        add("on-screen text", "screen_text", r.int64(i, 0), at, at + 1 / fps, r.text(i, 3));
    }
    if (!rows.empty())
        db.insert_many("INSERT INTO text_spans (title_id, field, entity, entity_id, start_s, end_s, text, words)", 8,
                       rows);
}

}  // namespace

int Store::refresh_text_index() {
    sql::Connection& db = sql();
    // The common case, nothing changed: one read, no write transaction.
    if (db.query("SELECT title_id FROM text_index_stale LIMIT 1").empty()) return 0;
    sql::Transaction tx(db);
    // PostgreSQL: FOR UPDATE makes a second rebuilder of the same titles wait, then skip what the first did.
    const auto stale =
        db.query("SELECT title_id, generation FROM text_index_stale ORDER BY title_id" + std::string(db.lock_rows()));
    for (size_t i = 0; i < stale.size(); ++i) {
        rebuild_title(db, stale.int64(i, 0));
        // Only the mark this rebuild saw: a change committed meanwhile raised the generation and keeps its mark.
        db.exec("DELETE FROM text_index_stale WHERE title_id = ?1 AND generation = ?2",
                {value(stale.int64(i, 0)), value(stale.int64(i, 1))});
    }
    // PostgreSQL plans with table statistics: after a bulk rebuild (a migrated database, a big ingest) they are
    // stale until autovacuum runs, and the planner scans every row instead of using the GIN index.
    if (is_postgres(db) && stale.size() >= 50) db.exec("ANALYZE text_spans");
    tx.commit();
    return int(stale.size());
}

std::vector<Store::TextMatch> Store::search_text(const std::string& text, int64_t title_id, int limit) {
    const std::vector<std::string> words = index_words(text);
    if (words.empty() || limit <= 0) return {};
    refresh_text_index();
    sql::Connection& db = sql();
    std::vector<sql::Value> params = {value(all_terms(db, words)), value(int64_t(limit))};
    std::string filter;
    if (title_id != 0) {
        filter = " AND s.title_id = ?3";
        params.push_back(value(title_id));
    }
    const std::string sql =
        is_postgres(db)
            ? "SELECT s.title_id, s.field, s.start_s, s.end_s, s.text, ts_rank(s.lexemes, q.q) AS score FROM text_spans s "
              "CROSS JOIN (SELECT CAST(?1 AS tsquery) AS q) q WHERE s.lexemes @@ q.q" +
                  filter + " ORDER BY score DESC, s.id LIMIT ?2"
            : "SELECT s.title_id, s.field, s.start_s, s.end_s, s.text, -bm25(text_spans_fts) AS score FROM "
              "text_spans_fts JOIN text_spans s ON s.id = text_spans_fts.rowid WHERE text_spans_fts MATCH ?1" +
                  filter + " ORDER BY score DESC, s.id LIMIT ?2";
    const auto r = db.query(sql, params);
    std::vector<TextMatch> out;
    out.reserve(r.size());
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(TextMatch{r.int64(i, 0), r.text(i, 1), r.real(i, 2), r.real(i, 3), r.text(i, 4), r.real(i, 5)});
    return out;
}

std::vector<int64_t> Store::titles_matching_text(const std::string& text) {
    const std::vector<std::string> words = index_words(text);
    sql::Connection& db = sql();
    std::vector<int64_t> out;
    if (words.empty()) {
        const auto r = db.query("SELECT id FROM titles ORDER BY id");
        for (size_t i = 0; i < r.size(); ++i) out.push_back(r.int64(i, 0));
        return out;
    }
    refresh_text_index();
    // A title matches when each word matches some span of it (not necessarily the same span): one query per word,
    // intersected. Repeated words are asked once.
    std::vector<std::string> distinct = words;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const std::string sql = is_postgres(db)
                                ? "SELECT DISTINCT title_id FROM text_spans WHERE lexemes @@ CAST(?1 AS tsquery) "
                                  "ORDER BY title_id"
                                : "SELECT DISTINCT s.title_id FROM text_spans_fts JOIN text_spans s ON s.id = "
                                  "text_spans_fts.rowid WHERE text_spans_fts MATCH ?1 ORDER BY s.title_id";
    for (size_t k = 0; k < distinct.size(); ++k) {
        const auto r = db.query(sql, {value(prefix_term(db, distinct[k]))});
        std::vector<int64_t> ids;
        ids.reserve(r.size());
        for (size_t i = 0; i < r.size(); ++i) ids.push_back(r.int64(i, 0));
        if (k == 0) {
            out = std::move(ids);
        } else {
            std::vector<int64_t> both;
            std::set_intersection(out.begin(), out.end(), ids.begin(), ids.end(), std::back_inserter(both));
            out = std::move(both);
        }
        if (out.empty()) break;
    }
    return out;
}

}  // namespace frameline
