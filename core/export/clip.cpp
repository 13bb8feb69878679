#include "core/export/clip.h"

#include <charconv>

#include "core/error.h"
#include "core/store/store.h"

namespace frameline {

namespace {
bool parse_int(const std::string& text, int64_t& value) {
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}
}  // namespace

ClipSelection parse_frame_range(const std::string& text) {
    const auto dash = text.find('-', 1);  // from 1: "-5-9" is a negative start, reported below, not a bad format
    ClipSelection s;
    s.kind = ClipSelection::Kind::Frames;
    if (dash == std::string::npos || !parse_int(text.substr(0, dash), s.start_frame) ||
        !parse_int(text.substr(dash + 1), s.end_frame))
        throw Error("bad frame range '" + text + "' — write FIRST-LAST, e.g. 250-499 (frames from 0, LAST included)");
    if (s.start_frame < 0) throw Error("bad frame range '" + text + "' — frames are counted from 0");
    if (s.end_frame < s.start_frame)
        throw Error("bad frame range '" + text + "': it ends before it starts — write FIRST-LAST with LAST >= FIRST");
    return s;
}

ResolvedClip resolve_clip(Store& store, const std::string& title_id_or_name, const ClipSelection& selection) {
    auto title = store.find_title(title_id_or_name);
    if (!title)
        throw Error("no title '" + title_id_or_name + "' in " + store.url() + " — list them with 'frameline-cli titles'");
    ResolvedClip clip;
    clip.title = *title;
    const std::string in_title = " in title " + std::to_string(title->id) + " '" + title->name + "'";
    switch (selection.kind) {
        case ClipSelection::Kind::Frames:
            clip.start_frame = selection.start_frame;
            clip.end_frame = selection.end_frame;
            clip.what = "frames " + std::to_string(clip.start_frame) + "-" + std::to_string(clip.end_frame);
            return clip;
        case ClipSelection::Kind::Shot: {
            const auto shots = store.shots(title->id);
            for (const Shot& s : shots) {
                if (s.index != selection.id) continue;
                clip.start_frame = s.start_frame;
                clip.end_frame = s.end_frame - 1;  // a shot's end_frame is the next shot's first frame
                clip.what = "shot " + std::to_string(s.index);
                return clip;
            }
            throw Error("no shot " + std::to_string(selection.id) + in_title + " (it has " +
                        std::to_string(shots.size()) + " shots, from 0) — see 'frameline-cli show " +
                        std::to_string(title->id) + " --json'");
        }
        case ClipSelection::Kind::Chapter:
        case ClipSelection::Kind::Scene: {
            const bool scene = selection.kind == ClipSelection::Kind::Scene;
            for (const Chapter& c : store.chapters(title->id)) {
                if (c.id != selection.id) continue;
                if (scene && c.kind == ChapterKind::Chapter)
                    throw Error("row " + std::to_string(c.id) + in_title + " is a chapter, not a scene — use --chapter " +
                                std::to_string(c.id));
                clip.start_frame = c.start_frame;
                clip.end_frame = c.end_frame;  // inclusive already
                clip.what = std::string(to_string(c.kind)) + " " + std::to_string(c.id) +
                            (c.label.empty() ? "" : " '" + c.label + "'");
                return clip;
            }
            throw Error("no " + std::string(scene ? "scene" : "chapter") + " with id " + std::to_string(selection.id) +
                        in_title + " — see the chapters of 'frameline-cli show " + std::to_string(title->id) + " --json'");
        }
    }
    throw Error("unknown clip selection");
}

}  // namespace frameline
