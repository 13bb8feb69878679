#include "ui/tag_review_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QSet>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <limits>
#include <map>

#include "core/store/store.h"
#include "ui/review_session.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
constexpr int kMaxEvidenceFrames = 6;
constexpr int kTitleWideFrames = 5;

QString shot_scope(const frameline::TagQueueRow& row)
{
    if (row.tag.shot_index < 0) return QObject::tr("Whole title");
    if (row.start_s < 0) return QObject::tr("Shot %1").arg(row.tag.shot_index + 1);
    return QObject::tr("Shot %1 · %2–%3")
        .arg(row.tag.shot_index + 1)
        .arg(format_time(row.start_s), format_time(row.end_s));
}

// `count` of `frames`, spread evenly over the whole range.
std::vector<FrameRef> spread(const std::vector<FrameRef>& frames, int count)
{
    const int n = static_cast<int>(frames.size());
    if (n <= count) return frames;
    std::vector<FrameRef> out;
    for (int i = 0; i < count; ++i) out.push_back(frames[static_cast<size_t>((i * (n - 1)) / (count - 1))]);
    return out;
}
}  // namespace

QList<qint64> evidence_frames_from_json(const std::string& evidence)
{
    QList<qint64> out;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(evidence));
    const QJsonArray frames = doc.object().value(QStringLiteral("frames")).toArray();
    for (const QJsonValue& v : frames) {
        if (v.isDouble()) out.append(static_cast<qint64>(v.toDouble()));
        else if (v.isObject() && v.toObject().value(QStringLiteral("frame")).isDouble())
            out.append(static_cast<qint64>(v.toObject().value(QStringLiteral("frame")).toDouble()));
    }
    return out;
}

TagPage load_tag_page(frameline::Store& store, const frameline::TagQueueQuery& query)
{
    TagPage page;
    if (query.title_id <= 0) {
        page.last = true;
        return page;
    }
    std::vector<frameline::TagQueueRow> rows = store.tag_queue(query);
    page.last = static_cast<int>(rows.size()) < query.limit;

    // The evidence of this page only: the frames its tags name (each mapped to the nearest sampled frame: evidence
    // may name a frame that was analysed but has no thumbnail), else frames spread over the tag's shot, else over the
    // whole title. A few indexed queries per page, whatever the title's length.
    std::vector<QList<qint64>> named(rows.size());
    std::vector<int64_t> wanted;
    std::vector<int> shots;
    bool title_wide = false;
    for (size_t i = 0; i < rows.size(); ++i) {
        named[i] = evidence_frames_from_json(rows[i].tag.evidence);
        for (qint64 f : named[i]) wanted.push_back(f);
        if (named[i].isEmpty() && rows[i].tag.shot_index >= 0) shots.push_back(rows[i].tag.shot_index);
        if (named[i].isEmpty() && rows[i].tag.shot_index < 0) title_wide = true;
    }
    std::map<int64_t, FrameRef> nearest;
    if (!wanted.empty()) {
        const std::vector<FrameRef> found = store.frames_nearest(query.title_id, wanted);
        for (size_t i = 0; i < found.size(); ++i) nearest[wanted[i]] = found[i];
    }
    std::map<int, std::vector<FrameRef>> shot_frames;
    for (const FrameRef& f : store.frames_of_shots(query.title_id, shots)) shot_frames[f.shot_index].push_back(f);
    std::vector<FrameRef> across_title;
    if (title_wide) {
        const std::vector<FrameRef> last = store.frames_nearest(query.title_id, {std::numeric_limits<int64_t>::max()});
        std::vector<int64_t> spaced;
        for (int i = 0; !last.empty() && i < kTitleWideFrames; ++i)
            spaced.push_back(last[0].frame_index * i / (kTitleWideFrames - 1));
        for (const FrameRef& f : store.frames_nearest(query.title_id, spaced))
            if (across_title.empty() || across_title.back().id != f.id) across_title.push_back(f);
    }

    for (size_t i = 0; i < rows.size(); ++i) {
        frameline::TagQueueRow& q = rows[i];
        TagRow row;
        row.model = QString::fromStdString(q.model);
        row.scope = shot_scope(q);
        row.start_s = q.start_s;
        row.key = q.key;
        std::vector<FrameRef> evidence;
        for (qint64 index : named[i]) {
            auto it = nearest.find(index);
            if (it == nearest.end()) continue;
            const bool seen = std::any_of(evidence.begin(), evidence.end(),
                                          [&](const FrameRef& f) { return f.id == it->second.id; });
            if (!seen) evidence.push_back(it->second);
            if (static_cast<int>(evidence.size()) >= kMaxEvidenceFrames) break;
        }
        if (evidence.empty())
            evidence = q.tag.shot_index >= 0 ? spread(shot_frames[q.tag.shot_index], kMaxEvidenceFrames) : across_title;
        for (const FrameRef& f : evidence) {
            row.evidence_frame_ids.append(f.id);
            row.evidence_frame_indices.append(f.frame_index);
        }
        row.tag = std::move(q.tag);
        page.rows.push_back(std::move(row));
    }
    return page;
}

QString review_state_text(frameline::ReviewState state)
{
    switch (state) {
        case ReviewState::Proposed: return QObject::tr("proposed");
        case ReviewState::Accepted: return QObject::tr("accepted");
        case ReviewState::Rejected: return QObject::tr("rejected");
        case ReviewState::Corrected: return QObject::tr("corrected");
    }
    return {};
}

