// `frameline-cli search`: scene search over one title or all of them, by text, mood or an example frame (issue #7).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/search/scene_search.h"
#include "core/search/media_text_sources.h"
#include "core/store/store.h"

namespace frameline::cli {

void add_search_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db, title, text, like, mood, model;
        int limit = 50;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("search", "Scene search: shots by text (tags, characters, chapters), mood, "
                                                 "or frames like an example frame");
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--title", args->title, "search this title only (id or name; default: every title)");
    cmd->add_option("--text", args->text,
                    "words that tags, character names, chapter labels, the title's texts, what is said or written "
                    "on screen start with, mixed with tag:T, character:NAME, mood:M, like:FRAME_ID");
    cmd->add_option("--like-frame", args->like,
                    "FRAME_ID or TITLE:FRAME: shots that look like this sampled frame");
    cmd->add_option("--mood", args->mood, "a mood tag, e.g. tense");
    cmd->add_option("--model", args->model, "embedding model for --like-frame (default: the visual embedder's)");
    cmd->add_option("--limit", args->limit, "at most this many results (default 50)")->check(CLI::Range(1, 100000));
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        if (args->text.empty() && args->mood.empty() && args->like.empty())
            throw CLI::ValidationError("search", "give --text, --mood or --like-frame");
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        SceneQuery q;
        q.text = args->text;
        q.mood = args->mood;
        expand_query_text(*store, q);  // the one query syntax: words, tag:, character:, mood:, like:FRAME_ID
        q.embedding_model = args->model;
        q.limit = args->limit;
        if (!args->title.empty()) {
            auto title = store->find_title(args->title);
            if (!title)
                throw Error("no title '" + args->title + "' in " + store->url() +
                            " — list them with 'frameline-cli titles'");
            q.title_id = title->id;
        }
        if (!args->like.empty()) {
            if (q.like_frame >= 0) throw Error("give the example frame once: --like-frame or like: in --text");
            const bool id = !args->like.empty() && std::all_of(args->like.begin(), args->like.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
            });
            if (id) {
                const SceneQuery by_id = scene_query_from_text(*store, "like:" + args->like);
                q.like_title_id = by_id.like_title_id;
                q.like_frame = by_id.like_frame;
            } else {
                parse_like_frame(*store, args->like, &q.like_title_id, &q.like_frame);  // TITLE:FRAME, else says so
            }
        }
        SceneSearch search(*store);
        add_standard_text_sources(search);  // synopsis, reviews, transcripts, on-screen text (issue #8)
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<SceneHit> hits = search.search(q);
        const double took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (args->json) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const SceneHit& h : hits) list.push_back(scene_hit_json(h));
            print_json({{"query", scene_query_json(q)}, {"results", list}, {"took_ms", std::round(took_ms * 10) / 10}});
        } else {
            for (const SceneHit& h : hits)
                std::printf("%-24s shot %4d  frame %7lld  %8.2fs  %.3f  %s\n", h.title_name.c_str(), h.shot_index,
                            static_cast<long long>(h.frame_index), h.time_s, h.score, h.why.c_str());
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
