#include "ui/artwork_view.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

#include "core/store/store.h"
#include "ui/artwork_card_delegate.h"
#include "ui/artwork_detail.h"
#include "ui/artwork_export.h"
#include "ui/artwork_model.h"
#include "ui/shortcuts.h"
#include "ui/store_command.h"
#include "ui/thumbnail_loader.h"

namespace frameline::ui {

namespace {
const QString kProfilesSetting = QStringLiteral("artwork/segmentProfiles");

bool picked(const ArtworkCandidate& a)
{
    return a.state == ReviewState::Accepted || a.state == ReviewState::Corrected;
}
}  // namespace

struct ArtworkView::Loaded {
    std::vector<ArtworkCandidate> candidates;
    std::vector<FrameRecord> frames;
};

ArtworkView::ArtworkView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    thumbnails_ = new ThumbnailLoader(session_->sharedStore(), this);
    model_ = new ArtworkModel(thumbnails_, this);

    grid_ = new QListView(this);
    grid_->setObjectName(QStringLiteral("artworkGrid"));
    grid_->setViewMode(QListView::IconMode);
    grid_->setMovement(QListView::Static);  // drops go to the model, which turns them into rank edits
    grid_->setResizeMode(QListView::Adjust);
    grid_->setUniformItemSizes(true);
    grid_->setSpacing(6);
    grid_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    grid_->setDragEnabled(true);
    grid_->setAcceptDrops(true);
    grid_->setDropIndicatorShown(true);
    grid_->setDragDropMode(QAbstractItemView::DragDrop);
    grid_->setDefaultDropAction(Qt::MoveAction);
    grid_->setItemDelegate(new ArtworkCardDelegate(grid_));
    grid_->setModel(model_);
    grid_->setMinimumWidth(ArtworkCardDelegate::pictureSize().width() + 40);

