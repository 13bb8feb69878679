#include "ui/chapters_view.h"

#include "ui/review_session.h"

namespace frameline::ui {

ChaptersView::ChaptersView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session) {}

ChaptersView::~ChaptersView() = default;

void ChaptersView::showTitle(qint64 title_id) { title_id_ = title_id; }

}  // namespace frameline::ui
