#pragma once
// How adult a frame looks: NSFWJS MobileNetV2 "mid" (models/nsfw), 5 classes (Drawing, Hentai, Neutral, Porn,
// Sexy), softmax probabilities. Torch-free. As nsfwjs 4.4.0: the whole frame stretched to 224x224, RGB 0..1 (nsfwjs
// resizes bilinearly with aligned corners; here the runtime's area-filtered resize, so large frames do not alias).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/media/image.h"
#include "core/models/compute_device.h"

namespace frameline {

struct MaturityScores {
    std::vector<std::pair<std::string, double>> classes;  // in the manifest's label order; sums to 1
    double probability(const std::string& label) const;   // 0 for an unknown label
    const std::pair<std::string, double>& top() const;    // the most probable class
};

class MaturityClassifier {
public:
    struct Options {
        int max_batch = 8;
    };
    // Loads "nsfw" from the zoo; throws frameline::Error with what to do when it is not converted.
    explicit MaturityClassifier(const ComputeDevice& device) : MaturityClassifier(device, Options{}) {}
    MaturityClassifier(const ComputeDevice& device, Options options);
    ~MaturityClassifier();
    MaturityClassifier(MaturityClassifier&&) noexcept;
    MaturityClassifier& operator=(MaturityClassifier&&) noexcept;

    // One result per frame (an empty frame gets empty classes), in batches of options.max_batch.
    std::vector<MaturityScores> classify(const std::vector<RgbImage>& frames);
    MaturityScores classify(const RgbImage& frame);

    const std::vector<std::string>& labels() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
