#pragma once
// A reviewer's edit found the row changed by somebody else first (ReviewSession::conflict). The dialog shows both:
// the edit ("yours") and what is stored now (its fields and state), and lets the reviewer choose: "Keep theirs"
// (nothing is written; the views show what is stored) or "Use mine" (the same edit again over what is stored now,
// as a new undo command). Non-modal, opened with open(): an ingest or a test never waits on it. Conflicts that come
// while it is open (a bulk edit) wait their turn in it.
#include <QDialog>
#include <QList>

#include "ui/review_session.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace frameline::ui {

class ConflictDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConflictDialog(QWidget* parent = nullptr);

    // Queues a conflict; the first one is shown at once.
    void addConflict(const EditReport& report);
    int pendingCount() const { return static_cast<int>(pending_.size()); }

    // The shown conflict, for tests and the window.
    QString yoursText() const;
    QString theirsText() const;
    QPushButton* keepTheirsButton() const { return keep_theirs_; }
    QPushButton* useMineButton() const { return use_mine_; }

    // "field: value" lines of a snapshot (JSON object) and its state, as the dialog shows them.
    static QString describeStored(const EditReport& report);

Q_SIGNALS:
    // The reviewer kept what is stored (the window asks the views to reload).
    void keptTheirs(const frameline::ui::EditReport& report);
    void usedMine(const frameline::ui::EditReport& report);

private:
    void showCurrent();
    void decide(bool use_mine);

    QList<EditReport> pending_;
    QLabel* heading_ = nullptr;
    QLabel* yours_ = nullptr;
    QPlainTextEdit* theirs_ = nullptr;
    QLabel* counter_ = nullptr;
    QPushButton* keep_theirs_ = nullptr;
    QPushButton* use_mine_ = nullptr;
};

}  // namespace frameline::ui
