#include "core/models/object_detector.h"

#include <algorithm>
#include <memory>

#include "core/error.h"
#include "core/models/zoo_model.h"

namespace frameline {

namespace {
struct Peak {
    float score;
    int index;  // flat index into [H, W, C], the graph's TopKV2 order for ties
};
}  // namespace

std::vector<ObjectDetection> decode_centernet(const float* heatmap, const float* wh, int H, int W, int C,
                                              const LetterboxTransform& t, const std::vector<std::string>& labels,
                                              const ObjectDetectorOptions& o) {
    // Peaks: equal to the 3x3 maximum (TF MaxPool 'SAME': cells outside the map do not count). Scanning only
    // cells at or above min_score gives the same result as top-k then threshold, since top-k drops only the lowest.
    std::vector<Peak> peaks;
    const float min_score = static_cast<float>(o.min_score);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const float* cell = heatmap + (size_t(y) * W + x) * C;
            for (int c = 0; c < C; ++c) {
                const float v = cell[c];
                if (!(v >= min_score)) continue;  // also drops NaN
                bool peak = true;
                for (int dy = -1; dy <= 1 && peak; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        if ((dy == 0 && dx == 0) || yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
                        if (heatmap[(size_t(yy) * W + xx) * C + c] > v) {
                            peak = false;
                            break;
                        }
                    }
                if (peak) peaks.push_back({v, int((size_t(y) * W + x) * C + c)});
            }
        }
    std::stable_sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) {
        return a.score > b.score || (a.score == b.score && a.index < b.index);
    });
    if (o.top_k > 0 && peaks.size() > size_t(o.top_k)) peaks.resize(size_t(o.top_k));

    // Boxes: the graph's stride is input / heatmap (4); wh holds distances from the cell's corner point x*stride.
    const double stride_x = double(t.input_width) / W, stride_y = double(t.input_height) / H;
    const double fw = t.source_width, fh = t.source_height;
    std::vector<ScoredBox> boxes;
    boxes.reserve(peaks.size());
    for (const Peak& p : peaks) {
        const int c = p.index % C, cell = p.index / C, x = cell % W, y = cell / W;
        const float* d = wh + size_t(cell) * 4;
        const double x1 = std::clamp(t.to_source_x(x * stride_x - d[0]) / fw, 0.0, 1.0);
        const double y1 = std::clamp(t.to_source_y(y * stride_y - d[1]) / fh, 0.0, 1.0);
        const double x2 = std::clamp(t.to_source_x(x * stride_x + d[2]) / fw, 0.0, 1.0);
        const double y2 = std::clamp(t.to_source_y(y * stride_y + d[3]) / fh, 0.0, 1.0);
        boxes.push_back({FrameBox{x1, y1, std::max(0.0, x2 - x1), std::max(0.0, y2 - y1)}, p.score, c});
    }
    std::vector<ObjectDetection> out;
    for (size_t i : nms(boxes, o.iou_threshold, o.min_score, size_t(std::max(0, o.max_detections)),
                        o.class_aware_nms)) {
        const ScoredBox& b = boxes[i];
        if (b.box.area() <= 0) continue;  // a box entirely outside the picture (in the letterbox bars)
        out.push_back({size_t(b.class_id) < labels.size() ? labels[size_t(b.class_id)] : std::to_string(b.class_id),
                       b.class_id, b.score, b.box});
    }
    return out;
}

struct ObjectDetector::Impl {
    ObjectDetectorOptions options;
    ZooModel zoo;
    ImagePrep prep;
    size_t heatmap_out = 0, wh_out = 0;
};

ObjectDetector::ObjectDetector(const ComputeDevice& device, ObjectDetectorOptions options)
    : impl_(std::make_unique<Impl>(Impl{options, open_zoo_model("centernet", device), {}, 0, 0})) {
    Impl& d = *impl_;
    d.prep = image_prep_for(d.zoo.manifest);
    d.prep.letterbox = options.letterbox;
    d.heatmap_out = output_index(d.zoo.manifest, "heatmap");
    d.wh_out = output_index(d.zoo.manifest, "wh");
}
ObjectDetector::~ObjectDetector() = default;
ObjectDetector::ObjectDetector(ObjectDetector&&) noexcept = default;
ObjectDetector& ObjectDetector::operator=(ObjectDetector&&) noexcept = default;

const ObjectDetectorOptions& ObjectDetector::options() const { return impl_->options; }
const std::vector<std::string>& ObjectDetector::labels() const { return impl_->zoo.manifest.labels; }

std::vector<ObjectDetection> ObjectDetector::detect(const RgbImage& frame) {
    Impl& d = *impl_;
    if (frame.empty() || frame.width <= 0 || frame.height <= 0) return {};
    std::vector<LetterboxTransform> transforms;
    const Tensor input = prepare_images({frame}, d.prep, &transforms);
    const std::vector<Tensor> out = d.zoo.model.run(input);
    const Tensor& hm = out.at(d.heatmap_out);
    const Tensor& wh = out.at(d.wh_out);
    if (hm.shape.size() != 4 || wh.shape.size() != 4 || wh.shape[3] != 4 || hm.shape[1] != wh.shape[1] ||
        hm.shape[2] != wh.shape[2])
        throw Error(d.zoo.model.file().string() + ": unexpected output shapes " + shape_string(hm.shape) + " and " +
                    shape_string(wh.shape) + "; run scripts/convert-models.sh --force");
    return decode_centernet(hm.item(0), wh.item(0), int(hm.shape[1]), int(hm.shape[2]), int(hm.shape[3]),
                            transforms.front(), d.zoo.manifest.labels, d.options);
}

std::vector<std::vector<ObjectDetection>> ObjectDetector::detect(const std::vector<RgbImage>& frames) {
    std::vector<std::vector<ObjectDetection>> out;
    out.reserve(frames.size());
    for (const RgbImage& f : frames) out.push_back(detect(f));
    return out;
}

}  // namespace frameline
