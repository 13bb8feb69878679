#pragma once
// A libpq connection with typed parameters and results. Private to core/store.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace frameline::pg {

// A query parameter: text, or binary for bytea.
struct Param {
    std::string value;
    bool binary = false;
    bool null = false;
};
Param param(int64_t v);
inline Param param(int v) { return param(static_cast<int64_t>(v)); }
Param param(double v);
Param param(const std::string& v);
Param param(const std::vector<uint8_t>& blob);

class Result {
public:
    explicit Result(pg_result* r);
    ~Result();
    Result(Result&& other) noexcept;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;

    int rows() const;
    int columns() const;
    unsigned type(int col) const;  // the column's type oid
    bool null(int row, int col) const;
    std::string text(int row, int col) const;
    int64_t int64(int row, int col) const;
    int integer(int row, int col) const { return static_cast<int>(int64(row, col)); }
    double real(int row, int col) const;
    std::vector<uint8_t> bytes(int row, int col) const;  // a bytea column

private:
    pg_result* result_;
};

class Connection {
public:
    // `url` as libpq takes it (postgresql://user@host:port/db). Throws frameline::Error naming the database
    // (without any password) and what to do.
    explicit Connection(const std::string& url);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Result exec(const std::string& sql, const std::vector<Param>& params = {});
    void exec_script(const std::string& sql);  // several statements, no parameters
    const std::string& display_url() const { return display_url_; }
    // Notifications on `channel` that other sessions sent since the last call (LISTEN first). Does not block.
    int take_notifications(const std::string& channel);

private:
    [[noreturn]] void fail(const std::string& what, pg_result* r);
    pg_conn* conn_ = nullptr;
    std::string display_url_;
};

// The URL with any password removed, for messages.
std::string redact_url(const std::string& url);

}  // namespace frameline::pg
