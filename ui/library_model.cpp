#include "ui/library_model.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include "ui/time_format.h"

namespace frameline::ui {

namespace {

QString status_text(TitleStatus status)
{
    switch (status) {
    case TitleStatus::Ingesting: return LibraryModel::tr("ingesting");
    case TitleStatus::Ready: return LibraryModel::tr("ready");
    case TitleStatus::Failed: return LibraryModel::tr("failed");
    case TitleStatus::Cancelled: return LibraryModel::tr("cancelled");
    }
    return {};
}

// "3 / 5": done of total; a dash when there is nothing to count.
QString ratio(int done, int total)
{
    return total > 0 ? QStringLiteral("%1 / %2").arg(done).arg(total) : QStringLiteral("–");
}

// Sorts by the share done, then by size: 0/3 before 0/1 would look random, 1/2 and 2/4 next to each other do not.
double ratio_key(int done, int total) { return total > 0 ? double(done) / total * 1e7 + total : -1.0; }

QDateTime review_time(const std::string& iso_utc)
{
    QDateTime at = QDateTime::fromString(QString::fromStdString(iso_utc), Qt::ISODate);
    at.setTimeSpec(Qt::UTC);
    return at.toLocalTime();
}

QString counts_tip(const ReviewCounts& c)
{
    return LibraryModel::tr("%1 accepted, %2 corrected, %3 rejected, %4 to review")
        .arg(c.accepted)
        .arg(c.corrected)
        .arg(c.rejected)
        .arg(c.proposed);
}

}  // namespace

LibraryModel::LibraryModel(QObject* parent) : QAbstractTableModel(parent) {}

bool LibraryModel::setSummaries(std::vector<TitleSummary> summaries)
{
    bool same_titles = summaries.size() == rows_.size();
    for (size_t i = 0; same_titles && i < rows_.size(); ++i) same_titles = rows_[i].title.id == summaries[i].title.id;
    if (same_titles) {
        // In place: persistent indexes (a view's selection and current row) stay where they are.
        rows_ = std::move(summaries);
        if (!rows_.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return false;
    }
    beginResetModel();
    rows_ = std::move(summaries);
    endResetModel();
    return true;
}

const TitleSummary* LibraryModel::summaryAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
    return &rows_[static_cast<size_t>(row)];
}

int LibraryModel::rowOfTitle(qint64 title_id) const
{
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].title.id == title_id) return static_cast<int>(i);
    return -1;
}

int LibraryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int LibraryModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LibraryModel::data(const QModelIndex& index, int role) const
{
    const TitleSummary* s = summaryAt(index.row());
    if (!s || index.column() < 0 || index.column() >= ColumnCount) return {};
    const TitleRecord& t = s->title;
    const bool ready = t.status == TitleStatus::Ready;
    const int chapters = s->chapters.total - s->chapters.rejected;
    if (role == TitleIdRole) return QVariant::fromValue<qint64>(t.id);

    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(t.name);
        case StatusColumn: return status_text(t.status);
        case DurationColumn: return t.duration_s > 0 ? format_time(t.duration_s, false) : QString();
        case ShotsColumn: return ready ? QVariant(t.shot_count) : QVariant();
        case FramesColumn: return ready ? QVariant(qlonglong(s->sampled_frames)) : QVariant();
        case TagsColumn: return ratio(s->tags.reviewed(), s->tags.total);
        case CharactersColumn: return ratio(s->characters_named, s->characters_kept);
        case ChaptersColumn: return chapters > 0 ? QString::number(chapters) : QStringLiteral("–");
        case ArtworkColumn: return ratio(s->artwork_picked(), s->artwork.total);
        case LastReviewColumn:
            return s->last_review_at.empty() ? tr("never")
                                             : review_time(s->last_review_at).toString(QStringLiteral("yyyy-MM-dd hh:mm"));
        case ReviewerColumn: return QString::fromStdString(s->last_reviewer);
        }
        return {};
    }

    if (role == SortRole) {
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(t.name).toLower();
        case StatusColumn: return static_cast<int>(t.status);
        case DurationColumn: return t.duration_s;
        case ShotsColumn: return ready ? t.shot_count : -1;
        case FramesColumn: return ready ? qlonglong(s->sampled_frames) : qlonglong(-1);
        case TagsColumn: return ratio_key(s->tags.reviewed(), s->tags.total);
        case CharactersColumn: return ratio_key(s->characters_named, s->characters_kept);
        case ChaptersColumn: return chapters;
        case ArtworkColumn: return ratio_key(s->artwork_picked(), s->artwork.total);
        case LastReviewColumn: return QString::fromStdString(s->last_review_at);  // ISO 8601 sorts as text
        case ReviewerColumn: return QString::fromStdString(s->last_reviewer).toLower();
        }
        return {};
    }

    if (role == ProgressRole && index.column() == TagsColumn)
        return s->tags.total > 0 ? double(s->tags.reviewed()) / s->tags.total : -1.0;

    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case NameColumn:
        case StatusColumn:
        case LastReviewColumn:
        case ReviewerColumn: return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        default: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        }
    }

    if (role == Qt::ForegroundRole && index.column() == LastReviewColumn && s->last_review_at.empty())
        return QBrush(QColor(0x80, 0x80, 0x80));
    if (role == Qt::ForegroundRole && index.column() == StatusColumn &&
        (t.status == TitleStatus::Failed || t.status == TitleStatus::Cancelled))
        return QBrush(QColor(0xc0, 0x39, 0x2b));

    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(t.media_path);
        case StatusColumn:
            if (!t.status_message.empty()) return QString::fromStdString(t.status_message);
            return t.status == TitleStatus::Ingesting ? tr("Being analysed; the counts fill in when it is ready")
                                                      : QVariant();
        case TagsColumn:
            return s->tags.total > 0
                       ? tr("%1 of %2 tags reviewed: %3").arg(s->tags.reviewed()).arg(s->tags.total).arg(counts_tip(s->tags))
                       : tr("No tag proposals");
        case CharactersColumn:
            return s->characters.total > 0
                       ? tr("%1 of %2 characters named (%3 merged away or rejected)")
                             .arg(s->characters_named)
                             .arg(s->characters_kept)
                             .arg(s->characters.rejected)
                       : tr("No face clusters");
        case ChaptersColumn:
            return tr("%1 chapters, %2 key scenes, %3 scenes (rejected ones not counted); %4 of %5 reviewed")
                .arg(chapters)
                .arg(s->key_scenes.total - s->key_scenes.rejected)
                .arg(s->scenes.total - s->scenes.rejected)
                .arg(s->chapters.reviewed() + s->key_scenes.reviewed() + s->scenes.reviewed())
                .arg(s->chapters.total + s->key_scenes.total + s->scenes.total);
        case ArtworkColumn:
            return s->artwork.total > 0 ? tr("%1 of %2 candidates picked; %3")
                                              .arg(s->artwork_picked())
                                              .arg(s->artwork.total)
                                              .arg(counts_tip(s->artwork))
                                        : tr("No artwork candidates");
        case LastReviewColumn:
            return s->last_review_at.empty()
                       ? tr("Nobody has reviewed anything in this title yet")
                       : tr("%1 (%2 UTC)")
                             .arg(review_time(s->last_review_at).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")),
                                  QString::fromStdString(s->last_review_at));
        }
        return {};
    }
    return {};
}

QVariant LibraryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn: return tr("Title");
        case StatusColumn: return tr("Status");
        case DurationColumn: return tr("Duration");
        case ShotsColumn: return tr("Shots");
        case FramesColumn: return tr("Frames");
        case TagsColumn: return tr("Tags reviewed");
        case CharactersColumn: return tr("Named");
        case ChaptersColumn: return tr("Chapters");
        case ArtworkColumn: return tr("Artwork");
        case LastReviewColumn: return tr("Last review");
        case ReviewerColumn: return tr("By");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case FramesColumn: return tr("Sampled frames (the pictures the models looked at)");
        case TagsColumn: return tr("Tags accepted, corrected or rejected / all tag proposals");
        case CharactersColumn: return tr("Characters with a name / characters not merged away or rejected");
        case ChaptersColumn: return tr("Chapters not rejected");
        case ArtworkColumn: return tr("Candidates picked (accepted or corrected) / all candidates");
        case LastReviewColumn: return tr("The newest review event of the title, in local time");
        case ReviewerColumn: return tr("Who made the newest review event");
        }
    }
    return {};
}

}  // namespace frameline::ui
