#pragma once
// Paints one artwork candidate on the board: its frame (a placeholder while the thumbnail loads), a rank badge
// ("1", "2"... when a person ordered it; the segment's place while an audience is previewed), the review state as a
// coloured badge, and "frame N · score 0.82" below. Rejected cards are dimmed so the picked set stands out.
#include <QStyledItemDelegate>

namespace frameline::ui {

class ArtworkCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static QSize pictureSize() { return {176, 110}; }
};

// The colour people see for a review state, shared by the board's badges.
QColor stateColour(const QString& state);
// Draws `image` scaled to fit `box` (keeping its aspect), centred; returns where it went.
QRect drawFitted(QPainter* p, const QImage& image, const QRect& box);

}  // namespace frameline::ui
