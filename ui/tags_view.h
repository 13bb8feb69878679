#pragma once
// Tag review: a queue of the title's tag proposals with their evidence frames; A/R/E/Space, bulk accept, filters, progress.
#include <QList>
#include <QSet>
#include <QWidget>
#include <optional>

#include "core/store/records.h"
#include "core/store/tag_queue.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;

namespace frameline::ui {

class ReviewSession;
class TagEvidenceStrip;
class TagReviewModel;
class ThumbnailLoader;
struct EditReport;

class TagsView : public QWidget {
    Q_OBJECT
public:
    explicit TagsView(ReviewSession* session, QWidget* parent = nullptr);
    ~TagsView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

    // For the window and the tests.
    QTableView* table() const { return table_; }
    TagReviewModel* tagModel() const { return model_; }
    bool isLoading() const;
    int totalCount() const { return stats_.total; }        // the title's tags, whatever the filter
    int reviewedCount() const { return stats_.reviewed; }  // ... of which not proposed any more
    QString progressText() const;
    QString message() const;
    qint64 currentTagId() const;  // 0: none
    void selectTag(qint64 tag_id);
    QList<qint64> selectedTagIds() const;  // in queue order

public Q_SLOTS:
    void acceptSelected();
    void rejectSelected();
    void startCorrect();     // opens the inline editor for the current tag's new label
    void nextUnreviewed();   // the next proposed tag after the current one (wraps)
    void startAddTag();
    void reload();           // re-reads the rows shown and the counts, keeping the selection and the scroll position

Q_SIGNALS:
    void loaded();  // a (re)load reached the table

private:
    // A new query from the filters: the first page, then the first unreviewed tag becomes current.
    void requery();
    void onPageLoaded(bool reset);
    void loadStats();
    void applyStats(const frameline::TagQueueStats& stats);
    void loadShots();  // the "Add tag" scopes
    void buildActions();
    QWidget* buildFilters();
    QWidget* buildDetail();
    QWidget* buildCorrectBar();
    QWidget* buildAddBar();
    void review(frameline::ReviewAction action);
    void applyCorrection();
    void addTag();
    void onEdited(const EditReport& report);
    void onConflict(const EditReport& report);
    void updateProgress();
    void updateDetail();
    void setMessage(const QString& text);
    // The next proposed row after row `after`, skipping edits on their way: -1 when none is loaded.
    int nextUnreviewedRow(int after) const;
    // Makes the next proposed tag after row `after` current, reading further pages while none is loaded and
    // wrapping to the top at the end of the queue. False when the queue has no such tag.
    void goToNextUnreviewed(int after);
    void makeCurrent(int row);

    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
    int stats_loading_ = 0;
    frameline::TagQueueStats stats_;
    QSet<qint64> pending_;     // tags with an edit on its way: "next unreviewed" skips them
    // What to do when the next page arrives: keep the reviewer's place over a reload (current, selection, scroll),
    // go on looking for the next unreviewed tag, or make a given tag current.
    struct Place {
        qint64 current = 0;
        QList<qint64> selected;
        int scroll = 0;
    };
    std::optional<Place> keep_place_;
    std::optional<int> next_after_;  // looking for the next unreviewed tag after this row
    qint64 want_current_ = 0;

    ThumbnailLoader* thumbnails_ = nullptr;
    TagReviewModel* model_ = nullptr;
    QTableView* table_ = nullptr;
    QLineEdit* text_filter_ = nullptr;
    QComboBox* state_filter_ = nullptr;
    QComboBox* model_filter_ = nullptr;
    QDoubleSpinBox* min_confidence_ = nullptr;
    QComboBox* order_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* details_ = nullptr;
    TagEvidenceStrip* evidence_ = nullptr;
    QWidget* correct_bar_ = nullptr;
    QLineEdit* correct_edit_ = nullptr;
    qint64 correcting_id_ = 0;
    QWidget* add_bar_ = nullptr;
    QComboBox* add_category_ = nullptr;
    QLineEdit* add_label_ = nullptr;
    QComboBox* add_scope_ = nullptr;
    QLabel* progress_label_ = nullptr;
    QProgressBar* progress_bar_ = nullptr;
    QLabel* message_ = nullptr;
    QAction* accept_ = nullptr;
    QAction* reject_ = nullptr;
    QAction* correct_ = nullptr;
    QAction* next_ = nullptr;
    QAction* add_ = nullptr;
};

}  // namespace frameline::ui
