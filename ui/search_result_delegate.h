#pragma once
// Paints one scene search result: the frame, "title · shot N", "time · score", and why it matched (elided; the
// tooltip has it all).
#include <QStyledItemDelegate>

namespace frameline::ui {

class SearchResultDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static QSize pictureSize() { return {176, 110}; }
};

}  // namespace frameline::ui
