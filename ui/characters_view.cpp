#include "ui/characters_view.h"

#include <QAction>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>

#include "core/store/store.h"
#include "ui/character_list_model.h"
#include "ui/face_gallery_model.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"
#include "ui/store_command.h"
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
    b->setFocusPolicy(Qt::NoFocus);  // keep the keys in the list or the gallery
    return b;
}

QString quoted(const QString& s) { return QStringLiteral("'%1'").arg(s); }
}  // namespace

CharactersView::CharactersView(ReviewSession* session, QWidget* parent)
    : QWidget(parent), session_(session), page_(std::make_unique<CharacterPage>())
{
    thumbnails_ = new ThumbnailLoader(session_->sharedStore(), this);
    characters_ = new CharacterListModel(thumbnails_, this);
    faces_ = new FaceGalleryModel(session_, thumbnails_, this);
    connect(faces_, &FaceGalleryModel::pageLoaded, this, &CharactersView::restoreFaces);

    list_ = new QListView(this);
    list_->setObjectName(QStringLiteral("characterList"));
    list_->setModel(characters_);
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setIconSize(QSize(CharacterListModel::kIconSize, CharacterListModel::kIconSize));
    list_->setSpacing(2);
    list_->setUniformItemSizes(true);
    list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list_->setDragDropMode(QAbstractItemView::DropOnly);  // faces dropped here move into that character
    list_->setAcceptDrops(true);
    list_->setDropIndicatorShown(true);
    list_->setMinimumWidth(260);
    list_->setWordWrap(true);
    list_->setTextElideMode(Qt::ElideRight);
    list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // names elide rather than scroll sideways

    gallery_ = new QListView(this);
    gallery_->setObjectName(QStringLiteral("faceGallery"));
    gallery_->setModel(faces_);
    gallery_->setViewMode(QListView::IconMode);
    gallery_->setMovement(QListView::Static);  // faces are not rearranged by hand...
    gallery_->setDragEnabled(true);            // ...but can be dragged onto a character
    gallery_->setDragDropMode(QAbstractItemView::DragOnly);
    gallery_->setDefaultDropAction(Qt::MoveAction);
    gallery_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    gallery_->setResizeMode(QListView::Adjust);
    gallery_->setIconSize(QSize(FaceGalleryModel::kCropSize, FaceGalleryModel::kCropSize));
    gallery_->setGridSize(QSize(FaceGalleryModel::kCropSize + 16, FaceGalleryModel::kCropSize + 30));
    gallery_->setUniformItemSizes(true);

    buildActions();

    auto* tools = new QHBoxLayout;
    tools->addWidget(action_button(name_, this));
    tools->addWidget(action_button(merge_, this));
    tools->addWidget(action_button(split_, this));
    auto* move = new QToolButton(this);
    move->setObjectName(QStringLiteral("moveButton"));
    move->setText(tr("Move faces to…"));
    move->setToolTip(tr("Move the selected faces into another character (or drag them onto it)"));
    move->setPopupMode(QToolButton::InstantPopup);
    move->setFocusPolicy(Qt::NoFocus);
    move_menu_ = new QMenu(move);
    move_menu_->setObjectName(QStringLiteral("moveMenu"));
    move->setMenu(move_menu_);
    connect(move_menu_, &QMenu::aboutToShow, this, &CharactersView::fillMoveMenu);
    tools->addWidget(move);
    tools->addWidget(action_button(accept_, this));
    tools->addWidget(action_button(reject_, this));
    tools->addStretch(1);

    header_ = new QLabel(this);
    header_->setObjectName(QStringLiteral("header"));
    header_->setWordWrap(true);
    header_->setTextFormat(Qt::RichText);
    auto* right = new QWidget(this);
    auto* right_column = new QVBoxLayout(right);
    right_column->setContentsMargins(6, 0, 0, 0);
    right_column->addWidget(header_);
    right_column->addWidget(gallery_, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(list_);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    name_bar_ = new QWidget(this);
    auto* name_row = new QHBoxLayout(name_bar_);
    name_row->setContentsMargins(0, 0, 0, 0);
    name_prompt_ = new QLabel(name_bar_);
    name_edit_ = new QLineEdit(name_bar_);
    name_edit_->setObjectName(QStringLiteral("nameEdit"));
    auto* ok = new QPushButton(tr("Name"), name_bar_);
    auto* cancel = new QPushButton(tr("Done"), name_bar_);
    name_row->addWidget(name_prompt_);
    name_row->addWidget(name_edit_, 1);
    name_row->addWidget(ok);
    name_row->addWidget(cancel);
    auto* escape = new QAction(name_bar_);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    name_bar_->addAction(escape);
    auto close = [this] {
        name_bar_->hide();
        naming_.clear();
        list_->setFocus();
    };
    connect(escape, &QAction::triggered, this, close);
    connect(cancel, &QPushButton::clicked, this, close);
    connect(ok, &QPushButton::clicked, this, &CharactersView::applyName);
    connect(name_edit_, &QLineEdit::returnPressed, this, &CharactersView::applyName);
    name_bar_->hide();

    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("message"));
    message_->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(splitter, 1);
    layout->addWidget(name_bar_);
    layout->addWidget(message_);

    connect(list_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CharactersView::showFacesOfCurrent);
    connect(list_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CharactersView::updateHeader);
    connect(gallery_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CharactersView::updateHeader);
    connect(list_, &QListView::activated, this, &CharactersView::startNaming);  // Enter or a double-click
    connect(characters_, &CharacterListModel::facesDropped, this, &CharactersView::moveFaces);
    connect(session_, &ReviewSession::edited, this, &CharactersView::onEdited);
    connect(session_, &ReviewSession::conflict, this, &CharactersView::onConflict);
    connect(session_, &ReviewSession::changedElsewhere, this, [this] {
        if (title_id_ > 0) reload();
    });
    updateHeader();
}

