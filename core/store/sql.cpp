#include "core/store/sql.h"

#include <cstdlib>

#include "core/error.h"

namespace frameline::sql {

int64_t Rows::int64(size_t row, size_t col) const {
    const Value& v = data[row][col];
    if (auto* i = std::get_if<int64_t>(&v)) return *i;
    if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
    if (auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
    return 0;
}

double Rows::real(size_t row, size_t col) const {
    const Value& v = data[row][col];
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
    return 0.0;
}

std::string Rows::text(size_t row, size_t col) const {
    const Value& v = data[row][col];
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
    if (auto* b = std::get_if<std::vector<uint8_t>>(&v)) return std::string(b->begin(), b->end());
    return {};
}

std::vector<uint8_t> Rows::blob(size_t row, size_t col) const {
    const Value& v = data[row][col];
    if (auto* b = std::get_if<std::vector<uint8_t>>(&v)) return *b;
    if (auto* s = std::get_if<std::string>(&v)) return std::vector<uint8_t>(s->begin(), s->end());
    return {};
}

int64_t Connection::insert(const std::string& sql, const std::vector<Value>& params) {
    Rows r = query(sql + " RETURNING id", params);
    if (r.empty()) throw Error("database '" + where() + "': an insert returned no id");
    return r.int64(0, 0);
}

}  // namespace frameline::sql
