// `frameline-cli review`: people's decisions from scripts, the same review events as the GUI.
//   review marker ID accept|reject|correct|undo --version V [--start F --end F] [--event E] [--reviewer NAME]
//   review tag|chapter|character|artwork ID accept|reject|correct|undo --version V [--label L] [--start F --end F]
//          [--event E]
//   review add-tag TITLE --category C --label L [--shot N];  review add-chapter TITLE --start F --end F [--kind K]
//   review merge INTO FROM --version V --from-version W;  review split CHARACTER --version V --faces 3,4
//   review log TITLE
#include <iostream>
#include <sstream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

ReviewAction action_from(const std::string& a) {
    return a == "accept" ? ReviewAction::Accept : a == "reject" ? ReviewAction::Reject
                         : a == "correct"                       ? ReviewAction::Correct
                                                                : ReviewAction::Undo;
}

// Prints the outcome and sets the exit code: a conflict is a failure with the stored value in the message.
void report(const std::string& what, const ReviewResult& r, bool as_json, int& exit_code) {
    if (as_json)
        print_json({{"applied", r.applied},
                    {"event", r.event_id},
                    {"state", to_string(r.state)},
                    {"version", r.version},
                    {"current", nlohmann::ordered_json::parse(r.snapshot, nullptr, false)}});
    if (!r.applied) {
        std::cerr << "frameline-cli: conflict: " << what << " is at version " << r.version << " ("
                  << to_string(r.state) << "): someone else changed it — look again and retry" << std::endl;
        exit_code = kExitFailure;
        return;
    }
    if (!as_json)
        std::cout << what << ": " << to_string(r.state) << ", version " << r.version << " (event " << r.event_id
                  << ")\n";
    exit_code = kExitOk;
}

