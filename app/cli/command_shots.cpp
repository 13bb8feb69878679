// `frameline-cli shots MEDIA`: shot boundaries without a database.
#include <iostream>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "app/cli/decoder_option.h"
#include "core/pipeline/video_scan.h"

namespace frameline::cli {

void add_shots_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string media;
        bool json = false;
        int threads = 0;
        std::string decoder = "auto";
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("shots", "Detect shot boundaries (first frame of each new shot, 0-based)");
    cmd->add_option("MEDIA", args->media, "video file")->required();
    cmd->add_flag("--json", args->json, "print one JSON document on stdout");
    cmd->add_option("--threads", args->threads, "decoder threads (0 = one per core)")->check(CLI::NonNegativeNumber);
    add_decoder_option(cmd, args->decoder);
    cmd->callback([args, &exit_code] {
        apply_decoder(args->decoder);
        ScanOptions options;
        options.threads = args->threads;
        options.thumbnail_width = 0;     // no thumbnails: nobody looks at them here
        options.skip_loop_filter = true; // detection only: deblocking does not change the boundaries (tested)
        ScanResult scan = scan_video(args->media, options, stderr_progress("shots"));
        end_progress_line();
        report_decoder(args->media, scan.decoder);
        for (const std::string& w : scan.warnings) std::cerr << "frameline-cli: warning: " << w << std::endl;
        nlohmann::ordered_json cuts = nlohmann::ordered_json::array(), shots = nlohmann::ordered_json::array();
        nlohmann::ordered_json transitions = nlohmann::ordered_json::array();
        for (const Boundary& b : scan.boundaries) transitions.push_back(boundary_json(b));
        nlohmann::ordered_json markers = nlohmann::ordered_json::array();
        for (const Marker& m : scan.markers) markers.push_back(marker_json(m));
        for (const Shot& s : scan.shots) {
            if (s.index > 0) cuts.push_back(s.start_frame);
            shots.push_back(shot_json(s));
        }
        const double fps = scan.duration_s > 0 ? scan.frame_count / scan.duration_s : scan.info.fps;
        if (args->json) {
            print_json({{"file", args->media},
                        {"frames", scan.frame_count},
                        {"fps", std::round(fps * 1000.0) / 1000.0},
                        {"duration_s", std::round(scan.duration_s * 1000.0) / 1000.0},
                        {"decoder", decoder_json(scan.decoder)},
                        {"cuts", cuts},
                        {"shots", shots},
                        {"transitions", transitions},
                        {"markers", markers},
                        {"warnings", scan.warnings}});
        } else {
            std::cout << args->media << ": " << scan.frame_count << " frames, " << scan.shots.size() << " shots\n";
            for (const Shot& s : scan.shots)
                std::printf("  %4d  frames %6lld-%-6lld  %9.3f s - %9.3f s  %s\n", s.index,
                            static_cast<long long>(s.start_frame), static_cast<long long>(s.end_frame - 1), s.start_s,
                            s.end_s, to_string(s.transition));
        }
        exit_code = kExitOk;
    });
}

}  // namespace frameline::cli
