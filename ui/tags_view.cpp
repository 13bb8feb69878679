#include "ui/tags_view.h"

#include "ui/review_session.h"

namespace frameline::ui {

TagsView::TagsView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session) {}

TagsView::~TagsView() = default;

void TagsView::showTitle(qint64 title_id) { title_id_ = title_id; }

}  // namespace frameline::ui
