#pragma once
// One title: a header line, the player, the shot strip (with transitions and markers) and the grid of sampled
// frames. Shots, frames and markers are read from the database on the thread pool; a newer request makes older
// results irrelevant.
#include <QModelIndex>
#include <QWidget>
#include <memory>
#include <vector>

#include "core/sampling/shot.h"

class QCheckBox;
class QLabel;
class QListView;
class QStackedWidget;

namespace frameline {
class Store;
}

namespace frameline::ui {

class FrameFilterProxy;
class FrameGridModel;
class PlayerView;
class ShotTimeline;
class ThumbnailLoader;
struct TitleDetail;

class TitleView : public QWidget {
    Q_OBJECT
public:
    explicit TitleView(std::shared_ptr<Store> store, QWidget* parent = nullptr);
    ~TitleView() override;

    void showTitle(qint64 title_id);  // 0 clears
    qint64 titleId() const { return title_id_; }
    bool isLoading() const { return loading_; }

    // Selects the shot in the strip and the grid and seeks the player to its start.
    void selectShot(int index);
    void selectPreviousShot();
    void selectNextShot();
    void togglePlayPause();
    int selectedShot() const;

    ShotTimeline* timeline() const { return timeline_; }
    FrameGridModel* frameGridModel() const { return frame_model_; }  // every frame; the view shows frameGridProxy()
    FrameFilterProxy* frameGridProxy() const { return frame_proxy_; }
    QCheckBox* hideFlaggedCheckBox() const { return hide_flagged_; }
    QListView* frameGridView() const { return frame_view_; }
    PlayerView* player() const { return player_; }

Q_SIGNALS:
    void titleLoaded(qint64 title_id);
    void loadFailed(qint64 title_id, const QString& message);

private:
    void applyDetail(const TitleDetail& detail);
    void onFrameCurrentChanged();
    void onMarkerActivated(int index);
    void setHideFlagged(bool hide);
    void updateFramesLabel();
    QModelIndex gridIndexOfShot(int shot_index) const;  // the shot's first visible frame in the grid
    int currentShotForNavigation() const;

    std::shared_ptr<Store> store_;
    ThumbnailLoader* thumbnails_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QLabel* placeholder_ = nullptr;
    QLabel* header_ = nullptr;
    PlayerView* player_ = nullptr;
    ShotTimeline* timeline_ = nullptr;
    QLabel* frames_label_ = nullptr;
    QListView* frame_view_ = nullptr;
    FrameGridModel* frame_model_ = nullptr;
    FrameFilterProxy* frame_proxy_ = nullptr;
    QCheckBox* hide_flagged_ = nullptr;
    qint64 title_id_ = 0;
    quint64 load_generation_ = 0;  // results of an older load are dropped
    bool loading_ = false;
    bool syncing_selection_ = false;  // strip -> grid selection must not bounce back
};

}  // namespace frameline::ui
