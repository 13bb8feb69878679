#include "ui/artwork_view.h"

#include "ui/review_session.h"

namespace frameline::ui {

ArtworkView::ArtworkView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session) {}

ArtworkView::~ArtworkView() = default;

void ArtworkView::showTitle(qint64 title_id) { title_id_ = title_id; }

}  // namespace frameline::ui
