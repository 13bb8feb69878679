#include "core/models/face_align.h"

#include <algorithm>
#include <cmath>

namespace frameline {

FaceAlignment face_alignment(int fw, int fh, const FrameBox& box, const FramePoint& eye_left,
                             const FramePoint& eye_right, double margin) {
    FaceAlignment a;
    a.centre_x = box.centre_x() * fw;
    a.centre_y = box.centre_y() * fh;
    a.side = margin * std::max(box.width * fw, box.height * fh);
    const double dx = (eye_right.x - eye_left.x) * fw, dy = (eye_right.y - eye_left.y) * fh;
    a.angle_rad = (dx == 0 && dy == 0) ? 0.0 : std::atan2(dy, dx);
    return a;
}

FaceAlignment face_alignment(int fw, int fh, const FaceDetection& face, double margin) {
    return face_alignment(fw, fh, face.unclipped_box, face.keypoints[kEyeImageLeft], face.keypoints[kEyeImageRight],
                          margin);
}

RgbImage warp_face(const RgbImage& frame, const FaceAlignment& a, int size) {
    RgbImage out{size, size, std::vector<uint8_t>(size_t(size) * size * 3, 0)};
    if (frame.empty() || size <= 0 || !(a.side > 0)) return out;
    const int W = frame.width, H = frame.height;
    const double step = a.side / size;  // frame pixels per crop pixel
    const int ss = std::clamp(static_cast<int>(std::ceil(step / 2.0)), 1, 4);
    const double c = std::cos(a.angle_rad), s = std::sin(a.angle_rad);
    // Bilinear tap at frame position (x, y) in pixel units with pixel centres at +0.5; outside pixels are black.
    auto tap = [&](double x, double y, double acc[3]) {
        x -= 0.5;
        y -= 0.5;
        const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
        const double fx = x - x0, fy = y - y0;
        for (int j = 0; j < 2; ++j)
            for (int i = 0; i < 2; ++i) {
                const int xx = x0 + i, yy = y0 + j;
                if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
                const double w = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
                const uint8_t* p = &frame.rgb[(size_t(yy) * W + xx) * 3];
                acc[0] += w * p[0];
                acc[1] += w * p[1];
                acc[2] += w * p[2];
            }
    };
    for (int v = 0; v < size; ++v)
        for (int u = 0; u < size; ++u) {
            double acc[3] = {0, 0, 0};
            for (int j = 0; j < ss; ++j)
                for (int i = 0; i < ss; ++i) {
                    // Offset from the crop centre in frame pixels along the crop's axes, then into the frame: the
                    // crop's x axis runs along the eye line.
                    const double ax = (u + (i + 0.5) / ss) * step - a.side / 2;
                    const double ay = (v + (j + 0.5) / ss) * step - a.side / 2;
                    tap(a.centre_x + ax * c - ay * s, a.centre_y + ax * s + ay * c, acc);
                }
            uint8_t* d = &out.rgb[(size_t(v) * size + u) * 3];
            for (int k = 0; k < 3; ++k)
                d[k] = static_cast<uint8_t>(std::clamp(std::lround(acc[k] / (ss * ss)), 0L, 255L));
        }
    return out;
}

}  // namespace frameline
