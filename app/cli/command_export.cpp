// `frameline-cli export TITLE --clip OUT (--shot N | --scene ID | --chapter ID | --frames A-B)`: a part of a title
// as a clip file, stream-copied when the range starts on a key frame, otherwise re-encoded (issue #6, item 6).
#include <cmath>
#include <filesystem>
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "core/export/clip.h"
#include "core/media/clip_export.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {
double ms(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }
}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string title;
        std::string db;
        std::string clip;
        int64_t shot = -1;
        int64_t scene = -1;
        int64_t chapter = -1;
        std::string frames;
        bool reencode = false;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("export", "Export part of a title: --clip writes a shot, scene, chapter or "
                                                 "frame range as a video file");
    cmd->add_option("TITLE", args->title, "title id or name (with --frames, a media file also works)")->required();
    cmd->add_option("--clip", args->clip, "the clip file to write: .mp4, .m4v, .mov or .mkv")->required();
    auto* shot = cmd->add_option("--shot", args->shot, "shot index (from 0, as 'show' lists them)")
                     ->check(CLI::NonNegativeNumber);
    auto* scene = cmd->add_option("--scene", args->scene, "scene id (a chapters row of kind scene or key_scene)");
    auto* chapter = cmd->add_option("--chapter", args->chapter, "chapter id (any row of 'show --json' chapters)");
    auto* frames = cmd->add_option("--frames", args->frames, "frame range FIRST-LAST, from 0, LAST included");
    shot->excludes(scene)->excludes(chapter)->excludes(frames);
    scene->excludes(chapter)->excludes(frames);
    chapter->excludes(frames);
    cmd->add_option("--db", args->db, "database URL");
    cmd->add_flag("--reencode", args->reencode, "re-encode even when the range could be stream-copied");
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->callback([args, shot, scene, chapter, frames, &exit_code] {
        if (!*shot && !*scene && !*chapter && !*frames)
            throw CLI::ValidationError("export", "say what to export: --shot N, --scene ID, --chapter ID or --frames A-B");
        ClipSelection selection;
        if (*frames) {
            try {
                selection = parse_frame_range(args->frames);
            } catch (const Error& e) {
                throw CLI::ValidationError("--frames", e.what());
            }
        } else if (*shot) {
            selection.kind = ClipSelection::Kind::Shot;
            selection.id = args->shot;
        } else if (*scene) {
            selection.kind = ClipSelection::Kind::Scene;
            selection.id = args->scene;
        } else {
            selection.kind = ClipSelection::Kind::Chapter;
            selection.id = args->chapter;
        }

        ResolvedClip resolved;
        std::error_code ec;
        if (*frames && std::filesystem::is_regular_file(args->title, ec)) {  // a media file, no database needed
            resolved.title.media_path = args->title;
            resolved.title.name = std::filesystem::path(args->title).filename().string();
            resolved.start_frame = selection.start_frame;
            resolved.end_frame = selection.end_frame;
            resolved.what = "frames " + args->frames;
        } else {
            auto store = open_store(args->db.empty() ? default_database_url() : args->db);
            resolved = resolve_clip(*store, args->title, selection);
        }

        ClipRequest request;
        request.source = resolved.title.media_path;
        request.start_frame = resolved.start_frame;
        request.end_frame = resolved.end_frame;
        request.output = args->clip;
        request.force_reencode = args->reencode;
        const ClipResult result = export_clip(request);
        const ClipPlan& plan = result.plan;
        if (args->json) {
            nlohmann::ordered_json title = nullptr;
            if (resolved.title.id > 0) title = {{"id", resolved.title.id}, {"name", resolved.title.name}};
            print_json({{"file", result.output.string()},
                        {"source", request.source.string()},
                        {"title", title},
                        {"clip", resolved.what},
                        {"start_frame", plan.start_frame},
                        {"end_frame", plan.end_frame},
                        {"frames", result.frames_written},
                        {"start_s", ms(plan.start_s)},
                        {"end_s", ms(plan.end_s)},
                        {"method", to_string(plan.method)},
                        {"reason", plan.reason},
                        {"duration_s", ms(result.video_duration_s)},
                        {"audio_duration_s", plan.has_audio ? nlohmann::ordered_json(ms(result.audio_duration_s)) : nullptr},
                        {"video_codec", plan.video_codec},
                        {"audio_codec", plan.has_audio ? nlohmann::ordered_json(plan.audio_codec) : nullptr},
                        {"size_bytes", result.size_bytes}});
        } else {
            std::printf("%s: %s (frames %lld-%lld, %.3f s - %.3f s), %lld frames, %.3f s, %s: %s\n",
                        result.output.c_str(), resolved.what.c_str(), static_cast<long long>(plan.start_frame),
                        static_cast<long long>(plan.end_frame), plan.start_s, plan.end_s,
                        static_cast<long long>(result.frames_written), result.video_duration_s, to_string(plan.method),
                        plan.reason.c_str());
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
