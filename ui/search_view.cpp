#include "ui/search_view.h"

#include "ui/review_session.h"

namespace frameline::ui {

SearchView::SearchView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session) {}

SearchView::~SearchView() = default;

void SearchView::showTitle(qint64 title_id) { title_id_ = title_id; }

}  // namespace frameline::ui
