#pragma once
// Scene search: text, an example frame (more like this) or a mood; results as a grid; opening one plays the shot.
//
// The query runs on the session's read pool (core/search/scene_search.h); a newer query makes an older one's results
// stale. Enter or a double-click on a result emits openShot, which the main window connects to the title workspace.
#include <QList>
#include <QWidget>
#include <vector>

#include "core/search/scene_search.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;

namespace frameline::ui {

class ReviewSession;
class SearchResultsModel;
class ThumbnailLoader;

class SearchView : public QWidget {
    Q_OBJECT
public:
    explicit SearchView(ReviewSession* session, QWidget* parent = nullptr);
    ~SearchView() override;

    // Shows the title (0 clears): the scope "this title" and its moods. Loads on the session's read pool.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

    // Runs the query in the box and the mood combo over the chosen scope.
    void search();
    // "More like this": shots that look like the selected result's frame.
    void moreLikeSelected();
    // Shots that look like frame `frame_index` of the title (the nearest sampled frame when that one was not sampled).
    void moreLikeFrame(qint64 title_id, qint64 frame_index);
    // "Like this shot": shots like the selected result's shot, by the shot embeddings (picture and sound).
    void moreLikeSelectedShot();
    void moreLikeShot(qint64 title_id, int shot_index);
    // Searches every title (true) or the shown one.
    void setAllTitles(bool all);

    // For tests and the screenshot mode.
    QLineEdit* queryBox() const { return query_; }
    QComboBox* moodBox() const { return mood_; }
    QListView* results() const { return results_; }
    SearchResultsModel* model() const { return model_; }
    QString statusText() const;

Q_SIGNALS:
    // A result opened (Enter, double-click): the main window shows the title workspace at that shot and frame.
    void openShot(qint64 title_id, int shot_index, qint64 frame_index);
    void searched(int results);
    void moodsLoaded();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void run(frameline::SceneQuery query, const QString& what);
    void openIndex(const QModelIndex& index);
    void setStatus(const QString& text, bool error = false);

    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
    ThumbnailLoader* thumbnails_ = nullptr;
    SearchResultsModel* model_ = nullptr;
    QLineEdit* query_ = nullptr;
    QComboBox* mood_ = nullptr;
    QComboBox* scope_ = nullptr;
    QPushButton* search_button_ = nullptr;
    QPushButton* like_selected_ = nullptr;
    QPushButton* like_shot_ = nullptr;
    QSpinBox* like_frame_ = nullptr;
    QPushButton* like_frame_button_ = nullptr;
    QListView* results_ = nullptr;
    QLabel* status_ = nullptr;
    std::vector<qint64> sampled_frames_;  // of the shown title, for "like frame N"
    quint64 generation_ = 0;
    quint64 title_generation_ = 0;
};

}  // namespace frameline::ui
