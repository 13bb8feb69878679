#include "ui/main_window.h"

#include "ui/live_updates.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QTreeView>

#include "core/store/store.h"
#include "ui/app_icon.h"
#include "ui/artwork_view.h"
#include "ui/chapters_view.h"
#include "ui/characters_view.h"
#include "ui/conflict_dialog.h"
#include "ui/first_run.h"
#include "ui/ingest_controller.h"
#include "ui/jobs_panel.h"
#include "ui/library_view.h"
#include "ui/preferences_dialog.h"
#include "ui/review_session.h"
#include "ui/search_view.h"
#include "ui/tags_view.h"
#include "ui/title_list_model.h"
#include "ui/title_view.h"

namespace frameline::ui {

namespace {
QStringList local_files(const QMimeData* mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls()) return paths;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    return paths;
}
}  // namespace

MainWindow::MainWindow(std::shared_ptr<Store> store, QWidget* parent) : QMainWindow(parent), store_(std::move(store))
{
    setWindowTitle(tr("Frameline"));
    setWindowIcon(app_icon());
    setAcceptDrops(true);

    title_model_ = new TitleListModel(this);
    title_list_ = new QTreeView(this);
    title_list_->setModel(title_model_);
    title_list_->setRootIsDecorated(false);
    title_list_->setUniformRowHeights(true);
    title_list_->setAlternatingRowColors(true);
    title_list_->setSelectionMode(QAbstractItemView::SingleSelection);
    title_list_->setSelectionBehavior(QAbstractItemView::SelectRows);
    title_list_->header()->setStretchLastSection(false);
    title_list_->header()->setSectionResizeMode(TitleListModel::NameColumn, QHeaderView::Stretch);
    for (int c : {TitleListModel::StatusColumn, TitleListModel::DurationColumn, TitleListModel::ShotsColumn})
        title_list_->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    title_list_->setMinimumWidth(280);

    session_ = new ReviewSession(store_, this);
    // The reviewer's name from the preferences (else the session's login name).
    if (const QString reviewer = preference::reviewer(); !reviewer.isEmpty()) session_->setReviewer(reviewer);
    title_view_ = new TitleView(session_, this);
    tags_view_ = new TagsView(session_, this);
    characters_view_ = new CharactersView(session_, this);
    chapters_view_ = new ChaptersView(session_, this);
    artwork_view_ = new ArtworkView(session_, this);
    search_view_ = new SearchView(session_, this);
    library_view_ = new LibraryView(session_, this);
    tabs_ = new QTabWidget(this);
    tabs_->setDocumentMode(true);
    // In the order of viewNames(): showView() maps a name to its tab by position.
    tabs_->addTab(library_view_, tr("&Library"));
    tabs_->addTab(title_view_, tr("&Title"));
    tabs_->addTab(tags_view_, tr("Ta&gs"));
    tabs_->addTab(characters_view_, tr("C&haracters"));
    tabs_->addTab(chapters_view_, tr("Cha&pters"));
    tabs_->addTab(artwork_view_, tr("A&rtwork"));
    tabs_->addTab(search_view_, tr("&Search"));
    // The window opens on the title workspace, as before the Library existed; the Library is one click away.
    tabs_->setCurrentWidget(title_view_);
    connect(library_view_, &LibraryView::openTitle, this, &MainWindow::openTitle);
    // Only the view in front loads a title; the others catch up when they are shown.
    connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::showTitleInCurrentView);
    connect(search_view_, &SearchView::openShot, this,
            [this](qint64 title_id, int shot_index, qint64) { openSearchResult(title_id, shot_index); });

    // First run: the review tabs say "No title selected" (the workspace and search have their own empty states),
    // and the empty title list explains how to add a title.
    no_title_ = new NoTitleOverlay(tabs_, {tags_view_, characters_view_, chapters_view_, artwork_view_});
    empty_library_ = new QLabel(empty_library_text(QString::fromStdString(store_->url())), this);
    empty_library_->setObjectName(QStringLiteral("emptyLibrary"));
    empty_library_->setWordWrap(true);
    empty_library_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    empty_library_->setMargin(16);
    empty_library_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    title_list_stack_ = new QStackedWidget(this);
    title_list_stack_->addWidget(title_list_);
    title_list_stack_->addWidget(empty_library_);
    title_list_stack_->setMinimumWidth(280);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(title_list_stack_);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({340, 1000});
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    ingest_ = new IngestController(QString::fromStdString(store_->url()), this);
    connect(ingest_, &IngestController::jobStarted, this, &MainWindow::onJobStarted);
    connect(ingest_, &IngestController::jobProgress, this, &MainWindow::onJobProgress);
    connect(ingest_, &IngestController::jobFinished, this, &MainWindow::onJobFinished);
    connect(ingest_, &IngestController::jobFailed, this, &MainWindow::onJobFailed);
    connect(ingest_, &IngestController::jobWarning, this,
            [this](const QString&, const QString& message) { statusBar()->showMessage(message, 30000); });
    connect(ingest_, &IngestController::idle, this, [this] {
        job_label_->hide();
        job_progress_->hide();
        job_cancel_->hide();
    });

    jobs_panel_ = new JobsPanel(session_, ingest_, this);
    addDockWidget(Qt::BottomDockWidgetArea, jobs_panel_);
    jobs_panel_->hide();  // View ▸ Jobs; the status bar keeps the summary of this window's ingest

    createActions();
    createStatusBar();
    connect(title_list_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);
    // Roomy, but never larger than the screen it opens on.
    QSize size(1400, 900);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.9);
    resize(size);
    refreshTitles();
    if (title_model_->rowCount() > 0) selectTitle(title_model_->titleAt(0)->id);

    // Other reviewers' and ingests' changes appear without a restart.
    connect(session_, &ReviewSession::changedElsewhere, this, &MainWindow::onDatabaseChanged);
    connect(session_, &ReviewSession::failed, this,
            [this](const QString& message) { showError(tr("Could not save the review"), message); });
    connect(session_, &ReviewSession::conflict, this, &MainWindow::showConflict);
    updateEmptyStates();
}

