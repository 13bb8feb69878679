#include "core/store/sqlite_statement.h"

#include "core/error.h"

namespace frameline::sqlite {

void check(sqlite3* db, int rc, const std::string& what) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    std::string msg = "database '" + std::string(file ? file : "?") + "': " + what + ": " +
                      (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (rc == SQLITE_NOTADB) msg += " — choose an SQLite database made by Frameline";
    else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) msg += " — another program holds the database; try again";
    else if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_PERM)
        msg += " — check that the file and its folder are writable";
    else if (rc == SQLITE_FULL) msg += " — the disk is full";
    else if ((rc & 0xff) == SQLITE_CORRUPT)
        msg += " — the file is damaged; restore it from a backup or ingest into a new database";
    throw Error(msg);
}

void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    check(db, rc, "cannot run '" + sql.substr(0, 40) + "'");
}

Statement::Statement(sqlite3* db, const char* sql) : db_(db), sql_(sql) {
    check(db_, sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr), "cannot prepare a query");
}

Statement::Statement(StatementCache& cache, const char* sql)
    : db_(cache.db()), stmt_(cache.take(sql)), sql_(sql), cache_(&cache) {}

Statement::~Statement() {
    if (cache_)
        cache_->give_back(sql_, stmt_);
    else
        sqlite3_finalize(stmt_);
}

StatementCache::~StatementCache() {
    for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
}

sqlite3_stmt* StatementCache::take(const std::string& sql) {
    if (auto it = idle_.find(sql); it != idle_.end()) {
        sqlite3_stmt* stmt = it->second;
        idle_.erase(it);
        return stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    check(db_, sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
          "cannot prepare a query");
    return stmt;
}

void StatementCache::give_back(const std::string& sql, sqlite3_stmt* stmt) {
    if (!stmt) return;
    sqlite3_reset(stmt);  // ends its read: a kept statement must not hold the database's snapshot
    sqlite3_clear_bindings(stmt);
    if (!idle_.emplace(sql, stmt).second) sqlite3_finalize(stmt);
}

Statement& Statement::bind(int i, int64_t v) {
    check(db_, sqlite3_bind_int64(stmt_, i, v), "bind");
    return *this;
}
Statement& Statement::bind(int i, double v) {
    check(db_, sqlite3_bind_double(stmt_, i, v), "bind");
    return *this;
}
Statement& Statement::bind(int i, const std::string& v) {
    check(db_, sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), "bind");
    return *this;
}
Statement& Statement::bind(int i, const std::vector<uint8_t>& blob) {
    check(db_, sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT), "bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    check(db_, rc, "query failed");
    return rc == SQLITE_ROW;
}

std::string Statement::text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

std::vector<uint8_t> Statement::blob(int col) const {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
    return p ? std::vector<uint8_t>(p, p + sqlite3_column_bytes(stmt_, col)) : std::vector<uint8_t>();
}

}  // namespace frameline::sqlite
