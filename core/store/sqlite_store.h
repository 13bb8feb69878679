#pragma once
// The embedded default database: one SQLite file in WAL mode (readers never block the writer).
#include <filesystem>
#include <memory>
#include <mutex>

#include "core/store/sqlite_connection.h"
#include "core/store/store.h"

struct sqlite3;

namespace frameline {

class SqliteStore final : public Store {
public:
    // Opens or creates the file and applies pending migrations. The file's folder must exist unless
    // `create_folder` (the default database's folder is made on first use). Throws frameline::Error.
    explicit SqliteStore(const std::filesystem::path& file, bool create_folder = false);
    ~SqliteStore() override;

    int schema_version() override;
    std::string url() const override;

    std::unique_ptr<ContentLock> try_lock_content(const std::string& content_hash) override;
    std::optional<TitleRecord> find_title_by_hash(const std::string& content_hash) override;
    int64_t create_title(const NewTitle& title) override;
    void stage_frames(int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames) override;
    void clear_staged_frames(int64_t title_id) override;
    void save_analysis(int64_t title_id, const TitleAnalysis& analysis) override;
    void set_title_status(int64_t title_id, TitleStatus status, const std::string& message) override;
    void set_media_path(int64_t title_id, const std::string& path) override;
    std::vector<TitleRecord> titles() override;
    std::optional<TitleRecord> title(int64_t title_id) override;
    std::optional<TitleRecord> title_by_name(const std::string& name) override;
    std::vector<Shot> shots(int64_t title_id) override;
    std::vector<FrameRecord> frames(int64_t title_id) override;
    std::vector<uint8_t> thumbnail_jpeg(int64_t frame_id) override;
    bool changed_elsewhere() override;
    std::vector<MarkerRecord> marker_records(int64_t title_id) override;
    ReviewOutcome review_marker(const ReviewRequest& request) override;
    std::vector<ReviewEvent> review_events(int64_t title_id) override;

protected:
    sql::Connection& sql() override { return *conn_; }

private:
    void migrate();
    void insert_frames(const char* table, int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames);
    std::vector<TitleRecord> query_titles(const std::string& where, const std::string& arg);

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<SqliteConnection> conn_;  // owns the lock: one connection, any thread, one statement at a time
    int64_t data_version_ = -1;
};

}  // namespace frameline
