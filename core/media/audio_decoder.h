#pragma once
// A media file's audio as mono float32 at the rate a model wants (16 kHz for voice activity), streamed in blocks so
// memory stays flat for any title length, with exact sample timestamps on the same clock as VideoDecoder's frames.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/media/streams.h"

namespace frameline {

// The file opened but holds no audio stream: a normal case (silent clips, screen recordings), not damage.
// Callers that can do without audio catch this, or use AudioDecoder::open_if_audio().
class NoAudioStream : public Error {
public:
    using Error::Error;
};

struct AudioBlock {
    std::vector<float> samples;  // mono, nominally in [-1, 1]; the vector is reused between calls to next()
    int64_t first_sample = 0;    // index of samples[0] in the decoder's output, counted from 0
    // Time of samples[0] in seconds from the start of the title (the container's start time), as VideoDecoder's
    // pts_s: samples[i] is at pts_s + i / sample_rate. The first block starts where the audio stream starts, which
    // is after 0 when the audio begins later than the video.
    double pts_s = 0.0;
};

struct AudioStreamInfo {
    int stream_index = -1;  // index of the decoded stream among the file's streams
    std::string codec;
    std::string language = "und";  // ISO 639-2/B (streams.h), "und" when the container does not say
    std::string title;      // the stream's own name, "" when none
    std::string choice;     // why this stream: "preferred language fre", "default track", "asked for stream 2"
    int input_sample_rate = 0;
    int input_channels = 0;
    int sample_rate = 0;    // of the output
    double duration_s = 0.0;  // from the container; 0 when it does not say
};

class AudioDecoder {
public:
    struct Options {
        int sample_rate = 16000;    // output rate in Hz
        int block_samples = 16000;  // samples per block; the last block of the stream may be shorter
        int stream_index = -1;      // -1: chosen by `languages` (choose_audio_stream in streams.h)
        // Preferred languages (ISO 639-2/B) when stream_index is -1; empty: the default track, else the first.
        // Defaults to the program's preference (set_audio_language_preference), so that every analysis of a
        // title's audio listens to the same track.
        std::vector<std::string> languages = audio_language_preference();
    };

    // Throws NoAudioStream when the file has no audio stream, frameline::Error when it cannot be opened or its audio
    // cannot be decoded at all (the message names the file and what to do).
    AudioDecoder(const std::filesystem::path& path, Options options);
    explicit AudioDecoder(const std::filesystem::path& path) : AudioDecoder(path, Options{}) {}
    // As the constructor, but std::nullopt instead of NoAudioStream.
    static std::optional<AudioDecoder> open_if_audio(const std::filesystem::path& path, Options options);
    static std::optional<AudioDecoder> open_if_audio(const std::filesystem::path& path) {
        return open_if_audio(path, Options{});
    }

    ~AudioDecoder();
    AudioDecoder(AudioDecoder&&) noexcept;
    AudioDecoder& operator=(AudioDecoder&&) noexcept;
    AudioDecoder(const AudioDecoder&) = delete;
    AudioDecoder& operator=(const AudioDecoder&) = delete;

    const AudioStreamInfo& info() const;

    // The next block (options.block_samples, fewer only at the end); false once the stream is exhausted.
    // The output is one continuous timeline: gaps in the file's timestamps (up to a minute) are filled with
    // silence and small overlaps trimmed, so sample i is always at first_pts_s + i / sample_rate. Larger jumps
    // are broken timestamps, not gaps: samples then simply continue (counted in timestamp_jumps()).
    // Damaged packets are skipped and counted; they never end decoding early.
    bool next(AudioBlock& out);

    int64_t corrupt_packets() const;
    int64_t timestamp_jumps() const;
    int64_t silence_filled_samples() const;  // output samples that filled gaps in the stream

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
