#pragma once
// What is written about a title (issue #8 item 5): its synopsis (a person's, editable; else the file's metadata
// one), its description (from the file's metadata: shown, not edited here), and review texts (add, delete), each
// with the keywords RAKE finds in it (those linked to one of the title's tags marked) and, for reviews, the
// "lexicon sentiment" (core/analysis/title_text_analysis.h: word lists, not a model, and labelled so).
// Reads go through the session's read pool; edits are TitleTextCommands on the window's undo stack (Ctrl+Z),
// so the GUI thread never waits on the database.
#include <QPointer>
#include <QWidget>
#include <vector>

#include "core/analysis/title_text_analysis.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace frameline::ui {

class ReviewSession;
struct EditReport;
struct TitleTextsLoad;

class TitleTextsPanel : public QWidget {
    Q_OBJECT
public:
    explicit TitleTextsPanel(ReviewSession* session, QWidget* parent = nullptr);
    ~TitleTextsPanel() override;

    void showTitle(qint64 title_id);  // 0 clears
    qint64 titleId() const { return title_id_; }
    bool isLoading() const { return loading_; }
    // Re-reads the texts (after an edit here or elsewhere).
    void reload();

    // Saves the synopsis editor's text as this title's synopsis (replacing the one a person entered before in
    // that language; a metadata synopsis stays). Refuses an empty or unchanged text with a message.
    void saveSynopsis();
    // Attaches the review editor's text as a review (source "human"). Refuses an empty text with a message.
    void addReview();
    // Deletes the review selected in the list.
    void deleteSelectedReview();

    QPlainTextEdit* synopsisEditor() const { return synopsis_edit_; }
    QPlainTextEdit* reviewEditor() const { return review_edit_; }
    QTreeWidget* reviewList() const { return reviews_; }
    QLabel* descriptionLabel() const { return description_; }
    QLabel* synopsisKeywordsLabel() const { return synopsis_keywords_; }
    // The last message (a refusal or the store's error); empty when there is none.
    QString message() const;
    // The analysed texts as last read (synopses, descriptions, reviews).
    const std::vector<frameline::TitleTextAnalysis>& texts() const { return texts_; }

Q_SIGNALS:
    void loaded(qint64 title_id);

private:
    void onLoaded(const TitleTextsLoad& load);
    void onEdited(const EditReport& report);
    void setMessage(const QString& text, bool error);
    void updateButtons();
    const frameline::TitleTextAnalysis* shownSynopsis() const;  // a person's, else the metadata's

    QPointer<ReviewSession> session_;
    QLabel* synopsis_source_ = nullptr;
    QPlainTextEdit* synopsis_edit_ = nullptr;
    QLabel* synopsis_keywords_ = nullptr;
    QPushButton* save_synopsis_ = nullptr;
    QLabel* description_ = nullptr;
    QTreeWidget* reviews_ = nullptr;
    QPlainTextEdit* review_edit_ = nullptr;
    QPushButton* add_review_ = nullptr;
    QPushButton* delete_review_ = nullptr;
    QLabel* message_ = nullptr;
    std::vector<frameline::TitleTextAnalysis> texts_;
    QString unsaved_review_;  // the review last added, until the store has it
    qint64 title_id_ = 0;
    quint64 generation_ = 0;
    bool loading_ = false;
};

// "car chase, dog (→ tag dog)": keywords of a text, those linked to tags marked. Empty when it has none.
QString keyword_summary(const frameline::TitleTextAnalysis& text);
// "positive +0.62 (lexicon sentiment)": a review's sentiment as the list shows it.
QString sentiment_summary(const frameline::LexiconSentiment& sentiment);

}  // namespace frameline::ui
