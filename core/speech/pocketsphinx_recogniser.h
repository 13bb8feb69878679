#pragma once
// CMU PocketSphinx (Debian's libpocketsphinx 0.8+5prealpha with the pocketsphinx-en-us model) as a SpeechRecogniser.
// Each call decodes one stretch of speech as a whole utterance: voice activity (Silero, in transcribe()) has
// already cut the audio, so PocketSphinx's own energy-based silence removal is off (it would also shift the word
// times: removed frames are not counted), and cepstral mean normalisation is computed over the whole stretch
// (the model's feat.params: -cmn batch) instead of being carried live from the last utterance. The defaults
// below are the tuned settings (bench/bench_transcribe.cpp, bench/README.md). Engine headers stay in the .cpp.
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/speech/speech_recogniser.h"

namespace frameline {

// $FRAMELINE_POCKETSPHINX_MODEL, else Debian's /usr/share/pocketsphinx/model/en-us.
std::filesystem::path default_pocketsphinx_model_dir();

// Empty when `model_dir` holds what PocketSphinx needs (en-us/ with mdef, means, variances, transition_matrices,
// sendump and feat.params; cmudict-en-us.dict; en-us.lm.bin), else one line naming the folder, what is missing
// and what to do.
std::string check_pocketsphinx_model(const std::filesystem::path& model_dir);

struct PocketsphinxOptions {
    std::filesystem::path model_dir = default_pocketsphinx_model_dir();
    std::string language = "eng";  // ISO 639-2 of the model
    // Search settings (PocketSphinx's names in the comments); the values are the tuned defaults.
    double language_weight = 6.5;          // -lw: the first (tree) pass
    double fwdflat_language_weight = 7.5;  // -fwdflatlw: the second (flat lexicon) pass (PocketSphinx: 8.5)
    double bestpath_language_weight = 9.5; // -bestpathlw: the lattice pass that also gives the posteriors
    int top_gaussians = 4;                 // -topn: Gaussians scored per senone
    double beam = 1e-48;                   // -beam (and -pbeam)
    double word_beam = 7e-29;              // -wbeam
    int max_hmms_per_frame = 30000;        // -maxhmmpf
    bool remove_noise = true;              // -remove_noise: spectral noise subtraction in the front end
    // Further "-name value" pairs passed as they are (experiments; not needed for the defaults).
    std::vector<std::pair<std::string, std::string>> extra;
};

class PocketsphinxRecogniser : public SpeechRecogniser {
public:
    // Loads the model (about a second); throws frameline::Error naming the model folder when it is missing or broken.
    explicit PocketsphinxRecogniser(PocketsphinxOptions options = {});
    ~PocketsphinxRecogniser() override;
    PocketsphinxRecogniser(const PocketsphinxRecogniser&) = delete;
    PocketsphinxRecogniser& operator=(const PocketsphinxRecogniser&) = delete;

    std::string name() const override;
    int sample_rate() const override;
    using SpeechRecogniser::recognise;
    TranscriptSegment recognise(std::span<const int16_t> samples, double offset_s) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline
