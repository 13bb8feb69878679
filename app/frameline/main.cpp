// frameline: the review application. Thin: arguments, the database, the main window.
#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <cstdio>
#include <memory>

#include "core/store/store.h"
#include "ui/app_icon.h"
#include "ui/main_window.h"

namespace {

// Without one, QApplication aborts with a message about xcb; say instead what to do.
bool display_available(int argc, char** argv)
{
    if (qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
        qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return true;
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "-platform") == 0 || qstrcmp(argv[i], "--platform") == 0) return true;
    return false;
}

bool can_show_dialogs()
{
    const QString platform = QGuiApplication::platformName();
    return platform != QLatin1String("offscreen") && platform != QLatin1String("minimal");
}

}  // namespace

int main(int argc, char** argv)
{
    // Without a display QApplication would abort; a QCoreApplication still answers --help and reports a bad
    // database before saying that there is nothing to show the window on.
    const bool has_display = display_available(argc, argv);
    std::unique_ptr<QCoreApplication> app =
        has_display ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("frameline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FRAMELINE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Review shots and sampled frames of video titles."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db_option(QStringList{QStringLiteral("db")},
                                       QStringLiteral("Database URL: sqlite:///abs/path.db, a path, or "
                                                      "postgresql://user@host:port/db (default: %1).")
                                           .arg(QString::fromStdString(frameline::default_database_url())),
                                       QStringLiteral("URL"));
    parser.addOption(db_option);
    parser.addPositionalArgument(QStringLiteral("media"), QStringLiteral("Media files to add at start."),
                                 QStringLiteral("[MEDIA...]"));
    parser.process(*app);  // --help, --version and bad options exit here

    const std::string url =
        parser.isSet(db_option) ? parser.value(db_option).toStdString() : frameline::default_database_url();
    std::shared_ptr<frameline::Store> store;
    try {
        store = frameline::open_store(url);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "frameline: %s\n", e.what());
        if (has_display && can_show_dialogs())
            QMessageBox::critical(nullptr, QStringLiteral("Frameline"),
                                  QStringLiteral("Cannot open the database: %1").arg(QString::fromUtf8(e.what())));
        return 1;
    }
    if (!has_display) {
        std::fprintf(stderr, "frameline: no display (DISPLAY is not set); use frameline-cli for headless work, "
                             "or set QT_QPA_PLATFORM=offscreen\n");
        return 1;
    }

    QGuiApplication::setApplicationDisplayName(QStringLiteral("Frameline"));
    QGuiApplication::setDesktopFileName(QStringLiteral("frameline"));
    QGuiApplication::setWindowIcon(frameline::ui::app_icon());
    frameline::ui::MainWindow window(store);
    window.show();
    window.addFiles(parser.positionalArguments());
    return app->exec();
}
