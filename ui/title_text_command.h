#pragma once
// An edit of a title's texts (synopsis, description, reviews) as one undo command: redo removes the texts in
// `remove` and adds those in `add`, undo takes that back (the added ones go, the removed ones come back with their
// kind, source, language, text and date; the store gives them new ids; texts are found by what they are, not by id, so
// every command on the stack still finds the text after another one's undo stored it again). It runs on the session's writer, in order
// with every other edit, through the same Store functions the CLI's `title-text` command uses. Title texts are facts
// a person enters, not reviewed proposals, so there is no version to check: the last edit wins, as on the CLI.
// Outcomes reach the views as EditReport entity "title_text" (ReviewSession::edited / editFailed).
#include <QUndoCommand>
#include <memory>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline::ui {

class ReviewSession;

class TitleTextCommand : public QUndoCommand {
public:
    TitleTextCommand(ReviewSession* session, const QString& text, qint64 title_id,
                     std::vector<frameline::TitleText> remove, std::vector<frameline::TitleText> add,
                     QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

private:
    struct Shared {  // touched only on the session's writer thread, in order
        std::vector<frameline::TitleText> remove;  // what redo deletes (found by content, see swap_texts)
        std::vector<frameline::TitleText> add;     // what redo stores; its date once stored
    };
    void post(bool undo);

    ReviewSession* session_;
    qint64 title_id_;
    std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace frameline::ui
