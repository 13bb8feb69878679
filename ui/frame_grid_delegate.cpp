#include "ui/frame_grid_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include "core/sampling/shot_sampler.h"
#include "ui/frame_grid_model.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
constexpr int kPad = 4;

void draw_badge(QPainter* p, const QPoint& top_left, const QString& text, const QColor& fill)
{
    QFont f = p->font();
    f.setBold(true);
    f.setPointSizeF(std::max(6.5, f.pointSizeF() * 0.8));
    p->setFont(f);
    const QFontMetrics fm(f);
    const QRect r(top_left, QSize(fm.horizontalAdvance(text) + 8, fm.height() + 1));
    QPainterPath path;
    path.addRoundedRect(r, 3, 3);
    p->fillPath(path, fill);
    p->setPen(Qt::white);
    p->drawText(r, Qt::AlignCenter, text);
}
}  // namespace

QSize FrameGridDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    return FrameGridModel::iconSize() + QSize(16, 2 * option.fontMetrics.height() + 14);
}

void FrameGridDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, widget);  // selection and hover

    p->save();
    const bool fault = index.data(FrameGridModel::HasFaultRole).toBool();
    const QSize icon_size = FrameGridModel::iconSize();
    const QRect icon(QPoint(opt.rect.left() + (opt.rect.width() - icon_size.width()) / 2, opt.rect.top() + kPad),
                     icon_size);

    const QPixmap pixmap = qvariant_cast<QPixmap>(index.data(Qt::DecorationRole));
    p->setOpacity(fault ? kFlaggedOpacity : 1.0);
    p->drawPixmap(icon, pixmap);
    p->setOpacity(1.0);

    // The active picture: where a crop for artwork or a model would go. Dashed, so it reads as a guide.
    if (const QRect active = index.data(FrameGridModel::ActiveRectRole).toRect(); active.isValid()) {
        QPen pen(QColor(0xf1, 0xc4, 0x0f), 1, Qt::DashLine);
        p->setPen(pen);
        p->setBrush(Qt::NoBrush);
        p->drawRect(active.translated(icon.topLeft()).adjusted(0, 0, -1, -1));
    }
    if (index.data(FrameGridModel::KindRole).toInt() == static_cast<int>(FrameKind::KeyFrame))
        draw_badge(p, icon.topLeft() + QPoint(3, 3), tr("key"), QColor(0xd3, 0x54, 0x00, 230));

    // Text: "#252  0:10.08", then the flags in a warning colour (or the sharpness, muted).
    p->setFont(opt.font);
    const QFontMetrics fm(opt.font);
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette& pal = opt.palette;
    const QColor text = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
    QColor muted = text;
    muted.setAlphaF(0.6f);
    const QRect line1(opt.rect.left() + 2, icon.bottom() + 1 + kPad, opt.rect.width() - 4, fm.height());
    const QRect line2 = line1.translated(0, fm.height());
    p->setPen(fault ? muted : text);
    const QString title = QStringLiteral("#%1  %2")
                              .arg(index.data(FrameGridModel::FrameIndexRole).toLongLong())
                              .arg(format_time(index.data(FrameGridModel::TimeRole).toDouble()));
    p->drawText(line1, Qt::AlignHCenter | Qt::AlignVCenter, fm.elidedText(title, Qt::ElideRight, line1.width()));

    QString flags = index.data(FrameGridModel::FlagsTextRole).toString();
    if (fault) {
        p->setPen(selected ? text : QColor(0xc0, 0x39, 0x2b));
    } else {
        p->setPen(muted);
        if (flags.isEmpty())
            flags = tr("sharpness %1").arg(index.data(FrameGridModel::SharpnessRole).toDouble(), 0, 'f', 0);
    }
    p->drawText(line2, Qt::AlignHCenter | Qt::AlignVCenter, fm.elidedText(flags, Qt::ElideRight, line2.width()));

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = opt.rect;
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, p, widget);
    }
    p->restore();
}

}  // namespace frameline::ui
