#include "ui/face_crop.h"

#include <QPainter>
#include <algorithm>

#include "core/store/annotation_records.h"

namespace frameline::ui {

QImage crop_face(const QImage& frame, const frameline::Face& face, int size)
{
    if (frame.isNull() || face.width <= 0 || face.height <= 0 || size <= 0) return {};
    const double w = frame.width(), h = frame.height();
    // A quarter of the box's larger side around it: hair and chin help people recognise someone.
    const double side = std::max(face.width * w, face.height * h) * 1.5;
    const double cx = (face.x + face.width / 2) * w;
    const double cy = (face.y + face.height / 2) * h;
    QRectF box(cx - side / 2, cy - side / 2, side, side);
    const QRect inside = box.toAlignedRect().intersected(frame.rect());
    if (inside.isEmpty()) return {};
    QImage out(size, size, QImage::Format_RGB32);
    out.fill(QColor(30, 30, 30));
    QPainter p(&out);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    // Where the square reaches outside the frame it stays dark, so the face stays centred.
    const double scale = size / side;
    const QRectF target((inside.x() - box.x()) * scale, (inside.y() - box.y()) * scale, inside.width() * scale,
                        inside.height() * scale);
    p.drawImage(target, frame, inside);
    return out;
}

}  // namespace frameline::ui
