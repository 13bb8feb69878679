// `frameline --screenshot OUT.png --db URL --title ID --view NAME` renders each view of the review fixture offscreen
// into a PNG of the window's size and exits 0; a bad view is bad usage (exit 2), an unknown title a failure (1).
#include <QColor>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/review_fixture.h"
#include "ui/main_window.h"

using namespace frameline;

class TestScreenshot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eachView_data();
    void eachView();
    void badViewIsBadUsage();
    void unknownTitleFails();
    void offscreenWithoutADisplay();

private:
    // Runs frameline with `args`; returns the exit code (-1: did not finish), stderr in `err`.
    int run(const QStringList& args, QString* err, bool keep_platform = true);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
};

void TestScreenshot::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
}

int TestScreenshot::run(const QStringList& args, QString* err, bool keep_platform)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir_.filePath(QStringLiteral("config")));  // no user preferences
    env.insert(QStringLiteral("FRAMELINE_CLI"), dir_.filePath(QStringLiteral("no-cli")));
    if (!keep_platform) {
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    }
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FRAMELINE_GUI_PATH), args);
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (err) *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void TestScreenshot::eachView_data()
{
    QTest::addColumn<QString>("view");
    for (const QString& v : ui::MainWindow::viewNames()) QTest::newRow(qPrintable(v)) << v;
}

void TestScreenshot::eachView()
{
    QFETCH(QString, view);
    // FRAMELINE_KEEP_SCREENSHOTS=DIR keeps the pictures (to look at them).
    const QString keep = qEnvironmentVariable("FRAMELINE_KEEP_SCREENSHOTS");
    const QString out = (keep.isEmpty() ? dir_.path() : keep) + QLatin1Char('/') + view + QStringLiteral(".png");
    QString err;
    const int code = run({QStringLiteral("--screenshot"), out, QStringLiteral("--db"), fx_.db_path,
                          QStringLiteral("--title"), QString::number(fx_.title_id), QStringLiteral("--view"), view},
                         &err);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(err)));
    QImage image(out);
    QVERIFY2(!image.isNull(), qPrintable(out));
    QCOMPARE(image.size(), QSize(1400, 900));
    // Not blank: a window full of widgets has many colours, and not one colour covering nearly all of it.
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) ++counts[image.pixel(x, y)];
    int most = 0;
    for (int c : std::as_const(counts)) most = std::max(most, c);
    const int samples = (image.width() / 3 + 1) * (image.height() / 3 + 1);
    QVERIFY2(counts.size() > 20, qPrintable(QString::number(counts.size())));
    QVERIFY2(most < samples * 0.95, qPrintable(QString::number(double(most) / samples)));
}

void TestScreenshot::badViewIsBadUsage()
{
    QString err;
    const QString out = dir_.filePath(QStringLiteral("bad.png"));
    QCOMPARE(run({QStringLiteral("--screenshot"), out, QStringLiteral("--db"), fx_.db_path, QStringLiteral("--view"),
                  QStringLiteral("timeline")},
                 &err),
             2);
    QVERIFY2(err.contains(QStringLiteral("timeline")) && err.contains(QStringLiteral("tags")), qPrintable(err));
    int lines = 0;  // one line of ours (Qt may add its own warnings about the environment)
    for (const QString& line : err.split(QLatin1Char('\n')))
        if (line.startsWith(QStringLiteral("frameline:"))) ++lines;
    QCOMPARE(lines, 1);
    QVERIFY(!QFile::exists(out));
}

void TestScreenshot::unknownTitleFails()
{
    QString err;
    const QString out = dir_.filePath(QStringLiteral("none.png"));
    QCOMPARE(run({QStringLiteral("--screenshot"), out, QStringLiteral("--db"), fx_.db_path, QStringLiteral("--title"),
                  QStringLiteral("987654")},
                 &err),
             1);
    QVERIFY2(err.contains(QStringLiteral("987654")), qPrintable(err));
    QVERIFY(!QFile::exists(out));
}

void TestScreenshot::offscreenWithoutADisplay()
{
    // No DISPLAY and no platform chosen: --screenshot renders offscreen by itself.
    QString err;
    const QString out = dir_.filePath(QStringLiteral("library.png"));
    const int code = run({QStringLiteral("--screenshot"), out, QStringLiteral("--db"), fx_.db_path,
                          QStringLiteral("--size"), QStringLiteral("1200x760")},
                         &err, false);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(err)));
    QCOMPARE(QImage(out).size(), QSize(1200, 760));
}

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
