#include "ui/chapters_view.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QToolBar>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/store/store.h"
#include "ui/chapter_commands.h"
#include "ui/chapter_timeline.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"
#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"

namespace frameline::ui {

struct ChaptersData {
    qint64 title_id = 0;
    quint64 generation = 0;
    bool found = false;
    int64_t frame_count = 0;
    double fps = 0.0;
    std::vector<int64_t> cuts;
    std::vector<std::pair<int64_t, qint64>> frames;  // frame index -> stored frame id
    std::vector<Chapter> chapters;
};

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr QSize kPreviewSize(240, 135);

ChaptersData load(Store& store, qint64 title_id, quint64 generation)
{
    ChaptersData d;
    d.title_id = title_id;
    d.generation = generation;
    const auto title = store.title(title_id);
    if (!title) return d;
    d.found = true;
    d.fps = title->fps;
    d.frame_count = title->frame_count;
    for (const Shot& s : store.shots(title_id)) {
        if (s.index > 0) d.cuts.push_back(s.start_frame);
        d.frame_count = std::max(d.frame_count, s.end_frame);
    }
    for (const FrameRecord& f : store.frames(title_id)) d.frames.emplace_back(f.frame_index, f.id);
    std::sort(d.frames.begin(), d.frames.end());
    d.chapters = store.chapters(title_id);
    return d;
}

QString kind_name(ChapterKind kind)
{
    switch (kind) {
    case ChapterKind::Chapter: return ChaptersView::tr("Chapter");
    case ChapterKind::KeyScene: return ChaptersView::tr("Key scene");
    case ChapterKind::Scene: return ChaptersView::tr("Scene");
    }
    return {};
}

int kind_order(ChapterKind kind) { return kind == ChapterKind::Chapter ? 0 : kind == ChapterKind::KeyScene ? 1 : 2; }

// A row as the store's snapshot (JSON) of an applied edit has it now: keeps the version the next edit expects.
void apply_snapshot(Chapter& c, const std::string& snapshot)
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(snapshot)).object();
    if (o.isEmpty()) return;
    if (o.contains(QLatin1String("version"))) c.version = o.value(QLatin1String("version")).toInteger();
    if (o.contains(QLatin1String("state")))
        c.state = review_state_from_string(o.value(QLatin1String("state")).toString().toStdString());
    if (o.contains(QLatin1String("label"))) c.label = o.value(QLatin1String("label")).toString().toStdString();
    if (o.contains(QLatin1String("start_frame"))) c.start_frame = o.value(QLatin1String("start_frame")).toInteger();
    if (o.contains(QLatin1String("end_frame"))) c.end_frame = o.value(QLatin1String("end_frame")).toInteger();
    if (o.contains(QLatin1String("start_s"))) c.start_s = o.value(QLatin1String("start_s")).toDouble();
    if (o.contains(QLatin1String("end_s"))) c.end_s = o.value(QLatin1String("end_s")).toDouble();
}
}  // namespace

