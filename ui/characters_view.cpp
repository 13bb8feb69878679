#include "ui/characters_view.h"

#include "ui/review_session.h"

namespace frameline::ui {

CharactersView::CharactersView(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session) {}

CharactersView::~CharactersView() = default;

void CharactersView::showTitle(qint64 title_id) { title_id_ = title_id; }

}  // namespace frameline::ui
