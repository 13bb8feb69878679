#include "ui/store_command.h"

#include <QUndoStack>

#include "core/store/store.h"
#include "ui/review_session.h"

namespace frameline::ui {

namespace {
struct Outcome {
    int64_t id = 0;
    frameline::ReviewResult result;
    QString error;
};

}  // namespace

StoreCommand::StoreCommand(ReviewSession* session, const QString& text, const QString& entity, qint64 id,
                           qint64 title_id, Apply apply, QUndoCommand* parent)
    : QUndoCommand(text, parent), session_(session), entity_(entity), title_id_(title_id), apply_(std::move(apply))
{
    shared_->id = id;
}

StoreCommand* StoreCommand::add(ReviewSession* session, const QString& text, const QString& entity, qint64 title_id,
                                AddRow add_row, QUndoCommand* parent)
{
    auto* command = new StoreCommand(session, text, entity, 0, title_id, {}, parent);
    const std::string reviewer = session->reviewer().toStdString();
    const std::string kind = entity.toStdString();
    // The lambda reaches the command's shared state, not the command: it may run after the command is gone.
    std::weak_ptr<Shared> cell = command->shared_;
    command->apply_ = [cell, add_row, reviewer, kind](frameline::Store& store, int64_t last_version) {
        auto shared = cell.lock();
        frameline::ReviewResult r;
        if (!shared) return r;
        if (shared->id == 0) {
            shared->id = add_row(store, reviewer, &r.event_id);
            r.applied = true;
            r.state = frameline::ReviewState::Accepted;
            r.version = 1;
            return r;
        }
        frameline::Review accept;  // a redo after undo left it rejected: the same row back
        accept.entity = kind;
        accept.id = shared->id;
        accept.expected_version = last_version;
        accept.reviewer = reviewer;
        accept.action = frameline::ReviewAction::Accept;
        return store.review(accept);
    };
    return command;
}

StoreCommand* StoreCommand::review(ReviewSession* session, const QString& text, frameline::Review review,
                                   qint64 title_id, QUndoCommand* parent)
{
    review.reviewer = session->reviewer().toStdString();
    const int64_t shown_version = review.expected_version;
    return new StoreCommand(session, text, QString::fromStdString(review.entity), review.id, title_id,
                            [review, shown_version](frameline::Store& store, int64_t last_version) {
                                frameline::Review r = review;
                                r.expected_version = last_version > 0 ? last_version : shown_version;
                                return store.review(r);
                            },
                            parent);
}

void StoreCommand::redo()
{
    if (!apply_) {  // a macro: QUndoCommand runs the children
        QUndoCommand::redo();
        return;
    }
    auto shared = shared_;
    Apply apply = apply_;
    session_->run(
        session_,
        [shared, apply](frameline::Store& store) {
            Outcome o;
            try {
                o.result = apply(store, shared->version);
            } catch (const std::exception& e) {
                o.error = QString::fromUtf8(e.what());
                o.id = shared->id;
                return o;
            }
            o.id = shared->id;
            if (o.result.applied) {
                shared->event_id = o.result.event_id;
                shared->version = o.result.version;
            } else {
                shared->event_id = 0;
            }
            return o;
        },
        [this_text = text(), session = session_, entity = entity_, title = title_id_, apply](Outcome o) {
            // A conflict on a merge's or move's target names that character, not the one the edit started from.
            const int64_t id = o.result.conflict_id != 0 ? o.result.conflict_id : o.id;
            EditReport r;
            r.entity = entity;
            r.id = id;
            r.title_id = title;
            r.applied = o.result.applied && o.error.isEmpty();
            r.error = o.error;
            r.result = o.result;
            r.text = this_text;
            // "Use mine" makes the edit again over the stored row; over a changed target there is no such version.
            if (!r.applied && r.error.isEmpty() && o.result.conflict_id == 0) {
                const int64_t stored_version = o.result.version;
                r.retry = [session, this_text, entity, id, title, apply, stored_version] {
                    session->undoStack()->push(new StoreCommand(
                        session, this_text, entity, id, title,
                        [apply, stored_version](frameline::Store& store, int64_t last_version) {
                            return apply(store, last_version > 0 ? last_version : stored_version);
                        }));
                };
            }
            session->report(r);
        });
}

void StoreCommand::undo()
{
    if (!apply_) {
        QUndoCommand::undo();
        return;
    }
    auto shared = shared_;
    const std::string entity = entity_.toStdString();
    const std::string reviewer = session_->reviewer().toStdString();
    session_->run(
        session_,
        [shared, entity, reviewer](frameline::Store& store) {
            const int64_t id = shared->id;
            Outcome o;
            o.id = id;
            if (shared->event_id == 0) {  // the do never applied (a conflict or an error): nothing to take back
                o.result.applied = true;
                o.result.version = shared->version;
                o.error = QStringLiteral("skip");
                return o;
            }
            frameline::Review r;
            r.entity = entity;
            r.id = id;
            r.expected_version = shared->version;
            r.reviewer = reviewer;
            r.action = frameline::ReviewAction::Undo;
            r.undo_event = shared->event_id;
            try {
                o.result = store.review(r);
            } catch (const std::exception& e) {
                o.error = QString::fromUtf8(e.what());
                return o;
            }
            if (o.result.applied) shared->version = o.result.version;
            shared->event_id = 0;
            return o;
        },
        [this_text = text(), session = session_, entity = entity_, title = title_id_](Outcome o) {
            if (o.error == QStringLiteral("skip")) return;
            EditReport r;
            r.entity = entity;
            r.id = o.id;
            r.title_id = title;
            r.applied = o.result.applied && o.error.isEmpty();
            r.error = o.error;
            r.result = o.result;
            r.text = QObject::tr("Undo %1").arg(this_text);
            r.undo = true;
            session->report(r);
        });
}

}  // namespace frameline::ui