TagReviewModel::TagReviewModel(ReviewSession* session, QObject* parent)
    : QAbstractTableModel(parent), session_(session)
{
}

int TagReviewModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TagReviewModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TagReviewModel::data(const QModelIndex& index, int role) const
{
    const TagRow* r = rowAt(index.row());
    if (!r) return {};
    const frameline::Tag& t = r->tag;
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case Label: return QString::fromStdString(t.label);
                case Category: return QString::fromStdString(t.category);
                case Scope: return r->scope;
                case Confidence: return QString::number(t.confidence, 'f', 2);
                case Model: return r->model;
                case State: return review_state_text(t.state);
            }
            return {};
        case Qt::ToolTipRole:
            return tr("%1 (%2), %3 — confidence %4 from %5; %6")
                .arg(QString::fromStdString(t.label), QString::fromStdString(t.category), r->scope)
                .arg(t.confidence, 0, 'f', 2)
                .arg(r->model, review_state_text(t.state));
        case Qt::ForegroundRole:
            if (t.state == ReviewState::Rejected) return QBrush(QColor(150, 150, 150));
            return {};
        case Qt::BackgroundRole:
            if (index.column() != State) return {};
            switch (t.state) {
                case ReviewState::Accepted: return QBrush(QColor(200, 235, 200));
                case ReviewState::Corrected: return QBrush(QColor(205, 220, 245));
                case ReviewState::Rejected: return QBrush(QColor(240, 210, 210));
                case ReviewState::Proposed: return {};
            }
            return {};
        case Qt::FontRole:
            if (index.column() == Label && t.state == ReviewState::Rejected) {
                QFont f;
                f.setStrikeOut(true);
                return f;
            }
            return {};
        case IdRole: return static_cast<qint64>(t.id);
        case ConfidenceRole: return t.confidence;
        case StateRole: return static_cast<int>(t.state);
        case StartRole: return r->start_s;
        case ModelRole: return r->model;
    }
    return {};
}

QVariant TagReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Label: return tr("Tag");
        case Category: return tr("Category");
        case Scope: return tr("Scope");
        case Confidence: return tr("Confidence");
        case Model: return tr("Model");
        case State: return tr("State");
    }
    return {};
}

bool TagReviewModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && title_id_ > 0 && !last_ && !loading_;
}

void TagReviewModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) return;
    frameline::TagQueueQuery query{title_id_, filter_, order_, std::nullopt, kPageRows};
    if (!rows_.empty()) query.after = rows_.back().key;
    read(std::move(query), false);
}

void TagReviewModel::setQuery(qint64 title_id, const frameline::TagQueueFilter& filter, frameline::TagQueueOrder order)
{
    ++generation_;
    title_id_ = title_id;
    filter_ = filter;
    order_ = order;
    beginResetModel();
    rows_.clear();
    last_ = title_id <= 0;
    loading_ = false;
    endResetModel();
    if (title_id > 0) read(frameline::TagQueueQuery{title_id, filter, order, std::nullopt, kPageRows}, true);
    else Q_EMIT pageLoaded(true);
}

void TagReviewModel::reload()
{
    if (title_id_ <= 0) return;
    ++generation_;  // a page on its way would land after rows this read replaces
    const int limit = std::max(kPageRows, static_cast<int>(rows_.size()));
    read(frameline::TagQueueQuery{title_id_, filter_, order_, std::nullopt, limit}, true);
}

void TagReviewModel::read(frameline::TagQueueQuery query, bool reset)
{
    loading_ = true;
    const quint64 generation = generation_;
    session_->read(
        this, [query](frameline::Store& store) { return load_tag_page(store, query); },
        [this, generation, reset](TagPage page) {
            if (generation != generation_) return;  // the query changed meanwhile
            loading_ = false;
            last_ = page.last;
            if (reset) {
                beginResetModel();
                rows_ = std::move(page.rows);
                endResetModel();
            } else if (!page.rows.empty()) {
                const int first = static_cast<int>(rows_.size());
                beginInsertRows({}, first, first + static_cast<int>(page.rows.size()) - 1);
                for (TagRow& r : page.rows) rows_.push_back(std::move(r));
                endInsertRows();
            }
            Q_EMIT pageLoaded(reset);
        },
        [this, generation](const QString& error) {
            if (generation != generation_) return;
            loading_ = false;
            Q_EMIT loadFailed(error);
        });
}

const TagRow* TagReviewModel::rowAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
    return &rows_[static_cast<size_t>(row)];
}

int TagReviewModel::rowOf(qint64 tag_id) const
{
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].tag.id == tag_id) return static_cast<int>(i);
    return -1;
}

bool TagReviewModel::applyResult(qint64 tag_id, const frameline::ReviewResult& result)
{
    const int row = rowOf(tag_id);
    if (row < 0) return false;
    frameline::Tag& t = rows_[static_cast<size_t>(row)].tag;
    t.state = result.state;
    t.version = result.version;
    const QJsonObject snapshot = QJsonDocument::fromJson(QByteArray::fromStdString(result.snapshot)).object();
    if (snapshot.value(QStringLiteral("label")).isString())
        t.label = snapshot.value(QStringLiteral("label")).toString().toStdString();
    if (snapshot.value(QStringLiteral("category")).isString())
        t.category = snapshot.value(QStringLiteral("category")).toString().toStdString();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

}  // namespace frameline::ui
