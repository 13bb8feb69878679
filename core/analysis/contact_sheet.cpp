#include "core/analysis/contact_sheet.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/error.h"
#include "core/media/png.h"

namespace frameline {
namespace {

using json = nlohmann::json;

// 5x7 glyphs, one string of 7 rows x 5 columns per character ('#' = ink).
struct Glyph {
    char c;
    const char* rows[7];
};
constexpr Glyph kFont[] = {
    {'A', {" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
    {'B', {"#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "}},
    {'C', {" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "}},
    {'D', {"#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "}},
    {'E', {"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"}},
    {'F', {"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "}},
    {'G', {" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"}},
    {'H', {"#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
    {'I', {" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
    {'J', {"  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "}},
    {'K', {"#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"}},
    {'L', {"#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"}},
    {'M', {"#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"}},
    {'N', {"#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"}},
    {'O', {" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}},
    {'P', {"#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "}},
    {'Q', {" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"}},
    {'R', {"#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"}},
    {'S', {" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "}},
    {'T', {"#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "}},
    {'U', {"#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}},
    {'V', {"#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "}},
    {'W', {"#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "}},
    {'X', {"#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"}},
    {'Y', {"#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "}},
    {'Z', {"#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"}},
    {'0', {" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "}},
    {'1', {"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
    {'2', {" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"}},
    {'3', {"#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "}},
    {'4', {"   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "}},
    {'5', {"#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "}},
    {'6', {"  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "}},
    {'7', {"#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "}},
    {'8', {" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "}},
    {'9', {" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "}},
    {' ', {"     ", "     ", "     ", "     ", "     ", "     ", "     "}},
    {'.', {"     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "}},
    {',', {"     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   "}},
    {':', {"     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "}},
    {'#', {" # # ", " # # ", "#####", " # # ", "#####", " # # ", " # # "}},
    {'-', {"     ", "     ", "     ", "#####", "     ", "     ", "     "}},
    {'+', {"     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "}},
    {'=', {"     ", "     ", "#####", "     ", "#####", "     ", "     "}},
    {'/', {"    #", "    #", "   # ", "  #  ", " #   ", "#    ", "#    "}},
    {'%', {"##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"}},
    {'(', {"   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # "}},
    {')', {" #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   "}},
    {'_', {"     ", "     ", "     ", "     ", "     ", "     ", "#####"}},
    {'?', {" ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  "}},
};

const Glyph& glyph(char c) {
    static const std::unordered_map<char, const Glyph*> table = [] {
        std::unordered_map<char, const Glyph*> t;
        for (const Glyph& g : kFont) t.emplace(g.c, &g);
        return t;
    }();
    auto it = table.find(char(std::toupper(static_cast<unsigned char>(c))));
    return it != table.end() ? *it->second : *table.at('?');
}

void put(RgbImage& img, int x, int y, const uint8_t c[3]) {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
    uint8_t* p = &img.rgb[(static_cast<size_t>(y) * img.width + x) * 3];
    p[0] = c[0];
    p[1] = c[1];
    p[2] = c[2];
}

void fill(RgbImage& img, int x0, int y0, int w, int h, const uint8_t c[3]) {
    for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) put(img, x, y, c);
}

// A rectangle outline `thickness` px wide, inside the given box.
void outline(RgbImage& img, int x0, int y0, int w, int h, int thickness, const uint8_t c[3]) {
    fill(img, x0, y0, w, thickness, c);
    fill(img, x0, y0 + h - thickness, w, thickness, c);
    fill(img, x0, y0, thickness, h, c);
    fill(img, x0 + w - thickness, y0, thickness, h, c);
}

// Bilinear resize (only used when tile_width differs from the stored thumbnails' width).
RgbImage resize(const RgbImage& src, int w, int h) {
    if (src.width == w && src.height == h) return src;
    RgbImage out;
    out.width = w;
    out.height = h;
    out.rgb.resize(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y) {
        const double sy = std::clamp((y + 0.5) * src.height / h - 0.5, 0.0, double(src.height - 1));
        const int y0 = int(sy), y1 = std::min(y0 + 1, src.height - 1);
        const double fy = sy - y0;
        for (int x = 0; x < w; ++x) {
            const double sx = std::clamp((x + 0.5) * src.width / w - 0.5, 0.0, double(src.width - 1));
            const int x0 = int(sx), x1 = std::min(x0 + 1, src.width - 1);
            const double fx = sx - x0;
            for (int k = 0; k < 3; ++k) {
                auto at = [&](int xx, int yy) { return double(src.rgb[(static_cast<size_t>(yy) * src.width + xx) * 3 + k]); };
                const double v = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) + fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1));
                out.rgb[(static_cast<size_t>(y) * w + x) * 3 + k] = uint8_t(std::lround(v));
            }
        }
    }
    return out;
}

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

constexpr uint8_t kWhite[3] = {240, 240, 240};
constexpr uint8_t kGrey[3] = {170, 170, 170};
constexpr uint8_t kBackground[3] = {24, 24, 28};
constexpr uint8_t kYellow[3] = {255, 214, 0};
constexpr uint8_t kRed[3] = {240, 40, 40};
constexpr uint8_t kGreen[3] = {40, 220, 90};
constexpr uint8_t kEmpty[3] = {90, 90, 90};

}  // namespace

void draw_text(RgbImage& image, int x, int y, const std::string& text, const uint8_t colour[3], int scale) {
    scale = std::max(1, scale);
    for (size_t i = 0; i < text.size(); ++i) {
        const Glyph& g = glyph(text[i]);
        const int gx = x + int(i) * 6 * scale;
        for (int row = 0; row < 7; ++row)
            for (int col = 0; col < 5; ++col)
                if (g.rows[row][col] == '#') fill(image, gx + col * scale, y + row * scale, scale, scale, colour);
    }
}

RgbImage make_contact_sheet(const TitleFacts& facts, const std::vector<ArtworkCandidate>& candidates,
                            const ContactSheetOptions& options) {
    if (candidates.empty())
        throw Error("no artwork candidates for '" + facts.title.name + "': nothing to put on a contact sheet");
    const int columns = std::clamp(options.columns, 1, 16);
    const int tile_w = std::clamp(options.tile_width, 64, 1920);
    // Tiles share the frames' display aspect (the first stored thumbnail's, else the title's, else 16:9).
    double aspect = 16.0 / 9.0;
    for (const FrameRecord& f : facts.frames)
        if (f.width > 0 && f.height > 0) {
            aspect = double(f.width) / f.height;
            break;
        }
    if (aspect == 16.0 / 9.0 && facts.title.width > 0 && facts.title.height > 0)
        aspect = double(facts.title.width) / facts.title.height;
    const int tile_h = std::max(1, int(std::lround(tile_w / aspect)));
    constexpr int kPad = 8, kText = 3 * 10 + 6, kHeader = 28;
    const int rows = int((candidates.size() + columns - 1) / columns);
    const int cols_used = std::min<int>(columns, int(candidates.size()));
    RgbImage sheet;
    sheet.width = kPad + cols_used * (tile_w + kPad);
    sheet.height = kHeader + kPad + rows * (tile_h + kText + kPad);
    sheet.rgb.assign(static_cast<size_t>(sheet.width) * sheet.height * 3, 0);
    fill(sheet, 0, 0, sheet.width, sheet.height, kBackground);
    draw_text(sheet, kPad, 8, facts.title.name + "  ARTWORK CANDIDATES: " + std::to_string(candidates.size()) +
                                  "  (YELLOW: 2:3 CROP, GREEN: FACES)", kWhite, 2);

    std::unordered_map<int64_t, const FrameRecord*> frame_of;
    for (const FrameRecord& f : facts.frames) frame_of[f.frame_index] = &f;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const ArtworkCandidate& a = candidates[i];
        const int x0 = kPad + int(i % columns) * (tile_w + kPad);
        const int y0 = kHeader + kPad + int(i / columns) * (tile_h + kText + kPad);
        const FrameRecord* fr = frame_of.count(a.frame_index) ? frame_of[a.frame_index] : nullptr;
        RgbImage thumb;
        if (fr && facts.thumbnail && fr->id != 0) thumb = facts.thumbnail(fr->id);
        if (!thumb.empty()) {
            const RgbImage t = resize(thumb, tile_w, tile_h);
            for (int y = 0; y < tile_h; ++y)
                std::copy_n(&t.rgb[static_cast<size_t>(y) * tile_w * 3], static_cast<size_t>(tile_w) * 3,
                            &sheet.rgb[(static_cast<size_t>(y0 + y) * sheet.width + x0) * 3]);
        } else {
            fill(sheet, x0, y0, tile_w, tile_h, kEmpty);
            draw_text(sheet, x0 + 8, y0 + 8, "NO THUMBNAIL", kWhite, 1);
        }
        auto px = [&](double fx, int size) { return int(std::lround(fx * size)); };
        const json evidence = json::parse(a.evidence, nullptr, false);
        if (evidence.is_object() && evidence.contains("faces") && evidence["faces"].is_array())
            for (const json& f : evidence["faces"])
                if (f.contains("box") && f["box"].is_array() && f["box"].size() == 4) {
                    const double bx = f["box"][0], by = f["box"][1], bw = f["box"][2], bh = f["box"][3];
                    outline(sheet, x0 + px(bx, tile_w), y0 + px(by, tile_h), std::max(2, px(bw, tile_w)),
                            std::max(2, px(bh, tile_h)), 1, kGreen);
                }
        const json crops = json::parse(a.crops, nullptr, false);
        const json breakdown = json::parse(a.breakdown, nullptr, false);
        const bool cut = breakdown.is_object() && breakdown.contains("crop_flags") &&
                         breakdown["crop_flags"].is_object() && breakdown["crop_flags"].contains("2:3") &&
                         breakdown["crop_flags"]["2:3"] == "faces_cut";
        if (crops.is_object() && crops.contains("2:3") && crops["2:3"].is_array() && crops["2:3"].size() == 4) {
            const double cx = crops["2:3"][0], cy = crops["2:3"][1], cw = crops["2:3"][2], ch = crops["2:3"][3];
            outline(sheet, x0 + px(cx, tile_w), y0 + px(cy, tile_h), std::max(4, px(cw, tile_w)),
                    std::max(4, px(ch, tile_h)), 2, cut ? kRed : kYellow);
        }
        // Numbers: rank, frame, time, score; then the terms (two letters each) and the gates.
        const int ty = y0 + tile_h + 4;
        std::string line1 = "#" + std::to_string(i + 1) + " F" + std::to_string(a.frame_index);
        if (fr) line1 += " " + fixed(fr->pts_s, 2) + "S";
        line1 += "  SCORE " + fixed(a.score, 3);
        draw_text(sheet, x0, ty, line1, kWhite, 1);
        std::string line2, line3;
        if (breakdown.is_object() && breakdown.contains("terms")) {
            const std::pair<const char*, const char*> names[] = {
                {"sharpness", "SH"}, {"exposure", "EX"},        {"face", "FA"},   {"expression", "XP"},
                {"composition", "CO"}, {"no_transition", "TR"}, {"no_text", "TX"}, {"not_sensitive", "NS"}};
            int k = 0;
            for (const auto& [name, abbr] : names) {
                if (!breakdown["terms"].contains(name)) continue;
                std::string& line = k++ < 4 ? line2 : line3;
                line += std::string(line.empty() ? "" : " ") + abbr + fixed(breakdown["terms"][name].value("value", 0.0), 2);
            }
            if (breakdown.contains("gates") && breakdown["gates"].is_object())
                for (const auto& [gate, factor] : breakdown["gates"].items()) line3 += " X" + gate;
            if (cut) line3 += " FACES_CUT";
        }
        draw_text(sheet, x0, ty + 11, line2, kGrey, 1);
        draw_text(sheet, x0, ty + 22, line3, kGrey, 1);
    }
    return sheet;
}

void write_contact_sheet(const std::filesystem::path& path, const TitleFacts& facts,
                         const std::vector<ArtworkCandidate>& candidates, const ContactSheetOptions& options) {
    write_png(path, make_contact_sheet(facts, candidates, options));
}

}  // namespace frameline
