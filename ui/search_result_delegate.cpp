#include "ui/search_result_delegate.h"

#include <QApplication>
#include <QPainter>

#include "ui/artwork_card_delegate.h"
#include "ui/search_results_model.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
constexpr int kPad = 6;
}

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    return pictureSize() + QSize(2 * kPad, 2 * kPad + 3 * option.fontMetrics.height() + 4);
}

void SearchResultDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.showDecorationSelected = true;  // the whole card shows the selection, not only its (empty) text rect
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, widget);

    p->save();
    const QRect picture(opt.rect.left() + kPad, opt.rect.top() + kPad, opt.rect.width() - 2 * kPad,
                        pictureSize().height());
    p->fillRect(picture, QColor(0x20, 0x20, 0x20));
    const QImage image = qvariant_cast<QImage>(index.data(SearchResultsModel::ThumbnailRole));
    if (!drawFitted(p, image, picture).isValid()) {
        p->setPen(QColor(0x90, 0x90, 0x90));
        p->drawText(picture, Qt::AlignCenter, tr("loading…"));
    }

    p->setFont(opt.font);
    const QFontMetrics fm(opt.font);
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = selected ? opt.palette.color(QPalette::HighlightedText) : opt.palette.color(QPalette::Text);
    QColor muted = text;
    muted.setAlphaF(0.65f);
    QRect line(opt.rect.left() + kPad, picture.bottom() + 4, opt.rect.width() - 2 * kPad, fm.height());
    p->setPen(text);
    p->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle, line.width()));
    line.translate(0, fm.height());
    p->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(tr("%1 · frame %2 · %3")
                                  .arg(format_time(index.data(SearchResultsModel::TimeRole).toDouble()))
                                  .arg(index.data(SearchResultsModel::FrameIndexRole).toLongLong())
                                  .arg(index.data(SearchResultsModel::ScoreRole).toDouble(), 0, 'f', 2),
                              Qt::ElideRight, line.width()));
    line.translate(0, fm.height());
    p->setPen(muted);
    p->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(index.data(SearchResultsModel::WhyRole).toString(), Qt::ElideRight, line.width()));

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = opt.rect;
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, p, widget);
    }
    p->restore();
}

}  // namespace frameline::ui
