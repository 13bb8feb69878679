#pragma once
// The team database: PostgreSQL through libpq, the same schema and semantics as SqliteStore.
#include <memory>
#include <mutex>

#include "core/store/store.h"

namespace frameline {

namespace pg {
class Connection;
}
class PostgresSql;

class PostgresStore final : public Store {
public:
    // Connects and applies pending migrations (serialised between processes by an advisory lock).
    // Throws frameline::Error.
    explicit PostgresStore(const std::string& url);
    ~PostgresStore() override;

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
    sql::Connection& sql() override;

private:
    void migrate();
    void notify_change();
    std::vector<TitleRecord> query_titles(const std::string& where, const std::string& arg);
    void insert_frames(const char* table, int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames);

    std::unique_ptr<pg::Connection> db_;
    std::unique_ptr<PostgresSql> sql_;  // owns the lock: one connection, any thread, one statement at a time
};

}  // namespace frameline
