#pragma once
// A candidate's score breakdown as bars: each term's value (0..1) with its weight, the gates that cut the score, and
// the analysis' notes. Reads both shapes the store holds: the analysis' {"terms":{name:{"value","weight"}},"gates":
// {...},"notes":[...]} and a flat {name: value} object.
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

namespace frameline::ui {

struct BreakdownTerm {
    QString name;
    double value = 0;   // 0..1
    double weight = -1; // < 0: not given
};

struct Breakdown {
    QList<BreakdownTerm> terms;
    QList<QPair<QString, double>> gates;  // name, factor
    QStringList notes;
};
Breakdown parseBreakdown(const QString& json);

class ArtworkBreakdownBars : public QWidget {
    Q_OBJECT
public:
    explicit ArtworkBreakdownBars(QWidget* parent = nullptr);
    void setBreakdown(const QString& json);
    const Breakdown& breakdown() const { return breakdown_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int rowHeight() const;
    Breakdown breakdown_;
};

}  // namespace frameline::ui
