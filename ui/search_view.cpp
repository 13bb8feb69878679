#include "ui/search_view.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <set>

#include "core/search/media_text_sources.h"
#include "core/store/store.h"
#include "ui/review_session.h"
#include "ui/search_result_delegate.h"
#include "ui/search_results_model.h"
#include "ui/shortcuts.h"
#include "ui/thumbnail_loader.h"

namespace frameline::ui {

namespace {
constexpr int kLimit = 200;

struct TitleInfo {
    std::vector<std::string> moods;  // mood tag labels, sorted, not rejected
    std::vector<qint64> frames;      // sampled frame indices
};
}  // namespace

SearchView::SearchView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    thumbnails_ = new ThumbnailLoader(session_->sharedStore(), this);
    model_ = new SearchResultsModel(thumbnails_, this);

    query_ = new QLineEdit(this);
    query_->setObjectName(QStringLiteral("searchQuery"));
    query_->setPlaceholderText(tr("Words, tag:car, character:Name, mood:tense, like:FRAME_ID…"));
    query_->setToolTip(tr("Words match tags, character names, chapters, the title's texts, what is said and what is "
                          "written on screen. Filters: tag:LABEL or tag:CATEGORY:LABEL, character:\"Full Name\", "
                          "mood:M, like:FRAME_ID (a frame's id from a result). Quote phrases."));
    query_->setClearButtonEnabled(true);
    mood_ = new QComboBox(this);
    mood_->setObjectName(QStringLiteral("searchMood"));
    mood_->setEditable(true);
    mood_->setInsertPolicy(QComboBox::NoInsert);
    mood_->setMinimumContentsLength(10);
    mood_->addItem(tr("Any mood"), QString());
    scope_ = new QComboBox(this);
    scope_->addItem(tr("This title"), false);
    scope_->addItem(tr("All titles"), true);
    search_button_ = new QPushButton(tr("Search"), this);
    search_button_->setDefault(true);

    like_selected_ = new QPushButton(tr("More like this"), this);
    like_selected_->setToolTip(tr("Shots that look like the selected result's frame"));
    like_shot_ = new QPushButton(tr("Like this shot"), this);
    like_shot_->setToolTip(tr("Shots like the selected result's shot: its picture and its sound"));
    like_frame_ = new QSpinBox(this);
    like_frame_->setRange(0, 0);
    like_frame_->setPrefix(tr("frame "));
    like_frame_button_ = new QPushButton(tr("Like this frame"), this);
    like_frame_button_->setToolTip(tr("Shots that look like this frame of the title (the nearest sampled one)"));

    auto* row1 = new QHBoxLayout;
    row1->addWidget(query_, 3);
    row1->addWidget(new QLabel(tr("Mood:"), this));
    row1->addWidget(mood_, 1);
    row1->addWidget(scope_);
    row1->addWidget(search_button_);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(like_selected_);
    row2->addWidget(like_shot_);
    row2->addSpacing(12);
    row2->addWidget(like_frame_);
    row2->addWidget(like_frame_button_);
    row2->addStretch(1);

