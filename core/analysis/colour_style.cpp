#include "core/analysis/colour_style.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "core/error.h"

namespace frameline {

namespace {

constexpr int kSamplesPerImage = 3000;  // palette samples per picture: k-means cost stays small, shares stay stable

// sRGB 8-bit -> linear, as a table (the conversion runs for every pixel of every thumbnail).
const std::array<double, 256>& linear_table() {
    static const std::array<double, 256> table = [] {
        std::array<double, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const double c = i / 255.0;
            t[size_t(i)] = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
        }
        return t;
    }();
    return table;
}

double lab_f(double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; }
double lab_f_inv(double t) { return t * t * t > 216.0 / 24389.0 ? t * t * t : (116.0 * t - 16.0) / (24389.0 / 27.0); }

constexpr double kXn = 0.95047, kYn = 1.0, kZn = 1.08883;  // D65 white

void linear_to_lab(double r, double g, double b, double& L, double& A, double& B) {
    const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / kXn;
    const double y = (0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / kYn;
    const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / kZn;
    const double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    L = 116.0 * fy - 16.0;
    A = 500.0 * (fx - fy);
    B = 200.0 * (fy - fz);
}

double dist2(const double* p, const double* q) {
    const double d0 = p[0] - q[0], d1 = p[1] - q[1], d2 = p[2] - q[2];
    return d0 * d0 + d1 * d1 + d2 * d2;
}

}  // namespace

void srgb_to_lab(double r, double g, double b, double& L, double& A, double& B) {
    auto lin = [](double c) {
        c = std::clamp(c, 0.0, 255.0) / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    linear_to_lab(lin(r), lin(g), lin(b), L, A, B);
}

std::string lab_to_hex(double L, double A, double B) {
    const double fy = (L + 16.0) / 116.0, fx = fy + A / 500.0, fz = fy - B / 200.0;
    const double x = lab_f_inv(fx) * kXn, y = lab_f_inv(fy) * kYn, z = lab_f_inv(fz) * kZn;
    const double lin[3] = {3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
                           -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
                           0.0556434 * x - 0.2040259 * y + 1.0572252 * z};
    int c[3];
    for (int i = 0; i < 3; ++i) {
        const double v = std::clamp(lin[i], 0.0, 1.0);
        const double s = v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055;
        c[i] = int(std::lround(std::clamp(s, 0.0, 1.0) * 255.0));
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

double mccamy_cct_k(double r, double g, double b) {
    // CIE 1931 xy of the colour, then McCamy (1992): n = (x - 0.3320) / (0.1858 - y), CCT = 449 n^3 + 3525 n^2 +
    // 6823.3 n + 5520.33. Black (no chromaticity) reads as D65 white: neither warm nor cool.
    const double X = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    const double Y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double Z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    const double sum = X + Y + Z;
    if (sum <= 1e-9) return 6504.0;
    const double x = X / sum, y = Y / sum;
    // McCamy's formula has a pole at y = 0.1858 and its cubic has a minimum (1620 K) at n = -1.28; outside that
    // range it turns back. Chromaticities under the pole are deep blue to violet (counted as the cool end, purples
    // included: a documented limit); past the minimum, deep orange to red (the warm end).
    if (y <= 0.1858) return 25000.0;
    const double n = (x - 0.3320) / (0.1858 - y);
    if (n < -1.28) return 1620.0;
    const double cct = 449.0 * n * n * n + 3525.0 * n * n + 6823.3 * n + 5520.33;
    return std::clamp(cct, 1000.0, 25000.0);
}

std::string ColourStyle::warmth() const {
    if (cct_k < kWarmBelowK) return "warm";
    if (cct_k > kCoolAboveK) return "cool";
    return "neutral";
}

std::string ColourStyle::saturation() const {
    if (colourfulness >= kSaturatedAbove) return "saturated";
    if (colourfulness < kMutedBelow) return "muted";
    return "moderate";
}

std::string ColourStyle::key() const {
    if (dark_share >= kLowKeyDarkShare && light_share < kLowKeyMaxLight) return "low-key";
    if (light_share >= kHighKeyLightShare && dark_share < kHighKeyMaxDark) return "high-key";
    return "mid-key";
}

ColourAccumulator::ColourAccumulator() : hist_(256, 0.0) {}

void ColourAccumulator::add(const RgbImage& image, const CropRect& active, double weight) {
    if (image.empty() || weight <= 0) return;
    if (image.width <= 0 || image.height <= 0 || image.rgb.size() != size_t(image.width) * image.height * 3)
        throw Error("colour style: an RGB image of " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + " holds " + std::to_string(image.rgb.size()) +
                    " bytes; expected width x height x 3");
    int x0 = 0, y0 = 0, x1 = image.width, y1 = image.height;
    if (active.width > 0 && active.height > 0) {
        x0 = std::clamp(active.x, 0, image.width - 1);
        y0 = std::clamp(active.y, 0, image.height - 1);
        x1 = std::clamp(active.x + active.width, x0 + 1, image.width);
        y1 = std::clamp(active.y + active.height, y0 + 1, image.height);
    }
    const double n = double(x1 - x0) * double(y1 - y0);
    const double w = weight / n;  // per pixel: each picture counts `weight` in all
    const auto& lin = linear_table();
    const int stride = std::max(1, int(std::sqrt(n / kSamplesPerImage)));
    const int sky_rows_end = y0 + std::max(1, (y1 - y0) / 3);
    int sky_sampled = 0;
    for (int y = y0; y < sky_rows_end; y += stride)
        for (int x = x0; x < x1; x += stride) ++sky_sampled;
    const double sky_w = weight / std::max(1, sky_sampled);
    int sampled = 0;
    for (int y = y0; y < y1; y += stride)
        for (int x = x0; x < x1; x += stride) ++sampled;
    const double sample_w = weight / std::max(1, sampled);
    for (int y = y0; y < y1; ++y) {
        const uint8_t* row = image.rgb.data() + (size_t(y) * image.width) * 3;
        for (int x = x0; x < x1; ++x) {
            const uint8_t* p = row + size_t(x) * 3;
            const double r = p[0], g = p[1], b = p[2];
            const double luma = 0.299 * r + 0.587 * g + 0.114 * b;
            sum_luma_ += w * luma;
            if (luma < kDarkLuma) sum_dark_ += w;
            if (luma >= kLightLuma) sum_light_ += w;
            hist_[size_t(std::clamp(int(luma), 0, 255))] += w;
            const double lr = lin[p[0]], lg = lin[p[1]], lb = lin[p[2]];
            sum_lin_[0] += w * lr;
            sum_lin_[1] += w * lg;
            sum_lin_[2] += w * lb;
            const double rg = r - g, yb = 0.5 * (r + g) - b;
            sum_rg_ += w * rg;
            sum_rg2_ += w * rg * rg;
            sum_yb_ += w * yb;
            sum_yb2_ += w * yb * yb;
            if ((y - y0) % stride == 0 && (x - x0) % stride == 0) {
                double L, A, B;
                linear_to_lab(lr, lg, lb, L, A, B);
                sum_lab_[0] += sample_w * L;
                sum_lab_[1] += sample_w * A;
                sum_lab_[2] += sample_w * B;
                samples_.insert(samples_.end(), {L, A, B, sample_w});
                if (y < sky_rows_end && L >= 50.0 && B <= -8.0 && std::abs(A) <= 20.0) sum_sky_ += sky_w;
            }
        }
    }
    weight_ += weight;
}

ColourStyle ColourAccumulator::finish() const {
    ColourStyle s;
    if (weight_ <= 0) return s;
    const double W = weight_;
    s.pixels = W;
    s.mean_luma = sum_luma_ / W;
    s.dark_share = sum_dark_ / W;
    s.light_share = sum_light_ / W;
    double acc = 0;
    for (int i = 0; i < 256; ++i) {
        acc += hist_[size_t(i)];
        if (acc >= 0.5 * W) {
            s.median_luma = i;
            break;
        }
    }
    s.mean_L = sum_lab_[0] / W;
    s.mean_a = sum_lab_[1] / W;
    s.mean_b = sum_lab_[2] / W;
    s.cct_k = mccamy_cct_k(sum_lin_[0] / W, sum_lin_[1] / W, sum_lin_[2] / W);
    const double rg_mean = sum_rg_ / W, yb_mean = sum_yb_ / W;
    const double rg_var = std::max(0.0, sum_rg2_ / W - rg_mean * rg_mean);
    const double yb_var = std::max(0.0, sum_yb2_ / W - yb_mean * yb_mean);
    s.colourfulness = std::sqrt(rg_var + yb_var) + 0.3 * std::sqrt(rg_mean * rg_mean + yb_mean * yb_mean);
    s.sky_share = sum_sky_ / W;
    s.palette = lab_palette(samples_);
    return s;
}

ColourStyle measure_colour_style(const RgbImage& image, const CropRect& active) {
    ColourAccumulator acc;
    acc.add(image, active);
    return acc.finish();
}

std::vector<PaletteColour> lab_palette(const std::vector<double>& lab_w, int k) {
    const size_t n = lab_w.size() / 4;
    double total = 0;
    for (size_t i = 0; i < n; ++i) total += std::max(0.0, lab_w[i * 4 + 3]);
    if (n == 0 || total <= 0 || k <= 0) return {};
    k = int(std::min<size_t>(size_t(k), n));
    // k-means++ seeding, weighted, with a fixed seed so that the same frames always give the same palette.
    std::mt19937 rng(12345u);
    std::vector<std::array<double, 3>> centres;
    std::vector<double> d2(n, std::numeric_limits<double>::max());
    {
        // first centre: the heaviest-weighted sample nearest the weighted mean would be arbitrary; take a weighted draw
        std::uniform_real_distribution<double> u(0.0, total);
        double pick = u(rng), run = 0;
        size_t first = n - 1;
        for (size_t i = 0; i < n; ++i) {
            run += std::max(0.0, lab_w[i * 4 + 3]);
            if (run >= pick) {
                first = i;
                break;
            }
        }
        centres.push_back({lab_w[first * 4], lab_w[first * 4 + 1], lab_w[first * 4 + 2]});
    }
    while (int(centres.size()) < k) {
        double sum = 0;
        for (size_t i = 0; i < n; ++i) {
            d2[i] = std::min(d2[i], dist2(&lab_w[i * 4], centres.back().data()));
            sum += d2[i] * std::max(0.0, lab_w[i * 4 + 3]);
        }
        if (sum <= 1e-12) break;  // every sample sits on a centre already: fewer distinct colours than k
        std::uniform_real_distribution<double> u(0.0, sum);
        double pick = u(rng), run = 0;
        size_t next = n - 1;
        for (size_t i = 0; i < n; ++i) {
            run += d2[i] * std::max(0.0, lab_w[i * 4 + 3]);
            if (run >= pick) {
                next = i;
                break;
            }
        }
        centres.push_back({lab_w[next * 4], lab_w[next * 4 + 1], lab_w[next * 4 + 2]});
    }
    // Lloyd iterations.
    std::vector<int> owner(n, 0);
    std::vector<double> mass(centres.size(), 0.0);
    for (int iter = 0; iter < 40; ++iter) {
        bool moved = false;
        for (size_t i = 0; i < n; ++i) {
            int best = 0;
            double bd = std::numeric_limits<double>::max();
            for (size_t c = 0; c < centres.size(); ++c) {
                const double d = dist2(&lab_w[i * 4], centres[c].data());
                if (d < bd) {
                    bd = d;
                    best = int(c);
                }
            }
            if (owner[i] != best || iter == 0) moved = true;
            owner[i] = best;
        }
        std::vector<std::array<double, 3>> sums(centres.size(), {0, 0, 0});
        std::fill(mass.begin(), mass.end(), 0.0);
        for (size_t i = 0; i < n; ++i) {
            const double w = std::max(0.0, lab_w[i * 4 + 3]);
            for (int j = 0; j < 3; ++j) sums[size_t(owner[i])][size_t(j)] += w * lab_w[i * 4 + size_t(j)];
            mass[size_t(owner[i])] += w;
        }
        for (size_t c = 0; c < centres.size(); ++c)
            if (mass[c] > 0)
                for (int j = 0; j < 3; ++j) centres[c][size_t(j)] = sums[c][size_t(j)] / mass[c];
        if (!moved) break;
    }
    // Merge near-identical colours (closest pair first), then drop the minor ones.
    struct C {
        std::array<double, 3> lab;
        double mass;
    };
    std::vector<C> cs;
    for (size_t c = 0; c < centres.size(); ++c)
        if (mass[c] > 0) cs.push_back({centres[c], mass[c]});
    for (;;) {
        double best = kPaletteMergeDeltaE * kPaletteMergeDeltaE;
        size_t bi = 0, bj = 0;
        for (size_t i = 0; i < cs.size(); ++i)
            for (size_t j = i + 1; j < cs.size(); ++j) {
                const double d = dist2(cs[i].lab.data(), cs[j].lab.data());
                if (d < best) {
                    best = d;
                    bi = i;
                    bj = j;
                }
            }
        if (bi == bj) break;
        const double m = cs[bi].mass + cs[bj].mass;
        for (int j = 0; j < 3; ++j)
            cs[bi].lab[size_t(j)] = (cs[bi].lab[size_t(j)] * cs[bi].mass + cs[bj].lab[size_t(j)] * cs[bj].mass) / m;
        cs[bi].mass = m;
        cs.erase(cs.begin() + long(bj));
    }
    std::sort(cs.begin(), cs.end(), [](const C& a, const C& b) { return a.mass > b.mass; });
    std::vector<PaletteColour> out;
    double kept = 0;
    for (const C& c : cs)
        if (c.mass / total >= kPaletteMinShare || out.empty()) kept += c.mass;
    for (const C& c : cs) {
        if (c.mass / total < kPaletteMinShare && !out.empty()) continue;
        PaletteColour p;
        p.L = c.lab[0];
        p.a = c.lab[1];
        p.b = c.lab[2];
        p.share = c.mass / kept;
        p.hex = lab_to_hex(p.L, p.a, p.b);
        out.push_back(p);
    }
    return out;
}

ColourStyle combine_colour_styles(const std::vector<ColourStyle>& styles, const std::vector<double>& weights) {
    if (styles.size() != weights.size())
        throw Error("combine_colour_styles: " + std::to_string(styles.size()) + " styles but " +
                    std::to_string(weights.size()) + " weights");
    ColourStyle out;
    double W = 0;
    std::vector<double> lab_w;
    // CCT does not average linearly in kelvin; average the reciprocal (mired), the scale colour filters work in.
    double mired = 0;
    for (size_t i = 0; i < styles.size(); ++i) {
        const ColourStyle& s = styles[i];
        const double w = weights[i];
        if (s.empty() || w <= 0) continue;
        W += w;
        out.mean_luma += w * s.mean_luma;
        out.median_luma += w * s.median_luma;
        out.dark_share += w * s.dark_share;
        out.light_share += w * s.light_share;
        out.mean_L += w * s.mean_L;
        out.mean_a += w * s.mean_a;
        out.mean_b += w * s.mean_b;
        out.colourfulness += w * s.colourfulness;
        out.sky_share += w * s.sky_share;
        mired += w * 1e6 / s.cct_k;
        for (const PaletteColour& p : s.palette) lab_w.insert(lab_w.end(), {p.L, p.a, p.b, w * p.share});
    }
    if (W <= 0) return ColourStyle{};
    out.pixels = W;
    out.mean_luma /= W;
    out.median_luma /= W;
    out.dark_share /= W;
    out.light_share /= W;
    out.mean_L /= W;
    out.mean_a /= W;
    out.mean_b /= W;
    out.colourfulness /= W;
    out.sky_share /= W;
    out.cct_k = std::clamp(1e6 / (mired / W), 1000.0, 25000.0);
    out.palette = lab_palette(lab_w);
    return out;
}

}  // namespace frameline
