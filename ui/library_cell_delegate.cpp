#include "ui/library_cell_delegate.h"

#include <QApplication>
#include <QPainter>
#include <algorithm>

#include "ui/library_model.h"

namespace frameline::ui {

namespace {
bool has_bar(const QModelIndex& index)
{
    const QVariant progress = index.data(LibraryModel::ProgressRole);
    return progress.isValid() && progress.toDouble() >= 0.0;
}
}  // namespace

LibraryCellDelegate::LibraryCellDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

void LibraryCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);  // takes the model's font, alignment and foreground (red "failed", grey "never")
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);  // background, selection, focus

    const bool selected = opt.state & QStyle::State_Selected;
    QRect text_rect = opt.rect.adjusted(kPadding, 0, -kPadding, 0);
    painter->save();
    if (has_bar(index) && text_rect.width() > kBarWidth + kGap + 20) {
        const double fraction = std::min(index.data(LibraryModel::ProgressRole).toDouble(), 1.0);
        const QRect bar(text_rect.right() - kBarWidth + 1, text_rect.center().y() - kBarHeight / 2, kBarWidth,
                        kBarHeight);
        text_rect.setRight(bar.left() - kGap);
        painter->setRenderHint(QPainter::Antialiasing, true);
        QColor track = opt.palette.color(QPalette::Mid);
        track.setAlpha(selected ? 160 : 90);
        painter->setPen(Qt::NoPen);
        painter->setBrush(track);
        painter->drawRoundedRect(bar, kBarHeight / 2.0, kBarHeight / 2.0);
        if (fraction > 0.0) {
            QRectF done = bar;
            done.setWidth(std::max(double(kBarHeight), bar.width() * fraction));
            // Green when every proposal has been decided, the highlight colour while work remains.
            painter->setBrush(fraction >= 1.0 ? QColor(0x2e, 0x9e, 0x5b)
                              : selected      ? opt.palette.color(QPalette::HighlightedText)
                                              : opt.palette.color(QPalette::Highlight));
            painter->drawRoundedRect(done, kBarHeight / 2.0, kBarHeight / 2.0);
        }
    }
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled,
                                      selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(opt.font);
    const QString shown = opt.fontMetrics.elidedText(text, Qt::ElideRight, text_rect.width());
    painter->drawText(text_rect, int(opt.displayAlignment) | Qt::TextSingleLine, shown);
    painter->restore();
}

QSize LibraryCellDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(size.width() + 2 * kPadding + (has_bar(index) ? kBarWidth + kGap : 0));
    return size;
}

}  // namespace frameline::ui
