#include "ui/artwork_card_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include "ui/artwork_model.h"

namespace frameline::ui {

namespace {
constexpr int kPad = 6;

void draw_badge(QPainter* p, const QRect& anchor, Qt::Alignment corner, const QString& text, const QColor& fill)
{
    QFont f = p->font();
    f.setBold(true);
    p->setFont(f);
    const QFontMetrics fm(f);
    QRect r(QPoint(0, 0), QSize(std::max(fm.horizontalAdvance(text) + 10, fm.height() + 2), fm.height() + 2));
    r.moveTop(anchor.top() + 4);
    if (corner & Qt::AlignRight)
        r.moveRight(anchor.right() - 4);
    else
        r.moveLeft(anchor.left() + 4);
    QPainterPath path;
    path.addRoundedRect(r, 4, 4);
    p->fillPath(path, fill);
    p->setPen(Qt::white);
    p->drawText(r, Qt::AlignCenter, text);
}
}  // namespace

QColor stateColour(const QString& state)
{
    if (state == QLatin1String("accepted")) return {0x27, 0xae, 0x60};
    if (state == QLatin1String("corrected")) return {0x29, 0x80, 0xb9};
    if (state == QLatin1String("rejected")) return {0xc0, 0x39, 0x2b};
    return {0x7f, 0x8c, 0x8d};  // proposed
}

QRect drawFitted(QPainter* p, const QImage& image, const QRect& box)
{
    if (image.isNull() || box.isEmpty()) return {};
    QSize size = image.size().scaled(box.size(), Qt::KeepAspectRatio);
    QRect target(QPoint(0, 0), size);
    target.moveCenter(box.center());
    p->drawImage(target, image);
    return target;
}

QSize ArtworkCardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    return pictureSize() + QSize(2 * kPad, 2 * kPad + option.fontMetrics.height() + 4);
}

void ArtworkCardDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.showDecorationSelected = true;  // the whole card shows the selection, not only its (empty) text rect
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, widget);

    p->save();
    const QString state = index.data(ArtworkModel::StateRole).toString();
    const bool rejected = state == QLatin1String("rejected");
    const QRect picture(opt.rect.left() + kPad, opt.rect.top() + kPad, opt.rect.width() - 2 * kPad,
                        pictureSize().height());
    p->fillRect(picture, QColor(0x20, 0x20, 0x20));
    p->setOpacity(rejected ? 0.35 : 1.0);
    const QImage image = qvariant_cast<QImage>(index.data(ArtworkModel::ThumbnailRole));
    if (!drawFitted(p, image, picture).isValid()) {
        p->setPen(QColor(0x90, 0x90, 0x90));
        p->drawText(picture, Qt::AlignCenter, tr("loading…"));
    }
    p->setOpacity(1.0);

    const int place = index.data(ArtworkModel::SegmentPlaceRole).toInt();
    const int rank = index.data(ArtworkModel::RankRole).toInt();
    if (place > 0)
        draw_badge(p, picture, Qt::AlignLeft, tr("#%1 %2").arg(place).arg(index.data(ArtworkModel::SegmentScoreRole).toDouble(), 0, 'f', 2),
                   QColor(0x8e, 0x44, 0xad, 235));
    else if (rank > 0)
        draw_badge(p, picture, Qt::AlignLeft, QString::number(rank), QColor(0xd3, 0x54, 0x00, 235));
    draw_badge(p, picture, Qt::AlignRight, state, stateColour(state));

    p->setFont(opt.font);
    const QFontMetrics fm(opt.font);
    const bool selected = opt.state & QStyle::State_Selected;
    QColor text = selected ? opt.palette.color(QPalette::HighlightedText) : opt.palette.color(QPalette::Text);
    if (rejected) text.setAlphaF(0.55f);
    p->setPen(text);
    const QRect line(opt.rect.left() + 2, picture.bottom() + 4, opt.rect.width() - 4, fm.height());
    const QString caption = tr("frame %1 · score %2")
                                .arg(index.data(ArtworkModel::FrameIndexRole).toLongLong())
                                .arg(index.data(ArtworkModel::ScoreRole).toDouble(), 0, 'f', 2);
    p->drawText(line, Qt::AlignHCenter | Qt::AlignVCenter, fm.elidedText(caption, Qt::ElideRight, line.width()));

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = opt.rect;
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, p, widget);
    }
    p->restore();
}

}  // namespace frameline::ui
