// `frameline-cli match-cuts TITLE... [--db URL] [--limit N] [--across-titles] [--json]`: shot pairs from different
// scenes with matching framing (core/search/match_cuts.h, issue #9 item 2).
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/search/match_cuts.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

nlohmann::ordered_json side_json(const MatchCutShot& s) {
    return {{"title_id", s.title_id},       {"title", s.title_name},     {"shot_index", s.shot_index},
            {"scene", s.scene},             {"frame_index", s.frame_index}, {"frame_id", s.frame_id},
            {"time_s", s.time_s},           {"shot_start_s", s.shot_start_s}, {"shot_end_s", s.shot_end_s}};
}

}  // namespace

void add_match_cuts_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db, model;
        std::vector<std::string> titles;
        int limit = 50;
        bool across = false, json = false;
        double min_cosine = kMatchCutMinCosine, duplicate_cosine = kMatchCutDuplicateCosine;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("match-cuts", "Match cuts: pairs of shots from different scenes whose framing "
                                                     "matches (frame embeddings), near-duplicates left out");
    cmd->add_option("TITLE", args->titles, "title ids or names")->required();
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--limit", args->limit, "at most this many pairs (default 50)")->check(CLI::Range(1, 100000));
    cmd->add_flag("--across-titles", args->across, "pair shots of different titles too");
    cmd->add_option("--min-cosine", args->min_cosine, "a matching framing from this cosine (default 0.72)")
        ->check(CLI::Range(-1.0, 1.0));
    cmd->add_option("--duplicate-cosine", args->duplicate_cosine,
                    "from this cosine a pair is a near-duplicate, left out (default 0.985)")
        ->check(CLI::Range(-1.0, 1.0));
    cmd->add_option("--model", args->model, "embedding model whose frame vectors are compared (default: the visual one)");
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        std::vector<int64_t> ids;
        for (const std::string& t : args->titles) {
            auto title = store->find_title(t);
            if (!title)
                throw Error("no title '" + t + "' in " + store->url() + " — list them with 'frameline-cli titles'");
            ids.push_back(title->id);
        }
        MatchCutOptions o;
        o.limit = args->limit;
        o.across_titles = args->across;
        o.min_cosine = args->min_cosine;
        o.duplicate_cosine = args->duplicate_cosine;
        o.embedding_model = args->model;
        const auto t0 = std::chrono::steady_clock::now();
        const MatchCutResult r = find_match_cuts(*store, ids, o);
        const double took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (args->json) {
            nlohmann::ordered_json cuts = nlohmann::ordered_json::array();
            for (const MatchCut& c : r.cuts)
                cuts.push_back({{"cosine", c.cosine}, {"from", side_json(c.from)}, {"to", side_json(c.to)}});
            print_json({{"titles", ids},
                        {"model", r.model},
                        {"thresholds",
                         {{"min_cosine", o.min_cosine}, {"duplicate_cosine", o.duplicate_cosine},
                          {"min_shot_gap", o.min_shot_gap}, {"across_titles", o.across_titles}}},
                        {"shots", r.shots},
                        {"frames", r.frames},
                        {"candidates", r.used_index ? "vector index" : "every pair"},
                        {"near_duplicates", r.near_duplicates},
                        {"titles_without_scenes", r.titles_without_scenes},
                        {"match_cuts", cuts},
                        {"took_ms", std::round(took_ms * 10) / 10}});
        } else {
            for (const MatchCut& c : r.cuts)
                std::printf("%.3f  %s shot %d (scene %d) frame %lld %.2fs  ->  %s shot %d (scene %d) frame %lld %.2fs\n",
                            c.cosine, c.from.title_name.c_str(), c.from.shot_index, c.from.scene,
                            static_cast<long long>(c.from.frame_index), c.from.time_s, c.to.title_name.c_str(),
                            c.to.shot_index, c.to.scene, static_cast<long long>(c.to.frame_index), c.to.time_s);
            if (r.near_duplicates > 0)
                std::printf("(%d near-duplicate shot pairs left out: cosine >= %.3f)\n", r.near_duplicates,
                             o.duplicate_cosine);
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