    detail_ = new ArtworkDetail(this);
    auto* compare = new QWidget(this);
    auto* compare_layout = new QHBoxLayout(compare);
    compare_layout->setContentsMargins(0, 0, 0, 0);
    compare_left_ = new ArtworkDetail(compare);
    compare_right_ = new ArtworkDetail(compare);
    compare_layout->addWidget(compare_left_);
    compare_layout->addWidget(compare_right_);
    pages_ = new QStackedWidget(this);
    pages_->addWidget(detail_);
    pages_->addWidget(compare);

    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bindActions();
    toolbar->addAction(accept_);
    toolbar->addAction(reject_);
    toolbar->addSeparator();
    toolbar->addAction(move_up_);
    toolbar->addAction(move_down_);
    toolbar->addSeparator();
    toolbar->addAction(compare_);
    toolbar->addSeparator();
    toolbar->addWidget(new QLabel(tr(" Audience: "), toolbar));
    audience_ = new QComboBox(toolbar);
    audience_->setObjectName(QStringLiteral("audience"));
    audience_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    audience_->addItem(tr("Everyone (picked order)"), QString());
    toolbar->addWidget(audience_);
    toolbar->addAction(segments_);
    toolbar->addSeparator();
    export_format_ = new QComboBox(toolbar);
    export_format_->addItem(QStringLiteral("JPEG"), QStringLiteral("jpg"));
    export_format_->addItem(QStringLiteral("PNG"), QStringLiteral("png"));
    toolbar->addWidget(export_format_);
    toolbar->addAction(export_);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(grid_);
    splitter->addWidget(pages_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("artworkStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(status_);

    connect(grid_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ArtworkView::onSelectionChanged);
    connect(grid_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ArtworkView::onSelectionChanged);
    connect(model_, &ArtworkModel::moveRequested, this, &ArtworkView::moveCard);
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, [this](qint64, const QImage&) { refreshDetail(); });
    connect(audience_, &QComboBox::activated, this,
            [this](int index) { setAudience(audience_->itemData(index).toString()); });
    connect(session_, &ReviewSession::edited, this, &ArtworkView::onEdited);
    connect(session_, &ReviewSession::conflict, this, [this](const EditReport& r) {
        if (r.entity != QLatin1String("artwork") || r.title_id != title_id_) return;
        setStatus(tr("Artwork candidate %1 was changed by someone else — the board shows what is stored now.").arg(r.id),
                  true);
        reload();
    });
    connect(session_, &ReviewSession::failed, this, [this](const QString& message) {
        if (title_id_ == 0) return;
        setStatus(message, true);
        reload();  // an optimistic change that did not happen must not stay on the board
    });
    connect(session_, &ReviewSession::changedElsewhere, this, &ArtworkView::reload);

    // The segment profiles the team chose last time.
    const QString profiles = QSettings().value(kProfilesSetting).toString();
    if (!profiles.isEmpty()) {
        QFile file(profiles);
        if (file.open(QIODevice::ReadOnly)) setSegmentProfiles(QString::fromUtf8(file.readAll()));
    }
    setStatus(tr("No title"));
}

ArtworkView::~ArtworkView() = default;

void ArtworkView::bindActions()
{
    auto make = [this](const QString& text, const QString& id, const QString& description, const QKeySequence& key) {
        auto* a = new QAction(text, this);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        Shortcuts::instance().bind(a, id, description, key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(description, a->shortcut().toString(QKeySequence::NativeText)));
        addAction(a);
        return a;
    };
    accept_ = make(tr("Pick"), QStringLiteral("artwork.accept"), tr("Pick (accept) the selected artwork"),
                   QKeySequence(Qt::Key_A));
    reject_ = make(tr("Reject"), QStringLiteral("artwork.reject"), tr("Reject the selected artwork"),
                   QKeySequence(Qt::Key_R));
    move_up_ = make(tr("Move up"), QStringLiteral("artwork.moveUp"), tr("Move the artwork one place earlier"),
                    QKeySequence(Qt::CTRL | Qt::Key_Up));
    move_down_ = make(tr("Move down"), QStringLiteral("artwork.moveDown"), tr("Move the artwork one place later"),
                      QKeySequence(Qt::CTRL | Qt::Key_Down));
    compare_ = make(tr("Compare"), QStringLiteral("artwork.compare"), tr("Compare the two selected candidates"),
                    QKeySequence(Qt::Key_C));
    close_compare_ = make(tr("Back"), QStringLiteral("artwork.closeCompare"), tr("Back from comparing"),
                          QKeySequence(Qt::Key_Escape));
    export_ = make(tr("Export picked…"), QStringLiteral("artwork.export"),
                   tr("Export the picked artwork's crops into a folder"), QKeySequence(Qt::CTRL | Qt::Key_E));
    segments_ = make(tr("Segments…"), QStringLiteral("artwork.segments"),
                     tr("Load audience segment profiles (JSON)"), QKeySequence());
    connect(accept_, &QAction::triggered, this, &ArtworkView::acceptSelected);
    connect(reject_, &QAction::triggered, this, &ArtworkView::rejectSelected);
    connect(move_up_, &QAction::triggered, this, [this] { moveCurrent(-1); });
    connect(move_down_, &QAction::triggered, this, [this] { moveCurrent(+1); });
    connect(compare_, &QAction::triggered, this, [this] {
        if (isComparing())
            closeCompare();
        else
            compareSelected();
    });
    connect(close_compare_, &QAction::triggered, this, &ArtworkView::closeCompare);
    connect(export_, &QAction::triggered, this, &ArtworkView::chooseExportFolder);
    connect(segments_, &QAction::triggered, this, &ArtworkView::chooseSegmentFile);
}

void ArtworkView::showTitle(qint64 title_id)
{
    if (title_id != title_id_) {
        kept_selection_.clear();
        kept_current_ = 0;
        kept_scroll_ = 0;
        thumbnails_->dropQueued();
        closeCompare();
    }
    title_id_ = title_id;
    reload();
}

void ArtworkView::reload()
{
    const quint64 generation = ++load_generation_;
    const quint64 edits = edit_generation_;
    if (title_id_ == 0) {
        model_->setCards({});
        refreshDetail();
        setStatus(tr("No title"));
        return;
    }
    const qint64 id = title_id_;
    session_->read(
        this,
        [id](Store& store) {
            Loaded l;
            l.candidates = store.artwork_candidates(id);
            l.frames = store.frames(id);
            return l;
        },
        [this, generation, edits, id](Loaded loaded) {
            if (generation != load_generation_ || id != title_id_) return;  // a newer load is coming
            if (edits != edit_generation_ || session_->isBusy()) {
                // Read beside this window's queued writes: it may predate them. Read again once they are done.
                QTimer::singleShot(session_->isBusy() ? 100 : 0, this, &ArtworkView::reload);
                return;
            }
            applyLoaded(loaded, id);
        },
        [this](const QString& error) { setStatus(error, true); });
}

void ArtworkView::applyLoaded(const Loaded& rows, qint64)
{
    QHash<qint64, const FrameRecord*> frames;
    for (const FrameRecord& f : rows.frames) frames.insert(f.frame_index, &f);
    QList<ArtworkCard> cards;
    for (const ArtworkCandidate& a : rows.candidates) {
        ArtworkCard c;
        c.candidate = a;
        if (const FrameRecord* f = frames.value(a.frame_index)) {
            c.frame_id = f->id;
            c.time_s = f->pts_s;
        }
        cards.append(std::move(c));
    }
    rememberPlace();
    model_->setCards(std::move(cards));
    restorePlace();
    if (grid_->selectionModel()->selectedIndexes().isEmpty() && model_->rowCount() > 0)  // opens on the best one
        grid_->selectionModel()->setCurrentIndex(model_->index(0), QItemSelectionModel::ClearAndSelect);
    if (!audience_id_.isEmpty()) requestAudienceRanking();
    refreshDetail();
    int n_picked = 0;
    for (const ArtworkCard& c : model_->cards()) n_picked += picked(c.candidate) ? 1 : 0;
    if (model_->rowCount() == 0)
        setStatus(tr("This title has no artwork candidates — run the analysis (frameline-cli analyse) first."));
    else
        setStatus(tr("%1 candidates · %2 picked").arg(model_->rowCount()).arg(n_picked));
    Q_EMIT loaded();
}

void ArtworkView::rememberPlace()
{
    kept_selection_ = selectedIds();
    const ArtworkCard* c = model_->card(grid_->currentIndex().row());
    kept_current_ = c ? c->candidate.id : 0;
    kept_scroll_ = grid_->verticalScrollBar()->value();
}

void ArtworkView::restorePlace()
{
    QItemSelectionModel* sel = grid_->selectionModel();
    QSignalBlocker block(sel);
    QItemSelection selection;
    for (qint64 id : kept_selection_)
        if (const int row = model_->rowOf(id); row >= 0) selection.select(model_->index(row), model_->index(row));
    sel->select(selection, QItemSelectionModel::ClearAndSelect);
    if (const int row = model_->rowOf(kept_current_); row >= 0)
        sel->setCurrentIndex(model_->index(row), QItemSelectionModel::NoUpdate);
    grid_->verticalScrollBar()->setValue(kept_scroll_);
    grid_->viewport()->update();
}

QList<qint64> ArtworkView::selectedIds() const
{
    QList<QModelIndex> rows = grid_->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<qint64> ids;
    for (const QModelIndex& i : rows)
        if (const ArtworkCard* c = model_->card(i.row())) ids.append(c->candidate.id);
    return ids;
}

const ArtworkCard* ArtworkView::currentCard() const
{
    if (const ArtworkCard* c = model_->card(grid_->currentIndex().row())) return c;
    const QList<qint64> ids = selectedIds();
    return ids.isEmpty() ? nullptr : model_->card(model_->rowOf(ids.first()));
}

QString ArtworkView::statusText() const
{
    return status_->text();
}

void ArtworkView::setStatus(const QString& text, bool error)
{
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

void ArtworkView::onSelectionChanged()
{
    if (isComparing() && selectedIds().size() == 2) compareSelected();
    refreshDetail();
}

void ArtworkView::refreshDetail()
{
    auto image_of = [this](const ArtworkCard* c) { return c && c->frame_id > 0 ? thumbnails_->thumbnail(c->frame_id) : QImage(); };
    const ArtworkCard* c = currentCard();
    detail_->setCard(c, image_of(c));
    if (isComparing()) {
        const ArtworkCard* l = model_->card(model_->rowOf(compare_left_->candidateId()));
        const ArtworkCard* r = model_->card(model_->rowOf(compare_right_->candidateId()));
        compare_left_->setCard(l, image_of(l));
        compare_right_->setCard(r, image_of(r));
    }
}

void ArtworkView::acceptSelected()
{
    review(ReviewAction::Accept);
}

void ArtworkView::rejectSelected()
{
    review(ReviewAction::Reject);
}

void ArtworkView::review(ReviewAction action)
{
    QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        if (const ArtworkCard* c = currentCard()) ids.append(c->candidate.id);
    if (ids.isEmpty()) {
        setStatus(tr("Select a candidate first."));
        return;
    }
    const ReviewState target = action == ReviewAction::Accept ? ReviewState::Accepted : ReviewState::Rejected;
    const QString verb = action == ReviewAction::Accept ? tr("Pick") : tr("Reject");
    QList<const ArtworkCard*> cards;
    for (qint64 id : ids)
        if (const ArtworkCard* c = model_->card(model_->rowOf(id)); c && c->candidate.state != target) cards.append(c);
    if (cards.isEmpty()) {
        setStatus(action == ReviewAction::Accept ? tr("Already picked.") : tr("Already rejected."));
        return;
    }
    QUndoCommand* parent = cards.size() > 1 ? new QUndoCommand(tr("%1 %2 artwork candidates").arg(verb).arg(cards.size()))
                                            : nullptr;
    QList<ArtworkCard> updated = model_->cards();
    QUndoCommand* single = nullptr;
    for (const ArtworkCard* c : cards) {
        Review r;
        r.entity = "artwork";
        r.id = c->candidate.id;
        r.expected_version = c->candidate.version;
        r.action = action;
        single = StoreCommand::review(session_, tr("%1 artwork (frame %2)").arg(verb).arg(c->candidate.frame_index), r,
                                      title_id_, parent);
        for (ArtworkCard& u : updated)
            if (u.candidate.id == c->candidate.id) {  // shown at once; the edit's report confirms or a reload corrects
                u.candidate.state = target;
                u.candidate.version += 1;
            }
    }
    ++edit_generation_;  // a load already under way predates this edit
    rememberPlace();
    model_->setCards(updated);
    restorePlace();
    session_->undoStack()->push(parent ? parent : single);
    refreshDetail();
    setStatus(tr("%1: %2 candidate(s)").arg(verb).arg(cards.size()));
}

void ArtworkView::moveCurrent(int delta)
{
    const int row = grid_->currentIndex().row();
    const ArtworkCard* c = model_->card(row);
    if (!c) {
        setStatus(tr("Select a candidate to move."));
        return;
    }
    const int target = row + delta;
    if (target < 0 || target >= model_->rowCount()) return;
    moveCard(row, delta > 0 ? target + 1 : target);
}

void ArtworkView::moveCard(int from, int to)
{
    if (!audience_id_.isEmpty()) {
        setStatus(tr("The board shows an audience's order — choose “Everyone” to reorder the picked set."), true);
        return;
    }
    const ArtworkCard* c = model_->card(from);
    if (!c || to < 0 || to > model_->rowCount() || to == from || to == from + 1) return;
    QList<qint64> order;
    for (const ArtworkCard& card : model_->cards()) order.append(card.candidate.id);
    const qint64 moved = c->candidate.id;
    const qint64 frame = c->candidate.frame_index;
    order.move(from, to > from ? to - 1 : to);
    pushOrder(order, to < from ? tr("Move artwork (frame %1) up").arg(frame) : tr("Move artwork (frame %1) down").arg(frame));
    // The moved card stays the current one, so Ctrl+Up repeated keeps moving it.
    if (const int row = model_->rowOf(moved); row >= 0) {
        grid_->selectionModel()->setCurrentIndex(model_->index(row), QItemSelectionModel::ClearAndSelect);
        grid_->scrollTo(model_->index(row));
    }
}

void ArtworkView::pushOrder(const QList<qint64>& order, const QString& text)
{
    auto* parent = new QUndoCommand(text);
    const std::string reviewer = session_->reviewer().toStdString();
    QList<ArtworkCard> updated = model_->cards();
    for (int i = 0; i < order.size(); ++i) {
        const int rank = i + 1;
        for (ArtworkCard& c : updated) {
            if (c.candidate.id != order[i] || c.candidate.rank == rank) continue;
            const qint64 id = c.candidate.id;
            const int64_t seen = c.candidate.version;
            new StoreCommand(session_, text, QStringLiteral("artwork"), id, title_id_,
                             [reviewer, id, seen, rank](Store& store, int64_t last_version) {
                                 return store.rank_artwork(reviewer, id, last_version > 0 ? last_version : seen, rank);
                             },
                             parent);
            c.candidate.rank = rank;  // shown at once; the edit's report confirms or a reload corrects
            c.candidate.version += 1;
        }
    }
    if (parent->childCount() == 0) {
        delete parent;
        return;
    }
    ++edit_generation_;
    ArtworkModel::sortLikeStore(updated);
    rememberPlace();
    model_->setCards(updated);
    restorePlace();
    session_->undoStack()->push(parent);
    refreshDetail();
    setStatus(text);
}

void ArtworkView::onEdited(const EditReport& report)
{
    if (report.entity != QLatin1String("artwork") || report.title_id != title_id_) return;
    const int row = model_->rowOf(report.id);
    const ArtworkCard* c = model_->card(row);
    if (!c) return;
    // Older than what the board already shows (a later edit of this card was shown at once): keep the newer.
    if (report.result.version < c->candidate.version) return;
    const QJsonObject snapshot = QJsonDocument::fromJson(QByteArray::fromStdString(report.result.snapshot)).object();
    const int rank = snapshot.value(QLatin1String("rank")).toInt(c->candidate.rank);
    rememberPlace();
    model_->applyEdit(report.id, report.result.state, report.result.version, rank);
    restorePlace();
    refreshDetail();
}

bool ArtworkView::compareSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 2) {
        setStatus(tr("Select two candidates (Ctrl+click) to compare them."));
        return false;
    }
    const ArtworkCard* l = model_->card(model_->rowOf(ids[0]));
    const ArtworkCard* r = model_->card(model_->rowOf(ids[1]));
    compare_left_->setCard(l, l->frame_id > 0 ? thumbnails_->thumbnail(l->frame_id) : QImage());
    compare_right_->setCard(r, r->frame_id > 0 ? thumbnails_->thumbnail(r->frame_id) : QImage());
    pages_->setCurrentIndex(1);
    setStatus(tr("Comparing frame %1 and frame %2 — %3 to go back")
                  .arg(l->candidate.frame_index)
                  .arg(r->candidate.frame_index)
                  .arg(close_compare_->shortcut().toString(QKeySequence::NativeText)));
    return true;
}

