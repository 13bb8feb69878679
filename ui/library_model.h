#pragma once
// The Library view's rows: every title in the database with what a review lead plans work by (status, size, review
// progress of tags, characters, chapters and artwork, the last review event). Filled from Store::title_summaries()
// read off the GUI thread; a reload with the same titles updates the rows in place, so that a view keeps its
// selection and scroll position.
#include <QAbstractTableModel>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline::ui {

class LibraryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StatusColumn,
        DurationColumn,
        ShotsColumn,
        FramesColumn,
        TagsColumn,
        CharactersColumn,
        ChaptersColumn,
        ArtworkColumn,
        LastReviewColumn,
        ReviewerColumn,
        ColumnCount
    };
    enum Role {
        TitleIdRole = Qt::UserRole + 1,
        SortRole,      // a number (or ISO text) to sort the column by
        ProgressRole,  // TagsColumn: reviewed / total as 0..1, or -1 when there is nothing to review
    };

    explicit LibraryModel(QObject* parent = nullptr);

    // Returns true when the rows were reset (other titles or another order), false when updated in place.
    bool setSummaries(std::vector<TitleSummary> summaries);
    const TitleSummary* summaryAt(int row) const;
    int rowOfTitle(qint64 title_id) const;  // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<TitleSummary> rows_;
};

}  // namespace frameline::ui