void MainWindow::showConflict(const EditReport& report)
{
    if (!conflict_dialog_) {
        conflict_dialog_ = new ConflictDialog(this);
        conflict_dialog_->setAttribute(Qt::WA_DeleteOnClose);
        // Keeping theirs: the views show what is stored (they reload as on any change from elsewhere).
        connect(conflict_dialog_, &ConflictDialog::keptTheirs, session_, [this] { Q_EMIT session_->changedElsewhere(); });
    }
    conflict_dialog_->addConflict(report);
    statusBar()->showMessage(tr("%1: changed by someone else first; choose in the dialog").arg(report.text), 30000);
    // Non-modal (show(), not open() or exec()): a running ingest, the live updates and tests go on meanwhile, and
    // the reviewer may look at the views before choosing.
    if (!conflict_dialog_->isVisible()) conflict_dialog_->show();
    conflict_dialog_->raise();
}

ConflictDialog* MainWindow::conflictDialog() const { return conflict_dialog_.data(); }
PreferencesDialog* MainWindow::preferencesDialog() const { return preferences_.data(); }

PreferencesDialog* MainWindow::showPreferences()
{
    if (!preferences_) {
        preferences_ = new PreferencesDialog(session_, QString::fromStdString(store_->url()), this);
        preferences_->setAttribute(Qt::WA_DeleteOnClose);
    }
    preferences_->open();
    preferences_->raise();
    return preferences_;
}

void MainWindow::updateEmptyStates()
{
    title_list_stack_->setCurrentWidget(title_model_->rowCount() == 0 ? static_cast<QWidget*>(empty_library_)
                                                                      : title_list_);
    no_title_->setLibraryEmpty(title_model_->rowCount() == 0);
    no_title_->setTitleSelected(title_view_->titleId() != 0);
}

QStringList MainWindow::viewNames()
{
    return {QStringLiteral("library"), QStringLiteral("title"),   QStringLiteral("tags"),
            QStringLiteral("characters"), QStringLiteral("chapters"), QStringLiteral("artwork"),
            QStringLiteral("search")};
}

bool MainWindow::showView(const QString& name)
{
    const int index = viewNames().indexOf(name);
    if (index < 0) return false;
    tabs_->setCurrentIndex(index);
    if (tabs_->currentWidget() == library_view_) library_view_->setFocus();
    return true;
}

void MainWindow::openTitle(qint64 title_id)
{
    // The Library may know a title that the list has not re-read yet (added elsewhere a moment ago).
    if (title_model_->rowOfTitle(title_id) < 0) refreshTitles();
    if (title_model_->rowOfTitle(title_id) < 0) {
        statusBar()->showMessage(tr("Title %1 is no longer in the database").arg(title_id), 10000);
        return;
    }
    selectTitle(title_id);
    tabs_->setCurrentWidget(title_view_);
    title_view_->setFocus();
}

void MainWindow::openSearchResult(qint64 title_id, int shot_index)
{
    disconnect(open_when_loaded_);
    tabs_->setCurrentWidget(title_view_);
    if (title_view_->titleId() == title_id && !title_view_->isLoading()) {
        title_view_->playShot(shot_index);
        return;
    }
    // The title loads asynchronously (a result from another title): play the shot once it has.
    open_when_loaded_ = connect(title_view_, &TitleView::titleLoaded, this, [this, title_id, shot_index](qint64 loaded) {
        if (loaded != title_id) return;
        disconnect(open_when_loaded_);
        title_view_->playShot(shot_index);
    });
    selectTitle(title_id);
    if (title_view_->titleId() != title_id) title_view_->showTitle(title_id);
}

