#include "core/store/store.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/error.h"
#include "core/store/sqlite_store.h"
#ifdef FRAMELINE_WITH_POSTGRES
#include "core/store/postgres_store.h"
#endif

namespace frameline {

std::optional<TitleRecord> Store::find_title(const std::string& id_or_name) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(id_or_name.data(), id_or_name.data() + id_or_name.size(), id);
    if (ec == std::errc() && end == id_or_name.data() + id_or_name.size()) {
        if (auto t = title(id)) return t;
    }
    return title_by_name(id_or_name);
}

uint32_t Store::content_lock_key(const std::string& content_hash) {
    uint32_t key = 0;  // stays 0 for a hash that is not hex: such contents only wait for each other
    std::from_chars(content_hash.data(), content_hash.data() + std::min<size_t>(8, content_hash.size()), key, 16);
    return key;
}

std::vector<Marker> Store::markers(int64_t title_id) {
    std::vector<Marker> out;
    for (const MarkerRecord& r : marker_records(title_id))
        if (r.state != ReviewState::Rejected) out.push_back(r.marker);
    return out;
}

std::string default_database_url() {
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".local/share";
    else base = std::filesystem::temp_directory_path();
    return "sqlite://" + (base / "frameline" / "frameline.db").string();
}

#ifndef FRAMELINE_WITH_POSTGRES
static std::string pg_display(const std::string& url) {
    const size_t at = url.find('@');
    return at == std::string::npos ? url : "postgresql://…" + url.substr(at);
}
#endif

std::unique_ptr<Store> open_store(const std::string& url) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
#ifdef FRAMELINE_WITH_POSTGRES
        return std::make_unique<PostgresStore>(url);
#else
        throw Error("database '" + pg_display(url) + "': this Frameline was built without PostgreSQL "
                    "(FRAMELINE_WITH_POSTGRES=OFF) — rebuild with it or use an SQLite path");
#endif
    }
    std::string path = url;
    if (path.rfind("sqlite://", 0) == 0) path = path.substr(9);
    else if (path.find("://") != std::string::npos)
        throw Error("database '" + url + "': unknown kind — use sqlite:///abs/path.db, a plain path or postgresql://");
    if (path.empty()) throw Error("database URL is empty — give a path such as ./frameline.db");
    // Only the default database's folder is created: a typo in an explicit path must not make a new, empty database.
    return std::make_unique<SqliteStore>(path, url == default_database_url());
}

}  // namespace frameline
