#include "core/store/store.h"

#include <cstdlib>

#include "core/error.h"
#include "core/store/sqlite_store.h"

namespace frameline {

std::string default_database_url() {
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".local/share";
    else base = std::filesystem::temp_directory_path();
    return "sqlite://" + (base / "frameline" / "frameline.db").string();
}

std::unique_ptr<Store> open_store(const std::string& url) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
        throw Error("database '" + url + "': the PostgreSQL backend is not in this build yet — use an SQLite path");
    std::string path = url;
    if (path.rfind("sqlite://", 0) == 0) path = path.substr(9);
    else if (path.find("://") != std::string::npos)
        throw Error("database '" + url + "': unknown kind — use sqlite:///abs/path.db, a plain path or postgresql://");
    if (path.empty()) throw Error("database URL is empty — give a path such as ./frameline.db");
    // Only the default database's folder is created: a typo in an explicit path must not make a new, empty database.
    return std::make_unique<SqliteStore>(path, url == default_database_url());
}

}  // namespace frameline
