#pragma once
// One SQL dialect-neutral connection that both backends provide, so that repositories are written once: queries
// use SQLite-style numbered placeholders (?1, ?2, ...), which the PostgreSQL side rewrites to $1, $2, ...
// Private to core/store.
#include <cstdint>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

namespace frameline::sql {

struct Null {};
using Value = std::variant<Null, int64_t, double, std::string, std::vector<uint8_t>>;

inline Value value(int v) { return Value(int64_t(v)); }
inline Value value(int64_t v) { return Value(v); }
inline Value value(double v) { return Value(v); }
inline Value value(const std::string& v) { return Value(v); }
inline Value value(const char* v) { return Value(std::string(v)); }
inline Value value(const std::vector<uint8_t>& v) { return Value(v); }
// 0 means "none" for optional references (NULL in the database).
inline Value id_or_null(int64_t id) { return id > 0 ? Value(id) : Value(Null{}); }

// A query's rows, read into memory. Typed getters convert like the databases do (NULL reads as 0 or empty).
class Rows {
public:
    std::vector<std::vector<Value>> data;

    size_t size() const { return data.size(); }
    bool empty() const { return data.empty(); }
    bool null(size_t row, size_t col) const { return std::holds_alternative<Null>(data[row][col]); }
    int64_t int64(size_t row, size_t col) const;
    int integer(size_t row, size_t col) const { return static_cast<int>(int64(row, col)); }
    double real(size_t row, size_t col) const;
    std::string text(size_t row, size_t col) const;
    std::vector<uint8_t> blob(size_t row, size_t col) const;
};

class Connection {
public:
    virtual ~Connection() = default;

    virtual Rows query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    void exec(const std::string& sql, const std::vector<Value>& params = {}) { query(sql, params); }
    // INSERT ... RETURNING id, the new row's id.
    int64_t insert(const std::string& sql, const std::vector<Value>& params);
    // `head` is "INSERT INTO t (a, b, c)"; every row has `columns` values. Batched the fastest way the backend has.
    virtual void insert_many(const std::string& head, size_t columns, const std::vector<std::vector<Value>>& rows) = 0;

    // " FOR UPDATE" where the database locks selected rows (PostgreSQL); SQLite's write transaction already
    // excludes every other writer.
    virtual const char* lock_rows() const = 0;
    // Tells other connections that something changed (PostgreSQL NOTIFY, delivered on commit); SQLite's
    // data_version needs nothing.
    virtual void announce_change() {}
    // The database as people should see it in messages (no password).
    virtual std::string where() const = 0;

    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    std::recursive_mutex& mutex() { return mutex_; }

private:
    std::recursive_mutex mutex_;  // one connection, used from any thread, one statement at a time
};

// Holds the connection for one thread and one transaction: commits on commit(), rolls back when an exception
// leaves the scope, so nothing is ever half-written.
class Transaction {
public:
    explicit Transaction(Connection& db) : db_(db), lock_(db.mutex()) { db_.begin(); }
    ~Transaction() {
        if (!done_) db_.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        db_.commit();
        done_ = true;
    }

private:
    Connection& db_;
    std::lock_guard<std::recursive_mutex> lock_;
    bool done_ = false;
};

}  // namespace frameline::sql
