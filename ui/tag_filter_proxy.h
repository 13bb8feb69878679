#pragma once
// What the tag queue shows and in which order: filters by text (label or category), review state, model and a
// minimum confidence; ordered by uncertainty or by time.
#include <QSortFilterProxyModel>
#include <optional>

#include "core/store/records.h"

namespace frameline::ui {

class TagFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Order {
        // Confidence nearest 0.5 first. Why not lowest first: a tag at 0.05 or at 0.95 is one the model is sure
        // about either way (a quick reject or accept); the reviewer's judgement matters most where the model is
        // torn, and those are the tags whose review most changes what the title ends up with.
        Uncertainty,
        Time,  // shot order (title-wide tags first), as the title plays
    };

    explicit TagFilterProxy(QObject* parent = nullptr);

    void setText(const QString& text);
    void setState(std::optional<frameline::ReviewState> state);  // nullopt: every state
    void setModelName(const QString& model);                    // empty: every model
    void setMinConfidence(double confidence);
    void setOrder(Order order);
    Order order() const { return order_; }

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString text_;
    std::optional<frameline::ReviewState> state_;
    QString model_;
    double min_confidence_ = 0;
    Order order_ = Order::Uncertainty;
};

}  // namespace frameline::ui
