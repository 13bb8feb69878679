#include "ui/app_icon.h"

#include <QImageReader>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

// Q_INIT_RESOURCE must be called outside any namespace; the resources live in the static frameline_ui library,
// where the linker would otherwise drop them.
static void init_frameline_resources() { Q_INIT_RESOURCE(frameline); }

namespace frameline::ui {

namespace {
// The same picture as resources/icons/frameline.svg, painted: Qt's SVG plugin is optional and often not
// installed, and a window without an icon looks broken in task bars.
QPixmap paint_icon(int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 256.0, size / 256.0);
    QLinearGradient bg(0, 8, 0, 248);
    bg.setColorAt(0, QColor(0x2c, 0x3e, 0x50));
    bg.setColorAt(1, QColor(0x1a, 0x25, 0x31));
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44);
    p.setBrush(QColor(0x0e, 0x14, 0x1b));
    p.drawRoundedRect(QRectF(28, 72, 200, 112), 8, 8);
    p.setBrush(QColor(0x5d, 0x6d, 0x7e));
    for (int x = 38; x <= 206; x += 28) {
        p.drawRoundedRect(QRectF(x, 80, 14, 10), 2, 2);
        p.drawRoundedRect(QRectF(x, 166, 14, 10), 2, 2);
    }
    p.setBrush(QColor(0xf3, 0x9c, 0x12));
    p.drawRoundedRect(QRectF(36, 98, 56, 60), 3, 3);
    p.setBrush(QColor(0x34, 0x98, 0xdb));
    p.drawRoundedRect(QRectF(98, 98, 86, 60), 3, 3);
    p.setBrush(QColor(0x27, 0xae, 0x60));
    p.drawRoundedRect(QRectF(190, 98, 30, 60), 3, 3);
    p.setBrush(QColor(0xe7, 0x4c, 0x3c));
    p.drawRoundedRect(QRectF(136, 52, 8, 152), 3, 3);
    QPainterPath head;
    head.moveTo(124, 44);
    head.lineTo(156, 44);
    head.lineTo(140, 62);
    head.closeSubpath();
    p.drawPath(head);
    return pm;
}
}  // namespace

QIcon app_icon()
{
    init_frameline_resources();
    const QString svg = QStringLiteral(":/frameline/icons/frameline.svg");
    if (QImageReader::supportedImageFormats().contains("svg")) return QIcon(svg);
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) icon.addPixmap(paint_icon(size));
    return icon;
}

}  // namespace frameline::ui
