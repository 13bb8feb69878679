#include "core/store/postgres_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace frameline::pg {

Param param(int64_t v) { return Param{std::to_string(v)}; }
Param param(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", v);
    return Param{text};
}
Param param(const std::string& v) { return Param{v}; }
Param param(const std::vector<uint8_t>& blob) {
    return Param{std::string(reinterpret_cast<const char*>(blob.data()), blob.size()), true};
}

Result::Result(pg_result* r) : result_(r) {}
Result::~Result() { PQclear(result_); }
Result::Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
int Result::rows() const { return PQntuples(result_); }
int Result::columns() const { return PQnfields(result_); }
unsigned Result::type(int col) const { return PQftype(result_, col); }
bool Result::null(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }
std::string Result::text(int row, int col) const {
    return std::string(PQgetvalue(result_, row, col), static_cast<size_t>(PQgetlength(result_, row, col)));
}
int64_t Result::int64(int row, int col) const { return std::strtoll(PQgetvalue(result_, row, col), nullptr, 10); }
double Result::real(int row, int col) const { return std::strtod(PQgetvalue(result_, row, col), nullptr); }
std::vector<uint8_t> Result::bytes(int row, int col) const {
    size_t size = 0;
    unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, col)), &size);
    std::vector<uint8_t> out(raw, raw + size);
    PQfreemem(raw);
    return out;
}

std::string redact_url(const std::string& url) {
    // postgresql://user:secret@host/db -> postgresql://user@host/db
    const size_t scheme = url.find("://");
    const size_t at = url.find('@', scheme == std::string::npos ? 0 : scheme + 3);
    if (scheme == std::string::npos || at == std::string::npos) return url;
    const size_t colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon) + url.substr(at);
}

Connection::Connection(const std::string& url) : display_url_(redact_url(url)) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string why = PQerrorMessage(conn_);
        if (auto nl = why.find('\n'); nl != std::string::npos) why.resize(nl);
        PQfinish(conn_);
        conn_ = nullptr;
        throw Error("cannot connect to database '" + display_url_ + "': " + why +
                    " — check that the server runs and the URL (user, host, port, database) is right");
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // "table exists, skipping" and the like
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::fail(const std::string& what, pg_result* r) {
    std::string why = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    PQclear(r);
    if (auto nl = why.find('\n'); nl != std::string::npos) why.resize(nl);
    std::string msg = "database '" + display_url_ + "': " + what + ": " + why;
    if (PQstatus(conn_) != CONNECTION_OK) msg += " — the connection was lost; check the server and try again";
    else if (state && std::strcmp(state, "40001") == 0) msg += " — a concurrent change got there first; try again";
    throw Error(msg);
}

Result Connection::exec(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const Param& p : params) {
        values.push_back(p.null ? nullptr : p.value.data());
        lengths.push_back(static_cast<int>(p.value.size()));
        formats.push_back(p.binary ? 1 : 0);
    }
    pg_result* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                lengths.data(), formats.data(), 0);
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("query failed", r);
    return Result(r);
}

int Connection::take_notifications(const std::string& channel) {
    if (!PQconsumeInput(conn_)) fail("cannot read notifications", nullptr);
    int count = 0;
    const int own = PQbackendPID(conn_);
    while (PGnotify* n = PQnotifies(conn_)) {
        if (n->be_pid != own && channel == n->relname) ++count;
        PQfreemem(n);
    }
    return count;
}

void Connection::exec_script(const std::string& sql) {
    pg_result* r = PQexec(conn_, sql.c_str());
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("script failed", r);
    PQclear(r);
}

}  // namespace frameline::pg