CharactersView::~CharactersView() = default;

void CharactersView::buildActions()
{
    auto bind = [this](const QString& text, const QString& id, const QString& description, const QKeySequence& key,
                       auto slot) {
        auto* a = new QAction(text, this);
        Shortcuts::instance().bind(a, id, description, key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // the same keys mean other things in other views
        addAction(a);
        connect(a, &QAction::triggered, this, slot);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(description, a->shortcut().toString(QKeySequence::NativeText)));
        return a;
    };
    name_ = bind(tr("Name…"), QStringLiteral("characters.name"), tr("Name the selected characters"),
                 QKeySequence(Qt::Key_F2), &CharactersView::startNaming);
    merge_ = bind(tr("Merge"), QStringLiteral("characters.merge"),
                  tr("Merge the selected characters into the first of them"), QKeySequence("M"),
                  &CharactersView::mergeSelected);
    split_ = bind(tr("Split off"), QStringLiteral("characters.split"),
                  tr("Split the selected faces off into a new character"), QKeySequence("S"),
                  &CharactersView::splitSelectedFaces);
    accept_ = bind(tr("Accept"), QStringLiteral("characters.accept"), tr("Accept the selected characters"),
                   QKeySequence("A"), &CharactersView::acceptSelected);
    reject_ = bind(tr("Reject"), QStringLiteral("characters.reject"), tr("Reject the selected characters"),
                   QKeySequence("R"), &CharactersView::rejectSelected);
}

void CharactersView::showTitle(qint64 title_id)
{
    title_id_ = title_id;
    ++generation_;
    thumbnails_->dropQueued();
    name_bar_->hide();
    naming_.clear();
    setMessage({});
    if (title_id <= 0) {
        applyPage(CharacterPage{}, false);
        return;
    }
    load(false);
}

void CharactersView::reload()
{
    if (title_id_ > 0) load(true);
}

void CharactersView::load(bool keep_place)
{
    const qint64 title_id = title_id_;
    const quint64 generation = generation_;
    ++loading_;
    session_->read(
        this, [title_id](Store& store) { return load_character_page(store, title_id); },
        [this, generation, keep_place](CharacterPage page) {
            --loading_;
            if (generation == generation_) applyPage(page, keep_place);  // an older title's answer is dropped
        },
        [this](const QString& error) {
            --loading_;
            setMessage(tr("Could not load the characters: %1").arg(error));
        });
}

