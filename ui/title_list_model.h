#pragma once
// The titles in the database, one row each: name, status, duration, shot count.
#include <QAbstractTableModel>
#include <vector>

#include "core/store/records.h"

namespace frameline::ui {

class TitleListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StatusColumn, DurationColumn, ShotsColumn, ColumnCount };
    enum Role { TitleIdRole = Qt::UserRole + 1 };

    explicit TitleListModel(QObject* parent = nullptr);

    void setTitles(std::vector<TitleRecord> titles);
    const TitleRecord* titleAt(int row) const;
    int rowOfTitle(qint64 title_id) const;  // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<TitleRecord> titles_;
};

}  // namespace frameline::ui
