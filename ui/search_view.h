#pragma once
// Scene search: text, an example frame (more like this) or a mood; results as a grid; opening one plays the shot.
#include <QWidget>

namespace frameline::ui {

class ReviewSession;

class SearchView : public QWidget {
    Q_OBJECT
public:
    explicit SearchView(ReviewSession* session, QWidget* parent = nullptr);
    ~SearchView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

private:
    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
};

}  // namespace frameline::ui