// Tags, chapters, characters and artwork candidates: accept, reject, correct, undo; adding; merging and splitting
// characters.
void add_proposal_review_commands(CLI::App& review, int& exit_code) {
    struct Args {
        std::string db, reviewer, action, label, title, category, kind = "chapter", faces;
        int64_t id = 0, version = 0, start = -1, end = -1, event = 0, from = 0, from_version = 0;
        int shot = -1;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    auto open = [args] { return open_store(args->db.empty() ? default_database_url() : args->db); };
    auto reviewer = [args] { return args->reviewer.empty() ? default_reviewer() : args->reviewer; };
    auto common = [args](CLI::App* cmd) {
        cmd->add_option("--reviewer", args->reviewer, "your name (default: $FRAMELINE_REVIEWER or the OS user)");
        cmd->add_option("--db", args->db, "database URL");
        cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    };

    for (const char* entity : {"tag", "chapter", "character", "artwork"}) {
        CLI::App* cmd = review.add_subcommand(entity, std::string("Review a ") + entity + " (see 'show TITLE --json')");
        cmd->add_option("ID", args->id, std::string(entity) + " id")->required();
        cmd->add_option("ACTION", args->action, "accept, reject, correct or undo")
            ->required()
            ->check(CLI::IsMember({"accept", "reject", "correct", "undo"}));
        cmd->add_option("--version", args->version, "the version you saw (a newer one is a conflict)")->required();
        cmd->add_option("--label", args->label, "correct: the new label (a character's name)");
        cmd->add_option("--start", args->start, "correct a chapter: first frame");
        cmd->add_option("--end", args->end, "correct a chapter: last frame (inclusive)");
        cmd->add_option("--event", args->event, "undo: the review event to take back");
        common(cmd);
        cmd->callback([args, open, reviewer, entity, &exit_code] {
            if (args->action == "correct" && args->label.empty() && (args->start < 0 || args->end < 0))
                throw CLI::ValidationError("correct", "needs --label, or --start and --end");
            if (args->action == "undo" && args->event <= 0) throw CLI::ValidationError("undo", "needs --event");
            Review r{entity, args->id, args->version, reviewer(), action_from(args->action), args->label,
                     args->start, args->end, args->event};
            report(std::string(entity) + " " + std::to_string(args->id), open()->review(r), args->json, exit_code);
        });
    }

    CLI::App* add_tag = review.add_subcommand("add-tag", "Add a tag of your own to a title or one of its shots");
    add_tag->add_option("TITLE", args->title, "title id or name")->required();
    add_tag->add_option("--category", args->category, "e.g. object, mood, genre")->required();
    add_tag->add_option("--label", args->label, "the tag")->required();
    add_tag->add_option("--shot", args->shot, "the shot's index (default: the whole title)");
    common(add_tag);
    add_tag->callback([args, open, reviewer, &exit_code] {
        auto store = open();
        auto title = store->find_title(args->title);
        if (!title) throw Error("no title '" + args->title + "' in " + store->url() + " — list them with 'frameline-cli titles'");
        Tag t;
        t.title_id = title->id;
        t.shot_index = args->shot;
        t.category = args->category;
        t.label = args->label;
        const int64_t id = store->add_tag(reviewer(), t);
        if (args->json) print_json({{"tag", id}});
        else std::cout << "tag " << id << " added\n";
        exit_code = kExitOk;
    });

    CLI::App* add_chapter = review.add_subcommand("add-chapter", "Add a chapter, scene or key scene of your own");
    add_chapter->add_option("TITLE", args->title, "title id or name")->required();
    add_chapter->add_option("--start", args->start, "first frame")->required();
    add_chapter->add_option("--end", args->end, "last frame (inclusive)")->required();
    add_chapter->add_option("--kind", args->kind, "chapter, scene or key_scene")
        ->check(CLI::IsMember({"chapter", "scene", "key_scene"}));
    add_chapter->add_option("--label", args->label, "its name");
    common(add_chapter);
    add_chapter->callback([args, open, reviewer, &exit_code] {
        auto store = open();
        auto title = store->find_title(args->title);
        if (!title) throw Error("no title '" + args->title + "' in " + store->url() + " — list them with 'frameline-cli titles'");
        Chapter c;
        c.title_id = title->id;
        c.kind = chapter_kind_from_string(args->kind);
        c.start_frame = args->start;
        c.end_frame = args->end;
        c.label = args->label;
        const int64_t id = store->add_chapter(reviewer(), c);
        if (args->json) print_json({{"chapter", id}});
        else std::cout << "chapter " << id << " added\n";
        exit_code = kExitOk;
    });

    CLI::App* merge = review.add_subcommand("merge", "Merge character FROM into character INTO");
    merge->add_option("INTO", args->id, "the character that stays")->required();
    merge->add_option("FROM", args->from, "the character whose faces move")->required();
    merge->add_option("--version", args->version, "the version of INTO you saw")->required();
    merge->add_option("--from-version", args->from_version, "the version of FROM you saw")->required();
    common(merge);
    merge->callback([args, open, reviewer, &exit_code] {
        report("character " + std::to_string(args->from),
               open()->merge_characters(reviewer(), args->id, args->version, args->from, args->from_version),
               args->json, exit_code);
    });

    CLI::App* split = review.add_subcommand("split", "Move some faces of a character into a new character");
    split->add_option("CHARACTER", args->id, "character id")->required();
    split->add_option("--version", args->version, "the version you saw")->required();
    split->add_option("--faces", args->faces, "face ids, comma-separated")->required();
    common(split);
    split->callback([args, open, reviewer, &exit_code] {
        std::vector<int64_t> faces;
        std::stringstream in(args->faces);
        for (std::string item; std::getline(in, item, ',');) {
            try {
                faces.push_back(std::stoll(item));
            } catch (const std::exception&) {
                throw CLI::ValidationError("--faces", "'" + item + "' is not a face id");
            }
        }
        report("character " + std::to_string(args->id),
               open()->split_character(reviewer(), args->id, args->version, faces), args->json, exit_code);
    });
}

}  // namespace

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

    add_proposal_review_commands(*review, exit_code);

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
