#pragma once
// Scene search over what is said and what is written on screen (issue #8): transcript segments (subtitles, sidecar
// files, recognised speech) and on-screen text lines (OCR) as TextSpans of the stretch of the title they belong to.
// Subtitles take precedence over speech recognition: where a title has subtitle text in a language, recognised
// speech in that language is left out (a person wrote the subtitles; the recogniser guesses).
#include "core/search/scene_search.h"

namespace frameline {

TextSource transcript_source();   // field "transcript" (recognised) or "subtitle"; confidence: words' mean
TextSource screen_text_source();  // field "on-screen text", over its frame

// Every text source scene search has (title texts, transcripts, on-screen text): the CLI and the GUI register the
// same ones.
void add_standard_text_sources(SceneSearch& search);

// True when every source is one of the above: the store's full-text index (Store::titles_matching_text) then holds
// every word those sources can give a shot, and scene search may ask it which titles can match at all.
bool text_sources_indexed(const std::vector<TextSource>& sources);

}  // namespace frameline
