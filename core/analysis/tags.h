#pragma once
// Tags per shot (shot_index) and per title (-1), as proposals for reviewers, each with a confidence and evidence JSON
// (the frames and the scores behind it). Categories and how each label is decided:
//
//   object      COCO label of detections scoring >= object_min_score (0.3, CenterNet's usual display threshold; the
//               zoo stores down to 0.2). Shot: count = most boxes of the label in one sampled frame; confidence =
//               best score. Title: share of shots (with sampled frames) showing it; confidence = mean shot confidence.
//   people      "1", "2", "3+": per frame the larger of faces and person boxes (>= object_min_score), per shot the
//               most in one frame. Title: the label covering most duration, every label's share in evidence.
//   shot_scale  From the largest face's height as a fraction of the picture height (black bars excluded):
//               close-up >= 0.30 (head and shoulders: the face box is ~45 % of the height in a close-up, ~30 % in a
//               medium close-up), medium 0.10-0.30 (waist up ~23 %), wide < 0.10 (a full figure's face box is ~11 %
//               of the figure's height). Without faces: wide when the tallest person box is under 0.40 of the
//               picture (small figures), else no tag (a back view fills the frame but shows no face).
//   expression  The dominant expression among clear faces (expression score >= 0.6, face >= 5 % of the height) when it
//               holds at least half of their score mass. "neutral" counts.
//   age_band    child < 13, young adult 13-29, adult 30-59, senior >= 60 from the age model (mean absolute error of such
//               models is ~5 years, so confidence drops within 5 years of a boundary); faces >= 5 % of the height.
//   maturity    From the nsfw model's per-frame probabilities (highest over the shot's frames): "porn" for Porn >= 0.5,
//               "hentai" for Hentai >= 0.5, "sexy" for Sexy >= 0.6 (higher: it fires on swimwear and skin close-ups);
//               "safe" otherwise, confidence 1 - the highest of the three.
//   audio       "speech", "music", "silence" for each class covering at least 20 % of the shot (audio_character.h
//               documents the heuristic); confidence = reliability (speech 0.9 from the VAD, silence 0.9, music 0.6:
//               heuristic) x min(1, 0.5 + share). All shares in evidence. A file without audio: title tag "no audio".
//   loudness    quiet < -35 LUFS <= normal < -20 LUFS <= loud (EBU R128 integrated; kQuietLufs, kLoudLufs).
//   pace        Cuts per minute in a one-minute window centred on the shot (clipped to the title; the title: over
//               its whole length) and the mean motion of the shot's sampled frames: fast when >= 20 cuts/min (average
//               shot <= 3 s), or >= 12 with motion >= 4; slow when <= 8 cuts/min (shots >= 7.5 s) and motion < 4;
//               medium otherwise.
//   colour      "warm"/"cool", "saturated"/"muted", "low-key"/"high-key" (colour_style.h thresholds; the neutral middle
//               of each gets no tag but is in the palette tag's evidence), and "palette" with the hex colours.
//   time_of_day A HEURISTIC (evidence says so) on the colour measures, capped at confidence 0.5: "night" (mean luma
//               < 50 and >= 60 % shadow tones), "golden hour" (CCT <= 4000 K, mean luma 60-170, colourfulness >= 33),
//               "day" (mean luma >= 90 and either >= 15 % sky-like top third, or CCT 5000-8000 K with mean luma >=
//               120). It cannot tell an exterior from an interior: a dark room reads as night, a lit studio as day.
//   mood        mood_rules.h, per shot; title: moods of at least 25 % of the duration.
//   genre       Title only: mood_rules.h genre hints, confidence capped at 0.7.
#include <stop_token>
#include <string>
#include <vector>

#include "core/analysis/audio_character.h"
#include "core/analysis/title_facts.h"
#include "core/store/annotation_records.h"

namespace frameline {

struct TagOptions {
    double object_min_score = 0.3;
    double face_min_score = 0.5;        // blazeface's own threshold: every stored face
    double clear_expression_score = 0.6;
    double min_face_height = 0.05;      // expression and age need a face of some size
    // Decode facts.media's soundtrack for the audio, loudness and music measures. Off, or when the file is missing,
    // those tags come only from what `audio` holds.
    bool measure_audio = true;
    // Already measured (tests, or a caller that decoded once for several analysers); used instead of decoding.
    const TitleAudioCharacter* audio = nullptr;
    std::stop_token stop;
    // One-line notes about what could not be measured (a damaged soundtrack, a missing file); may be null.
    std::vector<std::string>* warnings = nullptr;
};

// Appends the title's tags to out.tags, and the measured music and silence lanes (with each music stretch's tempo,
// audio_character.h) to out.audio_segments. Never throws for odd facts (unknown labels, frames outside shots, broken
// score JSON are skipped with a warning); throws Cancelled when options.stop is requested.
void derive_tags(const TitleFacts& facts, ModelRunOutput& out, const TagOptions& options = {});

}  // namespace frameline