void CharactersView::applyPage(const CharacterPage& page, bool keep_place)
{
    const QList<qint64> selected = selectedCharacterIds();
    const qint64 current = currentCharacterId();
    const QList<qint64> faces = selectedFaceIds();
    const int list_scroll = list_->verticalScrollBar()->value();
    const int gallery_scroll = gallery_->verticalScrollBar()->value();

    *page_ = page;
    characters_->setPage(page);
    if (keep_place && characters_->rowOf(current) >= 0) {
        QItemSelection selection;
        for (qint64 id : selected)
            if (const int row = characters_->rowOf(id); row >= 0)
                selection.select(characters_->index(row), characters_->index(row));
        list_->selectionModel()->setCurrentIndex(characters_->index(characters_->rowOf(current)),
                                                 QItemSelectionModel::NoUpdate);
        list_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        showFacesOfCurrent();
        kept_faces_ = faces;  // selected again as their pages arrive (restoreFaces)
        kept_gallery_scroll_ = gallery_scroll;
        list_->verticalScrollBar()->setValue(list_scroll);
    } else if (characters_->rowCount() > 0) {
        selectCharacters({characters_->characterAt(0)->id});
    } else {
        showFacesOfCurrent();
    }
    updateHeader();
    Q_EMIT loaded();
}

qint64 CharactersView::currentCharacterId() const
{
    const QModelIndex i = list_->currentIndex();
    return i.isValid() ? i.data(CharacterListModel::IdRole).toLongLong() : 0;
}

int64_t CharactersView::versionOf(qint64 character_id) const
{
    const frameline::Character* c = characters_->characterAt(characters_->rowOf(character_id));
    return c ? c->version : 0;
}

QList<qint64> CharactersView::selectedCharacterIds() const
{
    QList<int> rows;
    for (const QModelIndex& i : list_->selectionModel()->selectedIndexes()) rows << i.row();
    std::sort(rows.begin(), rows.end());
    QList<qint64> ids;
    for (int r : rows) ids << characters_->characterAt(r)->id;
    return ids;
}

