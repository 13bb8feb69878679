#pragma once
// Every edit a reviewer makes is one of these on the window's undo stack (Ctrl+Z, Ctrl+Shift+Z), and each do and
// undo is a review event in the database. redo() runs `apply` on the session's worker: the first time as asked,
// after an undo again at the version that undo left. undo() asks the store to take back the event redo() made
// (Review action Undo), at the version redo() left: if somebody changed the row in between, that is a conflict
// and nothing is overwritten. Outcomes reach the views through ReviewSession::edited / conflict / failed.
#include <QUndoCommand>
#include <atomic>
#include <functional>
#include <memory>

#include "core/store/annotation_records.h"

namespace frameline {
class Store;
}

namespace frameline::ui {

class ReviewSession;

class StoreCommand : public QUndoCommand {
public:
    // `apply` gets the store and the row's version as this command last saw it (0 before the first run: use the
    // version the view showed). It returns the review result of the row that undo takes back.
    using Apply = std::function<frameline::ReviewResult(frameline::Store&, int64_t last_version)>;

    StoreCommand(ReviewSession* session, const QString& text, const QString& entity, qint64 id, qint64 title_id,
                 Apply apply, QUndoCommand* parent = nullptr);

    // The usual one: accept, reject or correct a tag, chapter, character or artwork candidate.
    static StoreCommand* review(ReviewSession* session, const QString& text, frameline::Review review,
                                qint64 title_id, QUndoCommand* parent = nullptr);
    // A person's own row (Store::add_tag, add_chapter): the first redo runs `add_row`, which returns the new id and
    // sets its "add" event (what undo takes back: the row ends rejected); a redo after that accepts the row again.
    using AddRow = std::function<int64_t(frameline::Store&, const std::string& reviewer, int64_t* event_id)>;
    static StoreCommand* add(ReviewSession* session, const QString& text, const QString& entity, qint64 title_id,
                             AddRow add_row, QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

    QString entity() const { return entity_; }
    // The row this command edits; for an add, 0 until its first redo has run on the worker.
    qint64 rowId() const { return shared_->id; }

private:
    struct Shared {       // written only on the session's worker thread, in order
        std::atomic<int64_t> id{0};  // the row (an add learns it on its first run; rowId() reads it)
        int64_t version = 0;   // of the row, as the last do/undo left it
        int64_t event_id = 0;  // the event the next undo takes back (0: the last do did not apply)
    };

    ReviewSession* session_;
    QString entity_;
    qint64 title_id_;
    Apply apply_;
    std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace frameline::ui
