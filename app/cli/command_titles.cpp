// `frameline-cli titles` and `frameline-cli show TITLE`: what the database holds.
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/store/store.h"

namespace frameline::cli {

void add_titles_commands(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db;
        std::string title;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    auto open = [args] { return open_store(args->db.empty() ? default_database_url() : args->db); };

    CLI::App* titles = app.add_subcommand("titles", "List the titles in the database");
    titles->add_option("--db", args->db, "database URL");
    titles->add_flag("--json", args->json, "print one JSON document on stdout");
    titles->callback([args, open, &exit_code] {
        auto store = open();
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const TitleRecord& t : store->titles()) {
            list.push_back(title_json(t));
            if (!args->json)
                std::printf("%5lld  %-10s %4d shots  %8.2f s  %s\n", static_cast<long long>(t.id), to_string(t.status),
                            t.shot_count, t.duration_s, t.name.c_str());
        }
        if (args->json) print_json({{"database", store->url()}, {"titles", list}});
        exit_code = kExitOk;
    });

    CLI::App* show = app.add_subcommand("show", "Show one title: shots, sampled frames, cues, tags, characters, chapters, artwork candidates");
    show->add_option("TITLE", args->title, "title id or name")->required();
    show->add_option("--db", args->db, "database URL");
    show->add_flag("--json", args->json, "print one JSON document on stdout");
    show->callback([args, open, &exit_code] {
        auto store = open();
        auto title = store->find_title(args->title);
        if (!title)
            throw Error("no title '" + args->title + "' in " + store->url() + " — list them with 'frameline-cli titles'");
        nlohmann::ordered_json shots = nlohmann::ordered_json::array(), frames = nlohmann::ordered_json::array();
        for (const Shot& s : store->shots(title->id)) shots.push_back(shot_json(s));
        for (const FrameRecord& f : store->frames(title->id)) frames.push_back(frame_json(f));
        nlohmann::ordered_json markers = nlohmann::ordered_json::array();
        for (const MarkerRecord& m : store->marker_records(title->id)) markers.push_back(marker_record_json(m));
        auto list = [](const auto& rows, auto to_json) {
            nlohmann::ordered_json out = nlohmann::ordered_json::array();
            for (const auto& r : rows) out.push_back(to_json(r));
            return out;
        };
        if (args->json) {
            print_json({{"title", title_json(*title)},
                        {"shots", shots},
                        {"frames", frames},
                        {"markers", markers},
                        {"tags", list(store->tags(title->id), tag_json)},
                        {"characters", list(store->characters(title->id), character_json)},
                        {"chapters", list(store->chapters(title->id), chapter_json)},
                        {"artwork_candidates", list(store->artwork_candidates(title->id), artwork_json)},
                        {"faces", list(store->faces(title->id), face_json)},
                        {"objects", list(store->detections(title->id), detection_json)},
                        {"frame_scores", list(store->frame_scores(title->id), frame_scores_json)},
                        {"audio_segments", list(store->audio_segments(title->id), audio_segment_json)},
                        {"transcript", list(store->transcript(title->id), transcript_segment_json)},
                        {"screen_text", list(store->screen_text(title->id), screen_text_json)},
                        {"title_texts", list(store->title_texts(title->id),
                                             [tags = store->tags(title->id)](const TitleText& t) {
                                                 return analysed_title_text_json(analyse_title_text(t, tags));
                                             })},
                        {"model_runs", list(store->model_runs(title->id), model_run_json)}});
        } else {
            std::cout << title->name << " (" << to_string(title->status) << "): " << title->media_path << "\n";
            for (const auto& s : shots) std::cout << "  " << s.dump() << "\n";
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
