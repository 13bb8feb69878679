#pragma once
// Edit ▸ Preferences (Ctrl+,): the database (applied on the next start), the reviewer's name, where the model pass
// runs and which model manifests it reads, and the keyboard shortcuts. Everything is kept in QSettings under the
// keys below; the window applies the reviewer at once, the ingest controller reads device and models folder at
// each model run, and frameline's main() reads the database when no --db is given.
#include <QDialog>
#include <QFutureWatcher>
#include <QPair>

class QComboBox;
class QKeySequenceEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace frameline::ui {

class ReviewSession;

namespace preference {
inline constexpr const char* kDatabase = "database/url";
inline constexpr const char* kReviewer = "review/reviewer";
inline constexpr const char* kDevice = "analysis/device";        // auto | cpu | cuda
inline constexpr const char* kModelsDir = "analysis/models_dir";  // FRAMELINE_MODELS_DIR for the model pass
QString database();  // empty: the default database
QString reviewer();  // empty: the login name
}  // namespace preference

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    // `current_database` is the URL this window uses (shown beside the preference, which applies on next start).
    PreferencesDialog(ReviewSession* session, const QString& current_database, QWidget* parent = nullptr);

    // Writes every field to QSettings, the reviewer to the session and the keys to Shortcuts. OK and Apply end here.
    void apply();
    // Opens the database named in the field on a worker thread; connectionTested() follows.
    void testConnection();

    QTabWidget* tabs() const { return tabs_; }
    QLineEdit* databaseEdit() const { return database_; }
    QLineEdit* reviewerEdit() const { return reviewer_; }
    QComboBox* deviceBox() const { return device_; }
    QLineEdit* modelsDirEdit() const { return models_dir_; }
    QPushButton* testButton() const { return test_; }
    QString testResult() const;
    QTableWidget* shortcutTable() const { return shortcuts_; }
    // The key editor of shortcut `id` in the table, or null.
    QKeySequenceEdit* keyEdit(const QString& id) const;
    // The warning under the table: which other action already uses the key just typed; empty when none.
    QString clashWarning() const;
    QPushButton* resetShortcutsButton() const { return reset_shortcuts_; }

Q_SIGNALS:
    void connectionTested(bool ok, const QString& message);

private:
    QWidget* createGeneralPage(const QString& current_database);
    QWidget* createShortcutsPage();
    void fillShortcuts();
    void checkClash(int row);
    void chooseDatabaseFile();
    void chooseModelsDir();

    ReviewSession* session_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QLineEdit* database_ = nullptr;
    QPushButton* test_ = nullptr;
    QLabel* test_result_ = nullptr;
    QLineEdit* reviewer_ = nullptr;
    QComboBox* device_ = nullptr;
    QLineEdit* models_dir_ = nullptr;
    QTableWidget* shortcuts_ = nullptr;
    QLabel* clash_ = nullptr;
    QPushButton* reset_shortcuts_ = nullptr;
    QFutureWatcher<QPair<bool, QString>>* tester_ = nullptr;
};

}  // namespace frameline::ui