ChaptersView::ChaptersView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    thumbnails_ = new ThumbnailLoader(session_->sharedStore(), this);

    auto bind = [this](const QString& id, const QString& text, const QKeySequence& key, void (ChaptersView::*slot)()) {
        auto* action = new QAction(text, this);
        Shortcuts::instance().bind(action, id, text, key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // other views use the same keys
        addAction(action);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    rename_ = bind(QStringLiteral("chapters.rename"), tr("Rename"), QKeySequence(Qt::Key_F2), &ChaptersView::renameSelected);
    split_ = bind(QStringLiteral("chapters.split"), tr("Split at Cursor"), QKeySequence(Qt::Key_S),
                  &ChaptersView::splitSelected);
    merge_ = bind(QStringLiteral("chapters.merge"), tr("Merge with Next"), QKeySequence(Qt::Key_M),
                  &ChaptersView::mergeSelectedWithNext);
    accept_ = bind(QStringLiteral("chapters.accept"), tr("Accept"), QKeySequence(Qt::Key_A), &ChaptersView::acceptSelected);
    reject_ = bind(QStringLiteral("chapters.reject"), tr("Reject"), QKeySequence(Qt::Key_R), &ChaptersView::rejectSelected);
    delete_ = bind(QStringLiteral("chapters.delete"), tr("Delete"), QKeySequence(QKeySequence::Delete),
                   &ChaptersView::rejectSelected);
    delete_->setToolTip(tr("Delete the chapter (a reject: it can be undone and accepted again)"));

    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction* a : {rename_, split_, merge_, accept_, reject_}) {
        toolbar->addAction(a);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(a->text(), a->shortcut().toString(QKeySequence::NativeText)));
    }
    hint_ = new QLabel(tr("Drag an edge to move it (snaps to cuts; Shift: free). Click to place the split cursor."), this);
    hint_->setEnabled(false);
    hint_->setWordWrap(true);
    auto* top = new QHBoxLayout;
    top->addWidget(toolbar);
    top->addWidget(hint_, 1);

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->hide();

    timeline_ = new ChapterTimeline(this);

    table_ = new QTableWidget(0, ColumnCount, this);
    table_->setHorizontalHeaderLabels(
        {tr("Label"), tr("Kind"), tr("Time"), tr("Frames"), tr("State"), tr("Confidence")});
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked);  // F2 is the remappable rename action
    table_->setAlternatingRowColors(true);
    table_->horizontalHeader()->setSectionResizeMode(LabelColumn, QHeaderView::Stretch);
    for (int c = KindColumn; c < ColumnCount; ++c)
        table_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    preview_ = new QLabel(this);
    preview_->setFixedSize(kPreviewSize);
    preview_->setAlignment(Qt::AlignCenter);
    preview_->setStyleSheet(QStringLiteral("background:#202020; color:#9a9a9a;"));
    details_ = new QLabel(this);
    details_->setWordWrap(true);
    details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* side = new QWidget(this);
    auto* side_layout = new QVBoxLayout(side);
    side_layout->setContentsMargins(0, 0, 0, 0);
    side_layout->addWidget(preview_);
    side_layout->addWidget(details_, 1);
    side->setFixedWidth(kPreviewSize.width() + 8);

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(table_, 1);
    bottom->addWidget(side);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(status_);
    layout->addWidget(timeline_);
    layout->addLayout(bottom, 1);

    connect(timeline_, &ChapterTimeline::chapterClicked, this, &ChaptersView::selectChapter);
    connect(timeline_, &ChapterTimeline::boundaryMoved, this, &ChaptersView::onBoundaryMoved);
    connect(timeline_, &ChapterTimeline::editRefused, this, [this](const QString& m) { setStatus(m, true); });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ChaptersView::onTableSelectionChanged);
    connect(table_, &QTableWidget::itemChanged, this, &ChaptersView::onItemChanged);
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, [this](qint64 id, const QImage& image) {
        if (id == preview_frame_id_)
            preview_->setPixmap(QPixmap::fromImage(image.scaled(kPreviewSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    });
    connect(session_, &ReviewSession::edited, this, &ChaptersView::onEdited);
    connect(session_, &ReviewSession::conflict, this, &ChaptersView::onConflict);
    connect(session_, &ReviewSession::changedElsewhere, this, &ChaptersView::reload);
    updateActions();
}

ChaptersView::~ChaptersView() = default;

void ChaptersView::showTitle(qint64 title_id)
{
    if (title_id != title_id_) {
        setStatus({}, false);
        chapters_.clear();
        frame_ids_.clear();
        timeline_->clear();
        filling_ = true;
        table_->setRowCount(0);
        filling_ = false;
        thumbnails_->dropQueued();
        updatePreview();
    }
    title_id_ = title_id;
    ++generation_;
    loading_ = title_id != 0;
    updateActions();
    if (title_id != 0) reload();
}

void ChaptersView::reload()
{
    if (title_id_ == 0) return;
    const quint64 generation = ++generation_;
    const qint64 title = title_id_;
    loading_ = true;
    session_->read(
        this, [title, generation](Store& store) { return load(store, title, generation); },
        [this](ChaptersData d) { applyData(d); },
        [this, generation](const QString& message) {
            if (generation != generation_) return;
            loading_ = false;
            setStatus(tr("The chapters could not be read: %1").arg(message), true);
        });
}

void ChaptersView::applyData(const ChaptersData& d)
{
    if (d.generation != generation_ || d.title_id != title_id_) return;  // the reviewer has moved on
    loading_ = false;
    if (!d.found) {
        setStatus(tr("Title %1 is no longer in the database.").arg(d.title_id), true);
        chapters_.clear();
        timeline_->clear();
        fillTable();
        return;
    }
    fps_ = d.fps;
    frame_ids_ = d.frames;
    chapters_ = d.chapters;
    std::stable_sort(chapters_.begin(), chapters_.end(), [](const Chapter& a, const Chapter& b) {
        if (kind_order(a.kind) != kind_order(b.kind)) return kind_order(a.kind) < kind_order(b.kind);
        return a.start_frame < b.start_frame;
    });
    const qint64 selected = selectedChapter();
    const int64_t cursor = timeline_->cursorFrame();
    timeline_->setTitle(d.frame_count, d.fps, d.cuts);
    timeline_->setChapters(chapters_);
    timeline_->setCursorFrame(cursor);
    fillTable();
    if (selected != 0 && chapterById(selected)) selectChapter(selected);
    else if (!chapters_.empty()) selectChapter(chapters_.front().id);  // a title opens on its first chapter
    updatePreview();
    updateActions();
    Q_EMIT loaded(d.title_id);
}

void ChaptersView::fillTable()
{
    // Keep the reviewer's place: the selection by id and the scroll position.
    std::vector<qint64> selected;
    for (const Chapter* c : selectedChapters()) selected.push_back(c->id);
    const int scroll = table_->verticalScrollBar()->value();
    const qint64 current = table_->currentItem() ? table_->item(table_->currentRow(), 0)->data(kIdRole).toLongLong() : 0;

    filling_ = true;
    const QSignalBlocker block(table_->selectionModel());
    table_->setRowCount(static_cast<int>(chapters_.size()));
    for (int row = 0; row < static_cast<int>(chapters_.size()); ++row) {
        const Chapter& c = chapters_[static_cast<size_t>(row)];
        const bool rejected = c.state == ReviewState::Rejected;
        const QString texts[ColumnCount] = {
            QString::fromStdString(c.label),
            kind_name(c.kind),
            QStringLiteral("%1 – %2").arg(format_time(c.start_s), format_time(c.end_s)),
            QStringLiteral("%1–%2").arg(c.start_frame).arg(c.end_frame),
            QString::fromLatin1(to_string(c.state)),
            QStringLiteral("%1%").arg(std::lround(c.confidence * 100.0)),
        };
        for (int col = 0; col < ColumnCount; ++col) {
            auto* item = new QTableWidgetItem(texts[col]);
            item->setData(kIdRole, QVariant::fromValue<qint64>(c.id));
            Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
            if (col == LabelColumn && !rejected) flags |= Qt::ItemIsEditable;
            item->setFlags(flags);
            if (rejected) {
                QFont f = item->font();
                f.setStrikeOut(true);
                item->setFont(f);
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            }
            if (col >= FramesColumn) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(row, col, item);
        }
    }
    table_->clearSelection();
    for (int row = 0; row < table_->rowCount(); ++row) {
        const qint64 id = table_->item(row, 0)->data(kIdRole).toLongLong();
        if (id == current) table_->setCurrentCell(row, 0, QItemSelectionModel::NoUpdate);
        if (std::find(selected.begin(), selected.end(), id) != selected.end())
            table_->selectionModel()->select(table_->model()->index(row, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    table_->verticalScrollBar()->setValue(scroll);
    filling_ = false;
}

const Chapter* ChaptersView::chapterById(qint64 id) const
{
    for (const Chapter& c : chapters_)
        if (c.id == id) return &c;
    return nullptr;
}

std::vector<const Chapter*> ChaptersView::selectedChapters() const
{
    std::vector<const Chapter*> out;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        if (const Chapter* c = chapterById(index.data(kIdRole).toLongLong())) out.push_back(c);
    std::sort(out.begin(), out.end(), [](const Chapter* a, const Chapter* b) { return a->start_frame < b->start_frame; });
    return out;
}

qint64 ChaptersView::selectedChapter() const
{
    if (const QTableWidgetItem* item = table_->currentItem(); item && item->isSelected())
        return item->data(kIdRole).toLongLong();
    const auto selected = selectedChapters();
    return selected.empty() ? 0 : selected.front()->id;
}

void ChaptersView::selectChapter(qint64 id)
{
    for (int row = 0; row < table_->rowCount(); ++row) {
        if (table_->item(row, 0)->data(kIdRole).toLongLong() != id) continue;
        table_->setCurrentCell(row, LabelColumn,
                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table_->scrollToItem(table_->item(row, 0));
        return;
    }
}

void ChaptersView::onTableSelectionChanged()
{
    if (filling_) return;
    timeline_->setSelectedChapter(selectedChapter());
    updatePreview();
    updateActions();
}

QString ChaptersView::statusMessage() const { return status_->isVisible() ? status_->text() : QString(); }

void ChaptersView::setStatus(const QString& message, bool error)
{
    status_->setText(message);
    status_->setStyleSheet(error ? QStringLiteral("color:#c0392b") : QString());
    status_->setVisible(!message.isEmpty());
    if (!message.isEmpty()) Q_EMIT statusChanged(message);
}

void ChaptersView::updateActions()
{
    const auto selected = selectedChapters();
    const bool one = selected.size() == 1 && selected.front()->state != ReviewState::Rejected;
    rename_->setEnabled(one);
    split_->setEnabled(one);
    merge_->setEnabled(one);
    accept_->setEnabled(!selected.empty());
    reject_->setEnabled(!selected.empty());
    delete_->setEnabled(!selected.empty());
}

void ChaptersView::updatePreview()
{
    const Chapter* c = chapterById(selectedChapter());
    preview_frame_id_ = 0;
    preview_->clear();
    if (!c) {
        preview_->setText(title_id_ == 0 ? QString() : tr("Select a chapter"));
        details_->clear();
        return;
    }
    details_->setText(tr("<b>%1</b><br>%2, frames %3–%4<br>%5 – %6<br>%7, confidence %8%")
                          .arg(QString::fromStdString(c->label).toHtmlEscaped(), kind_name(c->kind))
                          .arg(c->start_frame)
                          .arg(c->end_frame)
                          .arg(format_time(c->start_s), format_time(c->end_s))
                          .arg(QString::fromLatin1(to_string(c->state)))
                          .arg(std::lround(c->confidence * 100.0)));
    const auto it = std::lower_bound(frame_ids_.begin(), frame_ids_.end(), std::make_pair(c->start_frame, qint64(0)));
    if (it == frame_ids_.end() || it->first > c->end_frame) {
        preview_->setText(tr("No sampled frame"));
        return;
    }
    preview_frame_id_ = it->second;
    const QImage image = thumbnails_->thumbnail(preview_frame_id_);
    if (image.isNull())
        preview_->setText(tr("Loading…"));
    else
        preview_->setPixmap(QPixmap::fromImage(image.scaled(kPreviewSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void ChaptersView::onEdited(const EditReport& report)
{
    if (report.entity != QLatin1String("chapter") || report.title_id != title_id_) return;
    // The row as stored now, at once (the next edit needs its version), then everything read again.
    for (Chapter& c : chapters_)
        if (c.id == report.id) apply_snapshot(c, report.result.snapshot);
    reload();
}

void ChaptersView::onConflict(const EditReport& report)
{
    if (report.entity != QLatin1String("chapter") || report.title_id != title_id_) return;
    const Chapter* c = chapterById(report.id);
    setStatus(tr("Someone else changed %1 first (now %2, version %3); your edit was not saved and the chapters were "
                 "read again.")
                  .arg(c ? chapter_edits::displayName(*c) : tr("chapter %1").arg(report.id))
                  .arg(QString::fromLatin1(to_string(report.result.state)))
                  .arg(report.result.version),
              true);
    reload();
}

void ChaptersView::renameSelected()
{
    const auto selected = selectedChapters();
    if (selected.size() != 1) {
        setStatus(tr("Select one chapter to rename."), true);
        return;
    }
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, 0)->data(kIdRole).toLongLong() == selected.front()->id) {
            table_->setFocus();
            table_->editItem(table_->item(row, LabelColumn));
            return;
        }
}

void ChaptersView::onItemChanged(QTableWidgetItem* item)
{
    if (filling_ || item->column() != LabelColumn) return;
    const Chapter* c = chapterById(item->data(kIdRole).toLongLong());
    if (!c) return;
    const QString label = item->text().trimmed();
    const QString old = QString::fromStdString(c->label);
    if (label == old) return;
    if (label.isEmpty()) {
        filling_ = true;
        item->setText(old);  // back to the stored name
        filling_ = false;
        setStatus(tr("A chapter needs a name: %1 was not renamed. Type a name, or reject the chapter (R) to drop it.")
                      .arg(chapter_edits::displayName(*c)),
                  true);
        return;
    }
    setStatus({}, false);
    session_->undoStack()->push(chapter_edits::rename(session_, *c, label));
}

void ChaptersView::splitSelected()
{
    const auto selected = selectedChapters();
    if (selected.size() != 1 || selected.front()->state == ReviewState::Rejected) {
        setStatus(tr("Select one chapter to split."), true);
        return;
    }
    const Chapter c = *selected.front();
    int64_t at = timeline_->cursorFrame();
    if (at <= c.start_frame || at > c.end_frame) {
        // No cursor inside it: the cut nearest its middle, if it has one inside.
        at = -1;
        const double middle = (c.start_frame + c.end_frame + 1) / 2.0;
        for (int64_t cut : timeline_->cuts())
            if (cut > c.start_frame && cut <= c.end_frame && (at < 0 || std::abs(cut - middle) < std::abs(at - middle)))
                at = cut;
    }
    if (at < 0) {
        setStatus(tr("Click the timeline inside %1 where its second part should begin, then split (%2).")
                      .arg(chapter_edits::displayName(c), split_->shortcut().toString(QKeySequence::NativeText)),
                  true);
        return;
    }
    const QString second = c.label.empty() ? QString() : tr("%1 (2)").arg(QString::fromStdString(c.label));
    setStatus(tr("Split %1 at frame %2.").arg(chapter_edits::displayName(c)).arg(at), false);
    session_->undoStack()->push(chapter_edits::split(session_, c, at, second));
}

void ChaptersView::mergeSelectedWithNext()
{
    const auto selected = selectedChapters();
    if (selected.size() != 1 || selected.front()->state == ReviewState::Rejected) {
        setStatus(tr("Select one chapter to merge with the next one."), true);
        return;
    }
    const Chapter c = *selected.front();
    const Chapter* next = nullptr;
    for (const Chapter& o : chapters_) {
        if (o.id == c.id || o.kind != c.kind || o.state == ReviewState::Rejected) continue;
        if (o.start_frame < c.start_frame || (o.start_frame == c.start_frame && o.id < c.id)) continue;
        if (!next || o.start_frame < next->start_frame) next = &o;
    }
    if (!next) {
        setStatus(tr("%1 is the last of its kind: there is no next one to merge it with.")
                      .arg(chapter_edits::displayName(c)),
                  true);
        return;
    }
    setStatus({}, false);
    session_->undoStack()->push(chapter_edits::merge(session_, c, *next));
}

void ChaptersView::acceptSelected() { reviewSelected(ReviewAction::Accept); }
void ChaptersView::rejectSelected() { reviewSelected(ReviewAction::Reject); }

void ChaptersView::reviewSelected(ReviewAction action)
{
    std::vector<const Chapter*> todo;
    const ReviewState target = action == ReviewAction::Accept ? ReviewState::Accepted : ReviewState::Rejected;
    for (const Chapter* c : selectedChapters())
        if (c->state != target) todo.push_back(c);
    if (todo.empty()) return;
    setStatus({}, false);
    if (todo.size() == 1) {
        session_->undoStack()->push(chapter_edits::review(session_, *todo.front(), action));
        return;
    }
    auto* parent = new QUndoCommand(action == ReviewAction::Accept ? tr("Accept %n chapters", nullptr, int(todo.size()))
                                                                   : tr("Reject %n chapters", nullptr, int(todo.size())));
    for (const Chapter* c : todo) chapter_edits::review(session_, *c, action, parent);
    session_->undoStack()->push(parent);
}

void ChaptersView::onBoundaryMoved(const std::optional<Chapter>& left, const std::optional<Chapter>& right,
                                   int64_t boundary)
{
    setStatus({}, false);
    // The versions the view holds now (the timeline's copies may predate an edit's answer).
    std::optional<Chapter> l, r;
    if (left)
        if (const Chapter* c = chapterById(left->id)) l = *c;
    if (right)
        if (const Chapter* c = chapterById(right->id)) r = *c;
    if (!l && !r) return;
    session_->undoStack()->push(chapter_edits::moveBoundary(session_, l, r, boundary));
}

}  // namespace frameline::ui
