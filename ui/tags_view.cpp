#include "ui/tags_view.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>
#include <utility>

#include "core/store/store.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"
#include "ui/store_command.h"
#include "ui/tag_evidence_strip.h"
#include "ui/tag_review_model.h"
#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
QToolButton* action_button(QAction* action, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setFocusPolicy(Qt::NoFocus);  // a click must not take the keys away from the queue
    return b;
}

QString quoted(const std::string& s) { return QStringLiteral("'%1'").arg(QString::fromStdString(s)); }
}  // namespace

TagsView::TagsView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    thumbnails_ = new ThumbnailLoader(session_->sharedStore(), this);
    model_ = new TagReviewModel(session_, this);

    table_ = new QTableView(this);
    table_->setObjectName(QStringLiteral("tagTable"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(TagReviewModel::Label, QHeaderView::Stretch);
    table_->horizontalHeader()->setMinimumSectionSize(60);
    // Measure a few hundred rows for the column widths, not all of them: a title with thousands of tags stalled the
    // GUI thread for ~60 ms when the tab was shown (bench_ui_latency).
    table_->horizontalHeader()->setResizeContentsPrecision(200);

    buildActions();

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(table_);
    splitter->addWidget(buildDetail());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({680, 520});  // the table's columns all fit at the usual window width

    progress_label_ = new QLabel(this);
    progress_label_->setObjectName(QStringLiteral("progressLabel"));
    progress_bar_ = new QProgressBar(this);
    progress_bar_->setObjectName(QStringLiteral("progressBar"));
    progress_bar_->setTextVisible(false);
    progress_bar_->setMaximumHeight(14);
    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("message"));
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* status = new QHBoxLayout;
    status->addWidget(progress_label_);
    status->addWidget(progress_bar_, 1);
    status->addWidget(message_, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildFilters());
    layout->addWidget(buildAddBar());
    layout->addWidget(splitter, 1);
    layout->addWidget(buildCorrectBar());
    layout->addLayout(status);

    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TagsView::updateDetail);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TagsView::updateDetail);
    connect(model_, &QAbstractItemModel::dataChanged, this, &TagsView::updateDetail);
    connect(model_, &TagReviewModel::pageLoaded, this, &TagsView::onPageLoaded);
    connect(model_, &TagReviewModel::loadFailed, this,
            [this](const QString& error) { setMessage(tr("Could not load the tags: %1").arg(error)); });
    connect(session_, &ReviewSession::edited, this, &TagsView::onEdited);
    connect(session_, &ReviewSession::conflict, this, &TagsView::onConflict);
    connect(session_, &ReviewSession::changedElsewhere, this, [this] {
        if (title_id_ > 0) reload();
    });
    updateProgress();
    updateDetail();
}

TagsView::~TagsView() = default;

