#pragma once
// The database schema as an ordered list of migrations. Version N is migrations()[N-1]; never edit a released one,
// add a new one.
#include <string>
#include <vector>

namespace frameline {

struct Migration {
    int version;
    std::string description;
    std::string sql;
};

const std::vector<Migration>& sqlite_migrations();
// The same schema, version for version, in PostgreSQL's dialect.
const std::vector<Migration>& postgres_migrations();

}  // namespace frameline
