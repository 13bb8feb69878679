#include "core/store/records.h"

namespace frameline {

const char* to_string(TitleStatus s) {
    switch (s) {
        case TitleStatus::Ingesting: return "ingesting";
        case TitleStatus::Ready: return "ready";
        case TitleStatus::Failed: return "failed";
        case TitleStatus::Cancelled: return "cancelled";
    }
    return "failed";
}

TitleStatus title_status_from_string(const std::string& s) {
    for (TitleStatus t : {TitleStatus::Ingesting, TitleStatus::Ready, TitleStatus::Failed, TitleStatus::Cancelled})
        if (s == to_string(t)) return t;
    return TitleStatus::Failed;
}

}  // namespace frameline
