#pragma once
// What a detected face shows: expression (models/emotion), age, gender and a 1024-d descriptor (models/faceres),
// and a 192-d identity vector (models/mobilefacenet), batched over all faces of a batch of frames. Torch-free.
//
// Each model gets the aligned crop of face_align.h (human's 1.4x squared detector box, turned so the eyes are
// level; human crops without turning by default) resampled to its input size directly from the frame (human
// resizes a 192-px crop once more). Then as human 3.3.6 does: emotion on grey (0.2989 R + 0.587 G + 0.114 B) in
// -1..1; faceres on RGB 0..255, gender = sigmoid <= 0.5 female, confidence 2|p - 0.5| (below 0.1: "unknown"),
// age from the 100-bin softmax as human's faceres.ts (argmax i, moved towards the larger neighbour:
// i -/+ 10 p[i -/+ 1]); mobilefacenet on RGB 0..1, its output already unit length.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/media/image.h"
#include "core/models/compute_device.h"
#include "core/models/face_detector.h"

namespace frameline {

struct FaceAnalysis {
    // Expression: the best of angry, disgust, fear, happy, sad, surprise, neutral, and all seven best first.
    std::string expression;
    double expression_score = 0;
    std::vector<std::pair<std::string, double>> expressions;
    // Attributes.
    double age = 0;                  // years
    std::string gender;              // "female", "male" or "unknown" (confidence under min_gender_confidence)
    double gender_score = 0;         // 2 |p - 0.5|, 0..1
    double male_probability = 0.5;   // the model's sigmoid
    std::vector<float> descriptor;   // faceres, 1024 values, not normalised
    std::vector<float> identity;     // mobilefacenet, 192 values, unit length: compare with cosine_similarity
};

struct FaceAnalyserOptions {
    bool expression = true;
    bool attributes = true;  // age, gender, descriptor
    bool identity = true;
    double margin = 1.4;     // crop side / the box's longer side (human's detector scale)
    int max_batch = 16;      // faces per model run
    double min_gender_confidence = 0.1;  // human's description.minConfidence
};

// Age from faceres' 100-bin softmax, as human's faceres.ts.
double age_from_bins(const float* bins, int count);
// Cosine similarity of two vectors of the same length; 0 when either is empty or all zeros.
double cosine_similarity(const std::vector<float>& a, const std::vector<float>& b);

class FaceAnalyser {
public:
    // Loads the enabled models from the zoo; throws frameline::Error with what to do when one is not converted.
    explicit FaceAnalyser(const ComputeDevice& device, FaceAnalyserOptions options = {});
    ~FaceAnalyser();
    FaceAnalyser(FaceAnalyser&&) noexcept;
    FaceAnalyser& operator=(FaceAnalyser&&) noexcept;

    // faces[i] are the detections in frames[i]; the result has the same shape. All faces of all frames go through
    // each model in batches of options.max_batch.
    std::vector<std::vector<FaceAnalysis>> analyse(const std::vector<RgbImage>& frames,
                                                   const std::vector<std::vector<FaceDetection>>& faces);
    std::vector<FaceAnalysis> analyse(const RgbImage& frame, const std::vector<FaceDetection>& faces);

    const FaceAnalyserOptions& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
