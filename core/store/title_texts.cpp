// Texts about a title (issue #8 item 5): synopsis, description and review texts. Written once for both backends
// over sql::Connection. They are facts (a person's or the file's), not model output: save_model_run never touches
// them, and they go only with their title or by delete_title_text().
#include "core/error.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::value;

int64_t Store::add_title_text(const TitleText& t) {
    if (t.kind != "synopsis" && t.kind != "description" && t.kind != "review")
        throw Error("a title text of kind '" + t.kind + "' — use synopsis, description or review");
    if (t.text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error("the " + t.kind + " for title " + std::to_string(t.title_id) + " is empty — give its text");
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    if (db.query("SELECT id FROM titles WHERE id = ?1", {value(t.title_id)}).empty())
        throw Error("database '" + db.where() + "': no title " + std::to_string(t.title_id) +
                    " — list them with 'frameline-cli titles'");
    const std::vector<sql::Value> row = {value(t.title_id), value(t.kind), value(t.source.empty() ? "human" : t.source),
                                         value(t.language.empty() ? "und" : t.language), value(t.text)};
    int64_t id = 0;
    if (t.created_at.empty()) {
        id = db.insert("INSERT INTO title_texts (title_id, kind, source, language, text) VALUES (?1, ?2, ?3, ?4, ?5)",
                       row);
    } else {
        std::vector<sql::Value> dated = row;
        dated.push_back(value(t.created_at));
        id = db.insert("INSERT INTO title_texts (title_id, kind, source, language, text, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                       dated);
    }
    db.announce_change();
    tx.commit();
    return id;
}

std::vector<TitleText> Store::title_texts(int64_t title_id) {
    auto r = sql().query("SELECT id, title_id, kind, source, language, text, created_at FROM title_texts "
                         "WHERE title_id = ?1 ORDER BY CASE kind WHEN 'synopsis' THEN 0 WHEN 'description' THEN 1 "
                         "ELSE 2 END, id",
                         {value(title_id)});
    std::vector<TitleText> out;
    out.reserve(r.size());
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(TitleText{r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                                r.text(i, 6)});
    return out;
}

void Store::delete_title_text(int64_t id) {
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    if (db.query("DELETE FROM title_texts WHERE id = ?1 RETURNING id", {value(id)}).empty())
        throw Error("database '" + db.where() + "': no title text " + std::to_string(id) +
                    " — list them with 'frameline-cli show TITLE --json' (title_texts)");
    db.announce_change();
    tx.commit();
}

}  // namespace frameline
