// PocketSphinx lives only here (and its headers only in core/speech/*.cpp).
#include "core/speech/pocketsphinx_recogniser.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/error.h"

namespace frameline {

namespace fs = std::filesystem;

namespace {

// PocketSphinx logs through one process-wide callback. Its INFO chatter is dropped; the last ERROR of the calling
// thread is kept so that a failure can say what the engine said.
thread_local std::string t_last_error;

void log_callback(void*, err_lvl_t level, const char* fmt, ...) {
    if (level < ERR_ERROR) return;
    char buf[1024];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    // 'ERROR: "acmod.c", line 79: Folder ... does not contain ...': keep the message.
    std::string line(buf);
    if (const size_t at = line.find("\", line "); at != std::string::npos)
        if (const size_t colon = line.find(": ", at); colon != std::string::npos) line.erase(0, colon + 2);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) t_last_error = line;
}

void quiet_engine_log() {
    static std::once_flag once;
    std::call_once(once, [] {
        err_set_logfp(nullptr);  // the configuration dump goes straight to this stream
        err_set_callback(log_callback, nullptr);
    });
}

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// "for(2)" -> "for"; empty for fillers and silences (<s>, </s>, <sil>, [NOISE], [SPEECH], ...).
std::string word_of(const char* token) {
    if (!token || !*token || token[0] == '<' || token[0] == '[' || token[0] == '+') return {};
    std::string w(token);
    if (const size_t paren = w.find('('); paren != std::string::npos && paren > 0) w.resize(paren);
    return w;
}

}  // namespace

fs::path default_pocketsphinx_model_dir() {
    if (const char* env = std::getenv("FRAMELINE_POCKETSPHINX_MODEL"); env && *env) return fs::path(env);
    return fs::path("/usr/share/pocketsphinx/model/en-us");
}

std::string check_pocketsphinx_model(const fs::path& model_dir) {
    const std::string what_to_do =
        ": install the Debian package pocketsphinx-en-us, or set FRAMELINE_POCKETSPHINX_MODEL to a folder with "
        "en-us/ (the acoustic model), cmudict-en-us.dict and en-us.lm.bin";
    std::error_code ec;
    if (!fs::is_directory(model_dir, ec))
        return "PocketSphinx model folder " + model_dir.string() + " not found" + what_to_do;
    for (const char* part : {"en-us/mdef", "en-us/means", "en-us/variances", "en-us/transition_matrices",
                             "en-us/sendump", "en-us/feat.params", "cmudict-en-us.dict", "en-us.lm.bin"}) {
        if (!fs::is_regular_file(model_dir / part, ec))
            return "PocketSphinx model folder " + model_dir.string() + " has no " + part + what_to_do;
    }
    return {};
}

void to_pcm16(std::span<const float> samples, int16_t* out) {
    for (size_t i = 0; i < samples.size(); ++i) {
        const float v = std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f;
        out[i] = static_cast<int16_t>(std::lrint(v));
    }
}

TranscriptSegment SpeechRecogniser::recognise(std::span<const float> samples, double offset_s) {
    std::vector<int16_t> pcm(samples.size());
    to_pcm16(samples, pcm.data());
    return recognise(std::span<const int16_t>(pcm), offset_s);
}

struct PocketsphinxRecogniser::Impl {
    PocketsphinxOptions options;
    ps_decoder_t* decoder = nullptr;
    int frame_rate = 100;
    int sample_rate = 16000;
};