void ArtworkView::closeCompare()
{
    pages_->setCurrentIndex(0);
}

bool ArtworkView::isComparing() const
{
    return pages_->currentIndex() == 1;
}

void ArtworkView::chooseExportFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export the picked artwork into"));
    if (!folder.isEmpty()) exportPicked(folder, export_format_->currentData().toString());
}

void ArtworkView::exportPicked(const QString& folder, const QString& format)
{
    // The picked set in the team's order (the store's), whatever audience the board previews.
    QList<ArtworkCard> cards = model_->cards();
    ArtworkModel::sortLikeStore(cards);
    QList<ArtworkExportItem> items;
    for (const ArtworkCard& c : cards)
        if (picked(c.candidate))
            items.append({c.candidate.id, c.candidate.frame_index, QString::fromStdString(c.candidate.crops)});
    const qint64 title = title_id_;
    setStatus(tr("Exporting %1 picked candidate(s)…").arg(items.size()));
    session_->read(
        this, [title, items, folder, format](Store& store) { return exportArtworkCrops(store, title, items, folder, format); },
        [this, folder](ArtworkExportResult result) {
            if (!result.error.isEmpty())
                setStatus(result.error, true);
            else
                setStatus(tr("Exported %1 file(s) into %2").arg(result.files.size()).arg(folder));
            Q_EMIT exportFinished(result.files, result.error);
        },
        [this](const QString& error) {
            setStatus(error, true);
            Q_EMIT exportFinished({}, error);
        });
}

