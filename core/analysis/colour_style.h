#pragma once
// The colour style of a shot or a title, measured on the sampled frames' thumbnails (320 px wide sRGB): how warm or
// cool, how saturated, how dark or bright (key), and a dominant palette. No model: these are plain statistics whose
// thresholds are written down here, so an editor can see why a shot was called "warm" or "low-key".
//
// Measures, and why these:
//   - warmth: the correlated colour temperature (CCT, kelvin) of the mean linear-RGB colour, by McCamy's cubic
//     formula on its CIE 1931 xy chromaticity. "Warm/cool" in grading talk is exactly "lower/higher colour
//     temperature than daylight white" (D65, 6504 K). McCamy is only exact near the Planckian locus; for strongly
//     tinted pictures it is an extrapolation but stays monotone along the orange-blue axis, which is all we use.
//     Mean CIELAB a*/b* are reported beside it (b* > 0 yellow, < 0 blue) so a reviewer can check.
//   - saturation: Hasler and Suesstrunk's colourfulness (2003) over the pooled pixels, the same measure the sampler
//     stores per frame (FrameMetrics::colourfulness), on their published scale (15 slightly, 33 moderately,
//     45 averagely, 59 quite, 82 highly colourful).
//   - key: the Rec. 601 luma histogram. Low-key lighting (film noir, night) is a picture dominated by dark tones
//     with few highlights; high-key (sitcoms, commercials) is dominated by light tones with few deep shadows.
//   - palette: k-means (k = 5, k-means++ seeding with a fixed seed: deterministic) in CIELAB, where Euclidean
//     distance is roughly perceptual (delta E 1976); centres closer than kPaletteMergeDeltaE are merged and
//     colours under kPaletteMinShare dropped. Natural footage ends with 3-5 colours; a flat test card honestly
//     ends with fewer (one orange field is one colour, not three shades of it).
#include <cstdint>
#include <string>
#include <vector>

#include "core/media/image.h"
#include "core/sampling/frame_quality.h"

namespace frameline {

// Thresholds (documented so reviewers can see why; tuned on generated warm/cool/grey clips and goldeneye, numbers in
// tests/core/analysis/tst_colour_style.cpp).
inline constexpr double kWarmBelowK = 5000.0;   // mean colour CCT under 5000 K: warm (tungsten 3200 K, sunset 3500 K)
inline constexpr double kCoolAboveK = 7500.0;   // over 7500 K: cool (overcast/shade 7500-9000 K, blue grade)
inline constexpr double kSaturatedAbove = 45.0;  // H&S "averagely colourful" and up
inline constexpr double kMutedBelow = 25.0;      // between H&S "slightly" (15) and "moderately" (33) colourful
inline constexpr double kDarkLuma = 64.0;        // luma under this is a shadow tone (quarter of the range)
inline constexpr double kLightLuma = 176.0;      // luma at or over this is a light tone
inline constexpr double kLowKeyDarkShare = 0.5;  // low-key: at least half the picture in shadow tones ...
inline constexpr double kLowKeyMaxLight = 0.15;  // ... and under 15 % light tones
inline constexpr double kHighKeyLightShare = 0.4;  // high-key: at least 40 % light tones ...
inline constexpr double kHighKeyMaxDark = 0.10;    // ... and under 10 % shadow tones
inline constexpr double kPaletteMergeDeltaE = 12.0;  // palette colours closer than this look like one colour
inline constexpr double kPaletteMinShare = 0.03;     // colours covering under 3 % of the picture are not "dominant"
inline constexpr int kPaletteK = 5;

struct PaletteColour {
    double L = 0, a = 0, b = 0;  // CIELAB (D65)
    double share = 0;            // of the pixels (weights), 0..1; a palette's shares sum to 1
    std::string hex;             // "#rrggbb" (sRGB)
};

struct ColourStyle {
    double pixels = 0;           // weight of what was measured (0: nothing; every other field is then meaningless)
    double mean_luma = 0;        // Rec. 601, 0..255
    double median_luma = 0;
    double dark_share = 0;       // luma < kDarkLuma
    double light_share = 0;      // luma >= kLightLuma
    double mean_L = 0, mean_a = 0, mean_b = 0;  // CIELAB means
    double cct_k = 6504;         // CCT of the mean linear RGB colour (McCamy), clamped to 1000..25000 K
    double colourfulness = 0;    // Hasler and Suesstrunk
    // Share of the top third of the picture that looks like clear sky (CIELAB L* >= 50, b* <= -8, |a*| <= 20):
    // a hint of a daytime exterior for the time-of-day heuristic. Blue walls and screens read as sky too.
    double sky_share = 0;
    std::vector<PaletteColour> palette;  // by share, largest first

    std::string warmth() const;      // "warm" | "cool" | "neutral" by cct_k
    std::string saturation() const;  // "saturated" | "muted" | "moderate" by colourfulness
    std::string key() const;         // "low-key" | "high-key" | "mid-key" by the luma histogram
    bool empty() const { return pixels <= 0; }
};

// Pools the pixels of several pictures (a shot's sampled frames) and measures them together. Each picture counts
// with `weight` regardless of its size (a shot's frames equally; bigger thumbnails do not weigh more).
class ColourAccumulator {
public:
    ColourAccumulator();
    // Adds the picture inside `active` (the picture without black bars; an empty rect = the whole image). Empty
    // images are ignored. Throws frameline::Error for an image whose buffer does not match its size.
    void add(const RgbImage& image, const CropRect& active = {}, double weight = 1.0);
    ColourStyle finish() const;
    double weight() const { return weight_; }

private:
    double weight_ = 0;
    double sum_luma_ = 0, sum_dark_ = 0, sum_light_ = 0;
    double sum_lin_[3] = {0, 0, 0};
    double sum_lab_[3] = {0, 0, 0};
    double sum_rg_ = 0, sum_rg2_ = 0, sum_yb_ = 0, sum_yb2_ = 0;
    double sum_sky_ = 0;
    std::vector<double> hist_;  // 256 luma bins, weighted
    std::vector<double> samples_;  // L, a, b, weight (palette sample)
};

ColourStyle measure_colour_style(const RgbImage& image, const CropRect& active = {});

// A title's style from its shots' styles, weighted (by duration): means of the statistics, and a palette by
// weighted k-means over the shots' palette colours.
ColourStyle combine_colour_styles(const std::vector<ColourStyle>& styles, const std::vector<double>& weights);

// Weighted k-means palette (exposed for tests): `lab_w` holds L, a, b, weight quadruples.
std::vector<PaletteColour> lab_palette(const std::vector<double>& lab_w, int k = kPaletteK);

// sRGB (0..255) <-> CIELAB D65, and McCamy's CCT of a linear-RGB colour. Exposed for tests.
void srgb_to_lab(double r, double g, double b, double& L, double& A, double& B);
std::string lab_to_hex(double L, double A, double B);
double mccamy_cct_k(double r_lin, double g_lin, double b_lin);

}  // namespace frameline
