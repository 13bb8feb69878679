// The Debian package (issue #11 item 5). cpack -G DEB builds it from this build tree; the test reads its control
// fields and file list, validates the desktop file and the AppStream metadata, installs it with dpkg -i into a temp
// root (--instdir, with a dpkg database of its own copied from this machine's, so that dpkg checks the declared
// dependencies against what is installed here) and runs the programs from there: frameline-cli --version,
// `models list` (which must read the manifests installed beside it, not the source tree it was built from),
// frameline-convert-models --list, and the GUI offscreen (--version, --screenshot on an empty database).
#include <algorithm>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Run {
    int exit_code = -1;  // -1: crashed, did not start or did not finish
    QString out;
    QString err;
    QString both() const { return out + err; }
};

Run run(const QString& program, const QStringList& args,
        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(), const QString& dir = {},
        int timeout_ms = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!dir.isEmpty()) p.setWorkingDirectory(dir);
    p.start(program, args);
    if (!p.waitForStarted()) return Run{-1, {}, program + QStringLiteral(": could not start: ") + p.errorString()};
    const bool finished = p.waitForFinished(timeout_ms);
    if (!finished) p.kill(), p.waitForFinished();
    return Run{finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
               QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString tail_lines(const QString& text, int n = 15)
{
    QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    if (lines.size() > n) lines = lines.mid(lines.size() - n);
    return lines.join(QLatin1Char('\n'));
}

// "a (>= 1), b | c" -> {"a", "b", "c"}: the package names a Depends field names.
QSet<QString> package_names(const QString& field)
{
    QSet<QString> names;
    for (const QString& part : field.split(QRegularExpression(QStringLiteral("[,|]")), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0);
        if (!name.isEmpty()) names.insert(name);
    }
    return names;
}

// Installs the package with dpkg into the folder `root`, with a dpkg database of its own under `admin` that starts
// as `status` (a copy of this machine's, so dpkg checks Depends against what is really installed here, versions
// included). No maintainer scripts and no triggers run (the package has none; the copy registers none). Drops
// dpkg's warnings about the copied packages' missing file lists.
Run dpkg_install(const QString& deb, const QString& root, const QString& admin, const QByteArray& status)
{
    QDir().mkpath(admin + QStringLiteral("/info"));
    QDir().mkpath(admin + QStringLiteral("/updates"));
    QDir().mkpath(root);
    QFile file(admin + QStringLiteral("/status"));
    if (!file.open(QIODevice::WriteOnly) || file.write(status) != status.size()) return Run{-1, {}, file.fileName()};
    file.close();
    Run r = run(QStringLiteral("dpkg"),
                {QStringLiteral("--admindir=") + admin, QStringLiteral("--instdir=") + root,
                 QStringLiteral("--force-not-root"), QStringLiteral("--log=/dev/null"), QStringLiteral("-i"), deb});
    QStringList kept;
    for (const QString& line : r.err.split(QLatin1Char('\n')))
        if (!line.contains(QLatin1String("files list file for package"))) kept << line;
    r.err = kept.join(QLatin1Char('\n'));
    return r;
}

QByteArray machine_dpkg_status()
{
    QFile f(QStringLiteral("/var/lib/dpkg/status"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The source tree's models: every models/<name>/manifest.json.
QStringList source_model_names()
{
    QStringList names;
    const QDir models(QStringLiteral(FRAMELINE_SOURCE_DIR "/models"));
    for (const QString& name : models.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFileInfo::exists(models.filePath(name + QStringLiteral("/manifest.json")))) names << name;
    return names;
}

}  // namespace

class TestPackage : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString deb_;
    QString root_;                    // where dpkg installed the package (--instdir)
    QMap<QString, QString> control_;  // dpkg-deb -f: field -> value
    QMap<QString, qint64> contents_;  // dpkg-deb -c: "usr/bin/frameline-cli" -> size; folders end in '/'

    // The environment of an installed program run by a user who has nothing set up: own HOME and XDG folders, no
    // FRAMELINE_MODELS_DIR (which would override where the manifests are read from).
    QProcessEnvironment user_env() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("FRAMELINE_MODELS_DIR"));
        const QString home = tmp_.filePath(QStringLiteral("home"));
        QDir().mkpath(home);
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
        // Qt wants its runtime folder private (0700), or it says so on stderr.
        const QString runtime = home + QStringLiteral("/.runtime");
        QDir().mkpath(runtime);
        QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }
    QString installed(const QString& path) const { return root_ + QLatin1Char('/') + path; }
    QString installed_models() const
    {
        return QFileInfo(installed(QStringLiteral("usr/share/frameline/models"))).canonicalFilePath();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        for (const char* tool : {"dpkg-deb", "dpkg-shlibdeps"})
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QFAIL(qPrintable(QStringLiteral("%1 not found: install dpkg-dev (scripts/debian-packages.txt)")
                                     .arg(QLatin1String(tool))));

        // The package, from this build tree's CPackConfig.cmake, into the temp folder (not the build tree). cpack
        // first runs the build's preinstall step, which builds every target not yet built (a no-op after the
        // README's test command, which builds all first).
        const QString out_dir = tmp_.filePath(QStringLiteral("pkg"));
        QElapsedTimer clock;
        clock.start();
        const Run cpack = run(QStringLiteral(FRAMELINE_CPACK),
                              {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), out_dir,
                               QStringLiteral("--config"), QStringLiteral(FRAMELINE_BUILD_DIR "/CPackConfig.cmake")},
                              QProcessEnvironment::systemEnvironment(), QStringLiteral(FRAMELINE_BUILD_DIR), 900000);
        qInfo("cpack -G DEB: %.1f s", clock.elapsed() / 1000.0);
        if (cpack.exit_code != 0)
            QFAIL(qPrintable(QStringLiteral("cpack -G DEB failed:\n") + tail_lines(cpack.both())));
        const QStringList debs = QDir(out_dir).entryList({QStringLiteral("*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        deb_ = QDir(out_dir).filePath(debs.first());
        qInfo("%s: %.1f MB", qPrintable(debs.first()), QFileInfo(deb_).size() / 1e6);

        const Run fields = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), deb_});
        QVERIFY2(fields.exit_code == 0, qPrintable(fields.err));
        QString key;
        for (const QString& line : fields.out.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1Char(' ')) && !key.isEmpty()) {
                control_[key] += QLatin1Char('\n') + line.trimmed();
            } else if (const qsizetype colon = line.indexOf(QLatin1Char(':')); colon > 0) {
                key = line.left(colon);
                control_[key] = line.mid(colon + 1).trimmed();
            }
        }
        const Run list = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb_});
        QVERIFY2(list.exit_code == 0, qPrintable(list.err));
        // "-rwxr-xr-x root/root 123 2026-11-29 00:00 ./usr/bin/frameline-cli"
        static const QRegularExpression row(
            QStringLiteral("^\\S+\\s+\\S+\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+\\./(.*?)(?: -> .*)?$"));
        for (const QString& line : list.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QRegularExpressionMatch m = row.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("unexpected dpkg-deb -c line: ") + line));
            if (!m.captured(2).isEmpty()) contents_[m.captured(2)] = m.captured(1).toLongLong();
        }

        // Installed, as dpkg -i does it, into a temp root: dpkg refuses (exit 1) when a dependency is missing here.
        const QByteArray status = machine_dpkg_status();
        QVERIFY2(!status.isEmpty(), "cannot read /var/lib/dpkg/status: not a Debian system?");
        root_ = tmp_.filePath(QStringLiteral("root"));
        const QString admin = tmp_.filePath(QStringLiteral("dpkg-admin"));
        const Run install = dpkg_install(deb_, root_, admin, status);
        QVERIFY2(install.exit_code == 0,
                 qPrintable(QStringLiteral("dpkg -i into a temp root failed:\n") + tail_lines(install.both())));
        const Run state =
            run(QStringLiteral("dpkg-query"), {QStringLiteral("--admindir=") + admin, QStringLiteral("-W"),
                                               QStringLiteral("-f=${db:Status-Status}"), QStringLiteral("frameline")});
        QCOMPARE(state.out, QStringLiteral("installed"));
    }

    void controlFields()
    {
        QCOMPARE(control_.value(QStringLiteral("Package")), QStringLiteral("frameline"));
        QCOMPARE(control_.value(QStringLiteral("Version")), QStringLiteral(FRAMELINE_PACKAGE_VERSION));
        const Run arch = run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")});
        QCOMPARE(control_.value(QStringLiteral("Architecture")), arch.out.trimmed());
        QVERIFY(!control_.value(QStringLiteral("Description")).isEmpty());

        // Libraries come from dpkg-shlibdeps (libc6 and the big ones prove it ran), the rest is declared.
        const QString depends = control_.value(QStringLiteral("Depends"));
        const QSet<QString> names = package_names(depends);
        QStringList expected{QStringLiteral("libc6"),
                             QStringLiteral("libsqlite3-0"),
                             QStringLiteral("libpq5"),
                             QStringLiteral("libtesseract5"),
                             QStringLiteral("libpocketsphinx3"),
                             QStringLiteral("tesseract-ocr-eng"),
                             QStringLiteral("pocketsphinx-en-us")};
        if (FRAMELINE_PACKAGE_HAS_GUI)
            expected << QStringLiteral("libqt6widgets6") << QStringLiteral("libqt6multimedia6")
                     << QStringLiteral("gstreamer1.0-plugins-good") << QStringLiteral("gstreamer1.0-libav");
        for (const QString& want : expected)
            QVERIFY2(names.contains(want), qPrintable(QStringLiteral("Depends lacks %1: %2").arg(want, depends)));
        for (const char* prefix : {"libtorch", "libavcodec", "libavformat"}) {
            const bool found = std::any_of(names.begin(), names.end(),
                                           [&](const QString& n) { return n.startsWith(QLatin1String(prefix)); });
            QVERIFY2(found, qPrintable(QStringLiteral("Depends lacks %1*: %2").arg(QLatin1String(prefix), depends)));
        }
        // No Qt 5 for the GUI (core/CMakeLists.txt): only LibTorch's OpenCV may bring it, never a direct dependency.
        for (const QString& n : names) QVERIFY2(!n.startsWith(QLatin1String("libqt5")), qPrintable(depends));

        // Whether they are all installable here, versions included, dpkg itself checked in initTestCase.
        const QSet<QString> recommends = package_names(control_.value(QStringLiteral("Recommends")));
        for (const char* want : {"python3-torch", "python3-onnx", "npm", "nodejs"})
            QVERIFY2(
                recommends.contains(QLatin1String(want)),
                qPrintable(QStringLiteral("Recommends lacks %1 (frameline-convert-models)").arg(QLatin1String(want))));
    }

    void contents()
    {
        QStringList expected{QStringLiteral("usr/bin/frameline-cli"),
                             QStringLiteral("usr/bin/frameline-convert-models"),
                             QStringLiteral("usr/share/frameline/models/convert.py"),
                             QStringLiteral("usr/share/frameline/models/README.md"),
                             QStringLiteral("usr/share/frameline/models/converters/tfjs_graph.py"),
                             QStringLiteral("usr/share/frameline/models/converters/silero.py"),
                             QStringLiteral("usr/share/frameline/slurm/frameline-ingest.sbatch")};
        if (FRAMELINE_PACKAGE_HAS_GUI)
            expected << QStringLiteral("usr/bin/frameline")
                     << QStringLiteral("usr/share/applications/frameline.desktop")
                     << QStringLiteral("usr/share/metainfo/org.frameline.Frameline.metainfo.xml")
                     << QStringLiteral("usr/share/icons/hicolor/scalable/apps/frameline.svg");
        for (const char* size : {"48x48", "64x64", "128x128", "256x256"})
            if (FRAMELINE_PACKAGE_HAS_GUI)
                expected << QStringLiteral("usr/share/icons/hicolor/%1/apps/frameline.png").arg(QLatin1String(size));
        const QStringList models = source_model_names();
        QVERIFY2(models.size() >= 8, qPrintable(models.join(QLatin1Char(' '))));
        for (const QString& name : models)
            expected << QStringLiteral("usr/share/frameline/models/%1/manifest.json").arg(name)
                     << QStringLiteral("usr/share/frameline/models/%1/reference.json").arg(name);
        for (const QString& path : expected)
            QVERIFY2(contents_.contains(path), qPrintable(QStringLiteral("the package has no /") + path));

        // The installed manifests are the source's, byte for byte (converted weights are checked against their hash).
        for (const QString& name : models) {
            QFile src(QStringLiteral(FRAMELINE_SOURCE_DIR "/models/%1/manifest.json").arg(name));
            QFile inst(installed(QStringLiteral("usr/share/frameline/models/%1/manifest.json").arg(name)));
            QVERIFY(src.open(QIODevice::ReadOnly) && inst.open(QIODevice::ReadOnly));
            QVERIFY2(src.readAll() == inst.readAll(), qPrintable(inst.fileName()));
        }

        // Everything under /usr; no maintainers' tools, no byte code, no weights.
        for (auto it = contents_.cbegin(); it != contents_.cend(); ++it) {
            const QString& path = it.key();
            QVERIFY2(path.startsWith(QLatin1String("usr/")), qPrintable(path));
            for (const char* bad : {"/models/tests/", "/models/reference/", "__pycache__", "bench.py", ".pt"})
                QVERIFY2(!path.contains(QLatin1String(bad)),
                         qPrintable(QStringLiteral("should not be packaged: ") + path));
        }

        // Stripped (CPACK_STRIP_FILES), and no RUNPATH into the build tree.
        const QString built_cli = QStringLiteral(FRAMELINE_CLI_PATH);
        QVERIFY2(contents_.value(QStringLiteral("usr/bin/frameline-cli")) < QFileInfo(built_cli).size(),
                 qPrintable(QStringLiteral("usr/bin/frameline-cli is %1 bytes, the build's %2: not stripped?")
                                .arg(contents_.value(QStringLiteral("usr/bin/frameline-cli")))
                                .arg(QFileInfo(built_cli).size())));
        qInfo("frameline-cli: %.1f MB in the build tree, %.1f MB packaged", QFileInfo(built_cli).size() / 1e6,
              contents_.value(QStringLiteral("usr/bin/frameline-cli")) / 1e6);
        QStringList binaries{QStringLiteral("usr/bin/frameline-cli")};
        if (FRAMELINE_PACKAGE_HAS_GUI) binaries << QStringLiteral("usr/bin/frameline");
        for (const QString& bin : binaries) {
            const Run dyn = run(QStringLiteral("readelf"), {QStringLiteral("-d"), installed(bin)});
            QVERIFY2(dyn.exit_code == 0, qPrintable(dyn.both()));
            QVERIFY2(!dyn.out.contains(QLatin1String(FRAMELINE_BUILD_DIR)) &&
                         !dyn.out.contains(QLatin1String("RUNPATH")) && !dyn.out.contains(QLatin1String("(RPATH)")),
                     qPrintable(bin + QStringLiteral(" keeps a run path: ") + dyn.out));
        }
    }

    void desktopFileAndAppStream()
    {
        if (!FRAMELINE_PACKAGE_HAS_GUI) QSKIP("built without the GUI (FRAMELINE_BUILD_UI=OFF)");
        const QString desktop = installed(QStringLiteral("usr/share/applications/frameline.desktop"));
        const QString metainfo = installed(QStringLiteral("usr/share/metainfo/org.frameline.Frameline.metainfo.xml"));

        // What the desktop file names is installed: Exec's program, Icon's picture (PNG at 48x48 and up, SVG).
        QFile file(desktop);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        QMap<QString, QString> entry;
        for (const QString& line : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n')))
            if (const qsizetype eq = line.indexOf(QLatin1Char('=')); eq > 0) entry[line.left(eq)] = line.mid(eq + 1);
        const QString exec = entry.value(QStringLiteral("Exec")).section(QLatin1Char(' '), 0, 0);
        QVERIFY2(QFileInfo(installed(QStringLiteral("usr/bin/") + exec)).isExecutable(), qPrintable(exec));
        const QString icon = entry.value(QStringLiteral("Icon"));
        QCOMPARE(icon, QStringLiteral("frameline"));
        for (int size : {48, 64, 128, 256}) {
            const QImage png(
                installed(QStringLiteral("usr/share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(icon)));
            QVERIFY2(!png.isNull() && png.size() == QSize(size, size),
                     qPrintable(QStringLiteral("icon %1x%1: %2x%3").arg(size).arg(png.width()).arg(png.height())));
        }

        // AppStream: launchable, binaries and release as installed and as built.
        QFile xml(metainfo);
        QVERIFY(xml.open(QIODevice::ReadOnly));
        QXmlStreamReader reader(&xml);
        QString launchable, release;
        QStringList binaries;
        while (!reader.atEnd()) {
            if (reader.readNext() != QXmlStreamReader::StartElement) continue;
            if (reader.name() == QLatin1String("launchable"))
                launchable = reader.readElementText();
            else if (reader.name() == QLatin1String("binary"))
                binaries << reader.readElementText();
            else if (reader.name() == QLatin1String("release") && release.isEmpty())
                release = reader.attributes().value(QLatin1String("version")).toString();
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(launchable, QStringLiteral("frameline.desktop"));
        QCOMPARE(release, QStringLiteral(FRAMELINE_PACKAGE_VERSION));  // resources/*.metainfo.xml: add the release
        QCOMPARE(binaries, (QStringList{QStringLiteral("frameline"), QStringLiteral("frameline-cli")}));
        for (const QString& b : binaries) QVERIFY(QFileInfo(installed(QStringLiteral("usr/bin/") + b)).isExecutable());

        // The validators of freedesktop.org and AppStream: warnings fail too.
        bool validated = false;
        if (!QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate")).isEmpty()) {
            const Run v = run(QStringLiteral("desktop-file-validate"), {desktop});
            QVERIFY2(v.exit_code == 0 && v.both().trimmed().isEmpty(), qPrintable(v.both()));
            validated = true;
        }
        if (!QStandardPaths::findExecutable(QStringLiteral("appstreamcli")).isEmpty()) {
            const Run v = run(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"),
                                                               QStringLiteral("--no-color"), metainfo});
            QVERIFY2(v.exit_code == 0, qPrintable(v.both()));
            validated = true;
        }
        if (!validated)
            QSKIP("neither desktop-file-validate (desktop-file-utils) nor appstreamcli (appstream) is installed");
    }

    // A machine without one of the declared non-library dependencies: dpkg unpacks but refuses to configure,
    // naming it (what apt would install first).
    void installRefusesAMissingDependency()
    {
        // This machine's dpkg database without tesseract-ocr-eng (stanzas are separated by an empty line).
        QByteArray without;
        int dropped = 0;
        for (const QString& stanza : QString::fromUtf8(machine_dpkg_status()).split(QStringLiteral("\n\n"))) {
            if (stanza.startsWith(QLatin1String("Package: tesseract-ocr-eng\n"))) {
                ++dropped;
                continue;
            }
            without += stanza.toUtf8() + "\n\n";
        }
        QCOMPARE(dropped, 1);
        const Run r = dpkg_install(deb_, tmp_.filePath(QStringLiteral("root-lacking")),
                                   tmp_.filePath(QStringLiteral("dpkg-admin-lacking")), without);
        QVERIFY2(r.exit_code != 0, qPrintable(r.both()));
        QVERIFY2(r.both().contains(QLatin1String("frameline depends on tesseract-ocr-eng")), qPrintable(r.both()));
    }

    void cliRunsInstalled()
    {
        const Run v =
            run(installed(QStringLiteral("usr/bin/frameline-cli")), {QStringLiteral("--version")}, user_env());
        QVERIFY2(v.exit_code == 0, qPrintable(v.both()));
        QVERIFY2(v.out.startsWith(QStringLiteral("frameline-cli " FRAMELINE_PACKAGE_VERSION " (")), qPrintable(v.out));
    }

    // The installed frameline-cli lists the zoo from share/frameline/models beside it, not from the source tree it
    // was built from (compiled in); the build tree's frameline-cli, with the same environment, reads the source's.
    void cliReadsInstalledModels()
    {
        const QString models = installed_models();
        QVERIFY(!models.isEmpty());
        const Run list = run(installed(QStringLiteral("usr/bin/frameline-cli")),
                             {QStringLiteral("models"), QStringLiteral("list"), QStringLiteral("--json")}, user_env());
        QVERIFY2(list.exit_code == 0, qPrintable(list.both()));
        const QJsonObject doc = QJsonDocument::fromJson(list.out.toUtf8()).object();
        const QJsonArray dirs = doc.value(QStringLiteral("manifest_dirs")).toArray();
        QVERIFY2(!dirs.isEmpty(), qPrintable(list.out));
        QCOMPARE(QFileInfo(dirs.first().toObject().value(QStringLiteral("path")).toString()).canonicalFilePath(),
                 models);
        QStringList names;
        for (const QJsonValue& m : doc.value(QStringLiteral("models")).toArray()) {
            const QJsonObject o = m.toObject();
            names << o.value(QStringLiteral("name")).toString();
            const QString manifest = QFileInfo(o.value(QStringLiteral("manifest")).toString()).canonicalFilePath();
            QVERIFY2(manifest.startsWith(models + QLatin1Char('/')), qPrintable(manifest));
            // Nothing converted in this fresh HOME: the state says so, with what to do.
            QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("missing"));
        }
        names.sort();
        QCOMPARE(names, source_model_names());
        QVERIFY(QFileInfo(doc.value(QStringLiteral("converted_dir")).toString())
                    .absoluteFilePath()
                    .startsWith(tmp_.filePath(QStringLiteral("home"))));

        const Run built = run(QStringLiteral(FRAMELINE_CLI_PATH),
                              {QStringLiteral("models"), QStringLiteral("list"), QStringLiteral("--json")}, user_env());
        QVERIFY2(built.exit_code == 0, qPrintable(built.both()));
        const QString built_dir = QJsonDocument::fromJson(built.out.toUtf8())
                                      .object()
                                      .value(QStringLiteral("manifest_dirs"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("path"))
                                      .toString();
        QCOMPARE(QFileInfo(built_dir).canonicalFilePath(),
                 QFileInfo(QStringLiteral(FRAMELINE_SOURCE_DIR "/models")).canonicalFilePath());
    }

    void converterListsInstalledModels()
    {
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
            QSKIP("no /usr/bin/python3 (the package recommends python3)");
        const QString cache = tmp_.filePath(QStringLiteral("convert-cache"));
        const Run list = run(installed(QStringLiteral("usr/bin/frameline-convert-models")),
                             {QStringLiteral("--list"), QStringLiteral("--cache"), cache}, user_env());
        QVERIFY2(list.exit_code == 0, qPrintable(list.both()));
        const QStringList lines = list.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), source_model_names().size());
        for (const QString& line : lines) {
            QVERIFY2(line.contains(QLatin1String("missing or stale")), qPrintable(line));
            QVERIFY2(line.contains(installed_models() + QLatin1Char('/')) ||
                         line.contains(installed(QStringLiteral("usr/share/frameline/models/"))),
                     qPrintable(line));
        }
        // No byte code written into the installed tree (dpkg would not know the files).
        QDirIterator it(installed(QStringLiteral("usr/share/frameline")), QDirIterator::Subdirectories);
        while (it.hasNext()) QVERIFY2(!it.next().contains(QLatin1String("__pycache__")), qPrintable(it.filePath()));
    }

    void guiRunsInstalledOffscreen()
    {
        if (!FRAMELINE_PACKAGE_HAS_GUI) QSKIP("built without the GUI (FRAMELINE_BUILD_UI=OFF)");
        const QString gui = installed(QStringLiteral("usr/bin/frameline"));
        const Run v = run(gui, {QStringLiteral("--version")}, user_env());
        QVERIFY2(v.exit_code == 0, qPrintable(v.both()));
        QCOMPARE(v.out.trimmed(), QStringLiteral("frameline " FRAMELINE_PACKAGE_VERSION));

        // The window on an empty database, rendered offscreen.
        const QString db = tmp_.filePath(QStringLiteral("empty.db"));
        const QString png = tmp_.filePath(QStringLiteral("library.png"));
        const Run shot = run(gui,
                             {QStringLiteral("--db"), QStringLiteral("sqlite://") + db, QStringLiteral("--screenshot"),
                              png, QStringLiteral("--size"), QStringLiteral("1400x900")},
                             user_env());
        QVERIFY2(shot.exit_code == 0, qPrintable(shot.both()));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1400, 900));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 8, qPrintable(QStringLiteral("%1 colours: an empty picture?").arg(colours.size())));
        QVERIFY(QFileInfo(db).size() > 0);  // the database was created with its schema

        // Bad usage is answered with exit code 2 and one line.
        const Run bad = run(gui,
                            {QStringLiteral("--db"), QStringLiteral("sqlite://") + db, QStringLiteral("--screenshot"),
                             png, QStringLiteral("--view"), QStringLiteral("nosuchview")},
                            user_env());
        QCOMPARE(bad.exit_code, 2);
        QVERIFY2(bad.err.trimmed().count(QLatin1Char('\n')) == 0 && bad.err.contains(QLatin1String("nosuchview")),
                 qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
