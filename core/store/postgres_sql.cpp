#include "core/store/postgres_sql.h"

#include <algorithm>

namespace frameline {

namespace {

// Type oids from PostgreSQL's catalogue (pg_type.h), for turning text results into typed values.
constexpr unsigned kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701;

pg::Param to_param(const sql::Value& v) {
    if (auto* n = std::get_if<int64_t>(&v)) return pg::param(*n);
    if (auto* d = std::get_if<double>(&v)) return pg::param(*d);
    if (auto* s = std::get_if<std::string>(&v)) return pg::param(*s);
    if (auto* b = std::get_if<std::vector<uint8_t>>(&v)) return pg::param(*b);
    pg::Param null;
    null.null = true;
    return null;
}

}  // namespace

std::string postgres_placeholders(const std::string& sql) {
    std::string out;
    out.reserve(sql.size());
    for (char c : sql) out += c == '?' ? '$' : c;
    return out;
}

sql::Rows PostgresSql::query(const std::string& sql, const std::vector<sql::Value>& params) {
    std::lock_guard lock(mutex());
    std::vector<pg::Param> ps;
    ps.reserve(params.size());
    for (const auto& v : params) ps.push_back(to_param(v));
    pg::Result r = db_.exec(postgres_placeholders(sql), ps);
    sql::Rows rows;
    const int columns = r.columns();
    std::vector<unsigned> types(columns);
    for (int c = 0; c < columns; ++c) types[c] = r.type(c);
    rows.data.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
        auto& row = rows.data.emplace_back();
        row.reserve(columns);
        for (int c = 0; c < columns; ++c) {
            if (r.null(i, c)) row.emplace_back(sql::Null{});
            else if (types[c] == kInt8 || types[c] == kInt4 || types[c] == kInt2) row.emplace_back(r.int64(i, c));
            else if (types[c] == kFloat8 || types[c] == kFloat4) row.emplace_back(r.real(i, c));
            else if (types[c] == kBytea) row.emplace_back(r.bytes(i, c));
            else if (types[c] == kBool) row.emplace_back(int64_t(r.text(i, c) == "t"));
            else row.emplace_back(r.text(i, c));
        }
    }
    return rows;
}

void PostgresSql::insert_many(const std::string& head, size_t columns,
                              const std::vector<std::vector<sql::Value>>& rows) {
    // Multi-row INSERTs: one round trip per chunk instead of one per row (the server is often across a network).
    const size_t per_chunk = std::max<size_t>(1, 30000 / columns);  // PostgreSQL takes at most 65535 parameters
    for (size_t first = 0; first < rows.size(); first += per_chunk) {
        const size_t last = std::min(rows.size(), first + per_chunk);
        std::string sql = head + " VALUES ";
        std::vector<sql::Value> params;
        params.reserve((last - first) * columns);
        for (size_t r = first; r < last; ++r) {
            sql += r == first ? "(" : ",(";
            for (size_t c = 0; c < columns; ++c) {
                sql += (c ? ",?" : "?") + std::to_string(params.size() + 1);
                params.push_back(rows[r][c]);
            }
            sql += ")";
        }
        query(sql, params);
    }
}

void PostgresSql::announce_change() { db_.exec("NOTIFY frameline_changes"); }

void PostgresSql::rollback() noexcept {
    try {
        db_.exec("ROLLBACK");
    } catch (...) {  // the connection is gone: the server rolls back by itself
    }
}

}  // namespace frameline
