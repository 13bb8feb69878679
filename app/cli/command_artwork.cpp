// `frameline-cli artwork TITLE`: the title's artwork candidates (issue #6, items 4-5). A title the analysis already
// ran on has stored candidates, which are used as they are (a reviewer may have accepted or rejected some); otherwise,
// or with --rescore, they are derived from the stored facts (frames, faces, scores), not saved. Optionally writes a
// PNG contact sheet and, from segment profiles, an A/B plan.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/analysis/artwork.h"
#include "core/analysis/contact_sheet.h"
#include "core/analysis/personalised_artwork.h"
#include "core/analysis/title_facts.h"
#include "core/error.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {
std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read '" + path + "': check the path");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}
}  // namespace

void add_artwork_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string title, db, contact_sheet, segments, plan;
        int count = 12;
        bool rescore = false;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand(
        "artwork", "Artwork candidates of a title with their score breakdown and crops; a contact sheet; an A/B plan");
    cmd->add_option("TITLE", args->title, "title id or name")->required();
    cmd->add_option("--db", args->db, "database URL");
    auto* count = cmd->add_option("--count", args->count, "how many candidates to derive (default 12)")
                      ->check(CLI::Range(1, 1000));
    cmd->add_flag("--rescore", args->rescore, "derive candidates again even when the analysis stored some");
    cmd->add_option("--contact-sheet", args->contact_sheet, "write a PNG contact sheet of the candidates here");
    auto* segments = cmd->add_option("--segments", args->segments, "segment profiles JSON (see personalised_artwork.h)");
    auto* plan = cmd->add_option("--plan", args->plan, "write the A/B plan JSON here (needs --segments)");
    segments->needs(plan);
    plan->needs(segments);
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, count, &exit_code] {
        // Profiles first: a mistake in them is the user's to fix before any work is done.
        SegmentProfiles profiles;
        if (!args->segments.empty()) profiles = parse_segment_profiles(read_text_file(args->segments));
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        auto title = store->find_title(args->title);
        if (!title)
            throw Error("no title '" + args->title + "' in " + store->url() + " — list them with 'frameline-cli titles'");
        const TitleFacts facts = load_title_facts(*store, title->id);
        ArtworkContext ctx;
        ctx.facts = &facts;
        ctx.tags = store->tags(title->id);
        ctx.characters = store->characters(title->id);
        std::string source = "stored";
        // A changed --count asks for a fresh derivation, as does --rescore.
        if (!args->rescore && count->count() == 0) {
            for (ArtworkCandidate& a : store->artwork_candidates(title->id))
                if (a.state != ReviewState::Rejected) ctx.artwork.push_back(std::move(a));
            // In the analysis's pick order (evidence.pick.rank), else by score.
            auto rank = [](const ArtworkCandidate& a) {
                const auto e = nlohmann::json::parse(a.evidence, nullptr, false);
                return e.is_object() && e.contains("pick") && e["pick"].is_object() && e["pick"].contains("rank")
                           ? e["pick"]["rank"].get<double>()
                           : 1e9 - a.score;
            };
            std::stable_sort(ctx.artwork.begin(), ctx.artwork.end(),
                             [&](const ArtworkCandidate& a, const ArtworkCandidate& b) { return rank(a) < rank(b); });
        }
        if (ctx.artwork.empty()) {
            source = "derived";
            ArtworkOptions options;
            options.count = args->count;
            ModelRunOutput out;
            out.characters = ctx.characters;  // main characters and who is in each frame, as the analysis sees them
            derive_artwork(facts, out, options);
            ctx.artwork = std::move(out.artwork);
        }
        if (ctx.artwork.empty())
            throw Error("title '" + title->name + "' has no sampled frames to choose artwork from (ingest it again)");
        if (!args->contact_sheet.empty()) write_contact_sheet(args->contact_sheet, facts, ctx.artwork);
        if (!args->plan.empty()) {
            const std::string plan_json = export_ab_plan(ctx, profiles);
            std::ofstream out(args->plan, std::ios::binary | std::ios::trunc);
            if (!out || !(out << plan_json << "\n")) throw Error("cannot write '" + args->plan + "'");
        }
        if (args->json) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const ArtworkCandidate& a : ctx.artwork) list.push_back(artwork_json(a));  // with its evidence
            nlohmann::ordered_json doc{{"title", title_json(*title)}, {"source", source}, {"candidates", list}};
            if (!args->contact_sheet.empty()) doc["contact_sheet"] = args->contact_sheet;
            if (!args->plan.empty()) doc["plan"] = args->plan;
            print_json(doc);
        } else {
            std::printf("%s: %zu artwork candidates (%s)\n", title->name.c_str(), ctx.artwork.size(), source.c_str());
            for (size_t i = 0; i < ctx.artwork.size(); ++i)
                std::printf("%3zu  frame %6lld  score %.3f  crops %s\n", i + 1,
                            static_cast<long long>(ctx.artwork[i].frame_index), ctx.artwork[i].score,
                            ctx.artwork[i].crops.c_str());
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
