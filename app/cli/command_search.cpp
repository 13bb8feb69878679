// `frameline-cli search`: scene search over one title or all of them, by text, mood or an example frame (issue #7).
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
                    "words that tags, character names, chapter labels or the title's texts (synopsis, reviews) start with");
    cmd->add_option("--like-frame", args->like, "TITLE:FRAME: shots that look like this sampled frame");
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
        q.embedding_model = args->model;
        q.limit = args->limit;
        if (!args->title.empty()) {
            auto title = store->find_title(args->title);
            if (!title)
                throw Error("no title '" + args->title + "' in " + store->url() +
                            " — list them with 'frameline-cli titles'");
            q.title_id = title->id;
        }
        if (!args->like.empty()) parse_like_frame(*store, args->like, &q.like_title_id, &q.like_frame);
        SceneSearch search(*store);
        add_standard_text_sources(search);  // synopsis, reviews, transcripts, on-screen text (issue #8)
        const std::vector<SceneHit> hits = search.search(q);
        if (args->json) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const SceneHit& h : hits)
                list.push_back({{"title_id", h.title_id},
                                {"title", h.title_name},
                                {"shot_index", h.shot_index},
                                {"frame_index", h.frame_index},
                                {"time_s", h.time_s},
                                {"score", h.score},
                                {"why", h.why}});
            nlohmann::ordered_json query{{"text", q.text}, {"mood", q.mood}};
            query["title_id"] = q.title_id;
            if (q.like_frame >= 0) query["like"] = {{"title_id", q.like_title_id}, {"frame_index", q.like_frame}};
            print_json({{"query", query}, {"results", list}});
        } else {
            for (const SceneHit& h : hits)
                std::printf("%-24s shot %4d  frame %7lld  %8.2fs  %.3f  %s\n", h.title_name.c_str(), h.shot_index,
                            static_cast<long long>(h.frame_index), h.time_s, h.score, h.why.c_str());
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
