#include "ui/preferences_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/store/store.h"
#include "ui/review_session.h"
#include "ui/shortcuts.h"

namespace frameline::ui {

namespace preference {
QString database() { return QSettings().value(QLatin1String(kDatabase)).toString().trimmed(); }
QString reviewer() { return QSettings().value(QLatin1String(kReviewer)).toString().trimmed(); }
}  // namespace preference

namespace {
enum ShortcutColumn { DescriptionColumn, IdColumn, KeyColumn };
constexpr int kIdRole = Qt::UserRole;

QLabel* note(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    label->setPalette(p);
    return label;
}
}  // namespace

PreferencesDialog::PreferencesDialog(ReviewSession* session, const QString& current_database, QWidget* parent)
    : QDialog(parent), session_(session)
{
    setWindowTitle(tr("Preferences"));
    auto* layout = new QVBoxLayout(this);
    tabs_ = new QTabWidget(this);
    tabs_->addTab(createGeneralPage(current_database), tr("General"));
    tabs_->addTab(createShortcutsPage(), tr("Shortcuts"));
    layout->addWidget(tabs_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply,
                                         this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &PreferencesDialog::apply);
    layout->addWidget(buttons);
    resize(720, 560);
}

QWidget* PreferencesDialog::createGeneralPage(const QString& current_database)
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    const QSettings settings;

    database_ = new QLineEdit(settings.value(QLatin1String(preference::kDatabase)).toString(), page);
    database_->setPlaceholderText(QString::fromStdString(default_database_url()));
    database_->setToolTip(tr("An SQLite file (a path or sqlite:///abs/path.db) or a PostgreSQL URL "
                             "(postgresql://user@host:port/db). Empty: the default database."));
    auto* browse = new QPushButton(tr("Browse…"), page);
    connect(browse, &QPushButton::clicked, this, &PreferencesDialog::chooseDatabaseFile);
    test_ = new QPushButton(tr("Test Connection"), page);
    connect(test_, &QPushButton::clicked, this, &PreferencesDialog::testConnection);
    auto* db_row = new QHBoxLayout;
    db_row->addWidget(database_, 1);
    db_row->addWidget(browse);
    db_row->addWidget(test_);
    auto* db_label = new QLabel(tr("&Database:"), page);
    db_label->setBuddy(database_);
    form->addRow(db_label, db_row);
    test_result_ = new QLabel(page);
    test_result_->setWordWrap(true);
    test_result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), test_result_);
    test_result_->hide();  // until a test ran
    form->addRow(QString(), note(tr("Applied the next time Frameline starts (a --db on the command line wins). "
                                    "This window uses %1.")
                                     .arg(current_database),
                                 page));

    reviewer_ = new QLineEdit(settings.value(QLatin1String(preference::kReviewer)).toString(), page);
    reviewer_->setPlaceholderText(session_ ? session_->reviewer() : QString());
    form->addRow(tr("&Reviewer name:"), reviewer_);
    form->addRow(QString(), note(tr("Every review event names who made it. Applied at once; empty: your login "
                                    "name."),
                                 page));

    device_ = new QComboBox(page);
    device_->addItem(tr("Automatic (GPU when there is one)"), QStringLiteral("auto"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    device_->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    const int device_index = device_->findData(settings.value(QLatin1String(preference::kDevice), "auto").toString());
    device_->setCurrentIndex(device_index >= 0 ? device_index : 0);
    form->addRow(tr("Model &device:"), device_);

    models_dir_ = new QLineEdit(settings.value(QLatin1String(preference::kModelsDir)).toString(), page);
    // The GUI never links the model zoo (LibTorch): the folders are named the way core/models/model_zoo.cpp finds them.
    const QString env_models = qEnvironmentVariable("FRAMELINE_MODELS_DIR");
    models_dir_->setPlaceholderText(env_models.isEmpty() ? tr("the models/ folder Frameline was built with")
                                                         : env_models);
    auto* browse_models = new QPushButton(tr("Browse…"), page);
    connect(browse_models, &QPushButton::clicked, this, &PreferencesDialog::chooseModelsDir);
    auto* models_row = new QHBoxLayout;
    models_row->addWidget(models_dir_, 1);
    models_row->addWidget(browse_models);
    auto* models_label = new QLabel(tr("&Models folder:"), page);
    models_label->setBuddy(models_dir_);
    form->addRow(models_label, models_row);
    form->addRow(QString(), note(tr("Used by the model pass after each ingest (frameline-cli analyse --device, "
                                    "FRAMELINE_MODELS_DIR). Your own models: %1; converted models: %2.")
                                     .arg(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                                              QStringLiteral("/frameline/models"),
                                          QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                                              QStringLiteral("/frameline/models")),
                                 page));
    return page;
}

QWidget* PreferencesDialog::createShortcutsPage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(note(tr("Click a key and press the new one. Most keys work only in their own view, so "
                              "two views may share one."),
                           page));
    shortcuts_ = new QTableWidget(page);
    shortcuts_->setColumnCount(3);
    shortcuts_->setHorizontalHeaderLabels({tr("Action"), tr("Id"), tr("Key")});
    shortcuts_->verticalHeader()->hide();
    shortcuts_->setSelectionMode(QAbstractItemView::NoSelection);
    shortcuts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    shortcuts_->horizontalHeader()->setSectionResizeMode(DescriptionColumn, QHeaderView::Stretch);
    shortcuts_->horizontalHeader()->setSectionResizeMode(IdColumn, QHeaderView::ResizeToContents);
    shortcuts_->setColumnWidth(KeyColumn, 170);
    layout->addWidget(shortcuts_, 1);
    clash_ = new QLabel(page);
    clash_->setWordWrap(true);
    QPalette p = clash_->palette();
    p.setColor(QPalette::WindowText, QColor(0xb0, 0x40, 0x00));
    clash_->setPalette(p);
    layout->addWidget(clash_);
    reset_shortcuts_ = new QPushButton(tr("Reset All"), page);
    reset_shortcuts_->setToolTip(tr("Every key back to its default (applied with OK or Apply)"));
    connect(reset_shortcuts_, &QPushButton::clicked, this, [this] {
        const QList<ShortcutInfo> infos = Shortcuts::instance().all();
        for (int row = 0; row < shortcuts_->rowCount(); ++row) {
            const QString id = shortcuts_->item(row, IdColumn)->data(kIdRole).toString();
            for (const ShortcutInfo& info : infos)
                if (info.id == id)
                    if (auto* edit = keyEdit(id)) edit->setKeySequence(info.default_key);
        }
        clash_->clear();
    });
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(reset_shortcuts_);
    layout->addLayout(row);
    fillShortcuts();
    return page;
}

