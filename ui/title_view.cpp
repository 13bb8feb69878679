#include "ui/title_view.h"

#include <QAction>
#include <cmath>
#include <QCheckBox>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <optional>

#include "core/store/store.h"
#include "ui/frame_filter_proxy.h"
#include "ui/frame_grid_delegate.h"
#include "ui/frame_grid_model.h"
#include "ui/player_view.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"
#include "ui/store_command.h"
#include "ui/shot_timeline.h"
#include "ui/thumbnail_loader.h"
#include "ui/time_format.h"
#include "ui/timeline_lanes.h"
#include "ui/timeline_marks.h"
#include "ui/title_texts_panel.h"
#include "ui/transcript_panel.h"

namespace frameline::ui {

struct TitleDetail {
    qint64 title_id = 0;
    std::optional<TitleRecord> title;
    std::vector<Shot> shots;
    std::vector<FrameRecord> frames;
    std::vector<MarkerRecord> markers;  // all of them, rejected ones too (an undo can bring them back)
    std::vector<Chapter> chapters;
    std::vector<AudioSegment> audio;
    std::vector<TranscriptSegment> transcript;
    std::vector<ScreenText> screen_text;
    QString error;
};

struct LaneReload {
    qint64 title_id = 0;
    quint64 generation = 0;
    std::vector<Chapter> chapters;
    std::vector<AudioSegment> audio;
    std::vector<TranscriptSegment> transcript;
    std::vector<ScreenText> screen_text;
    QString error;
};

struct ReviewResult {
    qint64 title_id = 0;
    qint64 marker_id = 0;
    ReviewAction action = ReviewAction::Accept;
    ReviewOutcome outcome;
    QString error;  // the store refused (an unknown cue or event) or failed
};

struct MarkerReload {
    qint64 title_id = 0;
    quint64 generation = 0;
    std::vector<MarkerRecord> markers;
    QString error;
};

namespace {
// Runs on the thread pool.
TitleDetail load_detail(const std::shared_ptr<Store>& store, qint64 title_id)
{
    TitleDetail d;
    d.title_id = title_id;
    try {
        d.title = store->title(title_id);
        if (!d.title) {
            d.error = QObject::tr("Title %1 is no longer in the database.").arg(title_id);
            return d;
        }
        d.shots = store->shots(title_id);
        d.frames = store->frames(title_id);
        d.markers = store->marker_records(title_id);
        d.chapters = store->chapters(title_id);
        d.audio = store->audio_segments(title_id);
        d.transcript = store->transcript(title_id);
        d.screen_text = store->screen_text(title_id);
    } catch (const std::exception& e) {
        d.error = QString::fromUtf8(e.what());
    }
    return d;
}

MarkerReload load_markers(const std::shared_ptr<Store>& store, qint64 title_id, quint64 generation)
{
    MarkerReload r;
    r.title_id = title_id;
    r.generation = generation;
    try {
        r.markers = store->marker_records(title_id);
    } catch (const std::exception& e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

LaneReload load_lanes(Store& store, qint64 title_id, quint64 generation)
{
    LaneReload r;
    r.title_id = title_id;
    r.generation = generation;
    try {
        r.chapters = store.chapters(title_id);
        r.audio = store.audio_segments(title_id);
        r.transcript = store.transcript(title_id);
        r.screen_text = store.screen_text(title_id);
    } catch (const std::exception& e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

// The frame each shot is shown by in the strip: its representative frame, else its first sampled frame.
std::vector<qint64> shot_thumbnail_ids(size_t shot_count, const std::vector<FrameRecord>& frames)
{
    std::vector<qint64> ids(shot_count, 0);
    std::vector<bool> has_representative(shot_count, false);
    for (const FrameRecord& f : frames) {
        if (f.shot_index < 0 || static_cast<size_t>(f.shot_index) >= shot_count) continue;
        const auto i = static_cast<size_t>(f.shot_index);
        if (f.representative && !has_representative[i]) {
            ids[i] = f.id;
            has_representative[i] = true;
        } else if (ids[i] == 0) {
            ids[i] = f.id;
        }
    }
    return ids;
}

QString header_text(const TitleRecord& t, size_t frames)
{
    QStringList parts;
    parts << QStringLiteral("<b>%1</b>").arg(QString::fromStdString(t.name).toHtmlEscaped());
    if (t.duration_s > 0) parts << format_time(t.duration_s);
    if (t.width > 0 && t.height > 0) parts << QStringLiteral("%1×%2").arg(t.width).arg(t.height);
    if (t.fps > 0) parts << TitleView::tr("%1 fps").arg(t.fps, 0, 'g', 4);
    if (t.status == TitleStatus::Ready) {
        parts << (t.shot_count == 1 ? TitleView::tr("1 shot") : TitleView::tr("%1 shots").arg(t.shot_count));
        parts << (frames == 1 ? TitleView::tr("1 sampled frame") : TitleView::tr("%1 sampled frames").arg(frames));
    } else {
        QString status = QString::fromLatin1(to_string(t.status));
        if (!t.status_message.empty()) status += QStringLiteral(": ") + QString::fromStdString(t.status_message);
        parts << QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(status.toHtmlEscaped());
    }
    return parts.join(QStringLiteral(" &nbsp;·&nbsp; "));
}
}  // namespace

TitleView::TitleView(ReviewSession* session, QWidget* parent)
    : QWidget(parent), session_(session), store_(session->sharedStore())
{
    connectSession(session);
    thumbnails_ = new ThumbnailLoader(store_, this);
    createPlaybackActions();

    placeholder_ = new QLabel(tr("Select a title on the left, or add one with File ▸ Add Title… "
                                 "or by dropping a video file here."),
                              this);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setEnabled(false);  // greyed: it is a hint, not content

    header_ = new QLabel(this);
    header_->setTextFormat(Qt::RichText);
    header_->setWordWrap(true);  // long names and failure messages must not widen the window
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    review_message_ = new QLabel(this);
    review_message_->setWordWrap(true);
    review_message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    review_message_->hide();
    player_ = new PlayerView(this);
    connect(player_, &PlayerView::posterNeeded, this, &TitleView::showPosterAt);
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, [this](qint64 frame_id, const QImage& image) {
        if (frame_id == poster_frame_id_ && player_->showsPoster()) player_->setPoster(image);
    });
    timeline_ = new ShotTimeline(thumbnails_, this);
    timeline_->setToolTip(QString());  // per-shot tooltips come from the widget itself
    lanes_ = new TimelineLanes(this);
    transcript_ = new TranscriptPanel(this);
    texts_panel_ = new TitleTextsPanel(session, this);
    side_tabs_ = new QTabWidget(this);
    side_tabs_->setObjectName(QStringLiteral("titleSideTabs"));
    side_tabs_->addTab(transcript_, tr("Transcript"));
    // Scrolled, so that its editors and list never make the window taller than the reviewer sized it.
    auto* texts_scroll = new QScrollArea(this);
    texts_scroll->setWidget(texts_panel_);
    texts_scroll->setWidgetResizable(true);
    texts_scroll->setFrameShape(QFrame::NoFrame);
    texts_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    side_tabs_->addTab(texts_scroll, tr("Synopsis && Reviews"));
    show_screen_text_ = new QCheckBox(tr("On-screen text"), this);
    show_screen_text_->setObjectName(QStringLiteral("showScreenText"));
    show_screen_text_->setChecked(true);
    show_screen_text_->setFocusPolicy(Qt::TabFocus);  // a click must not take the arrow keys from shot stepping
    show_screen_text_->setToolTip(tr("Draw the text recognised in the shown sampled frame (OCR) over the picture"));

    frame_model_ = new FrameGridModel(thumbnails_, this);
    frame_proxy_ = new FrameFilterProxy(this);
    frame_proxy_->setSourceModel(frame_model_);
    frame_view_ = new QListView(this);
    frame_view_->setViewMode(QListView::IconMode);
    frame_view_->setResizeMode(QListView::Adjust);
    frame_view_->setMovement(QListView::Static);
    frame_view_->setUniformItemSizes(true);  // no per-item size queries, so no thumbnail loads for hidden items
    frame_view_->setWordWrap(true);
    frame_view_->setSpacing(4);
    frame_view_->setIconSize(FrameGridModel::iconSize());
    frame_view_->setGridSize(FrameGridModel::iconSize() + QSize(16, 2 * frame_view_->fontMetrics().height() + 14));
    frame_view_->setSelectionMode(QAbstractItemView::SingleSelection);
    frame_view_->setItemDelegate(new FrameGridDelegate(frame_view_));
    frame_view_->setModel(frame_proxy_);
    frames_label_ = new QLabel(tr("Sampled frames"), this);
    hide_flagged_ = new QCheckBox(tr("Hide flagged frames"), this);
    hide_flagged_->setToolTip(tr("Show only frames without a quality fault (black, blurry, badly exposed, "
                                 "near-duplicate, in a transition). Letterboxed and pillarboxed frames stay."));
    hide_flagged_->setFocusPolicy(Qt::TabFocus);  // a click must not take the arrow keys from shot stepping

    auto* top = new QWidget(this);
    auto* top_layout = new QVBoxLayout(top);
    top_layout->setContentsMargins(0, 0, 0, 0);
    auto* header_row = new QHBoxLayout;
    header_row->addWidget(header_, 1);
    header_row->addWidget(show_screen_text_, 0, Qt::AlignTop);
    top_layout->addLayout(header_row);
    top_layout->addWidget(review_message_);
    auto* picture_row = new QSplitter(Qt::Horizontal, top);
    picture_row->addWidget(player_);
    picture_row->addWidget(side_tabs_);
    picture_row->setStretchFactor(0, 3);
    picture_row->setStretchFactor(1, 2);
    picture_row->setChildrenCollapsible(false);
    top_layout->addWidget(picture_row, 1);
    top_layout->addWidget(timeline_);
    top_layout->addWidget(lanes_);
    auto* bottom = new QWidget(this);
    auto* bottom_layout = new QVBoxLayout(bottom);
    bottom_layout->setContentsMargins(0, 0, 0, 0);
    auto* grid_header = new QHBoxLayout;
    grid_header->addWidget(frames_label_, 1);
    grid_header->addWidget(hide_flagged_);
    bottom_layout->addLayout(grid_header);
    bottom_layout->addWidget(frame_view_, 1);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    pages_ = new QStackedWidget(this);
    pages_->addWidget(placeholder_);
    pages_->addWidget(splitter);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pages_);

    connect(timeline_, &ShotTimeline::shotActivated, this, &TitleView::selectShot);
    connect(frame_view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &TitleView::onFrameCurrentChanged);
    connect(player_, &PlayerView::positionChanged, timeline_, &ShotTimeline::setPlayhead);
    connect(player_, &PlayerView::positionChanged, lanes_, &TimelineLanes::setPlayhead);
    connect(lanes_, &TimelineLanes::seekRequested, this, &TitleView::seekToTime);
    connect(player_, &PlayerView::positionChanged, transcript_, &TranscriptPanel::setPlayhead);
    connect(transcript_, &TranscriptPanel::seekRequested, this, &TitleView::seekToTime);
    connect(show_screen_text_, &QCheckBox::toggled, player_, &PlayerView::setOverlayVisible);
    connect(timeline_, &ShotTimeline::markerActivated, this, &TitleView::onMarkerActivated);
    connect(timeline_, &ShotTimeline::markerContextMenuRequested, this, &TitleView::showMarkerMenu);
    connect(hide_flagged_, &QCheckBox::toggled, this, &TitleView::setHideFlagged);
}

TitleView::~TitleView() = default;

void TitleView::showTitle(qint64 title_id)
{
    ++load_generation_;
    ++markers_generation_;  // the full load reads the cues too
    ++lanes_generation_;    // and the lanes
    markers_reloading_ = false;
    thumbnails_->dropQueued();
    if (title_id != title_id_) setReviewMessage({}, false);
    texts_panel_->showTitle(title_id);
    if (title_id == 0) {
        title_id_ = 0;
        loading_ = false;
        player_->setSource({});
        timeline_->clear();
        lanes_->clear();
        transcript_->clear();
        setScreenText({});
        frame_model_->setFrames({});
        updateFramesLabel();
        pages_->setCurrentWidget(placeholder_);
        return;
    }
    title_id_ = title_id;
    loading_ = true;
    const quint64 generation = load_generation_;
    // The watcher is our child: if this view goes away first, the result is dropped with it.
    auto* watcher = new QFutureWatcher<TitleDetail>(this);
    connect(watcher, &QFutureWatcher<TitleDetail>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != load_generation_) return;  // the user has moved on
        loading_ = false;
        applyDetail(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(load_detail, store_, title_id));
}

void TitleView::applyDetail(const TitleDetail& d)
{
    pages_->setCurrentIndex(1);
    if (!d.error.isEmpty() || !d.title) {
        header_->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(d.error.toHtmlEscaped()));
        player_->setSource({});
        timeline_->clear();
        lanes_->clear();
        transcript_->clear();
        setScreenText({});
        frame_model_->setFrames({});
        updateFramesLabel();
        Q_EMIT loadFailed(d.title_id, d.error);
        return;
    }
    const TitleRecord& t = *d.title;
    header_->setText(header_text(t, d.frames.size()));
    const bool file_present = !t.media_path.empty() && QFileInfo::exists(QString::fromStdString(t.media_path));
    player_->setSource(file_present ? QString::fromStdString(t.media_path) : QString(), t.duration_s);
    if (!file_present && !t.media_path.empty())
        header_->setText(header_->text() + QStringLiteral("<br><span style='color:#c0392b'>%1</span>")
                                               .arg(tr("Media file not found: %1")
                                                        .arg(QString::fromStdString(t.media_path))
                                                        .toHtmlEscaped()));
    timeline_->setShots(d.shots, shot_thumbnail_ids(d.shots.size(), d.frames), t.duration_s);
    timeline_->setMarkerRecords(d.markers);
    player_->setFrameRate(t.fps);
    lanes_->setSpan(timeline_->spanSeconds());
    lanes_->setPlayhead(0.0);
    lanes_->setChapters(d.chapters);
    lanes_->setAudioSegments(d.audio);
    transcript_->setSegments(d.transcript);
    lanes_->setDialogue(preferred_transcript(d.transcript));
    transcript_->setPlayhead(0.0);
    setScreenText(d.screen_text);
    frame_model_->setFrames(d.frames);
    showPosterAt(player_->currentSeconds());
    updateFramesLabel();
    Q_EMIT titleLoaded(d.title_id);
}

int TitleView::selectedShot() const { return timeline_->selectedShot(); }

void TitleView::selectShot(int index)
{
    const Shot* shot = timeline_->shotAt(index);
    if (!shot) return;
    timeline_->setSelectedShot(index);
    player_->seekTo(shot->start_s);
    syncGridToShot(index);
}

void TitleView::showPosterAt(double seconds)
{
    // The sampled frame nearest the position; its thumbnail comes from the loader's cache or soon after.
    const FrameRecord* best = nullptr;
    for (int row = 0; row < frame_model_->rowCount(); ++row) {
        const FrameRecord* f = frame_model_->frameAt(row);
        if (f && (!best || std::abs(f->pts_s - seconds) < std::abs(best->pts_s - seconds))) best = f;
    }
    poster_frame_id_ = best ? best->id : 0;
    poster_frame_index_ = best ? best->frame_index : -1;
    QList<PlayerView::OverlayBox> boxes;
    if (best) {
        if (auto it = screen_text_.find(best->frame_index); it != screen_text_.end())
            for (const ScreenText& t : it->second)
                boxes << PlayerView::OverlayBox{QRectF(t.x, t.y, t.width, t.height), QString::fromStdString(t.text)};
    }
    player_->setOverlayBoxes(boxes);
    if (!best) return;
    if (const QImage image = thumbnails_->thumbnail(best->id); !image.isNull()) player_->setPoster(image);
}

void TitleView::playShot(int index)
{
    selectShot(index);
    if (player_->shuttleRate() == 0) player_->shuttleForward();
}

void TitleView::seekToTime(double seconds)
{
    if (title_id_ == 0) return;
    player_->seekTo(seconds);
    timeline_->setPlayhead(seconds);  // at once: a player still loading reports its position later
    lanes_->setPlayhead(seconds);
    transcript_->setPlayhead(seconds);
    const int shot = timeline_->shotAtTime(seconds);
    if (shot < 0) return;
    timeline_->setSelectedShot(shot);
    syncGridToShot(shot);
}

void TitleView::syncGridToShot(int index)
{
    // Show the shot's frames in the grid, unless the user is already on one of them.
    const QModelIndex current = frame_view_->currentIndex();
    if (current.isValid() && current.data(FrameGridModel::ShotIndexRole).toInt() == index) return;
    const QModelIndex target = gridIndexOfShot(index);
    if (!target.isValid()) return;  // no sampled frame, or all of them hidden as flagged
    syncing_selection_ = true;
    frame_view_->setCurrentIndex(target);
    frame_view_->scrollTo(target);
    syncing_selection_ = false;
}

QModelIndex TitleView::gridIndexOfShot(int shot_index) const
{
    const int row = frame_model_->firstRowOfShot(shot_index);
    if (row < 0) return {};
    if (const QModelIndex shown = frame_proxy_->mapFromSource(frame_model_->index(row)); shown.isValid())
        return shown;
    // The first frame is hidden (flagged): the shot's first frame that is shown. Rows are sorted by frame.
    for (int r = 0; r < frame_proxy_->rowCount(); ++r) {
        const QModelIndex i = frame_proxy_->index(r, 0);
        if (i.data(FrameGridModel::ShotIndexRole).toInt() == shot_index) return i;
    }
    return {};
}

void TitleView::onFrameCurrentChanged()
{
    if (syncing_selection_) return;
    const QModelIndex current = frame_view_->currentIndex();
    if (current.isValid()) selectShot(current.data(FrameGridModel::ShotIndexRole).toInt());
}

void TitleView::onMarkerActivated(int index)
{
    const Marker* m = timeline_->markerAt(index);
    if (!m) return;
    seekToTime(m->start_s);
}

QMenu* TitleView::createMarkerMenu(qint64 marker_id)
{
    const MarkerRecord* r = timeline_->markerRecord(marker_id);
    if (!r) return nullptr;
    const qint64 undo_event = undoableEvent(marker_id);
    if (r->state == ReviewState::Rejected && undo_event == 0) return nullptr;  // hidden, and not ours to bring back
    const bool busy = pending_reviews_.count(marker_id) > 0;
    auto* menu = new QMenu(this);
    menu->setTitle(tr("%1 cue").arg(marker_name(r->marker.kind)));
    QAction* accept = menu->addAction(tr("Accept"), this, [this, marker_id] {
        reviewMarker(marker_id, ReviewAction::Accept);
    });
    accept->setObjectName(QStringLiteral("acceptMarker"));
    accept->setEnabled(!busy && r->state != ReviewState::Accepted);
    QAction* reject = menu->addAction(tr("Reject"), this, [this, marker_id] {
        reviewMarker(marker_id, ReviewAction::Reject);
    });
    reject->setObjectName(QStringLiteral("rejectMarker"));
    reject->setEnabled(!busy && r->state != ReviewState::Rejected);
    menu->addSeparator();
    QAction* undo = menu->addAction(tr("Undo my last review"), this, [this, marker_id] {
        reviewMarker(marker_id, ReviewAction::Undo);
    });
    undo->setObjectName(QStringLiteral("undoMarkerReview"));
    undo->setEnabled(!busy && undo_event != 0);
    return menu;
}

void TitleView::showMarkerMenu(qint64 marker_id, const QPoint& global_pos)
{
    QMenu* menu = createMarkerMenu(marker_id);
    if (!menu) return;
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(global_pos);  // not exec(): the event loop keeps running
}

qint64 TitleView::undoableEvent(qint64 marker_id) const
{
    const auto it = my_last_event_.find(marker_id);
    return it == my_last_event_.end() ? 0 : it->second;
}

QString TitleView::reviewMessage() const { return review_message_->isVisible() ? review_message_->text() : QString(); }

void TitleView::setReviewMessage(const QString& text, bool error)
{
    review_message_->setText(text);
    review_message_->setStyleSheet(error ? QStringLiteral("color:#c0392b") : QString());
    review_message_->setVisible(!text.isEmpty());
}

void TitleView::reviewMarker(qint64 marker_id, ReviewAction action)
{
    const MarkerRecord* r = timeline_->markerRecord(marker_id);
    if (!r || !session_ || pending_reviews_.count(marker_id)) return;
    Review review;
    review.entity = "marker";
    review.id = marker_id;
    review.expected_version = r->version;  // what this view shows; a different stored one is a conflict
    review.action = action;
    if (action == ReviewAction::Undo) {
        review.undo_event = undoableEvent(marker_id);
        if (review.undo_event == 0) return;
    }
    pending_reviews_.insert(marker_id);
    setReviewMessage({}, false);
    // An undo command like every other edit (Ctrl+Z takes it back); the outcome comes back through the session's
    // edited / conflict / editFailed signals (connected in the constructor).
    const QString what = marker_name(r->marker.kind);
    const QString text = action == ReviewAction::Accept   ? tr("Accept %1 cue").arg(what)
                         : action == ReviewAction::Reject ? tr("Reject %1 cue").arg(what)
                                                          : tr("Take back my review of the %1 cue").arg(what);
    marker_actions_[marker_id] = action;
    session_->undoStack()->push(StoreCommand::review(session_, text, review, title_id_));
}

void TitleView::onReviewFinished(const ReviewResult& result)
{
    pending_reviews_.erase(result.marker_id);
    if (!result.error.isEmpty()) {
        setReviewMessage(tr("The review was not saved: %1").arg(result.error), true);
    } else if (result.outcome.applied) {
        if (result.action == ReviewAction::Undo)
            my_last_event_.erase(result.marker_id);  // one step back only: the undo itself is not undone here
        else
            my_last_event_[result.marker_id] = result.outcome.event_id;
    } else {
        // Someone else changed it first: their change stands, and ours (if any) is no longer the last one.
        my_last_event_.erase(result.marker_id);
        const MarkerRecord& now = result.outcome.current;
        setReviewMessage(tr("Someone else reviewed this cue (now: %1, version %2); it has been reloaded.")
                             .arg(QString::fromLatin1(to_string(now.state)))
                             .arg(now.version),
                         false);
    }
    Q_EMIT markerReviewed(result.marker_id, result.error.isEmpty() && result.outcome.applied);
    if (result.title_id == title_id_) reloadMarkers();
}

void TitleView::reloadMarkers()
{
    if (title_id_ == 0) return;
    const quint64 generation = ++markers_generation_;
    markers_reloading_ = true;
    auto* watcher = new QFutureWatcher<MarkerReload>(this);
    connect(watcher, &QFutureWatcher<MarkerReload>::finished, this, [this, watcher] {
        watcher->deleteLater();
        onMarkersReloaded(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(load_markers, store_, title_id_, generation));
}

void TitleView::onMarkersReloaded(const MarkerReload& reload)
{
    if (reload.generation != markers_generation_ || reload.title_id != title_id_) return;  // superseded
    markers_reloading_ = false;
    if (!reload.error.isEmpty()) {
        setReviewMessage(tr("The cues could not be read again: %1").arg(reload.error), true);
        return;
    }
    timeline_->setMarkerRecords(reload.markers);
    Q_EMIT markersReloaded(reload.title_id);
}

void TitleView::setHideFlagged(bool hide)
{
    if (hide_flagged_->isChecked() != hide) {
        hide_flagged_->setChecked(hide);  // called directly: the box's toggled signal comes back here
        return;
    }
    // Rows leaving the grid move its current item; that is not the user picking a frame (it must not seek).
    syncing_selection_ = true;
    frame_proxy_->setHideFlagged(hide);
    syncing_selection_ = false;
    updateFramesLabel();
    // Keep the grid on the selected shot where it can.
    const int shot = timeline_->selectedShot();
    if (shot < 0 || frame_view_->currentIndex().data(FrameGridModel::ShotIndexRole).toInt() == shot) return;
    if (const QModelIndex target = gridIndexOfShot(shot); target.isValid()) {
        syncing_selection_ = true;
        frame_view_->setCurrentIndex(target);
        frame_view_->scrollTo(target);
        syncing_selection_ = false;
    }
}

void TitleView::updateFramesLabel()
{
    const int total = frame_model_->rowCount();
    int flagged = 0;
    for (int r = 0; r < total; ++r)
        if (frame_model_->index(r).data(FrameGridModel::HasFaultRole).toBool()) ++flagged;
    if (total == 0)
        frames_label_->setText(tr("Sampled frames"));
    else if (frame_proxy_->hideFlagged() && flagged > 0)
        frames_label_->setText(tr("Sampled frames (%1 shown, %2 flagged hidden)").arg(total - flagged).arg(flagged));
    else if (flagged > 0)
        frames_label_->setText(tr("Sampled frames (%1, %2 flagged)").arg(total).arg(flagged));
    else
        frames_label_->setText(tr("Sampled frames (%1)").arg(total));
}

int TitleView::currentShotForNavigation() const
{
    // The selected shot, unless playback has moved on to another one since.
    const int at_playhead = timeline_->shotAtTime(timeline_->playhead());
    const int selected = timeline_->selectedShot();
    if (selected >= 0 && (at_playhead < 0 || at_playhead == selected)) return selected;
    return at_playhead >= 0 ? at_playhead : selected;
}

void TitleView::selectPreviousShot()
{
    if (timeline_->shotCount() == 0) return;
    const int current = currentShotForNavigation();
    selectShot(current < 0 ? 0 : std::max(0, current - 1));
}

void TitleView::selectNextShot()
{
    if (timeline_->shotCount() == 0) return;
    const int current = currentShotForNavigation();
    selectShot(current < 0 ? 0 : std::min(timeline_->shotCount() - 1, current + 1));
}

void TitleView::togglePlayPause() { player_->togglePlayPause(); }
void TitleView::shuttleForward() { player_->shuttleForward(); }
void TitleView::shuttleBackward() { player_->shuttleBackward(); }
void TitleView::pausePlayback() { player_->pause(); }
void TitleView::stepForward() { player_->stepFrames(1); }
void TitleView::stepBackward() { player_->stepFrames(-1); }
void TitleView::goToStart() { player_->seekToStart(); }
void TitleView::goToEnd() { player_->seekToEnd(); }

void TitleView::connectSession(ReviewSession* session)
{
    connect(session, &ReviewSession::edited, this, [this](const EditReport& report) {
        if (report.entity == QLatin1String("chapter") && report.title_id == title_id_) reloadLanes();
    });
    // Cue reviews (this view's, and their undo and redo from the window's undo stack).
    auto on_marker = [this](const EditReport& report, bool applied) {
        if (report.entity != QLatin1String("marker")) return;
        ReviewResult result;
        result.title_id = report.title_id;
        result.marker_id = report.id;
        // The stack's undo of a review, or a review that took back an earlier one: nothing of ours left to undo.
        const auto asked = marker_actions_.find(report.id);
        const bool took_back = report.undo || (asked != marker_actions_.end() && asked->second == ReviewAction::Undo);
        if (asked != marker_actions_.end()) marker_actions_.erase(asked);
        result.action = took_back ? ReviewAction::Undo : ReviewAction::Accept;
        result.outcome.applied = applied;
        result.outcome.event_id = report.result.event_id;
        result.outcome.current.id = report.id;
        result.outcome.current.state = report.result.state;
        result.outcome.current.version = report.result.version;
        result.error = report.error;
        onReviewFinished(result);
    };
    connect(session, &ReviewSession::edited, this, [on_marker](const EditReport& r) { on_marker(r, true); });
    connect(session, &ReviewSession::conflict, this, [on_marker](const EditReport& r) { on_marker(r, false); });
    connect(session, &ReviewSession::editFailed, this, [on_marker](const EditReport& r) { on_marker(r, false); });
    connect(session, &ReviewSession::changedElsewhere, this, [this] {
        reloadLanes();
        if (!markers_reloading_ && pending_reviews_.empty()) reloadMarkers();
    });
}

void TitleView::reloadLanes()
{
    if (title_id_ == 0 || loading_ || !session_) return;  // a full load under way reads the lanes too
    const quint64 generation = ++lanes_generation_;
    const qint64 title = title_id_;
    session_->read(
        this, [title, generation](Store& store) { return load_lanes(store, title, generation); },
        [this](LaneReload r) { onLanesReloaded(r); });
}

void TitleView::onLanesReloaded(const LaneReload& reload)
{
    if (reload.generation != lanes_generation_ || reload.title_id != title_id_) return;  // superseded
    if (!reload.error.isEmpty()) {
        setReviewMessage(tr("The chapters could not be read again: %1").arg(reload.error), true);
        return;
    }
    lanes_->setChapters(reload.chapters);
    lanes_->setAudioSegments(reload.audio);
    transcript_->setSegments(reload.transcript);
    lanes_->setDialogue(preferred_transcript(reload.transcript));
    transcript_->setPlayhead(player_->currentSeconds());
    setScreenText(reload.screen_text);
    showPosterAt(player_->currentSeconds());
    Q_EMIT lanesReloaded(reload.title_id);
}

void TitleView::setScreenText(const std::vector<ScreenText>& lines)
{
    screen_text_.clear();
    screen_text_lines_ = 0;
    for (const ScreenText& t : lines) {
        if (t.text.empty()) continue;
        screen_text_[t.frame_index].push_back(t);
        ++screen_text_lines_;
    }
    show_screen_text_->setText(screen_text_lines_ > 0 ? tr("On-screen text (%1)").arg(screen_text_lines_)
                                                      : tr("On-screen text"));
    show_screen_text_->setEnabled(screen_text_lines_ > 0);
}

void TitleView::createPlaybackActions()
{
    auto add = [this](const QString& id, const QString& text, const QKeySequence& key, auto slot) {
        auto* action = new QAction(text, this);
        Shortcuts::instance().bind(action, id, text, key);
        connect(action, &QAction::triggered, this, slot);
        playback_actions_ << action;
    };
    add(QStringLiteral("playback.play"), tr("Play/Pause"), QKeySequence(Qt::Key_Space), &TitleView::togglePlayPause);
    add(QStringLiteral("playback.previous_shot"), tr("Previous Shot"), QKeySequence(Qt::Key_Left),
        &TitleView::selectPreviousShot);
    add(QStringLiteral("playback.next_shot"), tr("Next Shot"), QKeySequence(Qt::Key_Right),
        &TitleView::selectNextShot);
    add(QStringLiteral("playback.shuttle_back"), tr("Shuttle Backward"), QKeySequence(Qt::Key_J),
        &TitleView::shuttleBackward);
    add(QStringLiteral("playback.pause"), tr("Pause"), QKeySequence(Qt::Key_K), &TitleView::pausePlayback);
    add(QStringLiteral("playback.shuttle_forward"), tr("Shuttle Forward"), QKeySequence(Qt::Key_L),
        &TitleView::shuttleForward);
    add(QStringLiteral("playback.previous_frame"), tr("Previous Frame"), QKeySequence(Qt::Key_Comma),
        &TitleView::stepBackward);
    add(QStringLiteral("playback.next_frame"), tr("Next Frame"), QKeySequence(Qt::Key_Period),
        &TitleView::stepForward);
    add(QStringLiteral("playback.start"), tr("Go to Start"), QKeySequence(Qt::Key_Home), &TitleView::goToStart);
    add(QStringLiteral("playback.end"), tr("Go to End"), QKeySequence(Qt::Key_End), &TitleView::goToEnd);
}

}  // namespace frameline::ui
