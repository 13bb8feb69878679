#include "ui/chapter_commands.h"

#include <QCoreApplication>
#include <QUndoCommand>
#include <functional>
#include <memory>
#include <stdexcept>

#include "core/store/store.h"
#include "ui/review_session.h"
#include "ui/store_command.h"

namespace frameline::ui::chapter_edits {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ChapterEdits", text); }

// Runs on the worker before a dependent edit: the chapter must be stored with this range, else the edit it
// depends on did not apply (a conflict) and this one must not be made alone.
using Guard = std::function<void(Store&)>;

Guard expect_range(int64_t title_id, int64_t chapter_id, int64_t start, int64_t end, const QString& what)
{
    return [=](Store& store) {
        for (const Chapter& c : store.chapters(title_id))
            if (c.id == chapter_id && c.start_frame == start && c.end_frame == end) return;
        throw std::runtime_error(
            QStringLiteral("%1 was not made: chapter %2 was changed by someone else first — reload the chapters and "
                           "do it again")
                .arg(what)
                .arg(chapter_id)
                .toStdString());
    };
}

Review correction(const Chapter& c)
{
    Review r;
    r.entity = "chapter";
    r.id = c.id;
    r.expected_version = c.version;
    r.action = ReviewAction::Correct;
    return r;
}

// A Review run by a StoreCommand after `guard` passed.
StoreCommand* guarded_review(ReviewSession* session, const QString& text, Review review, int64_t title_id,
                             Guard guard, QUndoCommand* parent)
{
    review.reviewer = session->reviewer().toStdString();
    const int64_t shown_version = review.expected_version;
    return new StoreCommand(session, text, QStringLiteral("chapter"), review.id, title_id,
                            [review, shown_version, guard](Store& store, int64_t last_version) {
                                if (guard) guard(store);
                                Review r = review;
                                r.expected_version = last_version > 0 ? last_version : shown_version;
                                return store.review(r);
                            },
                            parent);
}

}  // namespace

QString displayName(const Chapter& c)
{
    if (!c.label.empty()) return QStringLiteral("'%1'").arg(QString::fromStdString(c.label));
    const QString kind = c.kind == ChapterKind::KeyScene ? tr("key scene")
                         : c.kind == ChapterKind::Scene  ? tr("scene")
                                                         : tr("chapter");
    return tr("the %1 at frame %2").arg(kind).arg(c.start_frame);
}

QUndoCommand* moveBoundary(ReviewSession* session, const std::optional<Chapter>& left,
                           const std::optional<Chapter>& right, int64_t boundary)
{
    const int64_t title = left ? left->title_id : right->title_id;
    if (left && right) {
        auto* parent = new QUndoCommand(
            tr("Move the boundary between %1 and %2").arg(displayName(*left), displayName(*right)));
        Review l = correction(*left);
        l.start_frame = left->start_frame;
        l.end_frame = boundary - 1;
        guarded_review(session, tr("Move the end of %1").arg(displayName(*left)), l, title, {}, parent);
        Review r = correction(*right);
        r.start_frame = boundary;
        r.end_frame = right->end_frame;
        guarded_review(session, tr("Move the start of %1").arg(displayName(*right)), r, title,
                       expect_range(title, left->id, left->start_frame, boundary - 1,
                                    tr("Moving the start of %1").arg(displayName(*right))),
                       parent);
        return parent;
    }
    const Chapter& c = left ? *left : *right;
    Review r = correction(c);
    r.start_frame = left ? c.start_frame : boundary;
    r.end_frame = left ? boundary - 1 : c.end_frame;
    return guarded_review(session,
                          left ? tr("Move the end of %1").arg(displayName(c)) : tr("Move the start of %1").arg(displayName(c)),
                          r, title, {}, nullptr);
}

QUndoCommand* rename(ReviewSession* session, const Chapter& chapter, const QString& label)
{
    Review r = correction(chapter);
    r.label = label.toStdString();
    return guarded_review(session, tr("Rename %1 to '%2'").arg(displayName(chapter), label), r, chapter.title_id, {},
                          nullptr);
}

QUndoCommand* split(ReviewSession* session, const Chapter& chapter, int64_t at, const QString& second_label)
{
    auto* parent = new QUndoCommand(tr("Split %1 at frame %2").arg(displayName(chapter)).arg(at));
    Review first = correction(chapter);
    first.start_frame = chapter.start_frame;
    first.end_frame = at - 1;
    guarded_review(session, tr("Shorten %1").arg(displayName(chapter)), first, chapter.title_id, {}, parent);
    Chapter second;
    second.title_id = chapter.title_id;
    second.kind = chapter.kind;
    second.start_frame = at;
    second.end_frame = chapter.end_frame;
    second.label = second_label.toStdString();
    second.evidence = chapter.evidence;
    const Guard guard =
        expect_range(chapter.title_id, chapter.id, chapter.start_frame, at - 1, tr("The second part of the split"));
    StoreCommand::add(session, tr("Add %1").arg(second_label), QStringLiteral("chapter"), chapter.title_id,
                      [second, guard](Store& store, const std::string& reviewer, int64_t* event) {
                          guard(store);
                          return store.add_chapter(reviewer, second, event);
                      },
                      parent);
    return parent;
}

QUndoCommand* merge(ReviewSession* session, const Chapter& first, const Chapter& second)
{
    auto* parent = new QUndoCommand(tr("Merge %1 with %2").arg(displayName(first), displayName(second)));
    const int64_t start = std::min(first.start_frame, second.start_frame);
    const int64_t end = std::max(first.end_frame, second.end_frame);
    Review grow = correction(first);
    grow.start_frame = start;
    grow.end_frame = end;
    guarded_review(session, tr("Extend %1").arg(displayName(first)), grow, first.title_id, {}, parent);
    Review drop;
    drop.entity = "chapter";
    drop.id = second.id;
    drop.expected_version = second.version;
    drop.action = ReviewAction::Reject;
    guarded_review(session, tr("Reject %1").arg(displayName(second)), drop, first.title_id,
                   expect_range(first.title_id, first.id, start, end, tr("Rejecting %1").arg(displayName(second))),
                   parent);
    return parent;
}

QUndoCommand* review(ReviewSession* session, const Chapter& chapter, ReviewAction action, QUndoCommand* parent)
{
    Review r;
    r.entity = "chapter";
    r.id = chapter.id;
    r.expected_version = chapter.version;
    r.action = action;
    const QString text = action == ReviewAction::Accept ? tr("Accept %1").arg(displayName(chapter))
                                                        : tr("Reject %1").arg(displayName(chapter));
    return StoreCommand::review(session, text, r, chapter.title_id, parent);
}

}  // namespace frameline::ui::chapter_edits