void ArtworkView::chooseSegmentFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Audience segment profiles"),
                                                      QSettings().value(kProfilesSetting).toString(),
                                                      tr("Segment profiles (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setStatus(tr("Cannot read '%1' — check the path.").arg(path), true);
        return;
    }
    const QString error = setSegmentProfiles(QString::fromUtf8(file.readAll()));
    if (error.isEmpty()) QSettings().setValue(kProfilesSetting, path);
}

QString ArtworkView::setSegmentProfiles(const QString& json)
{
    QString error;
    const auto segments = audienceSegments(json, &error);
    if (!error.isEmpty()) {
        setStatus(tr("Segment profiles: %1").arg(error), true);
        return error;
    }
    profiles_json_ = json;
    QSignalBlocker block(audience_);
    audience_->clear();
    audience_->addItem(tr("Everyone (picked order)"), QString());
    for (const auto& [id, name] : segments) audience_->addItem(name, id);
    audience_id_.clear();
    setStatus(tr("%1 audience segment(s) loaded").arg(segments.size()));
    return {};
}

void ArtworkView::setAudience(const QString& segment_id)
{
    audience_id_ = segment_id;
    {
        QSignalBlocker block(audience_);
        const int i = audience_->findData(segment_id);
        audience_->setCurrentIndex(i < 0 ? 0 : i);
    }
    if (!segment_id.isEmpty()) {
        requestAudienceRanking();
        return;
    }
    QList<ArtworkCard> cards = model_->cards();
    for (ArtworkCard& c : cards) c.segment_place = 0, c.segment_score = 0, c.segment_affinity = 0;
    ArtworkModel::sortLikeStore(cards);
    rememberPlace();
    model_->setCards(cards);
    restorePlace();
    refreshDetail();
    Q_EMIT audienceRanked(QString());
}

