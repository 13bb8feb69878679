#pragma once
// One title: a header line, the player, the shot strip (with transitions and markers), the lanes under it
// (chapters, key scenes, speech, music) and the grid of sampled frames. Clicking anything on the strip or a lane
// seeks the player there; J/K/L shuttle, comma/period step frames, Home/End go to the ends. Shots, frames and markers are read from the database on the thread pool; a newer request makes older
// results irrelevant. Technical cues are reviewed from the marker lane's context menu (accept, reject, undo this
// window's last review of the cue); the review runs on the thread pool too, then the cues are read again.
#include <QModelIndex>
#include <QPointer>
#include <QWidget>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "core/sampling/shot.h"
#include "core/store/annotation_records.h"
#include "core/store/records.h"

class QAction;
class QCheckBox;
class QLabel;
class QListView;
class QMenu;
class QStackedWidget;
class QTabWidget;

namespace frameline {
class Store;
}

namespace frameline::ui {

class FrameFilterProxy;
class FrameGridModel;
class PlayerView;
class ReviewSession;
class ShotTimeline;
class TimelineLanes;
class TitleTextsPanel;
class TranscriptPanel;
struct LaneReload;
class ThumbnailLoader;
struct TitleDetail;
struct ReviewResult;
struct MarkerReload;

class TitleView : public QWidget {
    Q_OBJECT
public:
    // The window's review session: cue reviews are its undo commands, and the chapter and key-scene lanes follow
    // its edits and other reviewers' changes (reads go through its read pool).
    explicit TitleView(ReviewSession* session, QWidget* parent = nullptr);
    ~TitleView() override;

    void showTitle(qint64 title_id);  // 0 clears
    qint64 titleId() const { return title_id_; }
    bool isLoading() const { return loading_; }

    // Selects the shot in the strip and the grid and seeks the player to its start.
    void selectShot(int index);
    // A search result opened: the shot selected and played from its start (pressing L once).
    void playShot(int index);
    void selectPreviousShot();
    void selectNextShot();
    void togglePlayPause();
    int selectedShot() const;
    // Seeks the player to `seconds` and selects the shot there (in the strip and the grid), as a click on a lane does.
    void seekToTime(double seconds);
    void shuttleForward();   // L
    void shuttleBackward();  // J
    void pausePlayback();    // K
    void stepForward();      // period: one frame
    void stepBackward();     // comma
    void goToStart();        // Home
    void goToEnd();          // End

    // The workspace's playback actions (play/pause, shots, shuttle, frame steps) with their remappable keys; the
    // window puts them in its Playback menu and enables them only while the workspace is in front.
    QList<QAction*> playbackActions() const { return playback_actions_; }

    ShotTimeline* timeline() const { return timeline_; }
    TimelineLanes* lanes() const { return lanes_; }
    FrameGridModel* frameGridModel() const { return frame_model_; }  // every frame; the view shows frameGridProxy()
    FrameFilterProxy* frameGridProxy() const { return frame_proxy_; }
    QCheckBox* hideFlaggedCheckBox() const { return hide_flagged_; }
    QListView* frameGridView() const { return frame_view_; }
    PlayerView* player() const { return player_; }
    // Issue #8: what is said (subtitles first, recognised speech), the title's synopsis, description and reviews,
    // and the on-screen text (OCR) boxes drawn over the still when the box is checked.
    TranscriptPanel* transcriptPanel() const { return transcript_; }
    TitleTextsPanel* titleTextsPanel() const { return texts_panel_; }
    QTabWidget* sideTabs() const { return side_tabs_; }
    QCheckBox* screenTextCheckBox() const { return show_screen_text_; }
    // The sampled frame the still shows (its frame index; -1 none) and how many OCR lines the title has.
    qint64 posterFrameIndex() const { return poster_frame_index_; }
    int screenTextLineCount() const { return screen_text_lines_; }