    results_ = new QListView(this);
    results_->setObjectName(QStringLiteral("searchResults"));
    results_->setViewMode(QListView::IconMode);
    results_->setMovement(QListView::Static);
    results_->setResizeMode(QListView::Adjust);
    results_->setUniformItemSizes(true);
    results_->setSpacing(6);
    results_->setSelectionMode(QAbstractItemView::SingleSelection);
    results_->setItemDelegate(new SearchResultDelegate(results_));
    results_->setModel(model_);

    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("searchStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(row1);
    layout->addLayout(row2);
    layout->addWidget(results_, 1);
    layout->addWidget(status_);

    auto* like = new QAction(tr("More like this"), this);
    like->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    Shortcuts::instance().bind(like, QStringLiteral("search.moreLikeThis"),
                               tr("Search for shots like the selected result"), QKeySequence(Qt::CTRL | Qt::Key_L));
    addAction(like);
    auto* focus = new QAction(tr("Search box"), this);
    focus->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    Shortcuts::instance().bind(focus, QStringLiteral("search.focusQuery"), tr("Go to the search box"),
                               QKeySequence(Qt::CTRL | Qt::Key_F));
    addAction(focus);

    connect(query_, &QLineEdit::returnPressed, this, &SearchView::search);
    connect(mood_->lineEdit(), &QLineEdit::returnPressed, this, &SearchView::search);
    connect(mood_, &QComboBox::activated, this, &SearchView::search);
    connect(search_button_, &QPushButton::clicked, this, &SearchView::search);
    connect(like_selected_, &QPushButton::clicked, this, &SearchView::moreLikeSelected);
    connect(like, &QAction::triggered, this, &SearchView::moreLikeSelected);
    connect(like_shot_, &QPushButton::clicked, this, &SearchView::moreLikeSelectedShot);
    connect(focus, &QAction::triggered, this, [this] {
        query_->setFocus();
        query_->selectAll();
    });
    connect(like_frame_button_, &QPushButton::clicked, this,
            [this] { moreLikeFrame(title_id_, like_frame_->value()); });
    // Enter and a double-click open a result. Not QAbstractItemView::activated: whether a double-click activates
    // depends on the style, and a single click must only select.
    connect(results_, &QListView::doubleClicked, this, &SearchView::openIndex);
    results_->installEventFilter(this);
    connect(results_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                like_selected_->setEnabled(current.isValid());
                like_shot_->setEnabled(current.isValid());
            });
    like_selected_->setEnabled(false);
    like_shot_->setEnabled(false);
    setStatus(tr("Type words, pick a mood or choose a frame, then Search."));
    showTitle(0);
}

SearchView::~SearchView() = default;

void SearchView::showTitle(qint64 title_id)
{
    title_id_ = title_id;
    scope_->setCurrentIndex(title_id == 0 ? 1 : 0);
    scope_->setEnabled(title_id != 0);
    like_frame_->setEnabled(title_id != 0);
    like_frame_button_->setEnabled(title_id != 0);
    sampled_frames_.clear();
    const quint64 generation = ++title_generation_;
    session_->read(
        this,
        [title_id](Store& store) {
            TitleInfo info;
            std::set<std::string> moods;
            std::vector<qint64> ids;
            if (title_id != 0) {
                ids.push_back(title_id);
            } else {
                for (const TitleRecord& t : store.titles()) ids.push_back(t.id);
            }
            for (qint64 id : ids)
                for (const Tag& t : store.tags(id))
                    if (t.category == "mood" && t.state != ReviewState::Rejected) moods.insert(t.label);
            info.moods.assign(moods.begin(), moods.end());
            if (title_id != 0)
                for (const FrameRecord& f : store.frames(title_id)) info.frames.push_back(f.frame_index);
            return info;
        },
        [this, generation](TitleInfo info) {
            if (generation != title_generation_) return;
            const QString typed = mood_->currentText();
            const QString chosen = mood_->currentData().toString();
            {
                QSignalBlocker block(mood_);
                mood_->clear();
                mood_->addItem(tr("Any mood"), QString());
                for (const std::string& m : info.moods)
                    mood_->addItem(QString::fromStdString(m), QString::fromStdString(m));
                const int i = mood_->findData(chosen);
                mood_->setCurrentIndex(i < 0 ? 0 : i);
                if (i < 0 && !chosen.isEmpty()) mood_->setEditText(typed);
            }
            sampled_frames_ = std::move(info.frames);
            like_frame_->setRange(0, sampled_frames_.empty() ? 0 : int(sampled_frames_.back()));
            Q_EMIT moodsLoaded();
        },
        [this](const QString& error) { setStatus(error, true); });
}

void SearchView::setAllTitles(bool all)
{
    scope_->setCurrentIndex(all || title_id_ == 0 ? 1 : 0);
}

void SearchView::search()
{
    SceneQuery q;
    q.text = query_->text().trimmed().toStdString();
    // The combo's text: a listed mood or one typed in; "Any mood" is none.
    QString mood = mood_->currentText().trimmed();
    if (mood_->currentIndex() == 0 && mood == mood_->itemText(0)) mood.clear();
    q.mood = mood.toStdString();
    if (q.text.empty() && q.mood.empty()) {
        setStatus(tr("Type something to search for, or choose a mood."));
        return;
    }
    // The box speaks the one query syntax (core/search/query_syntax.h): parsed with the store, off this thread.
    QStringList what;
    if (!q.text.empty()) what << tr("“%1”").arg(query_->text().trimmed());
    if (!q.mood.empty()) what << tr("mood %1").arg(mood);
    run(q, what.join(tr(" and ")));
}

