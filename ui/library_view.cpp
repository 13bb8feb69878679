#include "ui/library_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "core/store/store.h"
#include "ui/library_model.h"
#include "ui/library_cell_delegate.h"
#include "ui/review_session.h"

namespace frameline::ui {

namespace {
// Says what the Library will show and how to get there; the title list beside it has the step-by-step version
// (first_run.h), so this one does not repeat it word for word.
QString empty_text(const QString& database_url)
{
    return LibraryView::tr("<h3>No titles yet</h3>"
                           "<p>The Library lists every title of this database with its review progress: tags "
                           "reviewed, characters named, chapters, artwork picked, and who reviewed it last.</p>"
                           "<p>Add a title by dropping a video file on this window, with <b>File ▸ Add Title…</b> "
                           "(Ctrl+O), or from a terminal:<br><code>frameline-cli ingest FILE --db %1</code></p>"
                           "<p>Titles that others add to this database appear here by themselves.</p>")
        .arg(database_url.toHtmlEscaped());
}
}  // namespace

LibraryView::LibraryView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    setObjectName(QStringLiteral("libraryView"));
    model_ = new LibraryModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(LibraryModel::SortRole);
    proxy_->setFilterKeyColumn(LibraryModel::NameColumn);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    filter_ = new QLineEdit(this);
    filter_->setObjectName(QStringLiteral("libraryFilter"));
    filter_->setPlaceholderText(tr("Filter titles by name"));
    filter_->setClearButtonEnabled(true);
    filter_->setMaximumWidth(360);
    count_ = new QLabel(this);
    count_->setObjectName(QStringLiteral("libraryCount"));
    connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
        proxy_->setFilterFixedString(text.trimmed());
        updatePlaceholder();
    });

    table_ = new QTableView(this);
    table_->setObjectName(QStringLiteral("libraryTable"));
    table_->setModel(proxy_);
    table_->setItemDelegate(new LibraryCellDelegate(table_));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->setShowGrid(false);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->setSortingEnabled(true);
    table_->sortByColumn(LibraryModel::NameColumn, Qt::AscendingOrder);
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LibraryModel::NameColumn, QHeaderView::Stretch);
    header->setHighlightSections(false);
    // Enter (QAbstractItemView sends activated) and double-click both open the title.
    connect(table_, &QTableView::activated, this, &LibraryView::onActivated);

    placeholder_ = new QLabel(empty_text(QString::fromStdString(session_->store().url())), this);
    placeholder_->setObjectName(QStringLiteral("libraryPlaceholder"));
    placeholder_->setWordWrap(true);
    placeholder_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    placeholder_->setMargin(24);
    placeholder_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* table_page = new QWidget(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(filter_, 1);
    bar->addStretch(0);
    bar->addWidget(count_);
    auto* page_layout = new QVBoxLayout(table_page);
    page_layout->setContentsMargins(8, 8, 8, 8);
    page_layout->addLayout(bar);
    page_layout->addWidget(table_, 1);

    stack_ = new QStackedWidget(this);
    stack_->addWidget(table_page);
    stack_->addWidget(placeholder_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);

    reload_timer_ = new QTimer(this);
    reload_timer_->setSingleShot(true);
    reload_timer_->setInterval(kReloadDelayMs);
    connect(reload_timer_, &QTimer::timeout, this, &LibraryView::reload);
    connect(session_, &ReviewSession::edited, this, &LibraryView::scheduleReload);
    connect(session_, &ReviewSession::changedElsewhere, this, &LibraryView::scheduleReload);
    setFocusProxy(table_);
    updatePlaceholder();
}

void LibraryView::scheduleReload()
{
    if (!isVisible()) {
        stale_ = true;  // read when shown: a hidden table is not worth a query per change
        return;
    }
    // A throttle, not a pure debounce: a steady stream of changes still reaches the table every kReloadDelayMs.
    if (!reload_timer_->isActive()) reload_timer_->start();
}

void LibraryView::reload()
{
    reload_timer_->stop();
    stale_ = false;
    if (loading_) {
        reload_again_ = true;
        return;
    }
    loading_ = true;
    session_->read(
        this, [](Store& store) { return store.title_summaries(); },
        [this](std::vector<TitleSummary> rows) {
            const qint64 keep = wanted_title_ != 0 ? wanted_title_ : currentTitleId();
            const int scroll = table_->verticalScrollBar()->value();
            if (model_->setSummaries(std::move(rows))) {
                // Other titles or another order: the reset dropped the selection; put the reviewer back.
                const int row = keep != 0 ? model_->rowOfTitle(keep) : -1;
                const QModelIndex at = row >= 0 ? proxy_->mapFromSource(model_->index(row, 0)) : QModelIndex();
                if (at.isValid())
                    table_->selectionModel()->setCurrentIndex(
                        at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                if (row >= 0 && keep == wanted_title_) table_->scrollTo(at);
                else table_->verticalScrollBar()->setValue(scroll);
                if (row >= 0) wanted_title_ = 0;
            }
            loading_ = false;
            loaded_once_ = true;
            count_->setStyleSheet(QString());
            updatePlaceholder();
            Q_EMIT loaded();
            if (reload_again_) {
                reload_again_ = false;
                reload();
            }
        },
        [this](const QString& message) {
            loading_ = false;
            count_->setStyleSheet(QStringLiteral("color: #c0392b"));
            count_->setText(tr("Cannot read the titles: %1 (retrying on the next change)").arg(message));
            if (reload_again_) {
                reload_again_ = false;
                reload();
            }
        });
}

void LibraryView::selectTitle(qint64 title_id)
{
    const int row = model_->rowOfTitle(title_id);
    if (row < 0) {
        wanted_title_ = title_id;  // not read yet: selected when it arrives
        return;
    }
    wanted_title_ = 0;
    const QModelIndex at = proxy_->mapFromSource(model_->index(row, 0));
    if (!at.isValid()) return;  // filtered out
    table_->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(at);
}

qint64 LibraryView::currentTitleId() const
{
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    const QModelIndex at = rows.isEmpty() ? table_->currentIndex() : rows.first();
    return at.isValid() ? at.data(LibraryModel::TitleIdRole).toLongLong() : 0;
}

void LibraryView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (stale_) reload();
}

void LibraryView::onActivated(const QModelIndex& index)
{
    const qint64 id = index.data(LibraryModel::TitleIdRole).toLongLong();
    if (id != 0) Q_EMIT openTitle(id);
}

void LibraryView::updatePlaceholder()
{
    const int total = model_->rowCount();
    stack_->setCurrentIndex(loaded_once_ && total == 0 ? 1 : 0);
    if (!loaded_once_) {
        count_->setText(tr("Reading the titles…"));
        return;
    }
    const int shown = proxy_->rowCount();
    const QString hint = tr("double-click or Enter opens a title");
    const QString titles = total == 1 ? tr("1 title") : tr("%1 titles").arg(total);
    count_->setText(shown == total ? tr("%1 · %2").arg(titles, hint) : tr("%1 of %2 · %3").arg(shown).arg(titles, hint));
}

}  // namespace frameline::ui