void PreferencesDialog::fillShortcuts()
{
    const QList<ShortcutInfo> infos = Shortcuts::instance().all();
    shortcuts_->setRowCount(static_cast<int>(infos.size()));
    for (int row = 0; row < infos.size(); ++row) {
        const ShortcutInfo& info = infos[row];
        auto* description = new QTableWidgetItem(info.description);
        description->setToolTip(tr("Default: %1").arg(info.default_key.toString(QKeySequence::NativeText)));
        shortcuts_->setItem(row, DescriptionColumn, description);
        auto* id = new QTableWidgetItem(info.id);
        id->setData(kIdRole, info.id);
        shortcuts_->setItem(row, IdColumn, id);
        auto* edit = new QKeySequenceEdit(info.key, shortcuts_);
        edit->setClearButtonEnabled(true);
        connect(edit, &QKeySequenceEdit::keySequenceChanged, this, [this, row] { checkClash(row); });
        shortcuts_->setCellWidget(row, KeyColumn, edit);
    }
}

QKeySequenceEdit* PreferencesDialog::keyEdit(const QString& id) const
{
    for (int row = 0; row < shortcuts_->rowCount(); ++row)
        if (shortcuts_->item(row, IdColumn)->data(kIdRole).toString() == id)
            return qobject_cast<QKeySequenceEdit*>(shortcuts_->cellWidget(row, KeyColumn));
    return nullptr;
}

QString PreferencesDialog::clashWarning() const { return clash_->text(); }