void ArtworkView::requestAudienceRanking()
{
    if (title_id_ == 0 || audience_id_.isEmpty()) return;
    std::vector<ArtworkCandidate> candidates;
    for (const ArtworkCard& c : model_->cards())
        if (c.candidate.state != ReviewState::Rejected) candidates.push_back(c.candidate);
    const quint64 generation = ++audience_generation_;
    const qint64 title = title_id_;
    const std::string profiles = profiles_json_.toStdString();
    const QString segment = audience_id_;
    session_->read(
        this,
        [title, profiles, segment, candidates](Store& store) {
            return rankForAudience(store, title, profiles, segment, candidates);
        },
        [this, generation](AudienceRanking ranking) {
            if (generation != audience_generation_ || ranking.segment_id != audience_id_) return;
            if (!ranking.error.isEmpty()) {
                setStatus(ranking.error, true);
                return;
            }
            applyAudience(ranking.places);
            Q_EMIT audienceRanked(ranking.segment_id);
        });
}

void ArtworkView::applyAudience(const QHash<qint64, AudiencePlace>& places)
{
    QList<ArtworkCard> cards = model_->cards();
    ArtworkModel::sortLikeStore(cards);
    for (ArtworkCard& c : cards) {
        const AudiencePlace p = places.value(c.candidate.id);
        c.segment_place = p.place;
        c.segment_score = p.score;
        c.segment_affinity = p.affinity;
    }
    // The segment's order; candidates it does not rank (rejected ones) after, in the team's order.
    std::stable_sort(cards.begin(), cards.end(), [](const ArtworkCard& a, const ArtworkCard& b) {
        if ((a.segment_place > 0) != (b.segment_place > 0)) return a.segment_place > 0;
        return a.segment_place > 0 && a.segment_place < b.segment_place;
    });
    rememberPlace();
    model_->setCards(cards);
    restorePlace();
    refreshDetail();
    setStatus(tr("Previewing for “%1”: the badge is each candidate's place for this audience.")
                  .arg(audience_->currentText()));
}

}  // namespace frameline::ui