    // The review menu of a cue of the shown title (Accept, Reject, Undo my last review), as the marker lane's
    // right-click shows it; null when there is nothing to offer. The caller owns it (it deletes itself on close
    // when shown from the lane).
    QMenu* createMarkerMenu(qint64 marker_id);
    // The event id of this window's last review of the cue that can still be undone (0: none).
    qint64 undoableEvent(qint64 marker_id) const;
    // True while a review or the re-read of the cues after it is under way.
    bool isReviewing() const { return !pending_reviews_.empty() || markers_reloading_; }
    // The last review's note (a conflict, an error), shown above the strip; empty when there is none.
    QString reviewMessage() const;

public Q_SLOTS:
    // Reviews a cue of the shown title at the version this view last read; Undo takes back this window's last
    // review of it. Runs on the thread pool; the menu's actions end here.
    void reviewMarker(qint64 marker_id, frameline::ReviewAction action);
    // Re-reads the shown title's cues (states and versions) without touching the player or the selection.
    void reloadMarkers();
    // Re-reads the chapter and audio lanes of the shown title, keeping the player and the selection.
    void reloadLanes();

Q_SIGNALS:
    void titleLoaded(qint64 title_id);
    void loadFailed(qint64 title_id, const QString& message);
    void markerReviewed(qint64 marker_id, bool applied);  // the store answered (applied == false: a conflict)
    void markersReloaded(qint64 title_id);
    void lanesReloaded(qint64 title_id);

private:
    void connectSession(ReviewSession* session);
    void onReviewFinished(const ReviewResult& result);
    void onMarkersReloaded(const MarkerReload& reload);
    void onLanesReloaded(const LaneReload& reload);
    void syncGridToShot(int index);  // the grid shows the shot's frames unless the user is already on one
    void showMarkerMenu(qint64 marker_id, const QPoint& global_pos);
    void setReviewMessage(const QString& text, bool error);
    void applyDetail(const TitleDetail& detail);
    void onFrameCurrentChanged();
    void onMarkerActivated(int index);
    void setHideFlagged(bool hide);
    void updateFramesLabel();
    QModelIndex gridIndexOfShot(int shot_index) const;  // the shot's first visible frame in the grid
    int currentShotForNavigation() const;

    void createPlaybackActions();
    void showPosterAt(double seconds);
    void setScreenText(const std::vector<ScreenText>& lines);

    QPointer<ReviewSession> session_;  // the window's (destroyed first when the window closes)
    std::shared_ptr<Store> store_;
    QList<QAction*> playback_actions_;
    ThumbnailLoader* thumbnails_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QLabel* placeholder_ = nullptr;
    QLabel* header_ = nullptr;
    QLabel* review_message_ = nullptr;
    PlayerView* player_ = nullptr;
    ShotTimeline* timeline_ = nullptr;
    TimelineLanes* lanes_ = nullptr;
    quint64 lanes_generation_ = 0;
    QLabel* frames_label_ = nullptr;
    QListView* frame_view_ = nullptr;
    FrameGridModel* frame_model_ = nullptr;
    FrameFilterProxy* frame_proxy_ = nullptr;
    QCheckBox* hide_flagged_ = nullptr;
    QTabWidget* side_tabs_ = nullptr;
    TranscriptPanel* transcript_ = nullptr;
    TitleTextsPanel* texts_panel_ = nullptr;
    QCheckBox* show_screen_text_ = nullptr;
    std::map<qint64, std::vector<ScreenText>> screen_text_;  // frame index -> its OCR lines
    int screen_text_lines_ = 0;
    qint64 poster_frame_index_ = -1;
    qint64 title_id_ = 0;
    qint64 poster_frame_id_ = 0;  // the frame whose thumbnail the player's still should show
    quint64 load_generation_ = 0;  // results of an older load are dropped
    bool loading_ = false;
    bool syncing_selection_ = false;  // strip -> grid selection must not bounce back
    std::set<qint64> pending_reviews_;      // cues with a review under way: no second one on the same version
    std::map<qint64, ReviewAction> marker_actions_;  // cue id -> the review this view asked for, until it is answered
    std::map<qint64, qint64> my_last_event_;  // cue id -> this window's last review event of it, still undoable
    quint64 markers_generation_ = 0;
    bool markers_reloading_ = false;
};

}  // namespace frameline::ui
