#include "core/media/media_info.h"

namespace frameline {

const char* to_string(StreamKind kind) {
    switch (kind) {
        case StreamKind::Video: return "video";
        case StreamKind::Audio: return "audio";
        case StreamKind::Subtitle: return "subtitle";
        case StreamKind::Other: break;
    }
    return "other";
}

}  // namespace frameline
