#pragma once
// The chapter editor's edits as undo commands (one undo step each): a moved boundary (one chapter, or the two
// chapters that share it), a rename, a split (the first part corrected + the second part added), a merge (the first
// corrected to cover both + the second rejected), accept and reject. Each is a StoreCommand, or a parent
// QUndoCommand whose StoreCommand children run in order on the session's worker. A child that depends on an
// earlier one (the second half of a shared boundary, the add of a split, the reject of a merge) checks that the
// earlier one was stored as asked; if somebody changed it first, the later part is not made either (one line in
// ReviewSession::failed) and the earlier one is reported as a conflict.
#include <QString>
#include <optional>

#include "core/store/annotation_records.h"

class QUndoCommand;

namespace frameline::ui {

class ReviewSession;

namespace chapter_edits {

// `left` ends at `boundary - 1`, `right` starts at `boundary` (either may be absent; at least one is given).
QUndoCommand* moveBoundary(ReviewSession* session, const std::optional<Chapter>& left,
                           const std::optional<Chapter>& right, int64_t boundary);
QUndoCommand* rename(ReviewSession* session, const Chapter& chapter, const QString& label);
// `at` is the first frame of the second part: chapter.start_frame < at <= chapter.end_frame.
QUndoCommand* split(ReviewSession* session, const Chapter& chapter, int64_t at, const QString& second_label);
// `first` covers both afterwards; `second` is rejected.
QUndoCommand* merge(ReviewSession* session, const Chapter& first, const Chapter& second);
QUndoCommand* review(ReviewSession* session, const Chapter& chapter, ReviewAction action,
                     QUndoCommand* parent = nullptr);

// How a chapter is named in undo texts and messages: its label, else its kind and first frame.
QString displayName(const Chapter& chapter);

}  // namespace chapter_edits
}  // namespace frameline::ui
