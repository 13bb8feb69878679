#pragma once
// Paints one sampled frame in the grid: the thumbnail (dimmed when the frame has a fault flag, so a reviewer's eye
// goes to the usable frames first), the active picture outlined when the frame has black bars, a "key" badge on
// motion key frames, and two lines of text: frame and time, then the flags (or the sharpness when there are none).
#include <QStyledItemDelegate>

namespace frameline::ui {

class FrameGridDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Opacity of a flagged frame's thumbnail.
    static constexpr double kFlaggedOpacity = 0.4;
};

}  // namespace frameline::ui
