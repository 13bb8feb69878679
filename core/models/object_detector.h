#pragma once
// Objects in frames: CenterNet (MobileNetV3, COCO 80 classes; models/centernet). Torch-free header.
//
// Post-processing as the original graph and @vladmandic/human's centernet.ts do it: peaks of the class heatmap
// (a cell that equals the maximum of its 3x3 neighbourhood), the best top_k peaks over all cells and classes, a box
// per peak from the four distances of the `wh` output (left, top, right, bottom of the cell centre, in input
// pixels), NMS (IoU 0.4) and a score threshold (0.2). Deviations, on purpose: the frame is letterboxed into the
// 512x512 input (human stretches it; the network was trained on undistorted pictures and stretching turns cats into
// dogs), NMS is per class by default (human's is across classes), boxes are clipped to the frame.
#include <memory>
#include <string>
#include <vector>

#include "core/media/image.h"
#include "core/models/compute_device.h"
#include "core/models/image_prep.h"
#include "core/models/nms.h"
#include "core/models/tensor.h"

namespace frameline {

struct ObjectDetection {
    std::string label;  // COCO name, e.g. "cat", "cup"
    int class_id = 0;   // index into the manifest's labels
    double score = 0;   // 0..1 (the heatmap's sigmoid at the peak)
    FrameBox box;       // fractions of the frame
};

struct ObjectDetectorOptions {
    double min_score = 0.2;      // human's minConfidence
    double iou_threshold = 0.4;  // human's iouThreshold
    int max_detections = 10;     // human's maxDetected (0: no limit)
    int top_k = 100;             // peaks considered, as the graph's TopKV2
    bool class_aware_nms = true;
    bool letterbox = true;
};

// The decoding on its own (no model): `heatmap` [H, W, C] and `wh` [H, W, 4] (NHWC, one image), the input size in
// pixels and where the frame landed in it.
std::vector<ObjectDetection> decode_centernet(const float* heatmap, const float* wh, int heatmap_height,
                                              int heatmap_width, int classes, const LetterboxTransform& transform,
                                              const std::vector<std::string>& labels,
                                              const ObjectDetectorOptions& options);

class ObjectDetector {
public:
    // Loads "centernet" from the zoo; throws frameline::Error with what to do when it is not converted.
    explicit ObjectDetector(const ComputeDevice& device, ObjectDetectorOptions options = {});
    ~ObjectDetector();
    ObjectDetector(ObjectDetector&&) noexcept;
    ObjectDetector& operator=(ObjectDetector&&) noexcept;

    // One list per frame, best first. The model takes one image per run (its graph's top-k is over one image), so
    // a batch costs what its frames cost one by one.
    std::vector<std::vector<ObjectDetection>> detect(const std::vector<RgbImage>& frames);
    std::vector<ObjectDetection> detect(const RgbImage& frame);

    const ObjectDetectorOptions& options() const;
    const std::vector<std::string>& labels() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
