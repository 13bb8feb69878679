#pragma once
// Every cell of the Library table: its text with room on both sides (right-aligned counts next to left-aligned text
// would otherwise touch), elided when the column is narrow, and in the "Tags reviewed" column a small bar of the
// share reviewed beside the count, so that a glance down the column shows which titles need work. The bar reads
// LibraryModel::ProgressRole (0..1; negative or absent: text only).
#include <QStyledItemDelegate>

namespace frameline::ui {

class LibraryCellDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit LibraryCellDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static constexpr int kPadding = 8;  // on each side of the text
    static constexpr int kBarWidth = 56;
    static constexpr int kBarHeight = 6;
    static constexpr int kGap = 8;  // between the count and its bar
};

}  // namespace frameline::ui
