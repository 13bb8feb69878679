#include "core/models/face_detector.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/models/zoo_model.h"

namespace frameline {

std::vector<FramePoint> blazeface_anchors(int input_size) {
    // human's generateAnchors / MediaPipe's SsdAnchorsCalculator for the 256 back model: strides 16 and 32
    // (the 32 stride's three layers share one grid: 6 anchors per cell), anchor offsets 0.5, fixed size.
    std::vector<FramePoint> anchors;
    const int stride_list[2] = {input_size / 16, input_size / 8}, per_cell[2] = {2, 6};
    for (int s = 0; s < 2; ++s) {
        const int stride = stride_list[s];
        const int grid = (input_size + stride - 1) / stride;
        for (int gy = 0; gy < grid; ++gy)
            for (int gx = 0; gx < grid; ++gx)
                for (int n = 0; n < per_cell[s]; ++n) anchors.push_back({stride * (gx + 0.5), stride * (gy + 0.5)});
    }
    return anchors;
}

std::vector<FaceDetection> decode_blazeface(const std::vector<float>& logits, const std::vector<float>& raw,
                                            const LetterboxTransform& t, const FaceDetectorOptions& o) {
    const std::vector<FramePoint> anchors = blazeface_anchors(t.input_width);
    const size_t n = logits.size();
    if (anchors.size() != n || raw.size() != n * 16)
        throw Error("blazeface output holds " + std::to_string(n) + " anchors, expected " +
                    std::to_string(anchors.size()) + "; run scripts/convert-models.sh --force");
    const double fw = t.source_width, fh = t.source_height;
    auto fx = [&](double x) { return t.to_source_x(x) / fw; };
    auto fy = [&](double y) { return t.to_source_y(y) / fh; };

    // Candidates above min_score, in frame fractions (so that IoU is measured on the frame's geometry).
    std::vector<ScoredBox> cand;
    std::vector<FaceDetection> dets;
    for (size_t i = 0; i < n; ++i) {
        const double logit = std::clamp(double(logits[i]), -100.0, 100.0);  // MediaPipe's score_clipping_thresh
        const double score = 1.0 / (1.0 + std::exp(-logit));
        if (!(score >= o.min_score)) continue;
        const float* b = &raw[i * 16];
        const double cx = anchors[i].x + b[0], cy = anchors[i].y + b[1];
        const double w = b[2], h = b[3];
        if (!(w > 0 && h > 0)) continue;
        FaceDetection d;
        d.score = score;
        const double x1 = fx(cx - w / 2), y1 = fy(cy - h / 2), x2 = fx(cx + w / 2), y2 = fy(cy + h / 2);
        d.unclipped_box = FrameBox{x1, y1, x2 - x1, y2 - y1};
        for (int k = 0; k < 6; ++k)
            d.keypoints[size_t(k)] = {fx(anchors[i].x + b[4 + 2 * k]), fy(anchors[i].y + b[5 + 2 * k])};
        cand.push_back({d.unclipped_box, score, 0});
        dets.push_back(d);
    }

    std::vector<FaceDetection> out;
    const size_t max_keep = size_t(std::max(0, o.max_faces));
    if (o.weighted_nms) {
        for (const std::vector<size_t>& cluster : nms_clusters(cand, o.iou_threshold, o.min_score, max_keep)) {
            // MediaPipe: the cluster's box and keypoints are the score-weighted mean; its score is the best one's.
            FaceDetection m = dets[cluster.front()];
            double total = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
            std::array<FramePoint, 6> kp{};
            for (size_t i : cluster) {
                const FaceDetection& d = dets[i];
                const double s = d.score;
                total += s;
                x1 += s * d.unclipped_box.x;
                y1 += s * d.unclipped_box.y;
                x2 += s * d.unclipped_box.right();
                y2 += s * d.unclipped_box.bottom();
                for (size_t k = 0; k < 6; ++k) {
                    kp[k].x += s * d.keypoints[k].x;
                    kp[k].y += s * d.keypoints[k].y;
                }
            }
            m.unclipped_box = FrameBox{x1 / total, y1 / total, (x2 - x1) / total, (y2 - y1) / total};
            for (size_t k = 0; k < 6; ++k) m.keypoints[k] = {kp[k].x / total, kp[k].y / total};
            out.push_back(m);
        }
    } else {
        for (size_t i : nms(cand, o.iou_threshold, o.min_score, max_keep, false)) out.push_back(dets[i]);
    }
    for (FaceDetection& d : out) {
        const FrameBox& u = d.unclipped_box;
        const double x1 = std::clamp(u.x, 0.0, 1.0), y1 = std::clamp(u.y, 0.0, 1.0);
        const double x2 = std::clamp(u.right(), 0.0, 1.0), y2 = std::clamp(u.bottom(), 0.0, 1.0);
        d.box = FrameBox{x1, y1, x2 - x1, y2 - y1};
    }
    // A "face" entirely in the letterbox bars is not in the frame.
    std::erase_if(out, [](const FaceDetection& d) { return d.box.area() <= 0; });
    return out;
}

struct FaceDetector::Impl {
    FaceDetectorOptions options;
    ZooModel zoo;
    ImagePrep prep;
    size_t s16 = 0, s32 = 0, b16 = 0, b32 = 0;
};

FaceDetector::FaceDetector(const ComputeDevice& device, FaceDetectorOptions options)
    : impl_(std::make_unique<Impl>(Impl{options, open_zoo_model("blazeface", device), {}, 0, 0, 0, 0})) {
    Impl& d = *impl_;
    d.options.max_batch = std::max(1, d.options.max_batch);
    d.prep = image_prep_for(d.zoo.manifest);
    d.prep.letterbox = options.letterbox;
    d.prep.pad_pixel = 0.0;  // black bars, as MediaPipe's letterbox
    d.s16 = output_index(d.zoo.manifest, "scores_16");
    d.s32 = output_index(d.zoo.manifest, "scores_32");
    d.b16 = output_index(d.zoo.manifest, "boxes_16");
    d.b32 = output_index(d.zoo.manifest, "boxes_32");
}
FaceDetector::~FaceDetector() = default;
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
const FaceDetectorOptions& FaceDetector::options() const { return impl_->options; }

std::vector<std::vector<FaceDetection>> FaceDetector::detect(const std::vector<RgbImage>& frames) {
    Impl& d = *impl_;
    std::vector<std::vector<FaceDetection>> out(frames.size());
    std::vector<size_t> usable;
    for (size_t i = 0; i < frames.size(); ++i)
        if (!frames[i].empty() && frames[i].width > 0 && frames[i].height > 0) usable.push_back(i);
    for (size_t start = 0; start < usable.size(); start += size_t(d.options.max_batch)) {
        const size_t count = std::min(usable.size() - start, size_t(d.options.max_batch));
        std::vector<RgbImage> batch_frames;
        batch_frames.reserve(count);
        for (size_t j = 0; j < count; ++j) batch_frames.push_back(frames[usable[start + j]]);
        std::vector<LetterboxTransform> transforms;
        const Tensor input = prepare_images(batch_frames, d.prep, &transforms);
        const std::vector<Tensor> res = d.zoo.model.run(input);
        const Tensor &s16 = res.at(d.s16), &s32 = res.at(d.s32), &b16 = res.at(d.b16), &b32 = res.at(d.b32);
        for (size_t j = 0; j < count; ++j) {
            std::vector<float> logits(s16.item(int64_t(j)), s16.item(int64_t(j)) + s16.item_size());
            logits.insert(logits.end(), s32.item(int64_t(j)), s32.item(int64_t(j)) + s32.item_size());
            std::vector<float> raw(b16.item(int64_t(j)), b16.item(int64_t(j)) + b16.item_size());
            raw.insert(raw.end(), b32.item(int64_t(j)), b32.item(int64_t(j)) + b32.item_size());
            out[usable[start + j]] = decode_blazeface(logits, raw, transforms[j], d.options);
        }
    }
    return out;
}

std::vector<FaceDetection> FaceDetector::detect(const RgbImage& frame) { return detect(std::vector<RgbImage>{frame}).front(); }

}  // namespace frameline
