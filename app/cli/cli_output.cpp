#include "app/cli/cli_output.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace frameline::cli {

using json = nlohmann::ordered_json;

namespace {
// Times in JSON to the millisecond: what a frame at 1000 fps needs, and stable to compare.
double ms_round(double s) { return std::round(s * 1000.0) / 1000.0; }
bool g_progress_drawn = false;
}  // namespace

json shot_json(const Shot& s) {
    json j{{"index", s.index},           {"start_frame", s.start_frame}, {"end_frame", s.end_frame},
           {"start_s", ms_round(s.start_s)}, {"end_s", ms_round(s.end_s)},
           {"transition", to_string(s.transition)}};
    if (s.transition == Transition::Dissolve || s.transition == Transition::Fade)
        j["transition_frames"] = json::array({s.transition_start, s.transition_end});
    return j;
}

json marker_json(const Marker& m) {
    return json{{"kind", to_string(m.kind)},           {"start_frame", m.start_frame},
                {"end_frame", m.end_frame},            {"start_s", ms_round(m.start_s)},
                {"end_s", ms_round(m.end_s)},          {"confidence", std::round(m.confidence * 100) / 100}};
}

namespace {
// Stored JSON text as JSON (a damaged value shows as its text rather than failing the whole report).
json parsed(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    return j.is_discarded() ? json(text) : j;
}

void add_proposal(json& j, const Proposal& p) {
    j["confidence"] = std::round(p.confidence * 1000) / 1000;
    j["source"] = p.source;
    j["state"] = to_string(p.state);
    j["version"] = p.version;
    j["run"] = p.run_id;
    j["evidence"] = parsed(p.evidence);
}
}  // namespace

json tag_json(const Tag& t) {
    json j{{"id", t.id}, {"scope", t.shot_index < 0 ? "title" : "shot"}};
    if (t.shot_index >= 0) j["shot"] = t.shot_index;
    j["category"] = t.category;
    j["label"] = t.label;
    add_proposal(j, t);
    return j;
}

json chapter_json(const Chapter& c) {
    json j{{"id", c.id},           {"kind", to_string(c.kind)},      {"start_frame", c.start_frame},
           {"end_frame", c.end_frame}, {"start_s", ms_round(c.start_s)}, {"end_s", ms_round(c.end_s)},
           {"label", c.label}};
    add_proposal(j, c);
    return j;
}

json character_json(const Character& c) {
    json j{{"id", c.id},
           {"name", c.name},
           {"screen_time_s", ms_round(c.screen_time_s)},
           {"best_face", c.best_face_id},
           {"faces", c.face_ids}};
    add_proposal(j, c);
    return j;
}

json artwork_json(const ArtworkCandidate& a) {
    json j{{"id", a.id},
           {"frame", a.frame_index},
           {"score", std::round(a.score * 1000) / 1000},
           {"breakdown", parsed(a.breakdown)},
           {"crops", parsed(a.crops)}};
    add_proposal(j, a);
    return j;
}

json face_json(const Face& f) {
    auto r3 = [](double v) { return std::round(v * 1000) / 1000; };
    return json{{"id", f.id},
                {"frame", f.frame_index},
                {"box", json::array({r3(f.x), r3(f.y), r3(f.width), r3(f.height)})},
                {"score", r3(f.score)},
                {"landmarks", parsed(f.landmarks)},
                {"expression", f.expression},
                {"expression_score", r3(f.expression_score)},
                {"age", std::round(f.age * 10) / 10},
                {"gender", f.gender},
                {"gender_score", r3(f.gender_score)},
                {"identity_dims", f.identity.size()},
                {"character", f.character_id},
                {"run", f.run_id}};
}

json detection_json(const Detection& d) {
    auto r3 = [](double v) { return std::round(v * 1000) / 1000; };
    return json{{"frame", d.frame_index},
                {"label", d.label},
                {"score", r3(d.score)},
                {"box", json::array({r3(d.x), r3(d.y), r3(d.width), r3(d.height)})},
                {"run", d.run_id}};
}

