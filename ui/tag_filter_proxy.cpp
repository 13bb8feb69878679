#include "ui/tag_filter_proxy.h"

#include <cmath>

#include "ui/tag_review_model.h"

namespace frameline::ui {

TagFilterProxy::TagFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
}

void TagFilterProxy::setText(const QString& text)
{
    text_ = text.trimmed();
    invalidateFilter();
}

void TagFilterProxy::setState(std::optional<frameline::ReviewState> state)
{
    state_ = state;
    invalidateFilter();
}

void TagFilterProxy::setModelName(const QString& model)
{
    model_ = model;
    invalidateFilter();
}

void TagFilterProxy::setMinConfidence(double confidence)
{
    min_confidence_ = confidence;
    invalidateFilter();
}

void TagFilterProxy::setOrder(Order order)
{
    order_ = order;
    invalidate();
    sort(0);
}

bool TagFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const
{
    const QModelIndex i = sourceModel()->index(source_row, 0, source_parent);
    if (!text_.isEmpty() && !i.data(TagReviewModel::SearchTextRole).toString().contains(text_, Qt::CaseInsensitive))
        return false;
    if (state_ && i.data(TagReviewModel::StateRole).toInt() != static_cast<int>(*state_)) return false;
    if (!model_.isEmpty() && i.data(TagReviewModel::ModelRole).toString() != model_) return false;
    // A small tolerance: the spin box shows two decimals and 0.55 must pass a 0.55 minimum.
    return i.data(TagReviewModel::ConfidenceRole).toDouble() + 1e-9 >= min_confidence_;
}

bool TagFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const double lc = left.data(TagReviewModel::ConfidenceRole).toDouble();
    const double rc = right.data(TagReviewModel::ConfidenceRole).toDouble();
    const double ls = left.data(TagReviewModel::StartRole).toDouble();
    const double rs = right.data(TagReviewModel::StartRole).toDouble();
    const qint64 lid = left.data(TagReviewModel::IdRole).toLongLong();
    const qint64 rid = right.data(TagReviewModel::IdRole).toLongLong();
    if (order_ == Order::Uncertainty) {
        const double lu = std::abs(lc - 0.5), ru = std::abs(rc - 0.5);
        if (lu != ru) return lu < ru;
    } else if (ls != rs) {
        return ls < rs;
    }
    return lid < rid;  // stable: the queue never reshuffles rows of equal rank
}

}  // namespace frameline::ui
