#include "core/analysis/credits_text.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

namespace frameline {

namespace {

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_credits_kind(CueKind k) { return k == CueKind::OpeningCredits || k == CueKind::ClosingCredits; }

}  // namespace

bool is_credit_role(const std::string& line) {
    // Words that name a role in film credits. "by" alone is too common in dialogue; "directed by" is not.
    static const char* const kRoles[] = {
        "directed by", "director", "produced by", "producer", "written by", "writer", "screenplay", "story by",
        "music by", "music", "composer", "cast", "starring", "edited by", "editor", "cinematography",
        "director of photography", "photography", "casting", "production design", "art director", "costume",
        "makeup", "make-up", "sound", "camera operator", "gaffer", "visual effects", "stunt", "executive producer",
        "co-producer", "associate producer", "featuring", "presents", "in association with", "a film by",
        "special thanks", "filmed on location", "copyright", "all rights reserved"};
    const std::string l = " " + lower(line) + " ";
    for (const char* role : kRoles) {
        const std::string r = role;
        for (size_t at = l.find(r); at != std::string::npos; at = l.find(r, at + 1)) {
            const unsigned char before = static_cast<unsigned char>(l[at - 1]);
            const unsigned char after = static_cast<unsigned char>(l[at + r.size()]);
            if (!std::isalpha(before) && !std::isalpha(after)) return true;  // whole words only
        }
    }
    return false;
}

bool looks_like_name(const std::string& line) {
    const std::vector<std::string> words = words_of(line);
    if (words.size() < 2 || words.size() > 4) return false;
    for (const std::string& w : words) {
        if (!std::isupper(static_cast<unsigned char>(w[0]))) return false;
        int letters = 0;
        for (unsigned char c : w) {
            if (std::isalpha(c) || c >= 0x80) ++letters;
            else if (c != '-' && c != '\'' && c != '.') return false;  // "O'Brien", "Jean-Luc", "J."
        }
        if (letters == 0) return false;
    }
    return true;
}

bool is_credits_frame(const std::vector<std::string>& lines, const CreditsTextOptions& o) {
    bool name = false;
    for (const std::string& line : lines) {
        if (is_credit_role(line)) return true;
        name = name || looks_like_name(line);
    }
    return name && static_cast<int>(lines.size()) >= o.min_lines_with_name;
}

std::vector<CreditsDecision> refine_credits(const std::vector<Marker>& visual, const std::vector<ReadFrame>& frames,
                                            const std::vector<ShotSpan>& shots, double duration_s,
                                            const CreditsTextOptions& o) {
    struct Stretch {
        size_t first = 0, last = 0;  // indices into frames: the first and last credits frames
        int credits = 0, dense = 0, roles = 0;
    };
    auto credits_frame = [&](const ReadFrame& f) { return f.read && is_credits_frame(f.lines, o); };
    auto picture_frame = [&](const ReadFrame& f) { return f.read && !f.black && !is_credits_frame(f.lines, o); };

    // Rule 2: stretches of credits frames.
    std::vector<Stretch> stretches;
    std::optional<Stretch> open;
    for (size_t i = 0; i < frames.size(); ++i) {
        const ReadFrame& f = frames[i];
        if (open && (picture_frame(f) || f.pts_s - frames[open->last].pts_s > o.max_gap_s)) {
            stretches.push_back(*open);
            open.reset();
        }
        if (!credits_frame(f)) continue;
        if (!open) open = Stretch{i, i, 0, 0, 0};
        open->last = i;
        ++open->credits;
        if (static_cast<int>(f.lines.size()) >= o.dense_lines) ++open->dense;  // a roll
        for (const std::string& line : f.lines)
            if (is_credit_role(line)) {
                ++open->roles;
                break;
            }
    }
    if (open) stretches.push_back(*open);

    auto shot_of = [&](int64_t frame) -> const ShotSpan* {
        for (const ShotSpan& s : shots)
            if (frame >= s.start_frame && frame < s.end_frame) return &s;
        return nullptr;
    };
    // A stretch's range: the shots of its ends, but not reaching a read picture frame on either side.
    auto range_of = [&](const Stretch& s) {
        const ReadFrame& a = frames[s.first];
        const ReadFrame& b = frames[s.last];
        Marker m;
        m.start_frame = a.frame_index;
        m.start_s = a.pts_s;
        m.end_frame = b.frame_index;
        m.end_s = b.pts_s;
        if (const ShotSpan* shot = shot_of(a.frame_index)) {
            m.start_frame = shot->start_frame;
            m.start_s = shot->start_s;
        }
        if (const ShotSpan* shot = shot_of(b.frame_index)) {
            m.end_frame = shot->end_frame - 1;
            m.end_s = shot->end_s;
        }
        for (size_t i = s.first; i-- > 0;)
            if (picture_frame(frames[i])) {
                if (frames[i].frame_index >= m.start_frame) {
                    m.start_frame = frames[i].frame_index + 1;
                    m.start_s = frames[i].pts_s;  // the picture frame's time: the next frame's start is not known here
                }
                break;
            }
        for (size_t i = s.last + 1; i < frames.size(); ++i)
            if (picture_frame(frames[i])) {
                if (frames[i].frame_index <= m.end_frame) {
                    m.end_frame = frames[i].frame_index - 1;
                    m.end_s = frames[i].pts_s;
                }
                break;
            }
        return m;
    };
    // Read, non-black frames inside a range, and how many of them are credits frames or show any text.
    auto counts_in = [&](int64_t start, int64_t end, int& read, int& credits, int& any_text) {
        read = credits = any_text = 0;
        for (const ReadFrame& f : frames) {
            if (f.frame_index < start || f.frame_index > end || !f.read || f.black) continue;
            ++read;
            credits += credits_frame(f);
            any_text += !f.lines.empty();
        }
    };

    std::vector<CreditsDecision> out;
    std::vector<bool> used(stretches.size(), false);
    // Rule 3 (confirm, extend) and rule 4 (contradicted) for every visual marker.
    for (const Marker& v : visual) {
        if (!is_credits_kind(v.kind)) continue;
        CreditsDecision d{v, "unchanged", 0, 0};
        for (size_t k = 0; k < stretches.size(); ++k) {
            const Marker r = range_of(stretches[k]);
            if (r.end_frame < v.start_frame || r.start_frame > v.end_frame) continue;
            used[k] = true;
            if (r.start_frame < d.marker.start_frame) {
                d.marker.start_frame = r.start_frame;
                d.marker.start_s = r.start_s;
            }
            if (r.end_frame > d.marker.end_frame) {
                d.marker.end_frame = r.end_frame;
                d.marker.end_s = r.end_s;
            }
        }
        int read = 0, credits = 0, any_text = 0;
        counts_in(d.marker.start_frame, d.marker.end_frame, read, credits, any_text);
        d.read_frames = read;
        d.credits_frames = credits;
        if (credits > 0) {
            d.how = d.marker.start_frame < v.start_frame || d.marker.end_frame > v.end_frame ? "extended" : "confirmed";
            d.marker.confidence = std::max(v.confidence, read > 0 ? double(credits) / read : 0.0);
        } else if (read > 0 && any_text == 0) {
            d.how = "contradicted";
            d.marker.confidence = std::min(v.confidence, o.contradicted_confidence);
        }
        out.push_back(d);
    }
    // Rule 3: stretches that no visual marker explains.
    for (size_t k = 0; k < stretches.size(); ++k) {
        if (used[k]) continue;
        const Stretch& s = stretches[k];
        if ((s.credits < o.min_frames && s.dense == 0) || s.roles == 0) continue;
        Marker m = range_of(s);
        if (m.start_s <= o.opening_share * duration_s) m.kind = CueKind::OpeningCredits;
        else if (m.end_s >= o.closing_share * duration_s) m.kind = CueKind::ClosingCredits;
        else continue;  // text-heavy stretches mid-title are not credits (a letter, a screen, a sign)
        // Two stretches that ended up overlapping an earlier decision are one marker.
        bool merged = false;
        for (CreditsDecision& d : out)
            if (d.marker.kind == m.kind && m.start_frame <= d.marker.end_frame && d.marker.start_frame <= m.end_frame) {
                d.marker.start_frame = std::min(d.marker.start_frame, m.start_frame);
                d.marker.end_frame = std::max(d.marker.end_frame, m.end_frame);
                d.marker.start_s = std::min(d.marker.start_s, m.start_s);
                d.marker.end_s = std::max(d.marker.end_s, m.end_s);
                merged = true;
            }
        if (merged) continue;
        int read = 0, credits = 0, any_text = 0;
        counts_in(m.start_frame, m.end_frame, read, credits, any_text);
        m.confidence = read > 0 ? double(credits) / read : 0.0;
        out.push_back(CreditsDecision{m, "found", credits, read});
    }
    std::sort(out.begin(), out.end(), [](const CreditsDecision& a, const CreditsDecision& b) {
        return a.marker.start_frame < b.marker.start_frame;
    });
    return out;
}

}  // namespace frameline
