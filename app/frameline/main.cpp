// frameline: the review application. Thin: arguments, the database, the main window; and --screenshot, which
// renders one view offscreen into a PNG and exits (for documentation, tests and bug reports).
#include <QApplication>
#include <QLineEdit>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QImage>
#include <QMessageBox>
#include <QPixmap>
#include <QSettings>
#include <QThreadPool>
#include <cstdio>
#include <memory>

#include "core/store/store.h"
#include "ui/app_icon.h"
#include "ui/main_window.h"
#include "ui/search_view.h"
#include "ui/preferences_dialog.h"
#include "ui/review_session.h"
#include "ui/title_view.h"

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

bool has_argument(int argc, char** argv, const char* name)
{
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], name) == 0 || QByteArray(argv[i]).startsWith(QByteArray(name) + '=')) return true;
    return false;
}

// Lets the window finish loading what it shows: the session's reads and writes, the title workspace's load and
// the thumbnails on the thread pool. Views load asynchronously and some chain a second read after the first, so
// "idle" must hold for a while before the picture is taken; never longer than `max_ms`.
void settle(frameline::ui::MainWindow& window, int min_ms, int max_ms)
{
    QElapsedTimer clock;
    clock.start();
    int quiet_checks = 0;
    while (clock.elapsed() < max_ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        window.session()->waitForIdle(100);
        const bool idle = !window.session()->isBusy() && !window.titleView()->isLoading() &&
                          QThreadPool::globalInstance()->activeThreadCount() == 0;
        quiet_checks = idle ? quiet_checks + 1 : 0;
        if (clock.elapsed() >= min_ms && quiet_checks >= 5) break;
    }
    QCoreApplication::processEvents();
}

bool can_show_dialogs()
{
    const QString platform = QGuiApplication::platformName();
    return platform != QLatin1String("offscreen") && platform != QLatin1String("minimal");
}

}  // namespace

int main(int argc, char** argv)
{
    // --screenshot renders offscreen unless the caller chose a platform: before QApplication reads it.
    if (has_argument(argc, argv, "--screenshot") && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM") &&
        !has_argument(argc, argv, "-platform") && !has_argument(argc, argv, "--platform"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Without a display QApplication would abort; a QCoreApplication still answers --help and reports a bad
    // database before saying that there is nothing to show the window on.
    const bool has_display = display_available(argc, argv);
    std::unique_ptr<QCoreApplication> app =
        has_display ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("frameline"));  // QSettings: ~/.config/frameline/
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
    const QCommandLineOption screenshot_option(
        QStringList{QStringLiteral("screenshot")},
        QStringLiteral("Render the window offscreen into a PNG file and exit (see --view, --title, --size)."),
        QStringLiteral("OUT.png"));
    const QCommandLineOption title_option(QStringList{QStringLiteral("title")},
                                          QStringLiteral("With --screenshot: the title to show (id or name; "
                                                         "default: the first)."),
                                          QStringLiteral("ID"));
    const QCommandLineOption view_option(QStringList{QStringLiteral("view")},
                                         QStringLiteral("With --screenshot: the view to show: %1 (default: library).")
                                             .arg(frameline::ui::MainWindow::viewNames().join(QStringLiteral("|"))),
                                         QStringLiteral("NAME"), QStringLiteral("library"));
    const QCommandLineOption size_option(QStringList{QStringLiteral("size")},
                                         QStringLiteral("With --screenshot: the window size (default 1400x900)."),
                                         QStringLiteral("WxH"), QStringLiteral("1400x900"));
    const QCommandLineOption query_option(QStringList{QStringLiteral("query")},
                                          QStringLiteral("With --screenshot --view search: the words to search for."),
                                          QStringLiteral("TEXT"));
    parser.addOption(screenshot_option);
    parser.addOption(query_option);
    parser.addOption(title_option);
    parser.addOption(view_option);
    parser.addOption(size_option);
    parser.addPositionalArgument(QStringLiteral("media"), QStringLiteral("Media files to add at start."),
                                 QStringLiteral("[MEDIA...]"));
    parser.process(*app);  // --help, --version and bad options exit here

    const bool screenshot = parser.isSet(screenshot_option);
    const QString view = parser.value(view_option);
    QSize window_size(1400, 900);
    if (screenshot) {
        // Bad usage is answered before anything is opened: exit code 2, one line.
        if (!frameline::ui::MainWindow::viewNames().contains(view)) {
            std::fprintf(stderr, "frameline: unknown view '%s': use one of %s\n", qPrintable(view),
                         qPrintable(frameline::ui::MainWindow::viewNames().join(QStringLiteral(", "))));
            return 2;
        }
        const QStringList wh = parser.value(size_option).split(QLatin1Char('x'));
        bool ok_w = false, ok_h = false;
        if (wh.size() == 2) window_size = QSize(wh[0].toInt(&ok_w), wh[1].toInt(&ok_h));
        if (!ok_w || !ok_h || window_size.width() < 200 || window_size.height() < 150 || window_size.width() > 8000 ||
            window_size.height() > 8000) {
            std::fprintf(stderr, "frameline: bad --size '%s': use WIDTHxHEIGHT, e.g. 1400x900\n",
                         qPrintable(parser.value(size_option)));
            return 2;
        }
    }

    // The database: --db, else the preference (Edit > Preferences), else the default file.
    const QString preferred = frameline::ui::preference::database();
    const std::string url = parser.isSet(db_option) ? parser.value(db_option).toStdString()
                            : !preferred.isEmpty()  ? preferred.toStdString()
                                                    : frameline::default_database_url();
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
    if (screenshot) {
        qint64 title_id = 0;
        if (parser.isSet(title_option)) {
            std::optional<frameline::TitleRecord> title;
            try {
                title = store->find_title(parser.value(title_option).toStdString());
            } catch (const std::exception& e) {
                std::fprintf(stderr, "frameline: %s\n", e.what());
                return 1;
            }
            if (!title) {
                std::fprintf(stderr, "frameline: no title '%s' in %s: list them with 'frameline-cli titles'\n",
                             qPrintable(parser.value(title_option)), store->url().c_str());
                return 1;
            }
            title_id = title->id;
        }
        frameline::ui::MainWindow window(store);
        window.resize(window_size);
        window.show();
        if (title_id != 0) window.selectTitle(title_id);
        window.showView(view);
        if (parser.isSet(query_option)) {
            settle(window, 500, 15000);  // the view has its title before the query runs over it
            window.searchView()->queryBox()->setText(parser.value(query_option));
            window.searchView()->search();
        }
        settle(window, 1500, 15000);
        const QImage image = window.grab().toImage();
        const QString out = parser.value(screenshot_option);
        if (image.isNull() || !image.save(out, "PNG")) {
            std::fprintf(stderr, "frameline: cannot write %s: check that its folder exists and is writable\n",
                         qPrintable(out));
            return 1;
        }
        return 0;
    }

    frameline::ui::MainWindow window(store);
    window.show();
    window.addFiles(parser.positionalArguments());
    return app->exec();
}
