#pragma once
// How frameline-cli reports: JSON documents on stdout, progress on stderr (a bar, only on a terminal).
#include <nlohmann/json.hpp>

#include "core/pipeline/progress.h"
#include "core/analysis/title_text_analysis.h"
#include "core/search/scene_search.h"
#include "core/store/annotation_records.h"
#include "core/store/records.h"

namespace frameline::cli {

nlohmann::ordered_json shot_json(const Shot& s);
// A boundary with its transition: kind, the new shot's first frame, and the span [start_frame, end_frame].
nlohmann::ordered_json boundary_json(const Boundary& b);
nlohmann::ordered_json marker_json(const Marker& m);
// A stored marker with its id, review state and version.
nlohmann::ordered_json marker_record_json(const MarkerRecord& r);
nlohmann::ordered_json title_json(const TitleRecord& t);
nlohmann::ordered_json frame_json(const FrameRecord& f);
// Model outputs and proposals, each with its evidence (parsed JSON), review state and version.
nlohmann::ordered_json tag_json(const Tag& t);
nlohmann::ordered_json chapter_json(const Chapter& c);
nlohmann::ordered_json character_json(const Character& c);
nlohmann::ordered_json artwork_json(const ArtworkCandidate& a);
nlohmann::ordered_json face_json(const Face& f);
nlohmann::ordered_json model_run_json(const ModelRun& r);
nlohmann::ordered_json detection_json(const Detection& d);
nlohmann::ordered_json frame_scores_json(const FrameScores& f);
nlohmann::ordered_json audio_segment_json(const AudioSegment& a);
// Issue #8: what is said (segments with their words), what is written on screen, texts about the title.
nlohmann::ordered_json transcript_segment_json(const TranscriptSegment& t);
nlohmann::ordered_json screen_text_json(const ScreenText& s);
nlohmann::ordered_json title_text_json(const TitleText& t);
// title_text_json plus what core/analysis/title_text_analysis.h finds in the text: "keywords", "keyword_tags" (links
// to the title's tag labels) and, for reviews, "sentiment" (method "lexicon sentiment": a word list, not a model).
nlohmann::ordered_json analysed_title_text_json(const TitleTextAnalysis& a);

// Scene search (issue #7, #9): one result, and the query as the results echo it.
nlohmann::ordered_json scene_hit_json(const SceneHit& h);
nlohmann::ordered_json scene_query_json(const SceneQuery& q);
// A title "like" another (search --like-title, GET /v1/titles/ID/similar), with the shot pairs behind its score.
nlohmann::ordered_json title_hit_json(const TitleHit& h);

// Prints `doc` (indented) and a newline on stdout.
void print_json(const nlohmann::ordered_json& doc);

// A progress callback that draws "LABEL stage 42% 1234/2930" on stderr when stderr is a terminal, else stays quiet
// so that stderr carries only the one-line error a script may need to read.
ProgressFn stderr_progress(std::string label);
void end_progress_line();

}  // namespace frameline::cli