void TagsView::buildActions()
{
    auto bind = [this](const QString& text, const QString& id, const QString& description, const QKeySequence& key,
                       void (TagsView::*slot)()) {
        auto* a = new QAction(text, this);
        Shortcuts::instance().bind(a, id, description, key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // A, R, Space mean other things in other views
        addAction(a);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    accept_ = bind(tr("Accept"), QStringLiteral("tags.accept"), tr("Accept the selected tags"), QKeySequence("A"),
                   &TagsView::acceptSelected);
    reject_ = bind(tr("Reject"), QStringLiteral("tags.reject"), tr("Reject the selected tags"), QKeySequence("R"),
                   &TagsView::rejectSelected);
    correct_ = bind(tr("Correct…"), QStringLiteral("tags.correct"), tr("Give the current tag another label"),
                    QKeySequence("E"), &TagsView::startCorrect);
    next_ = bind(tr("Next"), QStringLiteral("tags.next"), tr("Go to the next unreviewed tag"), QKeySequence("Space"),
                 &TagsView::nextUnreviewed);
    add_ = bind(tr("Add tag…"), QStringLiteral("tags.add"), tr("Add a tag of your own"), QKeySequence("Ctrl+T"),
                &TagsView::startAddTag);
    for (QAction* a : {accept_, reject_, correct_, next_, add_})
        a->setToolTip(QStringLiteral("%1 (%2)").arg(a->text(), a->shortcut().toString(QKeySequence::NativeText)));
}

QWidget* TagsView::buildFilters()
{
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    text_filter_ = new QLineEdit(bar);
    text_filter_->setObjectName(QStringLiteral("textFilter"));
    text_filter_->setPlaceholderText(tr("Filter by tag or category"));
    text_filter_->setClearButtonEnabled(true);
    state_filter_ = new QComboBox(bar);
    state_filter_->setObjectName(QStringLiteral("stateFilter"));
    state_filter_->addItem(tr("All states"), -1);
    for (ReviewState s : {ReviewState::Proposed, ReviewState::Accepted, ReviewState::Rejected, ReviewState::Corrected})
        state_filter_->addItem(review_state_text(s), static_cast<int>(s));
    model_filter_ = new QComboBox(bar);
    model_filter_->setObjectName(QStringLiteral("modelFilter"));
    model_filter_->addItem(tr("All models"), QString());
    min_confidence_ = new QDoubleSpinBox(bar);
    min_confidence_->setObjectName(QStringLiteral("minConfidence"));
    min_confidence_->setRange(0.0, 1.0);
    min_confidence_->setSingleStep(0.05);
    min_confidence_->setDecimals(2);
    min_confidence_->setPrefix(tr("confidence ≥ "));
    order_ = new QComboBox(bar);
    order_->setObjectName(QStringLiteral("order"));
    order_->addItem(tr("Most uncertain first"), static_cast<int>(TagQueueOrder::Uncertainty));
    order_->addItem(tr("In time order"), static_cast<int>(TagQueueOrder::Time));
    order_->setToolTip(tr("Most uncertain: confidence nearest 0.5 first. In time order: as the shots play."));

    row->addWidget(text_filter_, 2);
    row->addWidget(state_filter_);
    row->addWidget(model_filter_);
    row->addWidget(min_confidence_);
    row->addWidget(order_);
    row->addWidget(action_button(add_, bar));

    // Every filter is a new query: the first page of what matches, read in SQL.
    connect(text_filter_, &QLineEdit::textChanged, this, &TagsView::requery);
    connect(state_filter_, &QComboBox::currentIndexChanged, this, &TagsView::requery);
    connect(model_filter_, &QComboBox::currentIndexChanged, this, &TagsView::requery);
    connect(min_confidence_, &QDoubleSpinBox::valueChanged, this, &TagsView::requery);
    connect(order_, &QComboBox::currentIndexChanged, this, [this] {
        // The tag in hand stays current in the new order (read on until it is loaded).
        want_current_ = currentTagId();
        requery();
    });
    return bar;
}

QWidget* TagsView::buildDetail()
{
    auto* panel = new QWidget(this);
    auto* column = new QVBoxLayout(panel);
    column->setContentsMargins(6, 0, 0, 0);
    headline_ = new QLabel(panel);
    headline_->setObjectName(QStringLiteral("headline"));
    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    headline_->setFont(big);
    headline_->setWordWrap(true);
    details_ = new QLabel(panel);
    details_->setWordWrap(true);
    details_->setTextFormat(Qt::RichText);
    evidence_ = new TagEvidenceStrip(thumbnails_, panel);
    evidence_->setObjectName(QStringLiteral("evidence"));
    auto* buttons = new QHBoxLayout;
    for (QAction* a : {accept_, reject_, correct_, next_}) buttons->addWidget(action_button(a, panel));
    buttons->addStretch(1);
    auto* caption = new QLabel(tr("Evidence frames"), panel);
    caption->setStyleSheet(QStringLiteral("color: palette(mid);"));
    column->addWidget(headline_);
    column->addWidget(details_);
    column->addLayout(buttons);
    column->addWidget(caption);
    column->addWidget(evidence_);
    column->addStretch(1);
    return panel;
}

QWidget* TagsView::buildCorrectBar()
{
    correct_bar_ = new QWidget(this);
    auto* row = new QHBoxLayout(correct_bar_);
    row->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(tr("New label:"), correct_bar_);
    correct_edit_ = new QLineEdit(correct_bar_);
    correct_edit_->setObjectName(QStringLiteral("correctEdit"));
    auto* ok = new QPushButton(tr("Correct"), correct_bar_);
    auto* cancel = new QPushButton(tr("Cancel"), correct_bar_);
    row->addWidget(label);
    row->addWidget(correct_edit_, 1);
    row->addWidget(ok);
    row->addWidget(cancel);
    auto* escape = new QAction(correct_bar_);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    correct_bar_->addAction(escape);
    auto close = [this] {
        correct_bar_->hide();
        correcting_id_ = 0;
        table_->setFocus();
    };
    connect(escape, &QAction::triggered, this, close);
    connect(cancel, &QPushButton::clicked, this, close);
    connect(ok, &QPushButton::clicked, this, &TagsView::applyCorrection);
    connect(correct_edit_, &QLineEdit::returnPressed, this, &TagsView::applyCorrection);
    correct_bar_->hide();
    return correct_bar_;
}

QWidget* TagsView::buildAddBar()
{
    add_bar_ = new QWidget(this);
    auto* row = new QHBoxLayout(add_bar_);
    row->setContentsMargins(0, 0, 0, 0);
    add_category_ = new QComboBox(add_bar_);
    add_category_->setObjectName(QStringLiteral("addCategory"));
    add_category_->setEditable(true);
    add_category_->setMinimumContentsLength(10);
    add_label_ = new QLineEdit(add_bar_);
    add_label_->setObjectName(QStringLiteral("addLabel"));
    add_label_->setPlaceholderText(tr("Label"));
    add_scope_ = new QComboBox(add_bar_);
    add_scope_->setObjectName(QStringLiteral("addScope"));
    auto* ok = new QPushButton(tr("Add"), add_bar_);
    auto* cancel = new QPushButton(tr("Cancel"), add_bar_);
    row->addWidget(new QLabel(tr("New tag:"), add_bar_));
    row->addWidget(add_category_);
    row->addWidget(add_label_, 1);
    row->addWidget(add_scope_);
    row->addWidget(ok);
    row->addWidget(cancel);
    connect(ok, &QPushButton::clicked, this, &TagsView::addTag);
    connect(add_label_, &QLineEdit::returnPressed, this, &TagsView::addTag);
    connect(cancel, &QPushButton::clicked, this, [this] {
        add_bar_->hide();
        table_->setFocus();
    });
    add_bar_->hide();
    return add_bar_;
}

void TagsView::showTitle(qint64 title_id)
{
    title_id_ = title_id;
    pending_.clear();
    keep_place_.reset();
    next_after_.reset();
    want_current_ = 0;
    thumbnails_->dropQueued();
    correct_bar_->hide();
    add_bar_->hide();
    setMessage({});
    stats_ = {};
    requery();
    loadShots();
}

void TagsView::reload()
{
    if (title_id_ <= 0) return;
    keep_place_ = Place{currentTagId(), selectedTagIds(), table_->verticalScrollBar()->value()};
    model_->reload();
    loadShots();
}

bool TagsView::isLoading() const { return model_->isLoading() || stats_loading_ > 0; }

void TagsView::requery()
{
    TagQueueFilter filter;
    filter.text = text_filter_->text().trimmed().toStdString();
    const int state = state_filter_->currentData().toInt();
    if (state >= 0) filter.state = static_cast<ReviewState>(state);
    filter.model = model_filter_->currentData().toString().toStdString();
    filter.min_confidence = min_confidence_->value();
    keep_place_.reset();
    next_after_.reset();
    model_->setQuery(title_id_, filter, static_cast<TagQueueOrder>(order_->currentData().toInt()));
    updateDetail();
}

void TagsView::onPageLoaded(bool reset)
{
    if (reset) pending_.clear();
    if (reset && keep_place_) {
        const Place place = *std::exchange(keep_place_, std::nullopt);
        QItemSelection selection;
        for (qint64 id : place.selected) {
            const QModelIndex i = model_->index(model_->rowOf(id), 0);
            if (i.isValid()) selection.select(i, i.siblingAtColumn(TagReviewModel::ColumnCount - 1));
        }
        const QModelIndex c = model_->index(model_->rowOf(place.current), 0);
        if (c.isValid()) table_->selectionModel()->setCurrentIndex(c, QItemSelectionModel::NoUpdate);
        table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        table_->verticalScrollBar()->setValue(place.scroll);
    } else if (want_current_ > 0) {
        // A tag asked for by selectTag() or kept over a change of order: read on until it is loaded.
        if (model_->rowOf(want_current_) >= 0) makeCurrent(model_->rowOf(std::exchange(want_current_, 0)));
        else if (model_->hasMore()) model_->fetchMore({});
        else want_current_ = 0;
    } else if (next_after_) {
        goToNextUnreviewed(*std::exchange(next_after_, std::nullopt));
    } else if (reset) {
        // A fresh query starts at the first tag that still needs a decision.
        goToNextUnreviewed(-1);
    }
    if (reset) loadStats();
    updateDetail();
    Q_EMIT loaded();
}

void TagsView::loadStats()
{
    if (title_id_ <= 0) {
        applyStats({});
        return;
    }
    const qint64 title_id = title_id_;
    ++stats_loading_;
    session_->read(
        this, [title_id](Store& store) { return store.tag_queue_stats(title_id); },
        [this, title_id](TagQueueStats stats) {
            --stats_loading_;
            if (title_id == title_id_) applyStats(stats);  // an older title's answer is dropped
        },
        [this](const QString& error) {
            --stats_loading_;
            setMessage(tr("Could not count the tags: %1").arg(error));
        });
}

void TagsView::applyStats(const TagQueueStats& stats)
{
    stats_ = stats;
    // The filter lists follow what the title has; the choice made survives (without a new query).
    const QString model_now = model_filter_->currentData().toString();
    model_filter_->blockSignals(true);
    while (model_filter_->count() > 1) model_filter_->removeItem(1);
    for (const std::string& m : stats.models) model_filter_->addItem(QString::fromStdString(m), QString::fromStdString(m));
    const int at = model_filter_->findData(model_now);
    model_filter_->setCurrentIndex(std::max(0, at));
    model_filter_->blockSignals(false);
    if (at < 0 && !model_now.isEmpty()) requery();  // the model chosen has no tags any more
    const QString category_now = add_category_->currentText();
    add_category_->clear();
    for (const std::string& c : stats.categories) add_category_->addItem(QString::fromStdString(c));
    add_category_->setCurrentText(category_now);
    updateProgress();
    updateDetail();
}

void TagsView::loadShots()
{
    const qint64 title_id = title_id_;
    add_scope_->clear();
    add_scope_->addItem(tr("Whole title"), -1);
    if (title_id <= 0) return;
    session_->read(
        this, [title_id](Store& store) { return store.shots(title_id); },
        [this, title_id](std::vector<frameline::Shot> shots) {
            if (title_id != title_id_) return;
            const QVariant chosen = add_scope_->currentData();
            add_scope_->clear();
            add_scope_->addItem(tr("Whole title"), -1);
            for (const frameline::Shot& s : shots)
                add_scope_->addItem(tr("Shot %1 · %2–%3").arg(s.index + 1).arg(format_time(s.start_s), format_time(s.end_s)),
                                    s.index);
            add_scope_->setCurrentIndex(std::max(0, add_scope_->findData(chosen)));
        });
}

qint64 TagsView::currentTagId() const
{
    const QModelIndex i = table_->currentIndex();
    return i.isValid() ? i.data(TagReviewModel::IdRole).toLongLong() : 0;
}

QList<qint64> TagsView::selectedTagIds() const
{
    QList<int> rows;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows()) rows << i.row();
    std::sort(rows.begin(), rows.end());
    QList<qint64> ids;
    for (int r : rows) ids << model_->index(r, 0).data(TagReviewModel::IdRole).toLongLong();
    return ids;
}

void TagsView::selectTag(qint64 tag_id)
{
    const int row = model_->rowOf(tag_id);
    if (row >= 0) {
        makeCurrent(row);
        return;
    }
    // Not loaded yet (a page still on its way, or further down the queue): current when it arrives.
    want_current_ = tag_id;
    if (!model_->isLoading() && model_->hasMore()) model_->fetchMore({});
}

void TagsView::makeCurrent(int row)
{
    const QModelIndex i = model_->index(row, 0);
    if (!i.isValid()) return;
    table_->selectionModel()->setCurrentIndex(
        i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(i);
}

int TagsView::nextUnreviewedRow(int after) const
{
    for (int row = std::max(0, after + 1); row < model_->rowCount(); ++row) {
        const TagRow* r = model_->rowAt(row);
        if (r->tag.state == ReviewState::Proposed && !pending_.contains(r->tag.id)) return row;
    }
    return -1;
}

void TagsView::goToNextUnreviewed(int after)
{
    const int next = nextUnreviewedRow(after);
    if (next >= 0) {
        makeCurrent(next);
        return;
    }
    if (model_->hasMore()) {  // the rest of the queue is not read yet: on with the next page
        next_after_ = model_->rowCount() - 1;
        if (!model_->isLoading()) model_->fetchMore({});
        return;
    }
    const int wrapped = after >= 0 ? nextUnreviewedRow(-1) : -1;  // from the top
    if (wrapped >= 0 && wrapped <= after) makeCurrent(wrapped);
    else if (after < 0 && model_->rowCount() > 0 && !table_->currentIndex().isValid()) makeCurrent(0);
    else if (after >= 0) setMessage(tr("Every tag shown has a decision."));
}

void TagsView::acceptSelected() { review(ReviewAction::Accept); }
void TagsView::rejectSelected() { review(ReviewAction::Reject); }

void TagsView::review(ReviewAction action)
{
    if (title_id_ <= 0) return;
    const QList<qint64> ids = selectedTagIds();
    if (ids.isEmpty()) {
        setMessage(tr("Select a tag first (arrow keys or a click)."));
        return;
    }
    const ReviewState target = action == ReviewAction::Accept ? ReviewState::Accepted : ReviewState::Rejected;
    QList<const TagRow*> rows;
    for (qint64 id : ids)
        if (const TagRow* r = model_->rowAt(model_->rowOf(id)); r && r->tag.state != target) rows << r;
    const QString verb = action == ReviewAction::Accept ? tr("Accept") : tr("Reject");
    auto make_review = [&](const TagRow* r) {
        frameline::Review rv;
        rv.entity = "tag";
        rv.id = r->tag.id;
        rv.expected_version = r->tag.version;
        rv.action = action;
        return rv;
    };
    if (rows.isEmpty()) {
        setMessage(tr("Already %1.").arg(review_state_text(target)));
    } else if (rows.size() == 1) {
        session_->undoStack()->push(StoreCommand::review(
            session_, tr("%1 tag %2").arg(verb, quoted(rows[0]->tag.label)), make_review(rows[0]), title_id_));
    } else {
        // One parent command: one Ctrl+Z takes the whole bulk review back.
        auto* bulk = new QUndoCommand(tr("%1 %2 tags").arg(verb).arg(rows.size()));
        for (const TagRow* r : rows)
            StoreCommand::review(session_, tr("%1 tag %2").arg(verb, quoted(r->tag.label)), make_review(r), title_id_,
                                 bulk);
        session_->undoStack()->push(bulk);
    }
    for (const TagRow* r : rows) pending_.insert(r->tag.id);
    // On to the next tag that needs a decision, after the last one just decided.
    if (!rows.isEmpty()) goToNextUnreviewed(model_->rowOf(ids.back()));
}

void TagsView::nextUnreviewed()
{
    const QModelIndex current = table_->currentIndex();
    goToNextUnreviewed(current.isValid() ? current.row() : -1);
}

void TagsView::startCorrect()
{
    const qint64 id = currentTagId();
    const TagRow* r = model_->rowAt(model_->rowOf(id));
    if (!r) {
        setMessage(tr("Select a tag to correct first."));
        return;
    }
    correcting_id_ = id;
    add_bar_->hide();
    correct_bar_->show();
    correct_edit_->setText(QString::fromStdString(r->tag.label));
    correct_edit_->selectAll();
    correct_edit_->setFocus();
}

void TagsView::applyCorrection()
{
    const TagRow* r = model_->rowAt(model_->rowOf(correcting_id_));
    if (!r) {
        correct_bar_->hide();
        return;
    }
    const QString label = correct_edit_->text().simplified();
    if (label.isEmpty()) {
        setMessage(tr("A tag needs a label: type the new label, or press Esc to keep %1.")
                       .arg(quoted(r->tag.label)));
        return;
    }
    if (label.toStdString() == r->tag.label) {
        setMessage(tr("That is its label already: press A to accept it as it is."));
        return;
    }
    frameline::Review rv;
    rv.entity = "tag";
    rv.id = r->tag.id;
    rv.expected_version = r->tag.version;
    rv.action = ReviewAction::Correct;
    rv.label = label.toStdString();
    session_->undoStack()->push(StoreCommand::review(
        session_, tr("Correct tag %1 to '%2'").arg(quoted(r->tag.label), label), rv, title_id_));
    pending_.insert(r->tag.id);
    correct_bar_->hide();
    correcting_id_ = 0;
    table_->setFocus();
    goToNextUnreviewed(model_->rowOf(rv.id));
}

void TagsView::startAddTag()
{
    if (title_id_ <= 0) return;
    correct_bar_->hide();
    add_bar_->show();
    add_label_->clear();
    add_label_->setFocus();
}

void TagsView::addTag()
{
    const QString category = add_category_->currentText().simplified();
    const QString label = add_label_->text().simplified();
    if (category.isEmpty() || label.isEmpty()) {
        setMessage(tr("A tag needs a category and a label."));
        return;
    }
    frameline::Tag tag;
    tag.title_id = title_id_;
    tag.category = category.toStdString();
    tag.label = label.toStdString();
    tag.shot_index = add_scope_->currentData().isValid() ? add_scope_->currentData().toInt() : -1;
    session_->undoStack()->push(StoreCommand::add(session_, tr("Add tag '%1'").arg(label), QStringLiteral("tag"),
                                                  title_id_, [tag](Store& store, const std::string& reviewer, int64_t* event) {
                                                      return store.add_tag(reviewer, tag, event);
                                                  }));
    add_bar_->hide();
    table_->setFocus();
}

void TagsView::onEdited(const EditReport& report)
{
    if (report.entity != QStringLiteral("tag") || report.title_id != title_id_) return;
    pending_.remove(report.id);
    if (!model_->applyResult(report.id, report.result)) {
        reload();  // a tag this table has not seen (just added): read it, keeping the place
        return;
    }
    loadStats();
}

void TagsView::onConflict(const EditReport& report)
{
    if (report.entity != QStringLiteral("tag") || report.title_id != title_id_) return;
    pending_.remove(report.id);
    const TagRow* r = model_->rowAt(model_->rowOf(report.id));
    const QString was = r ? quoted(r->tag.label) : QString::number(report.id);
    model_->applyResult(report.id, report.result);  // show what is stored now
    const QJsonObject now = QJsonDocument::fromJson(QByteArray::fromStdString(report.result.snapshot)).object();
    setMessage(tr("Tag %1 was changed by someone else meanwhile (now %2 '%3'); your edit \"%4\" was not applied — "
                  "look at it again and decide.")
                   .arg(was, review_state_text(report.result.state), now.value(QStringLiteral("label")).toString(),
                        report.text));
    loadStats();
}

QString TagsView::progressText() const { return progress_label_->text(); }
QString TagsView::message() const { return message_->text(); }

void TagsView::updateProgress()
{
    const int total = static_cast<int>(stats_.total);
    const int reviewed = static_cast<int>(stats_.reviewed);
    progress_label_->setText(tr("%1 / %2 reviewed").arg(reviewed).arg(total));
    progress_bar_->setRange(0, std::max(1, total));
    progress_bar_->setValue(reviewed);
}

void TagsView::updateDetail()
{
    const QList<qint64> selected = selectedTagIds();
    const TagRow* r = model_->rowAt(model_->rowOf(currentTagId()));
    accept_->setEnabled(!selected.isEmpty());
    reject_->setEnabled(!selected.isEmpty());
    correct_->setEnabled(r != nullptr);
    if (!r) {
        headline_->setText(title_id_ > 0 ? (isLoading() ? tr("Loading…") : tr("No tag selected"))
                                         : tr("No title open"));
        details_->setText(title_id_ > 0 && stats_.total == 0 && !isLoading()
                              ? tr("This title has no tag proposals. Add one with “Add tag…”.")
                              : QString());
        evidence_->setFrames({}, {});
        return;
    }
    const frameline::Tag& t = r->tag;
    headline_->setText(selected.size() > 1 ? tr("%1 tags selected (A/R decides all of them)").arg(selected.size())
                                           : QString::fromStdString(t.label));
    details_->setText(tr("<b>%1</b> · %2<br>confidence %3 · from %4 · <i>%5</i>")
                          .arg(QString::fromStdString(t.category).toHtmlEscaped(), r->scope.toHtmlEscaped())
                          .arg(t.confidence, 0, 'f', 2)
                          .arg(r->model.toHtmlEscaped(), review_state_text(t.state)));
    evidence_->setFrames(r->evidence_frame_ids, r->evidence_frame_indices);
}

void TagsView::setMessage(const QString& text) { message_->setText(text); }

}  // namespace frameline::ui
