#include "ui/title_list_model.h"

#include <QBrush>
#include <QColor>

#include "ui/time_format.h"

namespace frameline::ui {

TitleListModel::TitleListModel(QObject* parent) : QAbstractTableModel(parent) {}

void TitleListModel::setTitles(std::vector<TitleRecord> titles)
{
    // A full reset is fine for a first slice: the list is small and views keep their selection by id (MainWindow).
    beginResetModel();
    titles_ = std::move(titles);
    endResetModel();
}

const TitleRecord* TitleListModel::titleAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(titles_.size())) return nullptr;
    return &titles_[static_cast<size_t>(row)];
}

int TitleListModel::rowOfTitle(qint64 title_id) const
{
    for (size_t i = 0; i < titles_.size(); ++i)
        if (titles_[i].id == title_id) return static_cast<int>(i);
    return -1;
}

int TitleListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(titles_.size());
}

int TitleListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

static QString status_text(TitleStatus status)
{
    switch (status) {
    case TitleStatus::Ingesting: return TitleListModel::tr("ingesting");
    case TitleStatus::Ready: return TitleListModel::tr("ready");
    case TitleStatus::Failed: return TitleListModel::tr("failed");
    case TitleStatus::Cancelled: return TitleListModel::tr("cancelled");
    }
    return {};
}

QVariant TitleListModel::data(const QModelIndex& index, int role) const
{
    const TitleRecord* t = titleAt(index.row());
    if (!t || index.column() < 0 || index.column() >= ColumnCount) return {};
    if (role == TitleIdRole) return QVariant::fromValue<qint64>(t->id);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(t->name);
        case StatusColumn: return status_text(t->status);
        case DurationColumn: return t->duration_s > 0 ? format_time(t->duration_s) : QString();
        case ShotsColumn: return t->status == TitleStatus::Ready ? QVariant(t->shot_count) : QVariant();
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == DurationColumn || index.column() == ShotsColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == StatusColumn &&
        (t->status == TitleStatus::Failed || t->status == TitleStatus::Cancelled))
        return QBrush(QColor(0xc0, 0x39, 0x2b));
    if (role == Qt::ToolTipRole) {
        QString tip = QString::fromStdString(t->media_path);
        if (!t->status_message.empty()) tip += u'\n' + QString::fromStdString(t->status_message);
        return tip;
    }
    return {};
}

QVariant TitleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn: return tr("Title");
    case StatusColumn: return tr("Status");
    case DurationColumn: return tr("Duration");
    case ShotsColumn: return tr("Shots");
    }
    return {};
}

}  // namespace frameline::ui
