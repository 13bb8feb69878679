#pragma once
// The title's tag proposals as a table (label, category, scope, confidence, model, state), loaded in one read on the
// session's read pool (load_tag_page) and updated row by row from the edits' reports, so that a review never
// reloads the table (the selection and the scroll position stay where the reviewer left them).
#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline {
class Store;
}

namespace frameline::ui {

struct TagRow {
    frameline::Tag tag;
    QString model;                       // the run's model, "human" for a person's tag
    QString scope;                       // "Shot 2 · 0:01.00–0:02.00" or "Whole title"
    double start_s = 0;                  // where it begins (title-wide tags: 0), for ordering by time
    QList<qint64> evidence_frame_ids;    // FrameRecord ids whose thumbnails show the evidence
    QList<qint64> evidence_frame_indices;
};

// One read of everything the view shows (runs on a worker thread; no GUI objects).
struct TagPage {
    qint64 title_id = 0;
    std::vector<TagRow> rows;
    QStringList models;            // for the model filter
    QList<QPair<int, QString>> shots;  // shot index, "Shot 2 · 0:01.00–0:02.00" (for "Add tag…")
};
TagPage load_tag_page(frameline::Store& store, qint64 title_id);

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
        SearchTextRole,  // label and category, for the text filter
    };

    explicit TagReviewModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void setRows(std::vector<TagRow> rows);
    const TagRow* rowAt(int row) const;
    int rowOf(qint64 tag_id) const;  // -1: not shown
    // A review's outcome (applied or a conflict's stored state): state, version, label and category from the
    // result's snapshot. False when the tag is not in the table (a tag added meanwhile: reload).
    bool applyResult(qint64 tag_id, const frameline::ReviewResult& result);

    int reviewedCount() const;  // not proposed any more
    int totalCount() const { return static_cast<int>(rows_.size()); }

private:
    std::vector<TagRow> rows_;
};

QString review_state_text(frameline::ReviewState state);

}  // namespace frameline::ui
