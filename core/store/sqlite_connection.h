#pragma once
// sql::Connection over one SQLite handle, with prepared statements kept for reuse. Private to core/store.
#include <map>
#include <string>

#include "core/store/sql.h"
#include "core/store/sqlite_statement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace frameline {

class SqliteConnection final : public sql::Connection {
public:
    explicit SqliteConnection(sqlite3* db) : db_(db), cache_(db) {}
    ~SqliteConnection() override;

    sql::Rows query(const std::string& sql, const std::vector<sql::Value>& params = {}) override;
    void insert_many(const std::string& head, size_t columns,
                     const std::vector<std::vector<sql::Value>>& rows) override;
    const char* lock_rows() const override { return ""; }
    std::string where() const override;
    void begin() override;
    void commit() override;
    void rollback() noexcept override;

    // For sqlite::Statement(cache, sql): the store's own reads reuse their prepared statements.
    sqlite::StatementCache& statements() { return cache_; }

private:
    sqlite3_stmt* prepared(const std::string& sql);
    void bind(sqlite3_stmt* stmt, const std::vector<sql::Value>& params);

    sqlite3* db_;
    std::map<std::string, sqlite3_stmt*> statements_;
    sqlite::StatementCache cache_;
};

}  // namespace frameline
