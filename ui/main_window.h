#pragma once
// Frameline's main window: titles on the left, the selected title on the right, ingests in the status bar.
#include <QMainWindow>
#include <QPointer>
#include <memory>

class QLabel;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace frameline {
class Store;
}

namespace frameline::ui {

class ArtworkView;
class ChaptersView;
class CharactersView;
class ConflictDialog;
class IngestController;
class JobsPanel;
class LibraryView;
class NoTitleOverlay;
class PreferencesDialog;
class ReviewSession;
class SearchView;
class TagsView;
class TitleListModel;
class TitleView;
struct EditReport;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(std::shared_ptr<Store> store, QWidget* parent = nullptr);
    ~MainWindow() override;

    // File ▸ Add Title…, drops and the command line all end here.
    void addFiles(const QStringList& paths);
    // Re-reads the title list; keeps the selected title, or selects `select_title_id` when given.
    void refreshTitles(qint64 select_title_id = 0);
    void selectTitle(qint64 title_id);
    qint64 selectedTitleId() const;

    TitleListModel* titleListModel() const { return title_model_; }
    QTreeView* titleListView() const { return title_list_; }
    TitleView* titleView() const { return title_view_; }
    TagsView* tagsView() const { return tags_view_; }
    CharactersView* charactersView() const { return characters_view_; }
    ChaptersView* chaptersView() const { return chapters_view_; }
    ArtworkView* artworkView() const { return artwork_view_; }
    SearchView* searchView() const { return search_view_; }
    LibraryView* libraryView() const { return library_view_; }
    ReviewSession* session() const { return session_; }
    // The views, as tabs in the order of viewNames(): library (every title), title (the workspace), tags,
    // characters, chapters, artwork, search. The window opens on the title workspace.
    QTabWidget* viewTabs() const { return tabs_; }
    // Shows the named view (one of viewNames()); false for an unknown name.
    bool showView(const QString& name);
    // Selects the title and brings the title workspace to the front (the Library's double-click / Enter).
    void openTitle(qint64 title_id);
    static QStringList viewNames();
    IngestController* ingestController() const { return ingest_; }
    QString lastErrorMessage() const { return last_error_; }
    // View ▸ Jobs: this window's ingests and the database's ingest queue.
    JobsPanel* jobsPanel() const { return jobs_panel_; }
    // The open conflict dialog (null when none is open).
    ConflictDialog* conflictDialog() const;
    // Edit ▸ Preferences…: opens the dialog (non-modal) and returns it.
    PreferencesDialog* showPreferences();
    PreferencesDialog* preferencesDialog() const;
    // First run: the empty title list's explanation, and the "No title selected" cover of the review tabs.
    QLabel* emptyLibraryLabel() const { return empty_library_; }
    NoTitleOverlay* noTitleOverlay() const { return no_title_; }

Q_SIGNALS:
    void errorShown(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void chooseFiles();
    void showAbout();
    void showError(const QString& title, const QString& message);
    void onSelectionChanged();
    void showTitleInCurrentView();
    void openSearchResult(qint64 title_id, int shot_index);
    void onDatabaseChanged();
    void onJobStarted(const QString& path);
    void onJobProgress(const QString& path, const QString& stage, double fraction);
    void onJobFinished(const QString& path, qint64 title_id, bool already_present, int shots);
    void onJobFailed(const QString& path, const QString& message, bool cancelled);
    void showConflict(const EditReport& report);
    void updateEmptyStates();

    std::shared_ptr<Store> store_;
    TitleListModel* title_model_ = nullptr;
    QTreeView* title_list_ = nullptr;
    QStackedWidget* title_list_stack_ = nullptr;  // the list, or the first-run explanation while it is empty
    QLabel* empty_library_ = nullptr;
    NoTitleOverlay* no_title_ = nullptr;
    JobsPanel* jobs_panel_ = nullptr;
    QPointer<ConflictDialog> conflict_dialog_;
    QPointer<PreferencesDialog> preferences_;
    ReviewSession* session_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    TitleView* title_view_ = nullptr;
    TagsView* tags_view_ = nullptr;
    CharactersView* characters_view_ = nullptr;
    ChaptersView* chapters_view_ = nullptr;
    ArtworkView* artwork_view_ = nullptr;
    SearchView* search_view_ = nullptr;
    LibraryView* library_view_ = nullptr;
    QMetaObject::Connection open_when_loaded_;  // a search result waiting for its title to load
    IngestController* ingest_ = nullptr;
    QLabel* job_label_ = nullptr;
    QProgressBar* job_progress_ = nullptr;
    QToolButton* job_cancel_ = nullptr;
    QString last_stage_;
    QString last_error_;
};

}  // namespace frameline::ui
