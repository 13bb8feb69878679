#pragma once
// Chapters editor: the chapter timeline over the whole title (cuts as ticks, chapters and key scenes as blocks whose
// boundaries drag and snap to cuts) above a table of every chapter (label, kind, times, state, confidence) and a
// preview of the selected one's first sampled frame. Keys (remappable): F2 rename, S split at the cursor, M merge
// with the next, A accept, R reject, Delete reject. Every edit is an undo command on the session's stack; the view
// re-reads the title after its own edits and other reviewers' changes, keeping the selection and the scroll place.
#include <QWidget>
#include <optional>
#include <vector>

#include "core/store/annotation_records.h"

class QAction;
class QLabel;
class QTableWidget;
class QTableWidgetItem;

namespace frameline::ui {

class ChapterTimeline;
class ReviewSession;
class ThumbnailLoader;
struct ChaptersData;
struct EditReport;

class ChaptersView : public QWidget {
    Q_OBJECT
public:
    enum Column { LabelColumn, KindColumn, TimeColumn, FramesColumn, StateColumn, ConfidenceColumn, ColumnCount };

    explicit ChaptersView(ReviewSession* session, QWidget* parent = nullptr);
    ~ChaptersView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }
    bool isLoading() const { return loading_; }
    // Re-reads the shown title's chapters, keeping the selection and the scroll place.
    void reload();

    const std::vector<Chapter>& chapters() const { return chapters_; }  // all of them, rejected ones too
    qint64 selectedChapter() const;
    void selectChapter(qint64 id);
    // The last note for the reviewer (a refused edit, a conflict, an error); empty when none.
    QString statusMessage() const;

    ChapterTimeline* timeline() const { return timeline_; }
    QTableWidget* table() const { return table_; }
    QAction* renameAction() const { return rename_; }
    QAction* splitAction() const { return split_; }
    QAction* mergeAction() const { return merge_; }
    QAction* acceptAction() const { return accept_; }
    QAction* rejectAction() const { return reject_; }
    QAction* deleteAction() const { return delete_; }

public Q_SLOTS:
    void renameSelected();  // opens the label's editor in the table
    // Split the selected chapter at the timeline's cursor (else at the cut nearest its middle).
    void splitSelected();
    void mergeSelectedWithNext();
    void acceptSelected();
    void rejectSelected();

Q_SIGNALS:
    void loaded(qint64 title_id);
    void statusChanged(const QString& message);

private:
    void applyData(const ChaptersData& data);
    void fillTable();
    void onEdited(const EditReport& report);
    void onConflict(const EditReport& report);
    void onTableSelectionChanged();
    void onItemChanged(QTableWidgetItem* item);
    void onBoundaryMoved(const std::optional<Chapter>& left, const std::optional<Chapter>& right, int64_t boundary);
    void reviewSelected(ReviewAction action);
    void updatePreview();
    void updateActions();
    void setStatus(const QString& message, bool error);
    const Chapter* chapterById(qint64 id) const;
    std::vector<const Chapter*> selectedChapters() const;

    ReviewSession* session_ = nullptr;
    ThumbnailLoader* thumbnails_ = nullptr;
    qint64 title_id_ = 0;
    quint64 generation_ = 0;
    bool loading_ = false;
    bool filling_ = false;
    double fps_ = 0.0;
    std::vector<Chapter> chapters_;
    std::vector<std::pair<int64_t, qint64>> frame_ids_;  // sampled frame index -> stored frame id, by index

    QLabel* status_ = nullptr;
    QLabel* hint_ = nullptr;
    ChapterTimeline* timeline_ = nullptr;
    QTableWidget* table_ = nullptr;
    QLabel* preview_ = nullptr;
    QLabel* details_ = nullptr;
    qint64 preview_frame_id_ = 0;
    QAction* rename_ = nullptr;
    QAction* split_ = nullptr;
    QAction* merge_ = nullptr;
    QAction* accept_ = nullptr;
    QAction* reject_ = nullptr;
    QAction* delete_ = nullptr;
};

}  // namespace frameline::ui
