#include "ui/store_command.h"

#include <QUndoStack>

#include "core/store/store.h"
#include "ui/review_session.h"

namespace frameline::ui {

namespace {
struct Outcome {
    frameline::ReviewResult result;
    QString error;
};
}  // namespace

StoreCommand::StoreCommand(ReviewSession* session, const QString& text, const QString& entity, qint64 id,
                           qint64 title_id, Apply apply, QUndoCommand* parent)
    : QUndoCommand(text, parent), session_(session), entity_(entity), id_(id), title_id_(title_id),
      apply_(std::move(apply))
{
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
                return o;
            }
            if (o.result.applied) {
                shared->event_id = o.result.event_id;
                shared->version = o.result.version;
            } else {
                shared->event_id = 0;
            }
            return o;
        },
        [this_text = text(), session = session_, entity = entity_, id = id_, title = title_id_, apply](Outcome o) {
            EditReport r;
            r.entity = entity;
            r.id = id;
            r.title_id = title;
            r.applied = o.result.applied && o.error.isEmpty();
            r.error = o.error;
            r.result = o.result;
            r.text = this_text;
            if (!r.applied && r.error.isEmpty()) {
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
    const int64_t id = id_;
    const std::string reviewer = session_->reviewer().toStdString();
    session_->run(
        session_,
        [shared, entity, id, reviewer](frameline::Store& store) {
            Outcome o;
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
        [this_text = text(), session = session_, entity = entity_, id = id_, title = title_id_](Outcome o) {
            if (o.error == QStringLiteral("skip")) return;
            EditReport r;
            r.entity = entity;
            r.id = id;
            r.title_id = title;
            r.applied = o.result.applied && o.error.isEmpty();
            r.error = o.error;
            r.result = o.result;
            r.text = QObject::tr("Undo %1").arg(this_text);
            session->report(r);
        });
}

}  // namespace frameline::ui
