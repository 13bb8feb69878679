#include "ui/artwork_breakdown.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>

namespace frameline::ui {

Breakdown parseBreakdown(const QString& json)
{
    Breakdown out;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    if (o.contains(QLatin1String("terms")) && o.value(QLatin1String("terms")).isObject()) {
        const QJsonObject terms = o.value(QLatin1String("terms")).toObject();
        for (auto it = terms.begin(); it != terms.end(); ++it) {
            const QJsonObject t = it.value().toObject();
            out.terms.append({it.key(), t.value(QLatin1String("value")).toDouble(),
                              t.contains(QLatin1String("weight")) ? t.value(QLatin1String("weight")).toDouble() : -1});
        }
        const QJsonObject gates = o.value(QLatin1String("gates")).toObject();
        for (auto it = gates.begin(); it != gates.end(); ++it) out.gates.append({it.key(), it.value().toDouble()});
        for (const QJsonValue& n : o.value(QLatin1String("notes")).toArray()) out.notes.append(n.toString());
    } else {
        for (auto it = o.begin(); it != o.end(); ++it)
            if (it.value().isDouble()) out.terms.append({it.key(), it.value().toDouble(), -1});
    }
    return out;
}

ArtworkBreakdownBars::ArtworkBreakdownBars(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ArtworkBreakdownBars::setBreakdown(const QString& json)
{
    breakdown_ = parseBreakdown(json);
    updateGeometry();
    update();
}

int ArtworkBreakdownBars::rowHeight() const
{
    return fontMetrics().height() + 4;
}

QSize ArtworkBreakdownBars::sizeHint() const
{
    const int rows = int(breakdown_.terms.size() + breakdown_.gates.size() + breakdown_.notes.size());
    return {320, std::max(1, rows) * rowHeight() + 4};
}

QSize ArtworkBreakdownBars::minimumSizeHint() const
{
    return {200, sizeHint().height()};
}

void ArtworkBreakdownBars::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    const int h = rowHeight();
    int label_w = fm.horizontalAdvance(QStringLiteral("composition"));
    for (const BreakdownTerm& t : breakdown_.terms) label_w = std::max(label_w, fm.horizontalAdvance(t.name));
    label_w = std::min(label_w + 8, width() / 3);
    const int value_w = fm.horizontalAdvance(QStringLiteral("0.00 ×0.25")) + 8;
    const int bar_w = std::max(20, width() - label_w - value_w - 4);
    QColor text = palette().color(QPalette::WindowText);
    QColor muted = text;
    muted.setAlphaF(0.6f);
    int y = 2;
    if (breakdown_.terms.isEmpty() && breakdown_.gates.isEmpty()) {
        p.setPen(muted);
        p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, tr("No score breakdown stored"));
        return;
    }
    for (const BreakdownTerm& t : breakdown_.terms) {
        p.setPen(text);
        p.drawText(QRect(0, y, label_w - 4, h), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(t.name, Qt::ElideRight, label_w - 4));
        const QRect track(label_w, y + 3, bar_w, h - 6);
        p.fillRect(track, palette().color(QPalette::Midlight));
        const double v = std::clamp(t.value, 0.0, 1.0);
        p.fillRect(QRect(track.topLeft(), QSize(int(track.width() * v), track.height())),
                   QColor::fromHsvF(0.33 * v, 0.65, 0.8));  // red (poor) to green (good)
        p.setPen(muted);
        const QString value = t.weight >= 0 ? QStringLiteral("%1 ×%2").arg(t.value, 0, 'f', 2).arg(t.weight, 0, 'g', 2)
                                            : QString::number(t.value, 'f', 2);
        p.drawText(QRect(label_w + bar_w + 4, y, value_w, h), Qt::AlignLeft | Qt::AlignVCenter, value);
        y += h;
    }
    p.setPen(QColor(0xc0, 0x39, 0x2b));
    for (const auto& [name, factor] : breakdown_.gates) {
        p.drawText(QRect(0, y, width(), h), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(tr("gate %1: score ×%2").arg(name).arg(factor), Qt::ElideRight, width()));
        y += h;
    }
    p.setPen(muted);
    for (const QString& n : breakdown_.notes) {
        p.drawText(QRect(0, y, width(), h), Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(n, Qt::ElideRight, width()));
        y += h;
    }
}

}  // namespace frameline::ui
