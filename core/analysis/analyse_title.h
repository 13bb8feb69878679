#pragma once
// The analysis step of an ingest: reads what the zoo stored about a title (title_facts.h), derives characters,
// scenes, chapters and key scenes, tags, and artwork candidates, and saves them all as one "analysis" model run
// (a re-run replaces the earlier run's unreviewed proposals and keeps every decision people made).
#include <cstdint>

namespace frameline {

class Store;

struct AnalysisSummary {
    int64_t run_id = 0;
    int tags = 0;
    int characters = 0;
    int chapters = 0;  // scenes, chapters and key scenes together
    int artwork = 0;
};

// Throws frameline::Error (nothing saved) for an unknown title or a failed analyser.
AnalysisSummary analyse_title(Store& store, int64_t title_id);

}  // namespace frameline
