// `frameline-cli search`: scene search over one title or all of them, by text, mood or "more like this" (an example
// frame, shot or image file: shots; an example title: titles) (issues #7 and #9).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/media/video_decoder.h"
#include "core/models/compute_device.h"
#include "core/models/visual_embedder.h"
#include "core/search/like_index.h"
#include "core/search/media_text_sources.h"
#include "core/search/mood_profile.h"
#include "core/search/scene_search.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

// The image file's embedding by the visual embedder the titles' frames were embedded with (`model`), on a picture
// decoded as the ingest decodes its frames (FFmpeg, 640 px wide, rotation applied). Errors name the file.
std::vector<float> embed_image(const std::string& file, const std::string& model, const std::string& device_name) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error("image '" + file + "' not found — give the path of an image file (JPEG, PNG, WebP, ...)");
    RgbImage picture;
    try {
        VideoDecoder decoder(file);
        SmallFrame small;
        if (decoder.next(small)) picture = decoder.current_rgb(640);  // FrameZoo's picture width
    } catch (const Error&) {
    }
    if (picture.empty())
        throw Error("'" + file + "' is not an image FFmpeg can decode — give a JPEG, PNG or WebP file");
    std::unique_ptr<VisualEmbedder> embedder;
    try {
        embedder = std::make_unique<VisualEmbedder>(choose_compute_device(device_name, 0));
    } catch (const std::exception& e) {
        throw Error("cannot embed '" + file + "': the visual embedder is not available (" + e.what() + ")");
    }
    if (embedder->model_name() != model)
        throw Error("cannot embed '" + file + "': the titles' frames were embedded with '" + model +
                    "', this build's visual embedder is '" + embedder->model_name() +
                    "' — re-run 'frameline-cli analyse' on the titles, or search with --like-frame");
    return embedder->embed(picture);
}

}  // namespace

