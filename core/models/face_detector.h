#pragma once
// Faces in frames: MediaPipe BlazeFace (back-camera 256 model; models/blazeface). Torch-free header.
//
// Post-processing as MediaPipe and @vladmandic/human's blazeface.ts do it: 896 anchors (16x16 cells x 2 at stride
// 16, then 8x8 x 6 at stride 32, centres at (cell + 0.5) * stride), box centre and the 6 keypoints as offsets from
// the anchor centre and box size in input pixels, sigmoid scores, then non-maximum suppression. Deviations, on
// purpose: MediaPipe's weighted NMS (each kept face is the score-weighted mean of the detections it suppresses;
// human keeps the single best, IoU 0.1, one face by default), MediaPipe's min score 0.5 (human: 0.2, then its mesh
// model filters), and the frame is letterboxed into the square input as MediaPipe does (human stretches it).
#include <array>
#include <memory>
#include <vector>

#include "core/media/image.h"
#include "core/models/compute_device.h"
#include "core/models/image_prep.h"
#include "core/models/nms.h"

namespace frameline {

struct FaceDetection {
    double score = 0;  // 0..1
    FrameBox box;      // fractions of the frame, clipped to it
    FrameBox unclipped_box;  // the same before clipping (a face cut by the frame edge), for alignment
    // Fractions of the frame (may lie slightly outside it). For an upright face: 0 the eye on the picture's left
    // (the person's right eye), 1 the eye on the picture's right, 2 nose tip, 3 mouth centre, 4 ear (tragion) on
    // the picture's left, 5 ear on the picture's right. (human calls them leftEye, rightEye, nose, mouth, leftEar,
    // rightEar.)
    std::array<FramePoint, 6> keypoints{};
};

enum FaceKeypoint { kEyeImageLeft = 0, kEyeImageRight = 1, kNoseTip = 2, kMouth = 3, kEarImageLeft = 4, kEarImageRight = 5 };

struct FaceDetectorOptions {
    double min_score = 0.5;      // MediaPipe's min_score_thresh
    double iou_threshold = 0.3;  // MediaPipe's min_suppression_threshold
    int max_faces = 0;           // 0: no limit
    bool weighted_nms = true;    // false: plain greedy NMS (human)
    bool letterbox = true;
    int max_batch = 8;           // frames per model run
};

// The decoding on its own (no model): one image's logits [A] and raw boxes [A, 16] for the anchors in order
// (512 stride-16 then 384 stride-32), the input size and where the frame landed in it.
std::vector<FaceDetection> decode_blazeface(const std::vector<float>& logits, const std::vector<float>& raw_boxes,
                                            const LetterboxTransform& transform, const FaceDetectorOptions& options);

// BlazeFace's anchor centres in input pixels for a square input of `input_size` (256: 896 anchors).
std::vector<FramePoint> blazeface_anchors(int input_size);

class FaceDetector {
public:
    // Loads "blazeface" from the zoo; throws frameline::Error with what to do when it is not converted.
    explicit FaceDetector(const ComputeDevice& device, FaceDetectorOptions options = {});
    ~FaceDetector();
    FaceDetector(FaceDetector&&) noexcept;
    FaceDetector& operator=(FaceDetector&&) noexcept;

    // One list per frame, best first; frames run in batches of options.max_batch.
    std::vector<std::vector<FaceDetection>> detect(const std::vector<RgbImage>& frames);
    std::vector<FaceDetection> detect(const RgbImage& frame);

    const FaceDetectorOptions& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
