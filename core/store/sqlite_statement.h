#pragma once
// A prepared SQLite statement with RAII and typed binds/columns. Private to core/store.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace frameline::sqlite {

// Throws frameline::Error("database 'FILE': WHAT: sqlite's message") when rc is not OK/ROW/DONE.
void check(sqlite3* db, int rc, const std::string& what);
void exec(sqlite3* db, const std::string& sql);

class Statement {
public:
    Statement(sqlite3* db, const char* sql);
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
};

}  // namespace frameline::sqlite