json frame_scores_json(const FrameScores& f) {
    return json{{"frame", f.frame_index}, {"model", f.model}, {"scores", parsed(f.scores)}, {"run", f.run_id}};
}

json audio_segment_json(const AudioSegment& a) {
    json j{{"kind", a.kind},
           {"start_s", ms_round(a.start_s)},
           {"end_s", ms_round(a.end_s)},
           {"confidence", std::round(a.confidence * 1000) / 1000},
           {"run", a.run_id}};
    if (a.kind == "music") j["bpm"] = a.bpm > 0 ? json(std::round(a.bpm * 10) / 10) : json(nullptr);  // null: no tempo
    return j;
}

json transcript_segment_json(const TranscriptSegment& t) {
    json words = json::array();
    for (const TranscriptWord& w : t.words)
        words.push_back({{"word", w.word},
                         {"start_s", ms_round(w.start_s)},
                         {"end_s", ms_round(w.end_s)},
                         {"confidence", std::round(w.confidence * 1000) / 1000}});
    return json{{"id", t.id},
                {"source", t.source},
                {"language", t.language},
                {"start_s", ms_round(t.start_s)},
                {"end_s", ms_round(t.end_s)},
                {"text", t.text},
                {"words", words},
                {"run", t.run_id}};
}

json screen_text_json(const ScreenText& s) {
    auto r3 = [](double v) { return std::round(v * 1000) / 1000; };
    return json{{"id", s.id},
                {"frame", s.frame_index},
                {"box", json::array({r3(s.x), r3(s.y), r3(s.width), r3(s.height)})},
                {"text", s.text},
                {"confidence", r3(s.confidence)},
                {"run", s.run_id}};
}

json title_text_json(const TitleText& t) {
    return json{{"id", t.id},             {"kind", t.kind}, {"source", t.source},
                {"language", t.language}, {"text", t.text}, {"created_at", t.created_at}};
}

json analysed_title_text_json(const TitleTextAnalysis& a) {
    auto r3 = [](double v) { return std::round(v * 1000) / 1000; };
    json j = title_text_json(a.text);
    json keywords = json::array(), links = json::array();
    for (const TextKeyword& k : a.keywords)
        keywords.push_back({{"keyword", k.phrase}, {"lemma", k.lemma}, {"score", r3(k.score)}, {"count", k.count}});
    for (const KeywordTagLink& l : a.tag_links)
        links.push_back({{"keyword", l.keyword}, {"category", l.category}, {"label", l.label}, {"match", l.match}, {"tags", l.tags}});
    j["keywords"] = keywords;
    j["keyword_tags"] = links;
    if (a.has_sentiment) {
        json hits = json::array();
        for (const SentimentHit& h : a.sentiment.hits)
            hits.push_back({{"term", h.term}, {"valence", h.valence}, {"applied", r3(h.applied)}, {"negated", h.negated}});
        j["sentiment"] = {{"method", a.sentiment.method},     {"label", a.sentiment.label},
                          {"score", r3(a.sentiment.score)},   {"positive", a.sentiment.positive},
                          {"negative", a.sentiment.negative}, {"hits", hits}};
    }
    return j;
}

json model_run_json(const ModelRun& r) {
    return json{{"id", r.id},           {"model", r.model},         {"version", r.model_version},
                {"status", r.status},   {"created_at", r.created_at}, {"host", r.host},
                {"detail", parsed(r.detail)}};
}

json boundary_json(const Boundary& b) {
    return json{{"kind", to_string(b.kind)},
                {"frame", b.frame},
                {"time_s", ms_round(b.pts_s)},
                {"start_frame", b.span_start},
                {"end_frame", b.span_end}};
}

