#pragma once
// Sequential video decoding with exact frame indices and timestamps (variable frame rate safe).
#include <filesystem>
#include <memory>
#include <string>

#include "core/media/image.h"
#include "core/media/media_info.h"

namespace frameline {

// Where frames are decoded. Auto: NVDEC through FFmpeg's CUDA hwaccel when this FFmpeg, the driver and the stream
// allow it, else software. Nvdec: the same, but a stream NVDEC cannot take is an error instead.
enum class HardwareDecode { Auto, Software, Nvdec };
// "auto", "software" or "nvdec"; throws frameline::Error for anything else.
HardwareDecode parse_hardware_decode(const std::string& text);

// The process-wide default of Options::hardware (Auto unless set): frameline-cli's --decoder sets it once, so that
// every decode of the run (scan, model pass, OCR) follows it.
void set_default_hardware_decode(HardwareDecode h);
HardwareDecode default_hardware_decode();

// What a decoder actually uses, for the log line and the JSON reports.
struct DecoderUsed {
    std::string codec;      // "h264"
    bool hardware = false;  // frames come from NVDEC
    std::string why;        // with Auto: why software was used (no driver, codec, profile); empty when as asked
    std::string describe() const;  // "h264 on NVDEC" / "h264 in software (NVDEC: Cannot load libcuda.so.1)"
};

// A decoded frame kept after the decoder moved on: a reference to the decoder's buffer (no copy), so that a
// sampled frame's full picture can be scaled for the models once its shot's frames are chosen, without a second
// decode. Holds a whole frame's memory (3 MB at 1080p) until released. Safe to use on any one thread.
class DecodedPicture {
public:
    ~DecodedPicture();
    DecodedPicture(const DecodedPicture&) = delete;
    DecodedPicture& operator=(const DecodedPicture&) = delete;
    // As VideoDecoder::current_rgb(width) gave it when this frame was current.
    RgbImage rgb(int width) const;

private:
    friend class VideoDecoder;
    struct Impl;
    explicit DecodedPicture(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class VideoDecoder {
public:
    struct Options {
        int threads = 0;          // decoder threads; 0 = one per core
        int analysis_width = 128; // width of SmallFrame planes; height keeps the aspect (before rotation)
        // Skip H.264/HEVC in-loop deblocking: faster, slightly blockier pictures. For detection passes whose results
        // it does not change (see tests), not for pictures people look at.
        bool skip_loop_filter = false;
        HardwareDecode hardware = default_hardware_decode();
    };

    // Throws frameline::Error when the file cannot be opened or has no decodable video stream.
    VideoDecoder(const std::filesystem::path& path, Options options);
    explicit VideoDecoder(const std::filesystem::path& path) : VideoDecoder(path, Options{}) {}
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    const MediaInfo& info() const;
    // Software or NVDEC, and why. `hardware` can turn false after the first frame: FFmpeg falls back to software
    // when NVDEC refuses the stream (profile, bit depth, size).
    const DecoderUsed& decoder() const;

    // Decodes the next frame in presentation order into `out`; false at the end of the stream.
    // Corrupt packets are skipped (counted in corrupt_packets()); they never end decoding early.
    bool next(SmallFrame& out);

    // Moves to the key frame at or before `seconds` (presentation time, as SmallFrame::pts_s): next() decodes from
    // there. Indices count frames from the start of the file, so after a seek next() gives index -1 and the pts
    // names the frame. Some formats seek only roughly (MPEG-TS by bytes): the first frame can lie after `seconds`.
    // False when the file cannot seek; the decoder then goes on from where it was.
    bool seek(double seconds);

    // The frame last returned by next(), as RGB scaled to `width` (height keeps the display aspect) with the
    // file's rotation applied: what a person sees.
    RgbImage current_rgb(int width) const;
    // The frame last returned by next(), kept (see DecodedPicture); null before the first frame.
    std::shared_ptr<const DecodedPicture> current_picture() const;

    int64_t corrupt_packets() const;
    // The index of the frame the decoder was at when it first met damage (-1 when none).
    int64_t first_damage_frame() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
