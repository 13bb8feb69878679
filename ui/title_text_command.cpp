#include "ui/title_text_command.h"

#include <algorithm>
#include <stdexcept>

#include "core/store/store.h"
#include "ui/review_session.h"

namespace frameline::ui {

namespace {
struct Outcome {
    qint64 id = 0;  // the text this edit added (or, for a pure removal, removed)
    QString error;
};

bool same_text(const frameline::TitleText& a, const frameline::TitleText& b)
{
    return a.kind == b.kind && a.source == b.source && a.language == b.language && a.text == b.text &&
           a.created_at == b.created_at;
}

// Deletes `gone` and stores `back` again, writing their new ids and dates into `back`. A text is found by what it
// is (kind, source, language, text, date), not by its id: an undo of a delete stores the text again under a new
// id, and an earlier command on the stack must still find it. Nothing changes when one of `gone` is missing.
qint64 swap_texts(frameline::Store& store, qint64 title_id, const std::vector<frameline::TitleText>& gone,
                  std::vector<frameline::TitleText>& back)
{
    std::vector<frameline::TitleText> stored = store.title_texts(title_id);
    std::vector<int64_t> ids;
    for (const frameline::TitleText& t : gone) {
        auto it = std::find_if(stored.begin(), stored.end(), [&](const frameline::TitleText& s) {
            return same_text(s, t) && std::find(ids.begin(), ids.end(), s.id) == ids.end();
        });
        if (it == stored.end()) {
            std::string first = t.text.substr(0, 40);
            throw std::runtime_error("the " + t.kind + " \"" + first + (t.text.size() > 40 ? "..." : "") +
                                     "\" is no longer in the database (changed elsewhere): nothing was changed; "
                                     "reload the title to see what is stored");
        }
        ids.push_back(it->id);
    }
    for (int64_t id : ids) store.delete_title_text(id);
    for (frameline::TitleText& t : back) {
        t.id = store.add_title_text(t);
        if (t.created_at.empty())  // the store dated it: keep that date, it is part of what identifies the text
            for (const frameline::TitleText& s : store.title_texts(title_id))
                if (s.id == t.id) t.created_at = s.created_at;
    }
    if (!back.empty()) return back.front().id;
    return ids.empty() ? 0 : ids.front();
}
}  // namespace

TitleTextCommand::TitleTextCommand(ReviewSession* session, const QString& text, qint64 title_id,
                                   std::vector<frameline::TitleText> remove, std::vector<frameline::TitleText> add,
                                   QUndoCommand* parent)
    : QUndoCommand(text, parent), session_(session), title_id_(title_id)
{
    for (frameline::TitleText& t : add) t.title_id = title_id;
    shared_->remove = std::move(remove);
    shared_->add = std::move(add);
}

void TitleTextCommand::redo() { post(false); }
void TitleTextCommand::undo() { post(true); }

void TitleTextCommand::post(bool undo)
{
    auto shared = shared_;
    session_->run(
        session_,
        [shared, undo, title = title_id_](frameline::Store& store) {
            Outcome o;
            try {
                o.id = undo ? swap_texts(store, title, shared->add, shared->remove)
                            : swap_texts(store, title, shared->remove, shared->add);
            } catch (const std::exception& e) {
                o.error = QString::fromUtf8(e.what());
            }
            return o;
        },
        [session = session_, title = title_id_, text = text(), undo](Outcome o) {
            EditReport r;
            r.entity = QStringLiteral("title_text");
            r.id = o.id;
            r.title_id = title;
            r.applied = o.error.isEmpty();
            r.error = o.error;
            r.text = text;
            r.undo = undo;
            session->report(r);
        });
}

}  // namespace frameline::ui
