#pragma once
// The tag review queue as a table (label, category, scope, confidence, model, state), read a page at a time on the
// session's read pool (Store::tag_queue: filters and order in SQL, keyset paging) as the table scrolls (fetchMore),
// and updated row by row from the edits' reports, so that a review never reloads the table: the selection and the
// scroll position stay where the reviewer left them, and a title with tens of thousands of tags opens as fast as one
// with ten.
#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <vector>

#include "core/store/annotation_records.h"
#include "core/store/tag_queue.h"

namespace frameline {
class Store;
}

namespace frameline::ui {

class ReviewSession;

struct TagRow {
    frameline::Tag tag;
    QString model;                       // the run's model, "human" for a person's tag
    QString scope;                       // "Shot 2 · 0:01.00–0:02.00" or "Whole title"
    double start_s = 0;                  // where it begins (title-wide tags: -1)
    frameline::TagQueueKey key;          // its place in the queue's order
    QList<qint64> evidence_frame_ids;    // FrameRecord ids whose thumbnails show the evidence
    QList<qint64> evidence_frame_indices;
};

// One page of the queue with its evidence frames (runs on a worker thread; no GUI objects).
struct TagPage {
    std::vector<TagRow> rows;
    bool last = false;  // nothing after these rows
};
TagPage load_tag_page(frameline::Store& store, const frameline::TagQueueQuery& query);

// Evidence frame indices named by a tag's evidence JSON: {"frames":[12,40]} or {"frames":[{"frame":12},...]}.
QList<qint64> evidence_frames_from_json(const std::string& evidence);

class TagReviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Label, Category, Scope, Confidence, Model, State, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        ConfidenceRole,  // double
        StateRole,       // int(frameline::ReviewState)
        StartRole,       // double seconds
        ModelRole,       // QString
    };
    static constexpr int kPageRows = 200;

    explicit TagReviewModel(ReviewSession* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // What the queue shows (title 0: nothing). Drops the rows and reads the first page.
    void setQuery(qint64 title_id, const frameline::TagQueueFilter& filter, frameline::TagQueueOrder order);
    // Reads the rows shown so far again (at least a page), replacing them in one reset: for changes made elsewhere.
    void reload();
    qint64 titleId() const { return title_id_; }
    frameline::TagQueueOrder order() const { return order_; }
    bool isLoading() const { return loading_; }
    bool hasMore() const { return !last_; }

    const TagRow* rowAt(int row) const;
    int rowOf(qint64 tag_id) const;  // -1: not loaded
    // A review's outcome (applied or a conflict's stored state): state, version, label and category from the
    // result's snapshot. The row keeps its place even when the filter would leave it out now, so the reviewer sees
    // what they just did. False when the tag is not loaded.
    bool applyResult(qint64 tag_id, const frameline::ReviewResult& result);

Q_SIGNALS:
    void pageLoaded(bool reset);  // reset: the rows were replaced (setQuery, reload); else a page was appended
    void loadFailed(const QString& error);

private:
    void read(frameline::TagQueueQuery query, bool reset);

    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
    frameline::TagQueueFilter filter_;
    frameline::TagQueueOrder order_ = frameline::TagQueueOrder::Uncertainty;
    std::vector<TagRow> rows_;
    bool last_ = true;
    bool loading_ = false;
    quint64 generation_ = 0;  // an answer to an older query is dropped
};

QString review_state_text(frameline::ReviewState state);

}  // namespace frameline::ui
