#include "core/models/maturity_classifier.h"

#include <algorithm>

#include "core/error.h"
#include "core/models/image_prep.h"
#include "core/models/zoo_model.h"

namespace frameline {

double MaturityScores::probability(const std::string& label) const {
    for (const auto& [name, p] : classes)
        if (name == label) return p;
    return 0.0;
}

const std::pair<std::string, double>& MaturityScores::top() const {
    if (classes.empty()) throw Error("maturity scores of an empty frame have no top class");
    return *std::max_element(classes.begin(), classes.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
}

struct MaturityClassifier::Impl {
    Options options;
    ZooModel zoo;
    ImagePrep prep;
};

MaturityClassifier::MaturityClassifier(const ComputeDevice& device, Options options)
    : impl_(std::make_unique<Impl>(Impl{options, open_zoo_model("nsfw", device), {}})) {
    impl_->options.max_batch = std::max(1, options.max_batch);
    impl_->prep = image_prep_for(impl_->zoo.manifest);
}
MaturityClassifier::~MaturityClassifier() = default;
MaturityClassifier::MaturityClassifier(MaturityClassifier&&) noexcept = default;
MaturityClassifier& MaturityClassifier::operator=(MaturityClassifier&&) noexcept = default;
const std::vector<std::string>& MaturityClassifier::labels() const { return impl_->zoo.manifest.labels; }

std::vector<MaturityScores> MaturityClassifier::classify(const std::vector<RgbImage>& frames) {
    Impl& d = *impl_;
    std::vector<MaturityScores> out(frames.size());
    std::vector<size_t> usable;
    for (size_t i = 0; i < frames.size(); ++i)
        if (!frames[i].empty() && frames[i].width > 0 && frames[i].height > 0) usable.push_back(i);
    const std::vector<std::string>& labels = d.zoo.manifest.labels;
    for (size_t start = 0; start < usable.size(); start += size_t(d.options.max_batch)) {
        const size_t count = std::min(usable.size() - start, size_t(d.options.max_batch));
        Tensor batch({int64_t(count), d.prep.channels, d.prep.height, d.prep.width});
        for (size_t j = 0; j < count; ++j) write_image_input(frames[usable[start + j]], d.prep, batch, int64_t(j));
        const Tensor scores = d.zoo.model.run(batch).at(0);
        for (size_t j = 0; j < count; ++j) {
            MaturityScores& s = out[usable[start + j]];
            const float* p = scores.item(int64_t(j));
            for (size_t k = 0; k < scores.item_size(); ++k)
                s.classes.emplace_back(k < labels.size() ? labels[k] : std::to_string(k), double(p[k]));
        }
    }
    return out;
}

MaturityScores MaturityClassifier::classify(const RgbImage& frame) { return classify(std::vector<RgbImage>{frame}).front(); }

}  // namespace frameline
