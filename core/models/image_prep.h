#pragma once
// Pictures to model input: resize (stretch or letterbox), colour order, per-channel scale and offset, NCHW planes.
// No torch here; the numbers follow the manifest's "input" (models/CONTRACT.md §1).
#include <vector>

#include "core/media/image.h"
#include "core/models/model_manifest.h"
#include "core/models/tensor.h"

namespace frameline {

// Where a picture landed inside a letterboxed model input, so that boxes found there map back to the picture.
// For a stretch resize the scales differ per axis and there is no padding.
struct LetterboxTransform {
    int source_width = 0, source_height = 0;  // the picture
    int input_width = 0, input_height = 0;    // the model input
    double scale_x = 1.0, scale_y = 1.0;      // input pixels per source pixel
    double pad_x = 0.0, pad_y = 0.0;          // input pixels left of / above the picture
    int content_width = 0, content_height = 0;  // the resized picture's size inside the input

    // Model-input coordinates (pixels, edges at 0 and width) to picture coordinates, and back.
    double to_source_x(double x) const { return (x - pad_x) / scale_x; }
    double to_source_y(double y) const { return (y - pad_y) / scale_y; }
    double to_input_x(double x) const { return x * scale_x + pad_x; }
    double to_input_y(double y) const { return y * scale_y + pad_y; }
};

struct ImagePrep {
    int width = 0, height = 0;     // model input size
    int channels = 3;              // 3 (rgb, bgr, or grey repeated) or 1 (grey)
    std::string colour = "rgb";    // rgb | bgr | grey
    std::vector<double> scale;     // per model channel: x = pixel * scale + offset
    std::vector<double> offset;
    bool letterbox = false;
    double pad_pixel = 0.0;        // the letterbox bars' pixel value (0..255), before scale and offset
};

// The preparation a manifest describes (input.kind must be "image"; throws frameline::Error otherwise).
ImagePrep image_prep_for(const ModelManifest& manifest);

// Where `source_width` x `source_height` lands in the input (the geometry only).
LetterboxTransform fit_transform(int source_width, int source_height, const ImagePrep& prep);

// Resamples an RGB picture to width x height, as float RGB (0..255, interleaved). Bilinear when enlarging; when
// shrinking, the triangle filter is widened by the shrink factor, so every source pixel contributes (an area
// pre-filter: no aliasing on strong downscales, e.g. 1920 -> 256).
std::vector<float> resize_rgb(const RgbImage& image, int width, int height);

// Writes `image` as item `index` of `batch` (shape [N, channels, height, width], already sized). Returns where the
// picture landed. Throws frameline::Error for an empty image or a batch of the wrong shape.
LetterboxTransform write_image_input(const RgbImage& image, const ImagePrep& prep, Tensor& batch, int64_t index);

// A batch [N, C, H, W] of `images`; `transforms` (optional) receives one transform per image.
Tensor prepare_images(const std::vector<RgbImage>& images, const ImagePrep& prep,
                      std::vector<LetterboxTransform>* transforms = nullptr);

}  // namespace frameline
