#include "core/sampling/shot.h"

namespace frameline {

const char* to_string(Transition t) {
    switch (t) {
        case Transition::None: return "none";
        case Transition::Cut: return "cut";
        case Transition::Fade: return "fade";
        case Transition::Dissolve: return "dissolve";
    }
    return "none";
}

std::optional<Transition> transition_from_string(const std::string& s) {
    for (Transition t : {Transition::None, Transition::Cut, Transition::Fade, Transition::Dissolve})
        if (s == to_string(t)) return t;
    return std::nullopt;
}

}  // namespace frameline
