#pragma once
// The shared database behind one interface. SQLite is the embedded default; the PostgreSQL backend plugs in here.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/store/records.h"

namespace frameline {

class Store {
public:
    virtual ~Store() = default;

    virtual int schema_version() = 0;
    virtual std::string url() const = 0;

    // Titles
    virtual std::optional<TitleRecord> find_title_by_hash(const std::string& content_hash) = 0;
    // Creates a title and its media file with status Ingesting; returns the title id.
    virtual int64_t create_title(const NewTitle& title) = 0;
    // Frames of an analysis in progress, written as they come so that memory stays flat for long titles; nobody
    // sees them until save_analysis() moves them in. clear_staged_frames() drops leftovers of an interrupted one.
    virtual void stage_frames(int64_t title_id, const std::vector<TitleAnalysis::Frame>& frames) = 0;
    virtual void clear_staged_frames(int64_t title_id) = 0;
    // Replaces the title's shots, frames (the staged ones and analysis.frames) and markers with the new analysis
    // and marks it Ready, atomically.
    virtual void save_analysis(int64_t title_id, const TitleAnalysis& analysis) = 0;
    virtual void set_title_status(int64_t title_id, TitleStatus status, const std::string& message) = 0;
    // The title's media file was found at another path (moved or renamed; same content hash).
    virtual void set_media_path(int64_t title_id, const std::string& path) = 0;
    virtual std::vector<TitleRecord> titles() = 0;
    virtual std::optional<TitleRecord> title(int64_t title_id) = 0;
    // A title by id ("12") or by exact name. The same for every backend.
    std::optional<TitleRecord> find_title(const std::string& id_or_name);
    virtual std::optional<TitleRecord> title_by_name(const std::string& name) = 0;

    // Analysis results
    virtual std::vector<Shot> shots(int64_t title_id) = 0;
    virtual std::vector<FrameRecord> frames(int64_t title_id) = 0;
    virtual std::vector<uint8_t> thumbnail_jpeg(int64_t frame_id) = 0;
    // The cues people see: rejected ones left out, corrected ones with their corrected range.
    std::vector<Marker> markers(int64_t title_id);

    // Live updates: true when another connection (a reviewer elsewhere, an ingest, a cluster worker) committed
    // changes since the previous call; the first call answers false. Cheap: meant to be polled about once a second.
    // SQLite: PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY.
    virtual bool changed_elsewhere() = 0;

    // Review of technical cues. marker_records() lists all of them with state and version.
    virtual std::vector<MarkerRecord> marker_records(int64_t title_id) = 0;
    // Applies a review if the marker is still at request.expected_version, as one transaction with its event;
    // otherwise changes nothing and returns applied == false with the stored marker (a conflict, never a silent
    // overwrite). Throws frameline::Error for an unknown marker or event, or an impossible request.
    virtual ReviewOutcome review_marker(const ReviewRequest& request) = 0;
    virtual std::vector<ReviewEvent> review_events(int64_t title_id) = 0;
};

// Opens (creating and migrating as needed) the database named by `url`: `sqlite:///abs/path.db`, a plain path,
// or `postgresql://...`. Throws frameline::Error naming the database and what to do.
std::unique_ptr<Store> open_store(const std::string& url);

// The default database: $XDG_DATA_HOME/frameline/frameline.db (~/.local/share/frameline/frameline.db).
std::string default_database_url();

}  // namespace frameline

namespace frameline {
std::string sqlite_version();
}  // namespace frameline