QList<qint64> CharactersView::selectedFaceIds() const
{
    QList<qint64> ids;
    for (const QModelIndex& i : gallery_->selectionModel()->selectedIndexes())
        ids << i.data(FaceGalleryModel::FaceIdRole).toLongLong();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void CharactersView::selectCharacters(const QList<qint64>& ids)
{
    QItemSelection selection;
    for (qint64 id : ids)
        if (const int row = characters_->rowOf(id); row >= 0)
            selection.select(characters_->index(row), characters_->index(row));
    if (ids.isEmpty() || characters_->rowOf(ids.first()) < 0) return;
    list_->selectionModel()->setCurrentIndex(characters_->index(characters_->rowOf(ids.first())),
                                             QItemSelectionModel::NoUpdate);
    list_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    list_->scrollTo(characters_->index(characters_->rowOf(ids.first())));
}

void CharactersView::selectFaces(const QList<qint64>& face_ids)
{
    QItemSelection selection;
    for (qint64 id : face_ids)
        if (const int row = faces_->rowOf(id); row >= 0) selection.select(faces_->index(row), faces_->index(row));
    gallery_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void CharactersView::restoreFaces()
{
    if (kept_faces_.isEmpty() && kept_gallery_scroll_ < 0) return;
    bool all_loaded = true;
    for (qint64 id : kept_faces_) all_loaded = all_loaded && faces_->rowOf(id) >= 0;
    if (!all_loaded && faces_->canFetchMore({})) {
        faces_->fetchMore({});  // the selection reaches further down than the first page
        return;
    }
    if (faces_->isLoading()) return;
    selectFaces(kept_faces_);
    if (kept_gallery_scroll_ >= 0) gallery_->verticalScrollBar()->setValue(kept_gallery_scroll_);
    kept_faces_.clear();
    kept_gallery_scroll_ = -1;
    updateHeader();
}

bool CharactersView::isLoading() const { return loading_ > 0 || faces_->isLoading(); }

void CharactersView::showFacesOfCurrent()
{
    const qint64 id = currentCharacterId();
    if (faces_->characterId() != id || id == 0) faces_->setCharacter(*page_, id);
    else {
        // The same character after a reload: its faces may have changed.
        const QList<qint64> kept = selectedFaceIds();
        const int scroll = gallery_->verticalScrollBar()->value();
        faces_->setCharacter(*page_, id);
        kept_faces_ = kept;
        kept_gallery_scroll_ = scroll;
        restoreFaces();
    }
    updateHeader();
}

void CharactersView::updateHeader()
{
    const QList<qint64> selected = selectedCharacterIds();
    const frameline::Character* c = characters_->characterAt(characters_->rowOf(currentCharacterId()));
    const int faces_selected = static_cast<int>(selectedFaceIds().size());
    // Merge and split stay enabled: pressed at the wrong moment they say what to select instead of doing nothing.
    name_->setEnabled(!selected.isEmpty());
    accept_->setEnabled(!selected.isEmpty());
    reject_->setEnabled(!selected.isEmpty());
    if (!c) {
        header_->setText(title_id_ <= 0 ? tr("No title open")
                         : isLoading()  ? tr("Loading…")
                         : characters_->rowCount() == 0
                             ? tr("No characters: the face analysis found no recurring faces in this title.")
                             : tr("Select a character."));
        return;
    }
    QString hint = faces_selected > 0
                       ? tr("%1 selected: S splits them off, or drag them onto another character.")
                             .arg(faces_text(faces_selected))
                       : tr("Select faces to split them off or move them; F2 names the character.");
    if (selected.size() > 1)
        hint = tr("%1 characters selected: M merges them into %2, F2 names them all.")
                   .arg(selected.size())
                   .arg(quoted(character_display_name(*characters_->characterAt(characters_->rowOf(selected[0])))));
    header_->setText(tr("<b style='font-size:large'>%1</b><br>%2 · %3 on screen · confidence %4 · <i>%5</i>"
                        "<br><span style='color:gray'>%6</span>")
                         .arg(character_display_name(*c).toHtmlEscaped(), faces_text(static_cast<int>(c->face_ids.size())),
                              format_time(c->screen_time_s))
                         .arg(c->confidence, 0, 'f', 2)
                         .arg(review_state_text(c->state), hint.toHtmlEscaped()));
}

void CharactersView::startNaming()
{
    const QList<qint64> ids = selectedCharacterIds();
    if (ids.isEmpty()) {
        setMessage(tr("Select a character to name first."));
        return;
    }
    naming_ = ids;
    const frameline::Character* first = characters_->characterAt(characters_->rowOf(ids[0]));
    name_prompt_->setText(ids.size() == 1 ? tr("Name %1:").arg(quoted(character_display_name(*first)))
                                          : tr("One name for %1 characters:").arg(ids.size()));
    name_edit_->setText(ids.size() == 1 ? QString::fromStdString(first->name) : QString());
    name_bar_->show();
    name_edit_->selectAll();
    name_edit_->setFocus();
}

void CharactersView::applyName()
{
    const QString name = name_edit_->text().simplified();
    if (name.isEmpty()) {
        setMessage(tr("A name cannot be empty: type one, or press Esc to leave the names as they are."));
        return;
    }
    QList<const frameline::Character*> targets;
    for (qint64 id : naming_)
        if (const frameline::Character* c = characters_->characterAt(characters_->rowOf(id));
            c && QString::fromStdString(c->name) != name)
            targets << c;
    auto make = [&](const frameline::Character* c, QUndoCommand* parent) {
        frameline::Review rv;
        rv.entity = "character";
        rv.id = c->id;
        rv.expected_version = c->version;
        rv.action = ReviewAction::Correct;
        rv.label = name.toStdString();
        return StoreCommand::review(session_, tr("Name %1 '%2'").arg(quoted(character_display_name(*c)), name), rv,
                                    title_id_, parent);
    };
    if (targets.size() == 1) {
        session_->undoStack()->push(make(targets[0], nullptr));
    } else if (targets.size() > 1) {
        // One undo command for the lot: one Ctrl+Z unnames them all.
        auto* all = new QUndoCommand(tr("Name %1 characters '%2'").arg(targets.size()).arg(name));
        for (const frameline::Character* c : targets) make(c, all);
        session_->undoStack()->push(all);
    }
    // One at a time: on to the next unnamed character with the bar still open, so names go in one after another.
    if (naming_.size() == 1) {
        const int from = characters_->rowOf(naming_[0]);
        for (int step = 1; step < characters_->rowCount(); ++step) {
            const frameline::Character* next = characters_->characterAt((from + step) % characters_->rowCount());
            if (next->name.empty() && next->state != ReviewState::Rejected) {
                selectCharacters({next->id});
                startNaming();
                return;
            }
        }
    }
    name_bar_->hide();
    naming_.clear();
    list_->setFocus();
}

void CharactersView::mergeSelected()
{
    const QList<qint64> ids = selectedCharacterIds();
    if (ids.size() < 2) {
        setMessage(tr("Select two or more characters to merge (Ctrl+click); they merge into the first."));
        return;
    }
    const qint64 into = ids[0];
    const QString into_name = character_display_name(*characters_->characterAt(characters_->rowOf(into)));
    const std::string reviewer = session_->reviewer().toStdString();
    // Each merge bumps `into`'s version: the children carry it from one to the next (on the worker, in order).
    // An undo leaves `into` as it is, so a redo continues from the version the merges left.
    auto into_version = std::make_shared<int64_t>(versionOf(into));
    auto* merge = new QUndoCommand(tr("Merge %1 characters into %2").arg(ids.size()).arg(quoted(into_name)));
    for (int i = 1; i < ids.size(); ++i) {
        const qint64 from = ids[i];
        const int64_t shown = versionOf(from);
        new StoreCommand(
            session_,
            tr("Merge %1 into %2")
                .arg(quoted(character_display_name(*characters_->characterAt(characters_->rowOf(from)))),
                     quoted(into_name)),
            QStringLiteral("character"), from, title_id_,
            [reviewer, into, from, shown, into_version](Store& store, int64_t last_version) {
                ReviewResult r = store.merge_characters(reviewer, into, *into_version, from,
                                                        last_version > 0 ? last_version : shown);
                if (r.applied) ++*into_version;
                return r;
            },
            merge);
    }
    session_->undoStack()->push(merge);
    selectCharacters({into});
}

void CharactersView::splitSelectedFaces()
{
    const QList<qint64> face_ids = selectedFaceIds();
    const qint64 id = faces_->characterId();
    if (face_ids.isEmpty() || id == 0) {
        setMessage(tr("Select the faces to split off in the gallery first."));
        return;
    }
    if (face_ids.size() == faces_->totalCount()) {
        setMessage(tr("Those are all of its faces: select only the ones that are somebody else."));
        return;
    }
    const std::string reviewer = session_->reviewer().toStdString();
    const int64_t shown = versionOf(id);
    const std::vector<int64_t> faces(face_ids.begin(), face_ids.end());
    session_->undoStack()->push(new StoreCommand(
        session_,
        tr("Split %1 off %2")
            .arg(faces_text(static_cast<int>(faces.size())), quoted(character_display_name(*characters_->characterAt(characters_->rowOf(id))))),
        QStringLiteral("character"), id, title_id_,
        [reviewer, id, shown, faces](Store& store, int64_t last_version) {
            return store.split_character(reviewer, id, last_version > 0 ? last_version : shown, faces);
        }));
}

void CharactersView::moveSelectedFacesTo(qint64 into_character_id)
{
    moveFaces(faces_->characterId(), into_character_id, selectedFaceIds());
}

void CharactersView::moveFaces(qint64 from, qint64 into, const QList<qint64>& face_ids)
{
    const frameline::Character* from_c = characters_->characterAt(characters_->rowOf(from));
    const frameline::Character* into_c = characters_->characterAt(characters_->rowOf(into));
    if (face_ids.isEmpty() || !from_c) {
        setMessage(tr("Select the faces to move in the gallery first."));
        return;
    }
    if (!into_c || from == into) {
        setMessage(tr("Pick another character to move the faces into."));
        return;
    }
    const std::string reviewer = session_->reviewer().toStdString();
    const int64_t shown = from_c->version;
    auto into_version = std::make_shared<int64_t>(into_c->version);  // as in mergeSelected()
    const std::vector<int64_t> faces(face_ids.begin(), face_ids.end());
    session_->undoStack()->push(new StoreCommand(
        session_,
        tr("Move %1 from %2 to %3")
            .arg(faces_text(static_cast<int>(faces.size())), quoted(character_display_name(*from_c)),
                 quoted(character_display_name(*into_c))),
        QStringLiteral("character"), from, title_id_,
        [reviewer, from, into, shown, into_version, faces](Store& store, int64_t last_version) {
            ReviewResult r = store.move_faces(reviewer, from, last_version > 0 ? last_version : shown, into,
                                              *into_version, faces);
            if (r.applied) ++*into_version;
            return r;
        }));
}

void CharactersView::fillMoveMenu()
{
    move_menu_->clear();
    const qint64 from = faces_->characterId();
    const bool have_faces = !selectedFaceIds().isEmpty();
    for (int row = 0; row < characters_->rowCount(); ++row) {
        const frameline::Character* c = characters_->characterAt(row);
        if (c->id == from) continue;
        QAction* a = move_menu_->addAction(character_display_name(*c));
        a->setData(static_cast<qint64>(c->id));
        a->setEnabled(have_faces);
        const qint64 into = c->id;
        connect(a, &QAction::triggered, this, [this, into] { moveSelectedFacesTo(into); });
    }
    if (!have_faces) move_menu_->addSection(tr("Select faces in the gallery first"));
}

void CharactersView::acceptSelected() { review(true); }
void CharactersView::rejectSelected() { review(false); }

void CharactersView::review(bool accept)
{
    const QList<qint64> ids = selectedCharacterIds();
    if (ids.isEmpty()) {
        setMessage(tr("Select a character first."));
        return;
    }
    const QString verb = accept ? tr("Accept") : tr("Reject");
    auto make = [&](qint64 id, QUndoCommand* parent) {
        const frameline::Character* c = characters_->characterAt(characters_->rowOf(id));
        frameline::Review rv;
        rv.entity = "character";
        rv.id = id;
        rv.expected_version = c->version;
        rv.action = accept ? ReviewAction::Accept : ReviewAction::Reject;
        return StoreCommand::review(session_, tr("%1 %2").arg(verb, quoted(character_display_name(*c))), rv,
                                    title_id_, parent);
    };
    if (ids.size() == 1) {
        session_->undoStack()->push(make(ids[0], nullptr));
        return;
    }
    auto* all = new QUndoCommand(tr("%1 %2 characters").arg(verb).arg(ids.size()));
    for (qint64 id : ids) make(id, all);
    session_->undoStack()->push(all);
}

void CharactersView::onEdited(const EditReport& report)
{
    // A merge, split or move changes two characters and their faces: re-read the title (keeping the place).
    if (report.entity == QStringLiteral("character") && report.title_id == title_id_) reload();
}

void CharactersView::onConflict(const EditReport& report)
{
    if (report.entity != QStringLiteral("character") || report.title_id != title_id_) return;
    setMessage(tr("Someone else changed character %1 meanwhile; \"%2\" was not applied. The list now shows what "
                  "is stored: look again and redo it if it still applies.")
                   .arg(report.id)
                   .arg(report.text));
    reload();
}

QString CharactersView::message() const { return message_->text(); }

void CharactersView::setMessage(const QString& text) { message_->setText(text); }

}  // namespace frameline::ui