void SearchView::moreLikeSelected()
{
    const SceneHit* h = model_->hit(results_->currentIndex().row());
    if (!h) {
        setStatus(tr("Select a result first, then ask for more like it."));
        return;
    }
    moreLikeFrame(h->title_id, h->frame_index);
}

void SearchView::moreLikeSelectedShot()
{
    const SceneHit* h = model_->hit(results_->currentIndex().row());
    if (!h) {
        setStatus(tr("Select a result first, then ask for shots like it."));
        return;
    }
    moreLikeShot(h->title_id, h->shot_index);
}

void SearchView::moreLikeShot(qint64 title_id, int shot_index)
{
    query_->clear();
    mood_->setCurrentIndex(0);
    SceneQuery q;
    q.like_title_id = title_id;
    q.like_shot = shot_index;
    run(q, tr("like shot %1").arg(shot_index + 1));  // shots are counted from 1 on screen
}

void SearchView::moreLikeFrame(qint64 title_id, qint64 frame_index)
{
    if (title_id == 0) {
        setStatus(tr("Open a title first to search by one of its frames."));
        return;
    }
    qint64 frame = frame_index;
    QString note;
    if (title_id == title_id_ && !sampled_frames_.empty() &&
        !std::binary_search(sampled_frames_.begin(), sampled_frames_.end(), frame_index)) {
        // The nearest sampled frame: only those have embeddings.
        frame = *std::min_element(sampled_frames_.begin(), sampled_frames_.end(), [&](qint64 a, qint64 b) {
            return std::llabs(a - frame_index) < std::llabs(b - frame_index);
        });
        note = tr(" (frame %1 is not sampled; the nearest sampled frame)").arg(frame_index);
    }
    // The box and the mood say what the results are for: a "like" query has neither.
    query_->clear();
    mood_->setCurrentIndex(0);
    SceneQuery q;
    q.like_title_id = title_id;
    q.like_frame = frame;
    run(q, tr("like frame %1%2").arg(frame).arg(note));
}

void SearchView::run(SceneQuery q, const QString& what)
{
    const bool all = scope_->currentData().toBool() || title_id_ == 0;
    q.title_id = all ? 0 : title_id_;
    q.limit = kLimit;
    const quint64 generation = ++generation_;
    setStatus(tr("Searching %1…").arg(what));
    session_->read(
        this,
        [q](Store& store) {
            SceneQuery query = q;
            expand_query_text(store, query);  // words, tag:, character:, mood:, like:FRAME_ID
            SceneSearch search(store);
            add_standard_text_sources(search);  // the CLI's sources: title texts, transcripts, on-screen text
            return search.search(query);
        },
        [this, generation, what](std::vector<SceneHit> hits) {
            if (generation != generation_) return;  // a newer search was asked for
            const int n = int(hits.size());
            thumbnails_->dropQueued();
            model_->setHits(std::move(hits));
            if (n > 0) results_->setCurrentIndex(model_->index(0));
            setStatus(n == 0 ? tr("Nothing found for %1.").arg(what)
                             : tr("%n shot(s) for %1 — Enter or double-click opens one", nullptr, n).arg(what));
            Q_EMIT searched(n);
        },
        [this, generation](const QString& error) {
            if (generation != generation_) return;
            model_->setHits({});
            setStatus(error, true);
            Q_EMIT searched(-1);
        });
}

bool SearchView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == results_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && results_->currentIndex().isValid()) {
            openIndex(results_->currentIndex());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SearchView::openIndex(const QModelIndex& index)
{
    if (const SceneHit* h = model_->hit(index.row())) Q_EMIT openShot(h->title_id, h->shot_index, h->frame_index);
}

QString SearchView::statusText() const
{
    return status_->text();
}

void SearchView::setStatus(const QString& text, bool error)
{
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

}  // namespace frameline::ui
