// Tesseract and Leptonica live here only (DESIGN.md: one room per foreign library).
#include "core/ocr/screen_text_reader.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <cctype>

#include "core/error.h"

namespace frameline {

struct ScreenTextReader::Engine {
    tesseract::TessBaseAPI api;
};

namespace {

// Luma of an RGB picture (BT.601 weights, integer), the one plane Tesseract needs.
std::vector<uint8_t> luma_of(const RgbImage& image) {
    const size_t n = static_cast<size_t>(image.width) * image.height;
    std::vector<uint8_t> out(n);
    const uint8_t* p = image.rgb.data();
    for (size_t i = 0; i < n; ++i, p += 3) out[i] = static_cast<uint8_t>((77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8);
    return out;
}

// Bilinear upscale of a plane by `factor` (> 1). Why not leave it to Tesseract: its layout analysis (connected
// components, line finding) runs at the given size and misses strokes a pixel or two wide.
std::vector<uint8_t> upscale(const std::vector<uint8_t>& src, int w, int h, double factor, int& out_w, int& out_h) {
    out_w = std::max(1, static_cast<int>(std::lround(w * factor)));
    out_h = std::max(1, static_cast<int>(std::lround(h * factor)));
    std::vector<uint8_t> out(static_cast<size_t>(out_w) * out_h);
    std::vector<int> x0(out_w), x1(out_w);
    std::vector<float> fx(out_w);
    for (int x = 0; x < out_w; ++x) {
        const double sx = std::clamp((x + 0.5) / factor - 0.5, 0.0, double(w - 1));
        x0[x] = static_cast<int>(sx);
        x1[x] = std::min(w - 1, x0[x] + 1);
        fx[x] = static_cast<float>(sx - x0[x]);
    }
    for (int y = 0; y < out_h; ++y) {
        const double sy = std::clamp((y + 0.5) / factor - 0.5, 0.0, double(h - 1));
        const int y0 = static_cast<int>(sy), y1 = std::min(h - 1, y0 + 1);
        const float fy = static_cast<float>(sy - y0);
        const uint8_t* r0 = &src[static_cast<size_t>(y0) * w];
        const uint8_t* r1 = &src[static_cast<size_t>(y1) * w];
        uint8_t* o = &out[static_cast<size_t>(y) * out_w];
        for (int x = 0; x < out_w; ++x) {
            const float top = r0[x0[x]] + (r0[x1[x]] - r0[x0[x]]) * fx[x];
            const float bottom = r1[x0[x]] + (r1[x1[x]] - r1[x0[x]]) * fx[x];
            o[x] = static_cast<uint8_t>(std::lround(top + (bottom - top) * fy));
        }
    }
    return out;
}

struct Word {
    std::string text;
    double confidence = 0;  // 0..1
    int left = 0, top = 0, right = 0, bottom = 0;
    std::vector<int> symbol_tops, symbol_bottoms;  // each character's box
};

// The value below which `share` of `values` lie (nearest rank).
int percentile(std::vector<int> values, double share) {
    const size_t k = std::min(values.size() - 1, static_cast<size_t>(share * double(values.size())));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

// Letters and digits (any script: every byte of a multi-byte UTF-8 character counts as one letter) among the
// non-space characters.
void count_letters(const std::string& text, int& letters, int& others) {
    letters = others = 0;
    for (unsigned char c : text) {
        if (c == ' ') continue;
        if (std::isalnum(c) || c >= 0x80) ++letters;
        else ++others;
    }
}

std::string trimmed(std::string s) {
    const size_t first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const size_t last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

}  // namespace

ScreenTextReader::ScreenTextReader(ScreenTextOptions options)
    : options_(std::move(options)), engine_(std::make_unique<Engine>()) {
    // Leptonica (Tesseract's image library) prints its internal complaints on stderr ("Error in
    // boxClipToRectangle: box outside rectangle" on some textures): they are not errors of ours, and stderr carries
    // the CLI's one-line errors. Process-wide, and only Tesseract uses Leptonica here.
    setMsgSeverity(L_SEVERITY_NONE);
    tesseract::TessBaseAPI& api = engine_->api;
    api.SetVariable("debug_file", "/dev/null");  // Tesseract's own messages ("Error opening data file"): ours is below
    // nullptr: TESSDATA_PREFIX, else the library's built-in folder (Debian: /usr/share/tesseract-ocr/5/tessdata).
    if (api.Init(nullptr, options_.language.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
        throw Error("Tesseract could not load its '" + options_.language + "' language model (" + options_.language +
                    ".traineddata) — install tesseract-ocr-" + options_.language.substr(0, 3) +
                    " (Debian), or set TESSDATA_PREFIX to the folder that holds it");
    api.SetPageSegMode(tesseract::PSM_SPARSE_TEXT);
    api.SetVariable("debug_file", "/dev/null");  // again after Init: no "Estimating resolution" chatter on stderr
}

ScreenTextReader::~ScreenTextReader() {
    if (engine_) engine_->api.End();
}

std::string ScreenTextReader::engine_version() { return tesseract::TessBaseAPI::Version(); }

namespace {

// Boxes that overlap by more than half of the smaller one show the same text.
bool same_place(const ScreenText& a, const ScreenText& b) {
    const double ix = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
    const double iy = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
    if (ix <= 0 || iy <= 0) return false;
    return ix * iy > 0.5 * std::min(a.width * a.height, b.width * b.height);
}

double weight_of(const ScreenText& line) {
    int letters = 0, others = 0;
    count_letters(line.text, letters, others);
    return letters * line.confidence;
}

}  // namespace

std::vector<ScreenText> ScreenTextReader::recognise(const std::vector<uint8_t>& plane, int w, int h) {
    const ScreenTextOptions& o = options_;
    std::vector<ScreenText> lines;
    tesseract::TessBaseAPI& api = engine_->api;
    api.SetImage(plane.data(), w, h, 1, w);
    api.SetSourceResolution(300);  // sizes in px mean nothing to a video frame; this keeps Tesseract's size rules sane
    if (api.Recognize(nullptr) != 0) {
        api.Clear();
        return lines;
    }
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    // Lines of words, each word with its characters' boxes (one walk over the characters).
    std::vector<std::vector<Word>> raw;
    if (it) {
        do {
            if (it->Empty(tesseract::RIL_SYMBOL)) continue;
            if (raw.empty() || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) raw.emplace_back();
            if (raw.back().empty() || it->IsAtBeginningOf(tesseract::RIL_WORD)) {
                std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
                Word word;
                word.text = trimmed(text ? text.get() : "");
                if (word.text == "|") word.text = "I";  // the LSTM's usual reading of a capital I in a sans-serif font
                word.confidence = it->Confidence(tesseract::RIL_WORD) / 100.0;
                it->BoundingBox(tesseract::RIL_WORD, &word.left, &word.top, &word.right, &word.bottom);
                raw.back().push_back(std::move(word));
            }
            int l = 0, t = 0, r = 0, b = 0;
            if (it->BoundingBox(tesseract::RIL_SYMBOL, &l, &t, &r, &b)) {
                raw.back().back().symbol_tops.push_back(t);
                raw.back().back().symbol_bottoms.push_back(b);
            }
        } while (it->Next(tesseract::RIL_SYMBOL));
    }
    it.reset();
    api.Clear();

    for (const std::vector<Word>& all : raw) {
        std::vector<const Word*> words;
        for (const Word& word : all)
            if (!word.text.empty() && word.confidence >= o.min_word_confidence) words.push_back(&word);
        if (words.empty()) continue;
        // The line's top and bottom: the 10th and 90th percentiles of its characters' tops and bottoms, not the
        // union of its word boxes (Tesseract's LSTM boxes are estimates: "JOHN" in a 30 px line came back with an
        // "O" 61 px high). The box may leave out a lone descender; it never takes in a padded estimate.
        std::vector<int> tops, bottoms;
        for (const Word* word : words) {
            tops.insert(tops.end(), word->symbol_tops.begin(), word->symbol_tops.end());
            bottoms.insert(bottoms.end(), word->symbol_bottoms.begin(), word->symbol_bottoms.end());
        }
        if (tops.empty()) continue;
        std::string text;
        double confidence = 0;
        int kept = 0, left = w, right = 0;
        for (const Word* word : words) {
            text += (text.empty() ? "" : " ") + word->text;
            confidence += word->confidence;
            ++kept;
            left = std::min(left, word->left);
            right = std::max(right, word->right);
        }
        const int top = percentile(tops, 0.1);
        const int bottom = std::max(top + 1, percentile(bottoms, 0.9));
        confidence /= kept;
        int letters = 0, others = 0;
        count_letters(text, letters, others);
        const double height = double(bottom - top) / h;
        const double needed = letters < o.short_line_letters ? o.min_short_line_confidence : o.min_line_confidence;
        if (confidence < needed || letters < o.min_letters ||
            letters < o.min_letter_share * (letters + others) || height < o.min_line_height ||
            height > o.max_line_height)
            continue;
        ScreenText line;
        line.x = double(left) / w;
        line.y = double(top) / h;
        line.width = double(right - left) / w;
        line.height = height;
        line.text = std::move(text);
        line.confidence = confidence;
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<ScreenText> ScreenTextReader::read(const RgbImage& image) {
    std::vector<ScreenText> lines;
    if (image.empty() || image.width < 8 || image.height < 8 ||
        image.rgb.size() < static_cast<size_t>(image.width) * image.height * 3)
        return lines;
    const ScreenTextOptions& o = options_;
    int w = image.width, h = image.height;
    std::vector<uint8_t> plane = luma_of(image);
    if (h < o.min_working_height) {
        const double factor = std::min(4.0, double(o.min_working_height) / h);
        int uw = 0, uh = 0;
        plane = upscale(plane, w, h, factor, uw, uh);
        w = uw;
        h = uh;
    }
    std::lock_guard lock(mutex_);
    lines = recognise(plane, w, h);
    // The second pass: bright pixels as ink. Otsu on luma splits white text with a dark outline (subtitles) over a
    // varied picture; thresholding the bright strokes alone reads it. Skipped when the first pass already read
    // clean text (a card or a roll: enough lines, all confident), which halves the cost of credits frames.
    int clean = 0;
    for (const ScreenText& line : lines) clean += line.confidence >= o.clean_line_confidence;
    const bool read_enough = clean >= o.clean_lines && clean == static_cast<int>(lines.size());
    if (o.bright_text_threshold > 0 && !read_enough) {
        const int t = o.bright_text_threshold;
        for (auto& p : plane) p = p >= t ? 0 : 255;
        // Where the passes disagree, the better reading of the place wins: one line against the fragments it
        // overlaps, by letters x confidence summed ("Meet me at the station" against "me", "at th", "tion").
        for (ScreenText& extra : recognise(plane, w, h)) {
            double rivals = 0;
            for (const ScreenText& line : lines)
                if (same_place(line, extra)) rivals += weight_of(line);
            if (weight_of(extra) <= rivals) continue;
            lines.erase(std::remove_if(lines.begin(), lines.end(),
                                       [&](const ScreenText& line) { return same_place(line, extra); }),
                        lines.end());
            lines.push_back(std::move(extra));
        }
    }
    std::sort(lines.begin(), lines.end(), [](const ScreenText& a, const ScreenText& b) {
        return a.y != b.y ? a.y < b.y : a.x < b.x;
    });
    return lines;
}

}  // namespace frameline
