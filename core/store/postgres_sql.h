#pragma once
// sql::Connection over a libpq connection. Private to core/store.
#include "core/store/postgres_connection.h"
#include "core/store/sql.h"

namespace frameline {

class PostgresSql final : public sql::Connection {
public:
    explicit PostgresSql(pg::Connection& db) : db_(db) {}

    sql::Rows query(const std::string& sql, const std::vector<sql::Value>& params = {}) override;
    void insert_many(const std::string& head, size_t columns,
                     const std::vector<std::vector<sql::Value>>& rows) override;
    const char* lock_rows() const override { return " FOR UPDATE"; }
    void announce_change() override;
    std::string where() const override { return db_.display_url(); }
    void begin() override { db_.exec("BEGIN"); }
    void commit() override { db_.exec("COMMIT"); }
    void rollback() noexcept override;

private:
    pg::Connection& db_;
};

// ?1, ?2 ... -> $1, $2 ... (the repositories' SQL has no '?' inside string literals).
std::string postgres_placeholders(const std::string& sql);

}  // namespace frameline