void MainWindow::showTitleInCurrentView()
{
    const qint64 id = title_view_->titleId();
    QWidget* current = tabs_->currentWidget();
    if (current == tags_view_ && tags_view_->titleId() != id) tags_view_->showTitle(id);
    else if (current == characters_view_ && characters_view_->titleId() != id) characters_view_->showTitle(id);
    else if (current == chapters_view_ && chapters_view_->titleId() != id) chapters_view_->showTitle(id);
    else if (current == artwork_view_ && artwork_view_->titleId() != id) artwork_view_->showTitle(id);
    else if (current == search_view_ && search_view_->titleId() != id) search_view_->showTitle(id);
}

void MainWindow::onDatabaseChanged()
{
    const qint64 shown = title_view_->titleId();
    const int before_row = shown != 0 ? title_model_->rowOfTitle(shown) : -1;
    const TitleRecord* before = before_row >= 0 ? title_model_->titleAt(before_row) : nullptr;
    const auto status = before ? before->status : TitleStatus::Ingesting;
    const int shots = before ? before->shot_count : -1;
    refreshTitles();
    // Reload the open title only when its analysis changed, so a reviewer's place in it is kept otherwise.
    const int row = shown != 0 ? title_model_->rowOfTitle(shown) : -1;
    const TitleRecord* after = row >= 0 ? title_model_->titleAt(row) : nullptr;
    if (after && (after->status != status || after->shot_count != shots)) title_view_->showTitle(shown);
}

MainWindow::~MainWindow()
{
    // Stop a running ingest (joins its worker) before the views its signals would update are destroyed.
    delete ingest_;
    ingest_ = nullptr;
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* add = file->addAction(tr("&Add Title…"), this, &MainWindow::chooseFiles);
    add->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = session_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    edit->addAction(undo);
    QAction* redo = session_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    edit->addAction(redo);
    edit->addSeparator();
    QAction* preferences = edit->addAction(tr("&Preferences…"), this, [this] { showPreferences(); });
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* jobs = jobs_panel_->toggleViewAction();
    jobs->setText(tr("&Jobs"));
    jobs->setStatusTip(tr("Ingests of this window and of the database's queue, with progress and cancel"));
    view->addAction(jobs);
    // Playback keys (Space, J/K/L, arrows) belong to the title workspace: the review views use some of the same
    // keys, so these are enabled only while the workspace is in front.
    QMenu* playback = menuBar()->addMenu(tr("&Playback"));
    playback->addActions(title_view_->playbackActions());
    auto enable_playback = [this] {
        for (QAction* a : title_view_->playbackActions()) a->setEnabled(tabs_->currentWidget() == title_view_);
    };
    connect(tabs_, &QTabWidget::currentChanged, this, enable_playback);
    enable_playback();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Frameline"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createStatusBar()
{
    job_label_ = new QLabel(this);
    job_progress_ = new QProgressBar(this);
    job_progress_->setFixedWidth(220);
    job_progress_->setRange(0, 1000);
    job_cancel_ = new QToolButton(this);
    job_cancel_->setText(tr("Cancel"));
    job_cancel_->setToolTip(tr("Stop the running ingest and drop the queued ones"));
    connect(job_cancel_, &QToolButton::clicked, ingest_, &IngestController::cancelAll);
    // Permanent widgets: temporary status messages do not hide a running job.
    statusBar()->addPermanentWidget(job_label_);
    statusBar()->addPermanentWidget(job_progress_);
    statusBar()->addPermanentWidget(job_cancel_);
    job_label_->hide();
    job_progress_->hide();
    job_cancel_->hide();
    statusBar()->showMessage(tr("Database: %1").arg(QString::fromStdString(store_->url())));
}

void MainWindow::chooseFiles()
{
    // Non-native and non-modal-blocking would be nicer for tests, but this is only reached by a person.
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Add Title"), QStandardPaths::writableLocation(QStandardPaths::MoviesLocation),
        tr("Video files (*.mp4 *.mkv *.mov *.webm *.avi *.mxf *.ts *.m4v *.mpg *.mpeg);;All files (*)"));
    if (!paths.isEmpty()) addFiles(paths);
}

void MainWindow::addFiles(const QStringList& paths)
{
    QStringList files;
    for (const QString& path : paths) {
        if (path.isEmpty()) continue;
        files << QFileInfo(path).absoluteFilePath();  // the core stores the path; relative ones would not resolve later
    }
    if (!files.isEmpty()) ingest_->enqueue(files);
}

