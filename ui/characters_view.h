#pragma once
// Characters: face clusters as galleries; name, merge, split, move faces, name many at once.
#include <QWidget>

namespace frameline::ui {

class ReviewSession;

class CharactersView : public QWidget {
    Q_OBJECT
public:
    explicit CharactersView(ReviewSession* session, QWidget* parent = nullptr);
    ~CharactersView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

private:
    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
};

}  // namespace frameline::ui
