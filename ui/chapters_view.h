#pragma once
// Chapters editor: chapters, scenes and key scenes on a timeline with boundaries that snap to cuts; split, merge, rename.
#include <QWidget>

namespace frameline::ui {

class ReviewSession;

class ChaptersView : public QWidget {
    Q_OBJECT
public:
    explicit ChaptersView(ReviewSession* session, QWidget* parent = nullptr);
    ~ChaptersView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

private:
    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
};

}  // namespace frameline::ui
