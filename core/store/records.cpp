#include "core/store/records.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

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

const char* to_string(ReviewState s) {
    switch (s) {
        case ReviewState::Proposed: return "proposed";
        case ReviewState::Accepted: return "accepted";
        case ReviewState::Rejected: return "rejected";
        case ReviewState::Corrected: return "corrected";
    }
    return "proposed";
}

const char* to_string(ReviewAction a) {
    switch (a) {
        case ReviewAction::Accept: return "accept";
        case ReviewAction::Reject: return "reject";
        case ReviewAction::Correct: return "correct";
        case ReviewAction::Undo: return "undo";
    }
    return "accept";
}

ReviewState review_state_from_string(const std::string& s) {
    for (ReviewState r : {ReviewState::Proposed, ReviewState::Accepted, ReviewState::Rejected, ReviewState::Corrected})
        if (s == to_string(r)) return r;
    return ReviewState::Proposed;
}

std::string default_reviewer() {
    if (const char* named = std::getenv("FRAMELINE_REVIEWER"); named && *named) return named;
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
    return "uid " + std::to_string(geteuid());
}

TitleStatus title_status_from_string(const std::string& s) {
    for (TitleStatus t : {TitleStatus::Ingesting, TitleStatus::Ready, TitleStatus::Failed, TitleStatus::Cancelled})
        if (s == to_string(t)) return t;
    return TitleStatus::Failed;
}

}  // namespace frameline

#include "core/store/annotation_records.h"

namespace frameline {

const char* to_string(ChapterKind k) {
    switch (k) {
        case ChapterKind::Scene: return "scene";
        case ChapterKind::Chapter: return "chapter";
        case ChapterKind::KeyScene: return "key_scene";
    }
    return "scene";
}

ChapterKind chapter_kind_from_string(const std::string& s) {
    for (ChapterKind k : {ChapterKind::Scene, ChapterKind::Chapter, ChapterKind::KeyScene})
        if (s == to_string(k)) return k;
    return ChapterKind::Scene;
}

const char* to_string(JobState s) {
    switch (s) {
        case JobState::Queued: return "queued";
        case JobState::Running: return "running";
        case JobState::Done: return "done";
        case JobState::Failed: return "failed";
        case JobState::Cancelled: return "cancelled";
    }
    return "failed";
}

JobState job_state_from_string(const std::string& s) {
    for (JobState j : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled})
        if (s == to_string(j)) return j;
    return JobState::Failed;
}

}  // namespace frameline
