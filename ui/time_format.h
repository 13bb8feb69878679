#pragma once
// Times as reviewers read them: m:ss.cc (h:mm:ss.cc past an hour). Centiseconds because shots are often shorter
// than a second and frame-level positions matter when validating cuts.
#include <QString>

namespace frameline::ui {

// `centiseconds` false: m:ss, for ruler ticks on whole seconds.
inline QString format_time(double seconds, bool centiseconds = true)
{
    if (!(seconds >= 0.0)) seconds = 0.0;  // also catches NaN
    const auto total_cs = static_cast<qint64>(seconds * 100.0 + 0.5);
    const qint64 cs = total_cs % 100;
    const qint64 total_s = total_cs / 100;
    const qint64 s = total_s % 60;
    const qint64 m = (total_s / 60) % 60;
    const qint64 h = total_s / 3600;
    const QChar zero(u'0');
    if (!centiseconds) {
        if (h > 0) return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, zero).arg(s, 2, 10, zero);
        return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, zero);
    }
    if (h > 0)
        return QStringLiteral("%1:%2:%3.%4").arg(h).arg(m, 2, 10, zero).arg(s, 2, 10, zero).arg(cs, 2, 10, zero);
    return QStringLiteral("%1:%2.%3").arg(m).arg(s, 2, 10, zero).arg(cs, 2, 10, zero);
}

}  // namespace frameline::ui