void MainWindow::refreshTitles(qint64 select_title_id)
{
    const qint64 keep = select_title_id != 0 ? select_title_id : selectedTitleId();
    std::vector<TitleRecord> titles;
    try {
        titles = store_->titles();
    } catch (const std::exception& e) {
        showError(tr("Cannot read titles"), tr("Cannot read the title list: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    {
        // The reset clears the selection; do not let that look like the user deselecting the title.
        const QSignalBlocker block(title_list_->selectionModel());
        title_model_->setTitles(std::move(titles));
    }
    if (keep != 0 && title_model_->rowOfTitle(keep) >= 0) {
        const bool reload = keep != title_view_->titleId() || select_title_id != 0;
        const QSignalBlocker block(title_list_->selectionModel());
        title_list_->setCurrentIndex(title_model_->index(title_model_->rowOfTitle(keep), 0));
        title_list_->viewport()->update();
        if (reload) title_view_->showTitle(keep);
        if (reload) showTitleInCurrentView();
    } else if (title_view_->titleId() != 0 && title_model_->rowOfTitle(title_view_->titleId()) < 0) {
        title_view_->showTitle(0);
    }
    updateEmptyStates();
}

void MainWindow::selectTitle(qint64 title_id)
{
    const int row = title_model_->rowOfTitle(title_id);
    if (row < 0) return;
    title_list_->setCurrentIndex(title_model_->index(row, 0));  // selectionChanged loads it
    title_list_->scrollTo(title_model_->index(row, 0));
}

qint64 MainWindow::selectedTitleId() const
{
    const QModelIndexList rows = title_list_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return 0;
    return rows.first().data(TitleListModel::TitleIdRole).toLongLong();
}

void MainWindow::onSelectionChanged()
{
    const qint64 id = selectedTitleId();
    if (id != title_view_->titleId()) title_view_->showTitle(id);
    if (id != 0) library_view_->selectTitle(id);  // the Library follows the window's title
    showTitleInCurrentView();
    updateEmptyStates();
}

void MainWindow::onJobStarted(const QString& path)
{
    last_stage_.clear();
    const int queued = ingest_->queuedCount();
    job_label_->setText(queued > 0 ? tr("Adding %1 (%2 more queued)").arg(QFileInfo(path).fileName()).arg(queued)
                                   : tr("Adding %1").arg(QFileInfo(path).fileName()));
    job_progress_->setRange(0, 0);  // busy until the first progress report
    job_label_->show();
    job_progress_->show();
    job_cancel_->show();
}

void MainWindow::onJobProgress(const QString& path, const QString& stage, double fraction)
{
    if (fraction < 0) {
        job_progress_->setRange(0, 0);
    } else {
        job_progress_->setRange(0, 1000);
        job_progress_->setValue(static_cast<int>(fraction * 1000.0));
    }
    job_progress_->setFormat(fraction < 0 ? stage : QStringLiteral("%1 %p%").arg(stage));
    if (stage != last_stage_) {
        // A new stage means the core has created the title row: show it as "ingesting" in the list.
        last_stage_ = stage;
        refreshTitles();
    }
}

void MainWindow::onJobFinished(const QString& path, qint64 title_id, bool already_present, int shots)
{
    const QString name = QFileInfo(path).fileName();
    statusBar()->showMessage(already_present ? tr("%1 is already in the database").arg(name)
                                             : shots == 1 ? tr("Added %1: 1 shot").arg(name)
                                                           : tr("Added %1: %2 shots").arg(name).arg(shots),
                             10000);
    refreshTitles(title_id);
    selectTitle(title_id);
}

void MainWindow::onJobFailed(const QString& path, const QString& message, bool cancelled)
{
    const QString name = QFileInfo(path).fileName();
    refreshTitles();  // the title may be kept as failed or cancelled
    if (cancelled) {
        statusBar()->showMessage(tr("Cancelled adding %1").arg(name), 10000);
        return;
    }
    showError(tr("Could not add title"), tr("Could not add %1: %2").arg(path, message));
}

void MainWindow::showError(const QString& title, const QString& message)
{
    last_error_ = message;
    statusBar()->showMessage(message, 30000);
    // open(), not exec(): the error must not block the event loop (running ingests, tests).
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    Q_EMIT errorShown(message);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Frameline"),
                       tr("<h3>Frameline %1</h3>"
                          "<p>A review workstation for media understanding: shots, sampled frames and the "
                          "analysis of video titles, from a shared database.</p>"
                          "<p>Database: %2</p><p>Qt %3</p>")
                           .arg(QApplication::applicationVersion().toHtmlEscaped(),
                                QString::fromStdString(store_->url()).toHtmlEscaped(),
                                QString::fromLatin1(qVersion())));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!local_files(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList paths = local_files(event->mimeData());
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    addFiles(paths);
}

}  // namespace frameline::ui