void PreferencesDialog::checkClash(int row)
{
    auto* edit = qobject_cast<QKeySequenceEdit*>(shortcuts_->cellWidget(row, KeyColumn));
    const QString id = shortcuts_->item(row, IdColumn)->data(kIdRole).toString();
    const QKeySequence key = edit ? edit->keySequence() : QKeySequence();
    QStringList same_view, other_views;
    if (!key.isEmpty()) {
        const QString view = id.section(QLatin1Char('.'), 0, 0);
        for (int other = 0; other < shortcuts_->rowCount(); ++other) {
            if (other == row) continue;
            auto* other_edit = qobject_cast<QKeySequenceEdit*>(shortcuts_->cellWidget(other, KeyColumn));
            if (!other_edit || other_edit->keySequence() != key) continue;
            const QString other_id = shortcuts_->item(other, IdColumn)->data(kIdRole).toString();
            const QString name = QStringLiteral("“%1” (%2)").arg(shortcuts_->item(other, DescriptionColumn)->text(),
                                                                  other_id);
            (other_id.section(QLatin1Char('.'), 0, 0) == view ? same_view : other_views) << name;
        }
    }
    const QString key_text = key.toString(QKeySequence::NativeText);
    if (!same_view.isEmpty())
        clash_->setText(tr("%1 is already the key of %2: in the same view only one of them would work. Choose "
                           "another key for one of them.")
                            .arg(key_text, same_view.join(QStringLiteral(", "))));
    else if (!other_views.isEmpty())
        clash_->setText(tr("%1 is also the key of %2 in another view; each works while its own view has the "
                           "focus.")
                            .arg(key_text, other_views.join(QStringLiteral(", "))));
    else
        clash_->clear();
}

void PreferencesDialog::apply()
{
    QSettings settings;
    const QString db = database_->text().trimmed();
    if (db.isEmpty()) settings.remove(QLatin1String(preference::kDatabase));
    else settings.setValue(QLatin1String(preference::kDatabase), db);
    const QString name = reviewer_->text().trimmed();
    if (name.isEmpty()) settings.remove(QLatin1String(preference::kReviewer));
    else settings.setValue(QLatin1String(preference::kReviewer), name);
    if (session_) session_->setReviewer(name);
    settings.setValue(QLatin1String(preference::kDevice), device_->currentData().toString());
    const QString models = models_dir_->text().trimmed();
    if (models.isEmpty()) settings.remove(QLatin1String(preference::kModelsDir));
    else settings.setValue(QLatin1String(preference::kModelsDir), models);

    Shortcuts& keys = Shortcuts::instance();
    for (int row = 0; row < shortcuts_->rowCount(); ++row) {
        const QString id = shortcuts_->item(row, IdColumn)->data(kIdRole).toString();
        auto* edit = qobject_cast<QKeySequenceEdit*>(shortcuts_->cellWidget(row, KeyColumn));
        if (edit && edit->keySequence() != keys.key(id)) keys.setKey(id, edit->keySequence());
    }
}

QString PreferencesDialog::testResult() const { return test_result_->text(); }

void PreferencesDialog::testConnection()
{
    if (tester_ && tester_->isRunning()) return;
    const QString typed = database_->text().trimmed();
    const std::string url = typed.isEmpty() ? default_database_url() : typed.toStdString();
    test_->setEnabled(false);
    test_result_->setText(tr("Connecting to %1…").arg(QString::fromStdString(url)));
    test_result_->show();
    if (!tester_) {
        tester_ = new QFutureWatcher<QPair<bool, QString>>(this);
        connect(tester_, &QFutureWatcher<QPair<bool, QString>>::finished, this, [this] {
            const QPair<bool, QString> r = tester_->result();
            test_->setEnabled(true);
            test_result_->setText(r.second);
            Q_EMIT connectionTested(r.first, r.second);
        });
    }
    // Opening may take seconds (a PostgreSQL server far away, a migration): never on the GUI thread. The task
    // captures nothing of the dialog, so closing it meanwhile is safe.
    tester_->setFuture(QtConcurrent::run([url]() -> QPair<bool, QString> {
        try {
            auto store = open_store(url);
            const size_t titles = store->titles().size();
            return {true, QObject::tr("Connected to %1: schema version %2, %n title(s).", nullptr,
                                      static_cast<int>(titles))
                              .arg(QString::fromStdString(store->url()))
                              .arg(store->schema_version())};
        } catch (const std::exception& e) {
            return {false, QObject::tr("Cannot connect: %1").arg(QString::fromUtf8(e.what()))};
        }
    }));
}

void PreferencesDialog::chooseDatabaseFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("SQLite Database"), database_->text(),
                                                      tr("SQLite databases (*.db *.sqlite);;All files (*)"), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty()) database_->setText(path);
}

void PreferencesDialog::chooseModelsDir()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Models Folder"), models_dir_->text());
    if (!dir.isEmpty()) models_dir_->setText(dir);
}

}  // namespace frameline::ui
