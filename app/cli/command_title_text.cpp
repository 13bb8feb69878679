// `frameline-cli title-text TITLE`: a title's synopsis, description and review texts (issue #8 item 5).
//   --synopsis TEXT / --description TEXT  set it: replaces the earlier one a person entered in that language (the
//                                         file's metadata text, source "metadata", stays)
//   --review-file F (repeatable)          attaches the file's text as a review (source: the file's name)
//   --review TEXT                         attaches a review given on the command line (source "human")
//   --delete ID (repeatable)              removes a title text
// Without an action it lists them. --json prints {"title":{...},"title_texts":[...]}.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/media/languages.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

// True when `s` is well-formed UTF-8 (what both databases store; PostgreSQL refuses anything else).
bool valid_utf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t extra = 0;
        unsigned char low = 0x80, high = 0xBF;  // the second byte's range (no overlong forms, no surrogates)
        if (c < 0x80) extra = 0;
        else if (c >= 0xC2 && c <= 0xDF) extra = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) low = 0xA0;
            if (c == 0xED) high = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;
        } else return false;
        if (i + extra >= s.size() && extra > 0) return false;
        for (size_t k = 1; k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (b < low || b > high) : (b & 0xC0) != 0x80) return false;
        }
        i += extra + 1;
    }
    return true;
}

std::string read_review_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read review file '" + path + "' — check the path and that it is a readable text file");
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);  // a byte order mark is not part of the text
    if (!valid_utf8(s))
        throw Error("review file '" + path + "' is not UTF-8 text — convert it, e.g. iconv -f latin1 -t utf-8");
    if (s.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error("review file '" + path + "' is empty — give a file with the review's text");
    return s;
}

// A language as people type it ("fra", "fr", "French"): stored as its ISO 639-2/B code ("fre"), as the subtitle
// and metadata steps store theirs (core/media/languages.h).
std::string check_language(const std::string& tag) {
    if (known_language(tag)) return {};
    return "'" + tag + "' is not a language — use an ISO 639 code such as eng, fra or deu, or und";
}

}  // namespace

void add_title_text_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string db;
        std::string title;
        std::string synopsis, description, review;
        std::vector<std::string> review_files;
        std::vector<int64_t> deletes;
        std::string language = "und";
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("title-text", "Set a title's synopsis or description, attach review texts, "
                                                     "list or delete them");
    cmd->add_option("TITLE", args->title, "title id or name")->required();
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_option("--synopsis", args->synopsis, "set the synopsis (replaces the one entered before, same language)");
    cmd->add_option("--description", args->description, "set the description (replaces the one entered before)");
    cmd->add_option("--review-file", args->review_files, "attach a UTF-8 text file as a review (repeatable)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--review", args->review, "attach a review given here");
    cmd->add_option("--delete", args->deletes, "delete the title text with this id (repeatable)");
    cmd->add_option("--language", args->language, "language of the texts given: eng, fra, fr, French... (default und)")
        ->check(CLI::Validator(check_language, "LANG", "language"));
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, &exit_code] {
        args->language = known_language(args->language).value_or("und");
        auto store = open_store(args->db.empty() ? default_database_url() : args->db);
        auto title = store->find_title(args->title);
        if (!title)
            throw Error("no title '" + args->title + "' in " + store->url() + " — list them with 'frameline-cli titles'");
        // Read every file first: a bad file changes nothing.
        std::vector<TitleText> reviews;
        for (const std::string& f : args->review_files)
            reviews.push_back(TitleText{0, title->id, "review", std::filesystem::path(f).filename().string(),
                                        args->language, read_review_file(f), ""});
        for (const std::string* s : {&args->synopsis, &args->description, &args->review})
            if (!s->empty() && !valid_utf8(*s)) throw Error("the text given is not UTF-8 — check the terminal's encoding");

        for (int64_t id : args->deletes) {
            bool ours = false;  // only this title's texts: an id of another title is a typo
            for (const TitleText& t : store->title_texts(title->id)) ours = ours || t.id == id;
            if (!ours)
                throw Error("title '" + title->name + "' has no title text " + std::to_string(id) +
                            " — list them with 'frameline-cli title-text " + args->title + "'");
            store->delete_title_text(id);
        }
        auto set = [&](const std::string& kind, const std::string& text) {
            if (text.empty()) return;
            for (const TitleText& t : store->title_texts(title->id))
                if (t.kind == kind && t.source == "human" && t.language == args->language) store->delete_title_text(t.id);
            store->add_title_text(TitleText{0, title->id, kind, "human", args->language, text, ""});
        };
        set("synopsis", args->synopsis);
        set("description", args->description);
        if (!args->review.empty())
            store->add_title_text(TitleText{0, title->id, "review", "human", args->language, args->review, ""});
        for (const TitleText& r : reviews) store->add_title_text(r);

        const std::vector<TitleText> texts = store->title_texts(title->id);
        if (args->json) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const TitleText& t : texts) list.push_back(title_text_json(t));
            print_json({{"title", title_json(*title)}, {"title_texts", list}});
        } else {
            for (const TitleText& t : texts) {
                std::string first_line = t.text.substr(0, t.text.find('\n'));
                if (first_line.size() > 70) {
                    size_t cut = 67;
                    while (cut > 0 && (static_cast<unsigned char>(first_line[cut]) & 0xC0) == 0x80) --cut;
                    first_line = first_line.substr(0, cut) + "...";
                }
                std::printf("%5lld  %-11s %-3s  %-16s %s\n", static_cast<long long>(t.id), t.kind.c_str(),
                            t.language.c_str(), t.source.c_str(), first_line.c_str());
            }
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
