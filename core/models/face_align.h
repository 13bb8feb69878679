#pragma once
// An upright, square face crop from a detection: the box's centre, side = margin x the box's longer side (human's
// enlargeBox(1.4) + squarifyBox), turned so that the eyes are level. Pixels outside the frame are black, as
// tf.image.cropAndResize's extrapolation in the original. Torch-free; plain pixels.
#include "core/media/image.h"
#include "core/models/face_detector.h"
#include "core/models/nms.h"

namespace frameline {

struct FaceAlignment {
    double centre_x = 0, centre_y = 0;  // frame pixels
    double side = 0;                    // frame pixels
    double angle_rad = 0;               // the eye line's angle in the frame (clockwise, y down); the crop undoes it
};

// From a box (fractions; the detector's unclipped box) and the two eyes (fractions) in a frame of the given size.
FaceAlignment face_alignment(int frame_width, int frame_height, const FrameBox& box, const FramePoint& eye_left,
                             const FramePoint& eye_right, double margin = 1.4);
FaceAlignment face_alignment(int frame_width, int frame_height, const FaceDetection& face, double margin = 1.4);

// The crop as a size x size picture. Bilinear, with s x s supersampling when the face is more than twice the crop
// (no aliasing when a 600-px face becomes 64 px).
RgbImage warp_face(const RgbImage& frame, const FaceAlignment& alignment, int size);

}  // namespace frameline
