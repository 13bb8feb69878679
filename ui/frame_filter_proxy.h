#pragma once
// The frame grid's filter: "Hide flagged frames" keeps only frames without a fault flag (letterboxed and
// pillarboxed are not faults). A proxy, so the model keeps every frame and the shot strip still sees them all.
#include <QSortFilterProxyModel>

namespace frameline::ui {

class FrameFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FrameFilterProxy(QObject* parent = nullptr);

    bool hideFlagged() const { return hide_flagged_; }
    void setHideFlagged(bool hide);

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    bool hide_flagged_ = false;
};

}  // namespace frameline::ui
