#pragma once
// A face cut out of its frame's thumbnail: the box (fractions of the frame) with some margin around it, square, so
// that galleries line faces up whatever their size in the frame.
#include <QImage>

namespace frameline {
struct Face;
}

namespace frameline::ui {

// `size`: the side of the square result in pixels. A null image when `frame` is null or the box is empty.
QImage crop_face(const QImage& frame, const frameline::Face& face, int size);

}  // namespace frameline::ui
