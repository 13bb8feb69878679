#pragma once
// Speech recognition behind one interface, so that a stronger engine can replace PocketSphinx (the only engine
// today: pocketsphinx_recogniser.h) without touching transcription, ingest or the store. No engine headers here.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/store/annotation_records.h"

namespace frameline {

class SpeechRecogniser {
public:
    virtual ~SpeechRecogniser() = default;

    // The engine and its model, as a model run's version: e.g. "pocketsphinx 5prealpha en-us".
    virtual std::string name() const = 0;
    // What recognise() wants: mono PCM at this rate (Hz).
    virtual int sample_rate() const = 0;

    // One stretch of speech (a few seconds to a few tens of seconds, with a little non-speech around it), mono at
    // sample_rate(); samples[0] is at `offset_s` on the title's clock. Returns a segment with source "speech", the
    // model's language, the words (times in title seconds, confidence 0..1 from the recogniser's posterior; no
    // fillers or silences) and their text; start_s/end_s span the words, or the audio given when there are none.
    // Nothing recognised is not an error: text and words are empty. Throws frameline::Error when the engine fails.
    // Not thread-safe: one recogniser per thread (see RecogniserFactory).
    virtual TranscriptSegment recognise(std::span<const int16_t> samples, double offset_s) = 0;
    // The same from float samples in [-1, 1] (clipped), as AudioDecoder gives them.
    TranscriptSegment recognise(std::span<const float> samples, double offset_s);
};

// Makes a recogniser; transcribe() calls it once on each of its worker threads.
using RecogniserFactory = std::function<std::unique_ptr<SpeechRecogniser>()>;

// float [-1, 1] -> int16, rounded and clipped.
void to_pcm16(std::span<const float> samples, int16_t* out);

}  // namespace frameline
