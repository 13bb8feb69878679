#include "ui/artwork_crops.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>

namespace frameline::ui {

namespace {
constexpr int kGap = 8;

int shape_order(const QString& shape)
{
    static const QStringList known = {QStringLiteral("16:9"), QStringLiteral("2:3"), QStringLiteral("1:1"),
                                      QStringLiteral("4:3")};
    const int i = int(known.indexOf(shape));
    return i < 0 ? int(known.size()) : i;
}

// Display aspect (width / height) of a crop of `image`; the shape's name when there is no picture yet.
double crop_aspect(const ArtworkCropBox& c, const QImage& image)
{
    if (!image.isNull()) {
        const QRect px = cropPixels(c.box, image.size());
        if (px.height() > 0) return double(px.width()) / px.height();
    }
    const QStringList wh = c.shape.split(QLatin1Char(':'));
    if (wh.size() == 2 && wh[1].toDouble() > 0) return wh[0].toDouble() / wh[1].toDouble();
    return 1.0;
}
}  // namespace

QList<ArtworkCropBox> parseCrops(const QString& json)
{
    QList<ArtworkCropBox> out;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonArray a = it.value().toArray();
        if (a.size() != 4) continue;
        bool numbers = true;
        for (const QJsonValue& v : a) numbers = numbers && v.isDouble();
        if (!numbers) continue;
        QRectF box(a[0].toDouble(), a[1].toDouble(), a[2].toDouble(), a[3].toDouble());
        box = box.intersected(QRectF(0, 0, 1, 1));
        if (box.isEmpty()) continue;
        out.append({it.key(), box});
    }
    std::stable_sort(out.begin(), out.end(), [](const ArtworkCropBox& a, const ArtworkCropBox& b) {
        return shape_order(a.shape) < shape_order(b.shape);
    });
    return out;
}

QRect cropPixels(const QRectF& box, const QSize& image)
{
    const QRect px(qRound(box.x() * image.width()), qRound(box.y() * image.height()),
                   qRound(box.width() * image.width()), qRound(box.height() * image.height()));
    return px.intersected(QRect(QPoint(0, 0), image));
}

ArtworkCropStrip::ArtworkCropStrip(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ArtworkCropStrip::setSource(const QImage& frame, const QString& crops_json)
{
    frame_ = frame;
    crops_ = parseCrops(crops_json);
    updateGeometry();
    update();
}

void ArtworkCropStrip::setPreviewHeight(int height)
{
    preview_height_ = std::max(24, height);
    updateGeometry();
    update();
}

int ArtworkCropStrip::naturalWidth(int height) const
{
    int w = 0;
    for (const ArtworkCropBox& c : crops_) w += int(height * crop_aspect(c, frame_)) + kGap;
    return std::max(0, w - kGap);
}

int ArtworkCropStrip::previewHeight() const
{
    const int natural = naturalWidth(preview_height_);
    if (natural <= width() || natural == 0) return preview_height_;
    return std::max(16, int(preview_height_ * double(width()) / natural));
}

QSize ArtworkCropStrip::sizeHint() const
{
    return {std::max(120, naturalWidth(preview_height_)), preview_height_ + fontMetrics().height() + 4};
}

QSize ArtworkCropStrip::minimumSizeHint() const
{
    return {120, sizeHint().height()};
}

void ArtworkCropStrip::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    const QFontMetrics fm = fontMetrics();
    if (crops_.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, tr("No crops stored for this candidate"));
        return;
    }
    const int h = previewHeight();
    int x = 0;
    for (const ArtworkCropBox& c : crops_) {
        const int w = std::max(8, int(h * crop_aspect(c, frame_)));
        const QRect target(x, 0, w, h);
        if (!frame_.isNull()) {
            p.drawImage(target, frame_, cropPixels(c.box, frame_.size()));
        } else {
            p.fillRect(target, QColor(0x20, 0x20, 0x20));
        }
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(target.adjusted(0, 0, -1, -1));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(x, h + 2, std::max(w, fm.horizontalAdvance(c.shape)), fm.height()), Qt::AlignLeft, c.shape);
        x += w + kGap;
    }
}

}  // namespace frameline::ui
