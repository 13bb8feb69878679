#pragma once
// Tag review: a queue of the title's tag proposals with their evidence frames; A/R/E/Space, bulk accept, filters, progress.
#include <QList>
#include <QSet>
#include <QWidget>

#include "core/store/records.h"

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
class TagFilterProxy;
class TagReviewModel;
class ThumbnailLoader;
struct EditReport;
struct TagPage;

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
    TagFilterProxy* proxy() const { return proxy_; }
    bool isLoading() const { return loading_ > 0; }
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
    void reload();           // re-reads the title, keeping the selection and the scroll position

Q_SIGNALS:
    void loaded();  // a (re)load reached the table

private:
    // Reads the title on the session's read pool; keep_place: a reload that keeps the selection and scroll.
    void load(bool keep_place);
    void buildActions();
    QWidget* buildFilters();
    QWidget* buildDetail();
    QWidget* buildCorrectBar();
    QWidget* buildAddBar();
    void applyPage(TagPage page, bool keep_place);
    void review(frameline::ReviewAction action);
    void applyCorrection();
    void addTag();
    void onEdited(const EditReport& report);
    void onConflict(const EditReport& report);
    void updateProgress();
    void updateDetail();
    void setMessage(const QString& text);
    // The next proposed row after proxy row `after` (wrapping), skipping edits on their way: -1 when none.
    int nextUnreviewedRow(int after) const;
    void makeCurrent(int proxy_row);

    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
    int loading_ = 0;
    quint64 generation_ = 0;  // a load for an older showTitle() is dropped
    QSet<qint64> pending_;     // tags with an edit on its way: "next unreviewed" skips them

    ThumbnailLoader* thumbnails_ = nullptr;
    TagReviewModel* model_ = nullptr;
    TagFilterProxy* proxy_ = nullptr;
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