json marker_record_json(const MarkerRecord& r) {
    json j{{"id", r.id}};
    const json fields = marker_json(r.marker);  // named: items() of a temporary would dangle
    for (const auto& [key, value] : fields.items()) j[key] = value;
    j["state"] = to_string(r.state);
    j["version"] = r.version;
    return j;
}

json title_json(const TitleRecord& t) {
    return json{{"id", t.id},
                {"name", t.name},
                {"status", to_string(t.status)},
                {"status_message", t.status_message},
                {"created_at", t.created_at},
                {"path", t.media_path},
                {"content_hash", t.content_hash},
                {"size_bytes", t.size_bytes},
                {"duration_s", ms_round(t.duration_s)},
                {"frames", t.frame_count},
                {"fps", std::round(t.fps * 1000.0) / 1000.0},
                {"width", t.width},
                {"height", t.height},
                {"rotation_deg", t.rotation_deg},
                {"shots", t.shot_count}};
}

json frame_json(const FrameRecord& f) {
    return json{{"id", f.id},
                {"frame", f.frame_index},
                {"pts_s", ms_round(f.pts_s)},
                {"shot_index", f.shot_index},
                {"kind", to_string(f.kind)},
                {"flags", quality_flags_to_string(f.flags)},
                {"width", f.width},
                {"height", f.height},
                {"picture", {f.active.x, f.active.y, f.active.width, f.active.height}},
                {"motion", std::round(f.motion * 100) / 100},
                {"quality",
                 {{"brightness", std::round(f.metrics.brightness * 10) / 10},
                  {"contrast", std::round(f.metrics.contrast * 10) / 10},
                  {"sharpness", std::round(f.metrics.sharpness * 10) / 10},
                  {"colourfulness", std::round(f.metrics.colourfulness * 10) / 10}}}};
}

nlohmann::ordered_json scene_hit_json(const SceneHit& h) {
    return {{"title_id", h.title_id},       {"title", h.title_name}, {"shot_index", h.shot_index},
            {"frame_index", h.frame_index}, {"frame_id", h.frame_id}, {"time_s", h.time_s},
            {"score", h.score},             {"why", h.why}};
}

nlohmann::ordered_json scene_query_json(const SceneQuery& q) {
    nlohmann::ordered_json query{{"text", q.text}, {"mood", q.mood}};
    query["title_id"] = q.title_id;
    if (!q.tags.empty()) query["tags"] = q.tags;
    if (!q.characters.empty()) query["characters"] = q.characters;
    if (q.like_frame >= 0) query["like"] = {{"title_id", q.like_title_id}, {"frame_index", q.like_frame}};
    return query;
}

void print_json(const json& doc) { std::cout << doc.dump(2) << std::endl; }

ProgressFn stderr_progress(std::string label) {
    if (!isatty(STDERR_FILENO)) return {};
    auto mutex = std::make_shared<std::mutex>();
    return [label = std::move(label), mutex](const Progress& p) {
        std::lock_guard lock(*mutex);
        const int percent = static_cast<int>(std::lround(p.fraction() * 100));
        std::fprintf(stderr, "\r\033[K%s  %-8s %3d%%  %lld/%lld", label.c_str(), p.stage.c_str(), percent,
                     static_cast<long long>(p.done), static_cast<long long>(p.total));
        std::fflush(stderr);
        g_progress_drawn = true;
    };
}

void end_progress_line() {
    if (g_progress_drawn) std::fprintf(stderr, "\r\033[K");
    g_progress_drawn = false;
}

nlohmann::ordered_json title_hit_json(const TitleHit& h) {
    nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
    for (const ShotPair& p : h.pairs)
        pairs.push_back({{"shot_index", p.shot},
                         {"other_shot_index", p.other_shot},
                         {"other_start_s", p.other_start_s},
                         {"cosine", std::round(p.cosine * 1000) / 1000}});
    return {{"title_id", h.title_id}, {"title", h.title_name}, {"score", h.score}, {"why", h.why}, {"shot_pairs", pairs}};
}

}  // namespace frameline::cli
