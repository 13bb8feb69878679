#include "core/store/sqlite_connection.h"

#include <sqlite3.h>

#include "core/store/sqlite_statement.h"

namespace frameline {

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
}

std::string SqliteConnection::where() const {
    const char* file = sqlite3_db_filename(db_, "main");
    return file ? file : "?";
}

sqlite3_stmt* SqliteConnection::prepared(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
        sqlite3_reset(it->second);
        sqlite3_clear_bindings(it->second);
        return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    sqlite::check(db_, sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
                  "cannot prepare a query");
    statements_.emplace(sql, stmt);
    return stmt;
}

void SqliteConnection::bind(sqlite3_stmt* stmt, const std::vector<sql::Value>& params) {
    for (size_t i = 0; i < params.size(); ++i) {
        const int at = static_cast<int>(i + 1);
        const sql::Value& v = params[i];
        int rc = SQLITE_OK;
        if (auto* n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(stmt, at, *n);
        else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, at, *d);
        else if (auto* s = std::get_if<std::string>(&v))
            rc = sqlite3_bind_text(stmt, at, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
        else if (auto* b = std::get_if<std::vector<uint8_t>>(&v))
            rc = sqlite3_bind_blob(stmt, at, b->data(), static_cast<int>(b->size()), SQLITE_TRANSIENT);
        else rc = sqlite3_bind_null(stmt, at);
        sqlite::check(db_, rc, "bind");
    }
}

sql::Rows SqliteConnection::query(const std::string& sql, const std::vector<sql::Value>& params) {
    std::lock_guard lock(mutex());
    sqlite3_stmt* stmt = prepared(sql);
    bind(stmt, params);
    sql::Rows rows;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) {
            sqlite3_reset(stmt);
            sqlite::check(db_, rc, "query failed");
        }
        std::vector<sql::Value>& row = rows.data.emplace_back();
        row.reserve(columns);
        for (int c = 0; c < columns; ++c) {
            switch (sqlite3_column_type(stmt, c)) {
                case SQLITE_INTEGER: row.emplace_back(int64_t(sqlite3_column_int64(stmt, c))); break;
                case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(stmt, c)); break;
                case SQLITE_TEXT:
                    row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                                                 static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
                    break;
                case SQLITE_BLOB: {
                    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, c));
                    row.emplace_back(std::vector<uint8_t>(p, p + sqlite3_column_bytes(stmt, c)));
                    break;
                }
                default: row.emplace_back(sql::Null{});
            }
        }
    }
    sqlite3_reset(stmt);
    return rows;
}

void SqliteConnection::insert_many(const std::string& head, size_t columns,
                                   const std::vector<std::vector<sql::Value>>& rows) {
    std::string sql = head + " VALUES (";
    for (size_t c = 0; c < columns; ++c) sql += (c ? ",?" : "?") + std::to_string(c + 1);
    sql += ")";
    // One prepared statement run per row: inside the caller's transaction this is SQLite's fastest path.
    for (const auto& row : rows) query(sql, row);
}

void SqliteConnection::begin() { sqlite::exec(db_, "BEGIN IMMEDIATE"); }
void SqliteConnection::commit() { sqlite::exec(db_, "COMMIT"); }
void SqliteConnection::rollback() noexcept { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

}  // namespace frameline
