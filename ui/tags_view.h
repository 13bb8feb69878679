#pragma once
// Tag review: a queue of the title's tag proposals with their evidence frames; A/R/E/Space, bulk accept, filters, progress.
#include <QWidget>

namespace frameline::ui {

class ReviewSession;

class TagsView : public QWidget {
    Q_OBJECT
public:
    explicit TagsView(ReviewSession* session, QWidget* parent = nullptr);
    ~TagsView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

private:
    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
};

}  // namespace frameline::ui
