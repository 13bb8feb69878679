#include "core/search/media_text_sources.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <typeinfo>
#include <set>

#include "core/search/title_text_source.h"
#include "core/store/store.h"

namespace frameline {

TextSource transcript_source() {
    return [](Store& store, int64_t title_id) {
        const std::vector<TranscriptSegment> segments = store.transcript(title_id);
        std::set<std::string> subtitled;  // languages with subtitle text
        for (const TranscriptSegment& s : segments)
            if (s.source != "speech") subtitled.insert(s.language);
        std::vector<TextSpan> spans;
        for (const TranscriptSegment& s : segments) {
            const bool recognised = s.source == "speech";
            if (recognised && subtitled.count(s.language)) continue;
            if (s.text.empty()) continue;
            double confidence = 1;
            if (recognised && !s.words.empty()) {
                double sum = 0;
                for (const TranscriptWord& w : s.words) sum += w.confidence;
                confidence = sum / static_cast<double>(s.words.size());
            }
            spans.push_back(TextSpan{recognised ? "transcript" : "subtitle", s.text, s.start_s, s.end_s, confidence});
        }
        return spans;
    };
}

TextSource screen_text_source() {
    return [](Store& store, int64_t title_id) {
        std::vector<TextSpan> spans;
        const std::vector<ScreenText> lines = store.screen_text(title_id);
        if (lines.empty()) return spans;
        // The frame's own time (exact on variable-frame-rate files), a hair long so that it lies inside its shot.
        std::map<int64_t, double> pts;
        for (const FrameRecord& f : store.frames(title_id)) pts[f.frame_index] = f.pts_s;
        const auto title = store.title(title_id);
        const double fps = title && title->fps > 0 ? title->fps : 25.0;
        for (const ScreenText& t : lines) {
            if (t.text.empty()) continue;
            auto it = pts.find(t.frame_index);
            const double start = it != pts.end() ? it->second : static_cast<double>(t.frame_index) / fps;
            spans.push_back(TextSpan{"on-screen text", t.text, start, start + 0.5 / fps, t.confidence});
        }
        return spans;
    };
}

bool text_sources_indexed(const std::vector<TextSource>& sources) {
    // Each source function returns a lambda of its own type: compare the types, not the objects.
    static const std::type_info* const known[] = {&title_text_source().target_type(),
                                                  &transcript_source().target_type(),
                                                  &screen_text_source().target_type()};
    return std::all_of(sources.begin(), sources.end(), [](const TextSource& s) {
        return std::any_of(std::begin(known), std::end(known), [&](const std::type_info* t) { return *t == s.target_type(); });
    });
}

void add_standard_text_sources(SceneSearch& search) {
    search.add_text_source(title_text_source());
    search.add_text_source(transcript_source());
    search.add_text_source(screen_text_source());
}

}  // namespace frameline