void add_search_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db, title, text, like, like_shot, like_title, like_image, mood, model, device = "auto";
        int limit = 50;
        bool json = false, titles = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("search", "Scene search: shots by text (tags, characters, chapters), mood, "
                                                 "or like an example frame, shot or image; titles like a title");
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--title", args->title, "search this title only (id or name; default: every title)");
    cmd->add_option("--text", args->text,
                    "words that tags, character names, chapter labels, the title's texts, what is said or written "
                    "on screen start with, mixed with tag:T, character:NAME, mood:M, like:FRAME_ID");
    auto* frame = cmd->add_option("--like-frame", args->like,
                                  "FRAME_ID or TITLE:FRAME: shots that look like this sampled frame");
    auto* shot = cmd->add_option("--like-shot", args->like_shot,
                                 "TITLE:SHOT: shots like this shot (picture and sound of the shot embeddings)");
    auto* image = cmd->add_option("--like-image", args->like_image,
                                  "an image file: shots whose frames look like it (embedded by the ingest's model)");
    auto* title = cmd->add_option("--like-title", args->like_title,
                                  "a title id or name: the nearest titles, with the shot pairs that make them so");
    frame->excludes(shot)->excludes(image)->excludes(title);
    shot->excludes(image)->excludes(title);
    image->excludes(title);
    cmd->add_option("--mood", args->mood, "a mood, e.g. tense, or a mix: tense:0.7,dark:0.3");
    cmd->add_flag("--titles", args->titles, "with --mood: the titles nearest to the mood, not shots");
    cmd->add_option("--model", args->model,
                    "the frame embedding model to compare (default: the visual embedder's the titles were ingested "
                    "with; shots and titles use its \"media:\" vectors)");
    cmd->add_option("--device", args->device, "where --like-image's embedder runs")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--limit", args->limit, "at most this many results (default 50)")->check(CLI::Range(1, 100000));
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        const bool like_any = !args->like.empty() || !args->like_shot.empty() || !args->like_image.empty();
        if (args->text.empty() && args->mood.empty() && !like_any && args->like_title.empty())
            throw CLI::ValidationError("search",
                                       "give --text, --mood, --like-frame, --like-shot, --like-image or --like-title");
        if (!args->like_title.empty() && (!args->text.empty() || !args->mood.empty()))
            throw CLI::ValidationError("search", "--like-title finds titles: give it without --text and --mood");
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        auto t0 = std::chrono::steady_clock::now();
        auto took_ms = [&] {
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            return std::round(ms * 10) / 10;
        };
        auto indexes = std::make_shared<LikeIndexes>();

        if (args->titles) {
            if (args->mood.empty() || !args->text.empty() || like_any || !args->like_title.empty() ||
                !args->title.empty())
                throw CLI::ValidationError("search", "--titles ranks titles by --mood: give it with --mood only");
            const MoodQuery mood = parse_mood_query(*store, args->mood);
            const std::vector<MoodHit> hits = nearest_mood_titles(*store, mood, {0, args->limit});
            if (args->json) {
                nlohmann::ordered_json list = nlohmann::ordered_json::array();
                for (const MoodHit& h : hits)
                    list.push_back({{"title_id", h.title_id},
                                    {"title", h.title_name},
                                    {"score", std::round(h.score * 1000) / 1000},
                                    {"profile", h.profile},
                                    {"why", h.why}});
                print_json({{"query", {{"mood", mood.text()}, {"titles", true}}}, {"results", list}, {"took_ms", took_ms()}});
            } else {
                for (const MoodHit& h : hits)
                    std::printf("%6lld  %-24s %.3f  %s\n", static_cast<long long>(h.title_id), h.title_name.c_str(),
                                h.score, h.why.c_str());
            }
            exit_code = kExitOk;
            return;
        }

        if (!args->like_title.empty()) {
            const auto example = store->find_title(args->like_title);
            if (!example)
                throw Error("no title '" + args->like_title + "' in " + store->url() +
                            " — list them with 'frameline-cli titles'");
            const std::vector<TitleHit> hits = similar_titles(*store, *indexes, example->id, args->limit, args->model);
            if (args->json) {
                nlohmann::ordered_json list = nlohmann::ordered_json::array();
                for (const TitleHit& h : hits) list.push_back(title_hit_json(h));
                nlohmann::ordered_json query{{"like_title", {{"title_id", example->id}, {"title", example->name}}}};
                print_json({{"query", query}, {"results", list}, {"took_ms", took_ms()}});
            } else {
                for (const TitleHit& h : hits)
                    std::printf("%6lld  %-24s %.3f  %s\n", static_cast<long long>(h.title_id), h.title_name.c_str(),
                                h.score, h.why.c_str());
            }
            exit_code = kExitOk;
            return;
        }

        SceneQuery q;
        q.text = args->text;
        q.mood = args->mood;
        expand_query_text(*store, q);  // the one query syntax: words, tag:, character:, mood:, like:FRAME_ID
        q.embedding_model = args->model;
        q.limit = args->limit;
        if (!args->title.empty()) {
            auto t = store->find_title(args->title);
            if (!t)
                throw Error("no title '" + args->title + "' in " + store->url() +
                            " — list them with 'frameline-cli titles'");
            q.title_id = t->id;
        }
        if (like_any && q.like_frame >= 0)
            throw Error("give the example once: --like-frame, --like-shot, --like-image or like: in --text");
        if (!args->like.empty()) {
            const bool id = std::all_of(args->like.begin(), args->like.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
            if (id) {
                const SceneQuery by_id = scene_query_from_text(*store, "like:" + args->like);
                q.like_title_id = by_id.like_title_id;
                q.like_frame = by_id.like_frame;
            } else {
                parse_like_frame(*store, args->like, &q.like_title_id, &q.like_frame);  // TITLE:FRAME, else says so
            }
        }
        if (!args->like_shot.empty()) parse_like_shot(*store, args->like_shot, &q.like_title_id, &q.like_shot);
        double embed_ms = -1;  // --like-image: loading the embedder and embedding the picture, apart from took_ms
        if (!args->like_image.empty()) {
            const auto e0 = std::chrono::steady_clock::now();
            if (q.embedding_model.empty()) q.embedding_model = visual_frame_model(*store, q.title_id);
            q.like_vector = embed_image(args->like_image, q.embedding_model, args->device);
            q.like_what = "image " + std::filesystem::path(args->like_image).filename().string();
            embed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - e0).count();
        }
        if (embed_ms >= 0) t0 = std::chrono::steady_clock::now();
        SceneSearch search(*store, indexes);
        add_standard_text_sources(search);  // synopsis, reviews, transcripts, on-screen text (issue #8)
        const std::vector<SceneHit> hits = search.search(q);
        if (args->json) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const SceneHit& h : hits) list.push_back(scene_hit_json(h));
            nlohmann::ordered_json query = scene_query_json(q);
            if (q.like_shot >= 0) query["like"] = {{"title_id", q.like_title_id}, {"shot_index", q.like_shot}};
            if (!q.like_vector.empty())
                query["like"] = {{"image", args->like_image}, {"model", q.embedding_model}};
            nlohmann::ordered_json doc{{"query", query}, {"results", list}, {"took_ms", took_ms()}};
            if (embed_ms >= 0) doc["embed_ms"] = std::round(embed_ms * 10) / 10;
            print_json(doc);
        } else {
            for (const SceneHit& h : hits)
                std::printf("%-24s shot %4d  frame %7lld  %8.2fs  %.3f  %s\n", h.title_name.c_str(), h.shot_index,
                            static_cast<long long>(h.frame_index), h.time_s, h.score, h.why.c_str());
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