PocketsphinxRecogniser::PocketsphinxRecogniser(PocketsphinxOptions options) : impl_(std::make_unique<Impl>()) {
    quiet_engine_log();
    impl_->options = std::move(options);
    const PocketsphinxOptions& o = impl_->options;
    if (std::string why = check_pocketsphinx_model(o.model_dir); !why.empty()) throw Error(why);

    std::vector<std::string> args = {
        "-hmm", (o.model_dir / "en-us").string(),
        "-lm", (o.model_dir / "en-us.lm.bin").string(),
        "-dict", (o.model_dir / "cmudict-en-us.dict").string(),
        // Silero found the speech: the front end's own silence removal would only drop frames (and shift times).
        "-remove_silence", "no",
        "-remove_noise", o.remove_noise ? "yes" : "no",
        "-bestpath", "yes",  // the lattice pass: better words and the posteriors behind each word's confidence
        "-lw", num(o.language_weight),
        "-fwdflatlw", num(o.fwdflat_language_weight),
        "-bestpathlw", num(o.bestpath_language_weight),
        "-topn", std::to_string(o.top_gaussians),
        "-beam", num(o.beam),
        "-pbeam", num(o.beam),
        "-wbeam", num(o.word_beam),
        "-maxhmmpf", std::to_string(o.max_hmms_per_frame),
    };
    for (const auto& [name, value] : o.extra) {  // replaces a setting above, or adds one
        size_t at = 0;
        while (at < args.size() && args[at] != name) at += 2;
        if (at < args.size()) {
            args[at + 1] = value;
        } else {
            args.push_back(name);
            args.push_back(value);
        }
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    t_last_error.clear();
    cmd_ln_t* config = cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), argv.data(), TRUE);
    if (!config)
        throw Error("PocketSphinx rejected its settings (" + (t_last_error.empty() ? "unknown option" : t_last_error) +
                    ") for the model in " + o.model_dir.string());
    impl_->decoder = ps_init(config);
    cmd_ln_free_r(config);  // the decoder keeps its own reference
    if (!impl_->decoder)
        throw Error("PocketSphinx could not load the model in " + o.model_dir.string() + " (" +
                    (t_last_error.empty() ? "unknown error" : t_last_error) +
                    "): reinstall the Debian package pocketsphinx-en-us or point FRAMELINE_POCKETSPHINX_MODEL at "
                    "a complete model");
    cmd_ln_t* used = ps_get_config(impl_->decoder);
    impl_->frame_rate = static_cast<int>(cmd_ln_int_r(used, "-frate"));
    impl_->sample_rate = static_cast<int>(cmd_ln_float_r(used, "-samprate"));
}

PocketsphinxRecogniser::~PocketsphinxRecogniser() {
    if (impl_ && impl_->decoder) ps_free(impl_->decoder);
}

std::string PocketsphinxRecogniser::name() const {
    return "pocketsphinx-5prealpha " + impl_->options.model_dir.filename().string();
}

int PocketsphinxRecogniser::sample_rate() const { return impl_->sample_rate; }

TranscriptSegment PocketsphinxRecogniser::recognise(std::span<const int16_t> samples, double offset_s) {
    TranscriptSegment seg;
    seg.source = "speech";
    seg.language = impl_->options.language;
    seg.start_s = offset_s;
    seg.end_s = offset_s + static_cast<double>(samples.size()) / impl_->sample_rate;
    // Fewer than a few frames cannot hold a word (and the front end needs a full analysis window).
    if (samples.size() < static_cast<size_t>(impl_->sample_rate / 10)) return seg;

    ps_decoder_t* ps = impl_->decoder;
    t_last_error.clear();
    auto fail = [&](const char* step) {
        return Error(std::string("PocketSphinx failed to ") + step + " the speech at " + num(offset_s) + " s (" +
                     (t_last_error.empty() ? "no reason given" : t_last_error) + ")");
    };
    // Each stretch is a stream of its own: the front end's noise estimate (-remove_noise) would otherwise carry
    // over from whatever this decoder heard before, and the words would depend on which thread got the stretch.
    if (ps_start_stream(ps) < 0 || ps_start_utt(ps) < 0) throw fail("start decoding");
    // The whole stretch at once (full_utt): cepstral mean normalisation over all of it (-cmn batch).
    if (ps_process_raw(ps, samples.data(), samples.size(), FALSE, TRUE) < 0) {
        ps_end_utt(ps);
        throw fail("decode");
    }
    if (ps_end_utt(ps) < 0) throw fail("finish decoding");

    int32 score = 0;
    if (!ps_get_hyp(ps, &score)) return seg;  // nothing recognised
    logmath_t* lmath = ps_get_logmath(ps);
    const double frame_s = 1.0 / impl_->frame_rate;
    for (ps_seg_t* it = ps_seg_iter(ps); it; it = ps_seg_next(it)) {
        std::string w = word_of(ps_seg_word(it));
        if (w.empty()) continue;
        int start_frame = 0, end_frame = 0;
        ps_seg_frames(it, &start_frame, &end_frame);  // inclusive
        int32 ascr = 0, lscr = 0, lback = 0;
        const int32 log_posterior = ps_seg_prob(it, &ascr, &lscr, &lback);
        TranscriptWord word;
        word.word = std::move(w);
        word.start_s = offset_s + start_frame * frame_s;
        word.end_s = offset_s + (end_frame + 1) * frame_s;
        word.confidence = std::clamp(logmath_exp(lmath, log_posterior), 0.0, 1.0);
        if (!seg.text.empty()) seg.text += ' ';
        seg.text += word.word;
        seg.words.push_back(std::move(word));
    }
    if (!seg.words.empty()) {
        seg.start_s = seg.words.front().start_s;
        seg.end_s = seg.words.back().end_s;
    }
    return seg;
}

}  // namespace frameline
