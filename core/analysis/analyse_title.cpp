#include "core/analysis/analyse_title.h"

#include "core/analysis/artwork.h"
#include "core/analysis/characters.h"
#include "core/analysis/scenes.h"
#include "core/analysis/tags.h"
#include "core/analysis/title_facts.h"
#include "core/store/store.h"

namespace frameline {

AnalysisSummary analyse_title(Store& store, int64_t title_id) {
    const TitleFacts facts = load_title_facts(store, title_id);
    ModelRunOutput out;
    out.model = "analysis";
    out.model_version = "1";
    // Characters first: artwork prefers the main characters' faces found in this same run.
    derive_characters(facts, out);
    derive_chapters(facts, out);
    derive_tags(facts, out);
    derive_artwork(facts, out);
    AnalysisSummary summary;
    summary.tags = static_cast<int>(out.tags.size());
    summary.characters = static_cast<int>(out.characters.size());
    summary.chapters = static_cast<int>(out.chapters.size());
    summary.artwork = static_cast<int>(out.artwork.size());
    summary.run_id = store.save_model_run(title_id, out);
    return summary;
}

}  // namespace frameline
