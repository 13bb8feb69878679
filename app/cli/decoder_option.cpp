#include "app/cli/decoder_option.h"

#include <iostream>

namespace frameline::cli {

CLI::Option* add_decoder_option(CLI::App* cmd, std::string& value) {
    return cmd
        ->add_option("--decoder", value,
                     "video decoding: auto (NVDEC when FFmpeg and the driver can, else software), software, nvdec "
                     "(NVDEC or fail)")
        ->check(CLI::IsMember({"auto", "software", "nvdec"}));
}

void apply_decoder(const std::string& value) { set_default_hardware_decode(parse_hardware_decode(value)); }

void report_decoder(const std::string& path, const DecoderUsed& used) {
    if (used.codec.empty()) return;  // nothing was decoded (the title was stored before)
    std::cerr << "frameline-cli: '" << path << "': " << used.describe() << std::endl;
}

nlohmann::ordered_json decoder_json(const DecoderUsed& used) {
    return {{"codec", used.codec}, {"hardware", used.hardware ? "nvdec" : "software"}, {"why", used.why}};
}

}  // namespace frameline::cli
