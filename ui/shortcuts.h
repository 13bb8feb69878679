#pragma once
// Keyboard shortcuts people can remap. Each view binds its actions by id ("tags.accept") with a default key; the
// keys people chose live in QSettings ("shortcuts/<id>") and every bound action follows a change at once.
#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QString>

class QAction;

namespace frameline::ui {

struct ShortcutInfo {
    QString id;           // "tags.accept"
    QString description;  // "Accept the selected tag"
    QKeySequence default_key;
    QKeySequence key;     // now
};

class Shortcuts : public QObject {
    Q_OBJECT
public:
    static Shortcuts& instance();

    // Registers `id` (first registration wins the description and default), sets the action's key to the current
    // one and keeps it current. Returns `action`.
    QAction* bind(QAction* action, const QString& id, const QString& description, const QKeySequence& default_key);
    QKeySequence key(const QString& id) const;
    // Stores a new key for `id` (an empty sequence: none) and updates every bound action.
    void setKey(const QString& id, const QKeySequence& key);
    void resetAll();
    QList<ShortcutInfo> all() const;  // sorted by id
    // Ids whose keys equal `key`, for warning about clashes in the preferences.
    QStringList idsUsing(const QKeySequence& key) const;

Q_SIGNALS:
    void changed(const QString& id, const QKeySequence& key);

private:
    Shortcuts() = default;
    QList<ShortcutInfo> infos_;
};

}  // namespace frameline::ui
