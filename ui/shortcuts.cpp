#include "ui/shortcuts.h"

#include <QAction>
#include <QPointer>
#include <QSettings>
#include <algorithm>

namespace frameline::ui {

namespace {
QString settings_key(const QString& id) { return QStringLiteral("shortcuts/") + id; }
}  // namespace

Shortcuts& Shortcuts::instance()
{
    static Shortcuts* shortcuts = new Shortcuts;  // lives as long as the process; actions disconnect on deletion
    return *shortcuts;
}

QAction* Shortcuts::bind(QAction* action, const QString& id, const QString& description,
                         const QKeySequence& default_key)
{
    const bool known = std::any_of(infos_.begin(), infos_.end(), [&](const ShortcutInfo& i) { return i.id == id; });
    if (!known) infos_.append(ShortcutInfo{id, description, default_key, {}});
    action->setShortcut(key(id));
    QPointer<QAction> guard(action);
    connect(this, &Shortcuts::changed, action, [guard, id](const QString& changed_id, const QKeySequence& k) {
        if (guard && changed_id == id) guard->setShortcut(k);
    });
    return action;
}

QKeySequence Shortcuts::key(const QString& id) const
{
    const QSettings settings;
    if (settings.contains(settings_key(id)))
        return QKeySequence::fromString(settings.value(settings_key(id)).toString(), QKeySequence::PortableText);
    for (const ShortcutInfo& i : infos_)
        if (i.id == id) return i.default_key;
    return {};
}

void Shortcuts::setKey(const QString& id, const QKeySequence& k)
{
    QSettings settings;
    settings.setValue(settings_key(id), k.toString(QKeySequence::PortableText));
    Q_EMIT changed(id, k);
}

void Shortcuts::resetAll()
{
    QSettings settings;
    settings.remove(QStringLiteral("shortcuts"));
    for (const ShortcutInfo& i : infos_) Q_EMIT changed(i.id, i.default_key);
}

QList<ShortcutInfo> Shortcuts::all() const
{
    QList<ShortcutInfo> out = infos_;
    for (ShortcutInfo& i : out) i.key = key(i.id);
    std::sort(out.begin(), out.end(), [](const ShortcutInfo& a, const ShortcutInfo& b) { return a.id < b.id; });
    return out;
}

QStringList Shortcuts::idsUsing(const QKeySequence& k) const
{
    QStringList ids;
    if (k.isEmpty()) return ids;
    for (const ShortcutInfo& i : infos_)
        if (key(i.id) == k) ids << i.id;
    return ids;
}

}  // namespace frameline::ui
