// `frameline-cli review`: people's decisions from scripts, the same review events as the GUI.
//   review marker ID accept|reject|correct|undo --version V [--start F --end F] [--event E] [--reviewer NAME]
//   review log TITLE
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/store/store.h"

namespace frameline::cli {

void add_review_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db, reviewer, action, title;
        int64_t marker = 0, version = 0, start = -1, end = -1, event = 0;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    auto open = [args] { return open_store(args->db.empty() ? default_database_url() : args->db); };
    CLI::App* review = app.add_subcommand("review", "Accept, reject, correct or undo proposals; the review log");
    review->require_subcommand(1);

    CLI::App* marker = review->add_subcommand("marker", "Review a technical cue (see 'show TITLE --json')");
    marker->add_option("ID", args->marker, "marker id")->required();
    marker->add_option("ACTION", args->action, "accept, reject, correct or undo")
        ->required()
        ->check(CLI::IsMember({"accept", "reject", "correct", "undo"}));
    marker->add_option("--version", args->version, "the version you saw (a newer one is a conflict)")->required();
    marker->add_option("--start", args->start, "correct: first frame");
    marker->add_option("--end", args->end, "correct: last frame (inclusive)");
    marker->add_option("--event", args->event, "undo: the review event to take back");
    marker->add_option("--reviewer", args->reviewer, "your name (default: $FRAMELINE_REVIEWER or the OS user)");
    marker->add_option("--db", args->db, "database URL");
    marker->add_flag("--json", args->json, "print one JSON document on stdout");
    marker->callback([args, open, &exit_code] {
        if (args->action == "correct" && (args->start < 0 || args->end < 0))
            throw CLI::ValidationError("correct", "needs --start and --end");
        if (args->action == "undo" && args->event <= 0) throw CLI::ValidationError("undo", "needs --event");
        auto store = open();
        ReviewRequest request;
        request.marker_id = args->marker;
        request.expected_version = args->version;
        request.reviewer = args->reviewer.empty() ? default_reviewer() : args->reviewer;
        request.action = args->action == "accept"    ? ReviewAction::Accept
                         : args->action == "reject"  ? ReviewAction::Reject
                         : args->action == "correct" ? ReviewAction::Correct
                                                     : ReviewAction::Undo;
        request.start_frame = args->start;
        request.end_frame = args->end;
        request.undo_event = args->event;
        const ReviewOutcome outcome = store->review_marker(request);
        if (args->json)
            print_json({{"applied", outcome.applied},
                        {"event", outcome.event_id},
                        {"marker", marker_record_json(outcome.current)}});
        if (!outcome.applied) {
            std::cerr << "frameline-cli: conflict: marker " << args->marker << " is at version "
                      << outcome.current.version << " (" << to_string(outcome.current.state)
                      << "), not " << args->version << ": someone else reviewed it — look again and retry"
                      << std::endl;
            exit_code = kExitFailure;
            return;
        }
        if (!args->json)
            std::cout << "marker " << args->marker << ": " << to_string(outcome.current.state) << ", version "
                      << outcome.current.version << " (event " << outcome.event_id << ")\n";
        exit_code = kExitOk;
    });

    CLI::App* log = review->add_subcommand("log", "The review events of a title, oldest first");
    log->add_option("TITLE", args->title, "title id or name")->required();
    log->add_option("--db", args->db, "database URL");
    log->add_flag("--json", args->json, "print one JSON document on stdout");
    log->callback([args, open, &exit_code] {
        auto store = open();
        auto title = store->find_title(args->title);
        if (!title)
            throw Error("no title '" + args->title + "' in " + store->url() + " — list them with 'frameline-cli titles'");
        nlohmann::ordered_json events = nlohmann::ordered_json::array();
        for (const ReviewEvent& e : store->review_events(title->id)) {
            events.push_back({{"id", e.id},
                              {"at", e.at},
                              {"reviewer", e.reviewer},
                              {"entity", e.entity},
                              {"entity_id", e.entity_id},
                              {"action", e.action},
                              {"before", nlohmann::ordered_json::parse(e.before, nullptr, false)},
                              {"after", nlohmann::ordered_json::parse(e.after, nullptr, false)},
                              {"undoes", e.undoes}});
            if (!args->json)
                std::cout << e.id << "  " << e.at << "  " << e.reviewer << "  " << e.action << " " << e.entity << " "
                          << e.entity_id << "\n";
        }
        if (args->json) print_json({{"title", title->id}, {"events", events}});
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
