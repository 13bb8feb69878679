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
#include <map>

#include "core/store/store.h"
#include "ui/time_format.h"

namespace frameline::ui {

namespace {
constexpr int kMaxEvidenceFrames = 6;
constexpr int kTitleWideFrames = 5;

QString shot_scope(const frameline::Shot& shot)
{
    return QObject::tr("Shot %1 · %2–%3")
        .arg(shot.index + 1)
        .arg(format_time(shot.start_s), format_time(shot.end_s));
}

// Every `step`-th of `frames` so that `count` of them spread over the whole range.
QList<const FrameRecord*> spread(const std::vector<const FrameRecord*>& frames, int count)
{
    QList<const FrameRecord*> out;
    if (frames.empty()) return out;
    const int n = static_cast<int>(frames.size());
    if (n <= count) {
        for (const FrameRecord* f : frames) out.append(f);
        return out;
    }
    for (int i = 0; i < count; ++i) out.append(frames[static_cast<size_t>((i * (n - 1)) / (count - 1))]);
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

TagPage load_tag_page(frameline::Store& store, qint64 title_id)
{
    TagPage page;
    page.title_id = title_id;
    if (title_id <= 0) return page;
    const std::vector<frameline::Shot> shots = store.shots(title_id);
    const std::vector<FrameRecord> frames = store.frames(title_id);  // ordered by frame index
    std::map<int64_t, std::string> run_models;
    for (const ModelRun& run : store.model_runs(title_id)) run_models[run.id] = run.model;
    for (const frameline::Shot& s : shots) page.shots.append({s.index, shot_scope(s)});

    std::vector<const FrameRecord*> all_frames;
    std::map<int, std::vector<const FrameRecord*>> shot_frames;
    for (const FrameRecord& f : frames) {
        all_frames.push_back(&f);
        shot_frames[f.shot_index].push_back(&f);
    }
    // The sampled frame nearest to `index`: evidence may name a frame that was analysed but has no thumbnail.
    auto nearest = [&](qint64 index) -> const FrameRecord* {
        if (all_frames.empty()) return nullptr;
        auto it = std::lower_bound(all_frames.begin(), all_frames.end(), index,
                                   [](const FrameRecord* f, qint64 i) { return f->frame_index < i; });
        if (it == all_frames.end()) return all_frames.back();
        if (it != all_frames.begin() && index - (*(it - 1))->frame_index < (*it)->frame_index - index) return *(it - 1);
        return *it;
    };

    QSet<QString> models;
    for (const frameline::Tag& t : store.tags(title_id)) {
        TagRow row;
        row.tag = t;
        if (t.source == "human" || t.run_id == 0) row.model = QStringLiteral("human");
        else {
            auto it = run_models.find(t.run_id);
            row.model = it != run_models.end() ? QString::fromStdString(it->second) : QStringLiteral("run %1").arg(t.run_id);
        }
        models.insert(row.model);
        const frameline::Shot* shot = nullptr;
        for (const frameline::Shot& s : shots)
            if (s.index == t.shot_index) shot = &s;
        if (t.shot_index < 0) row.scope = QObject::tr("Whole title");
        else if (shot) row.scope = shot_scope(*shot);
        else row.scope = QObject::tr("Shot %1").arg(t.shot_index + 1);
        row.start_s = shot ? shot->start_s : -1.0;  // title-wide tags first in time order

        QList<const FrameRecord*> evidence;
        for (qint64 index : evidence_frames_from_json(t.evidence)) {
            const FrameRecord* f = nearest(index);
            if (f && !evidence.contains(f)) evidence.append(f);
            if (evidence.size() >= kMaxEvidenceFrames) break;
        }
        if (evidence.isEmpty()) {
            if (t.shot_index >= 0) evidence = spread(shot_frames[t.shot_index], kMaxEvidenceFrames);
            else evidence = spread(all_frames, kTitleWideFrames);
        }
        for (const FrameRecord* f : evidence) {
            row.evidence_frame_ids.append(f->id);
            row.evidence_frame_indices.append(f->frame_index);
        }
        page.rows.push_back(std::move(row));
    }
    page.models = QStringList(models.begin(), models.end());
    page.models.sort();
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

TagReviewModel::TagReviewModel(QObject* parent) : QAbstractTableModel(parent) {}

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
        case SearchTextRole: return QString::fromStdString(t.label + "\n" + t.category);
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

void TagReviewModel::setRows(std::vector<TagRow> rows)
{
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
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

int TagReviewModel::reviewedCount() const
{
    return static_cast<int>(std::count_if(rows_.begin(), rows_.end(),
                                          [](const TagRow& r) { return r.tag.state != ReviewState::Proposed; }));
}

}  // namespace frameline::ui
