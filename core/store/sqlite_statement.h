#pragma once
// A prepared SQLite statement with RAII and typed binds/columns. Private to core/store.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace frameline::sqlite {

// Throws frameline::Error("database 'FILE': WHAT: sqlite's message") when rc is not OK/ROW/DONE.
void check(sqlite3* db, int rc, const std::string& what);
void exec(sqlite3* db, const std::string& sql);

// One connection's prepared statements, kept for their next use: preparing (parsing, resolving names) costs more
// than running the small reads the store answers most (bench_serve: a fifth of a request). One kept per SQL text;
// a second use of the same text while the first is still running gets a statement of its own. Not thread-safe:
// used under the connection's mutex, like the connection.
class StatementCache {
public:
    explicit StatementCache(sqlite3* db) : db_(db) {}
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    sqlite3* db() const { return db_; }
    sqlite3_stmt* take(const std::string& sql);               // throws frameline::Error when it does not prepare
    void give_back(const std::string& sql, sqlite3_stmt* stmt);  // reset, unbound, kept (or finalised: one per SQL)

private:
    sqlite3* db_;
    std::unordered_map<std::string, sqlite3_stmt*> idle_;
};

class Statement {
public:
    Statement(sqlite3* db, const char* sql);
    // Borrows the statement from `cache` and gives it back when destroyed.
    Statement(StatementCache& cache, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, const std::string& v);
    Statement& bind(int i, const std::vector<uint8_t>& blob);

    bool step();  // true while a row is available
    void run() { step(); }
    // Ready to run again with new binds.
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
    int integer(int col) const { return sqlite3_column_int(stmt_, col); }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }
    std::string text(int col) const;
    std::vector<uint8_t> blob(int col) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
    StatementCache* cache_ = nullptr;
};

}  // namespace frameline::sqlite
