#pragma once
// The Library: every title in the database as one sortable, filterable table of what a review lead plans work by
// (status, duration, shots, sampled frames, tags reviewed with a progress bar, characters named, chapters, artwork
// picked, the last review and who made it). Double-click or Enter opens a title in the title workspace.
//
// It reads Store::title_summaries() on the session's read pool (never on the GUI thread) and reloads, at most once
// per ~300 ms, when this window edits something or another connection changes the database; a reload keeps the
// selected title and the scroll position. While hidden it only notes that it is stale and reloads when shown.
#include <QWidget>

class QLabel;
class QLineEdit;
class QModelIndex;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTimer;

namespace frameline::ui {

class LibraryModel;
class ReviewSession;

class LibraryView : public QWidget {
    Q_OBJECT
public:
    explicit LibraryView(ReviewSession* session, QWidget* parent = nullptr);

    // Selects the title's row (the window's current title) without opening it; kept until the row appears.
    void selectTitle(qint64 title_id);
    qint64 currentTitleId() const;  // 0: none

    // For the window and the tests.
    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_; }
    LibraryModel* libraryModel() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QLabel* placeholder() const { return placeholder_; }
    bool isLoading() const { return loading_; }
    // The debounce between a change and the reload it causes.
    static constexpr int kReloadDelayMs = 300;

public Q_SLOTS:
    // Reads the titles now (asynchronously); a reload asked for while one runs follows it.
    void reload();
    // Reloads after kReloadDelayMs, folding a burst of changes into one read.
    void scheduleReload();

Q_SIGNALS:
    // Double-click or Enter on a row.
    void openTitle(qint64 title_id);
    // A (re)load reached the table.
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onActivated(const QModelIndex& index);
    void updatePlaceholder();

    ReviewSession* session_ = nullptr;
    LibraryModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    QTableView* table_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QLabel* count_ = nullptr;
    QLabel* placeholder_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QTimer* reload_timer_ = nullptr;
    bool loading_ = false;
    bool reload_again_ = false;  // a change arrived while a read was running
    bool stale_ = true;          // changes arrived while hidden (and nothing was read yet)
    bool loaded_once_ = false;
    qint64 wanted_title_ = 0;    // selectTitle() before its row exists
};

}  // namespace frameline::ui
