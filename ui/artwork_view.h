#pragma once
// Artwork board: candidates with score breakdowns and crop previews; pick, reject, reorder, compare, preview per audience, export.
#include <QWidget>

namespace frameline::ui {

class ReviewSession;

class ArtworkView : public QWidget {
    Q_OBJECT
public:
    explicit ArtworkView(ReviewSession* session, QWidget* parent = nullptr);
    ~ArtworkView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

private:
    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
};

}  // namespace frameline::ui
