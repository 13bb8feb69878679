#include "ui/frame_filter_proxy.h"

#include "ui/frame_grid_model.h"

namespace frameline::ui {

FrameFilterProxy::FrameFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    // Flags never change while a title is shown; re-filtering on every thumbnail's dataChanged would be waste.
    setDynamicSortFilter(false);
}

void FrameFilterProxy::setHideFlagged(bool hide)
{
    if (hide == hide_flagged_) return;
    hide_flagged_ = hide;
    invalidateRowsFilter();
}

bool FrameFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const
{
    if (!hide_flagged_) return true;
    const QModelIndex index = sourceModel()->index(source_row, 0, source_parent);
    return !index.data(FrameGridModel::HasFaultRole).toBool();
}

}  // namespace frameline::ui
