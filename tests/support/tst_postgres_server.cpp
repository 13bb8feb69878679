// The throwaway PostgreSQL server of the db tests: it starts fast, serves databases over loopback TCP, and leaves no
// process or port behind when stopped, or when the test process is killed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QtTest>
#include <cstdio>
#include <memory>

#include "tests/support/postgres_server.h"

using frameline::test::PostgresServer;

namespace {

bool port_accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(quint16(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// Processes that belong to the server of `data_dir`: the postmaster names it on its command line, and every server
// process (backends, checkpointer, ...) has it as its cwd (readable where we may inspect the process).
QStringList server_processes(const QString& data_dir) {
    QStringList found;
    const QByteArray data = QFile::encodeName(data_dir);
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList({}, QDir::Dirs)) {
        if (pid.toLongLong() <= 0) continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        const QByteArray cmd = cmdline.open(QIODevice::ReadOnly) ? cmdline.readAll() : QByteArray();
        if (cmd.split('\0').contains(data) ||
            QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget() == data_dir)
            found << pid + QLatin1Char(' ') + QString::fromLocal8Bit(cmd).replace(QLatin1Char('\0'), QLatin1Char(' '));
    }
    return found;
}

// `psql -c "select 1"` against `db`; returns psql's output, and its exit code through `code`.
QString psql_select_1(const PostgresServer& pg, const QString& db, int* code) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(pg.bin_dir() + QStringLiteral("/psql"),
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(pg.port()),
             QStringLiteral("-U"), QStringLiteral("frameline"), QStringLiteral("-d"), db, QStringLiteral("-XAtq"),
             QStringLiteral("-c"), QStringLiteral("select 1")});
    *code = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromLocal8Bit(p.readAll()).trimmed();
}

// Child mode for kill_leaves_nothing: start a server, report it, and die by SIGKILL (no destructor, no atexit).
int crash_child() {
    PostgresServer pg;
    if (!pg.running()) {
        std::printf("failed %s\n", qPrintable(pg.why()));
        return 1;
    }
    std::printf("%lld %s\n", pg.postmaster_pid(), qPrintable(pg.data_dir()));
    std::fflush(stdout);
    ::kill(::getpid(), SIGKILL);
    return 2;
}

}  // namespace

class TestPostgresServer : public QObject {
    Q_OBJECT
    std::unique_ptr<PostgresServer> pg_;

private slots:
    void initTestCase() {
        QElapsedTimer timer;
        timer.start();
        pg_ = std::make_unique<PostgresServer>();
        if (!pg_->available()) QSKIP(qPrintable(pg_->why()));
        QVERIFY2(pg_->running(), qPrintable(pg_->why()));
        qInfo("server up on port %d in %lld ms (%s)", pg_->port(), qint64(timer.elapsed()),
              qPrintable(pg_->data_dir()));
        QVERIFY2(timer.elapsed() < 10000, "starting must take a few seconds at most");
    }

    void databases_serve_queries() {
        const QString first = pg_->create_database();
        QCOMPARE(first, QStringLiteral("postgresql://frameline@127.0.0.1:%1/db1").arg(pg_->port()));
        QCOMPARE(pg_->create_database(QStringLiteral("second_db")), pg_->url(QStringLiteral("second_db")));
        for (const char* db : {"db1", "second_db"}) {
            int code = 0;
            const QString out = psql_select_1(*pg_, QString::fromLatin1(db), &code);
            QVERIFY2(code == 0, qPrintable(out));
            QCOMPARE(out, QStringLiteral("1"));
        }
        // The same query fails on a database nobody created, so the checks above can fail.
        int code = 0;
        psql_select_1(*pg_, QStringLiteral("never_created"), &code);
        QVERIFY(code != 0);
        // Existing names and names that would need quoting are refused with a reason.
        QVERIFY(pg_->create_database(QStringLiteral("second_db")).isEmpty());
        QVERIFY2(pg_->why().contains(QStringLiteral("already exists")), qPrintable(pg_->why()));
        QVERIFY(pg_->create_database(QStringLiteral("bad name")).isEmpty());
    }

    void stop_leaves_nothing() {
        const int port = pg_->port();
        const QString data = pg_->data_dir();
        QVERIFY(port_accepts(port));
        QVERIFY(!server_processes(data).isEmpty());
        QElapsedTimer timer;
        timer.start();
        pg_->stop();
        qInfo("stopped in %lld ms", qint64(timer.elapsed()));
        QVERIFY(!pg_->running());
        QVERIFY(!port_accepts(port));
        const QStringList left = server_processes(data);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char('\n'))));
        pg_->stop();  // idempotent
        QVERIFY(pg_->create_database().isEmpty());
        const QString root = QFileInfo(data).path();
        pg_.reset();
        QVERIFY(!QFileInfo::exists(root));
    }

    void kill_leaves_nothing() {
        // A test process killed outright (as by a CTest timeout): the watchdog must stop its server.
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--crash-child")});
        QVERIFY(child.waitForFinished(60000));
        const QString line = QString::fromLocal8Bit(child.readAllStandardOutput()).trimmed();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QString data = line.section(QLatin1Char(' '), 1);
        QVERIFY2(line.section(QLatin1Char(' '), 0, 0).toLongLong() > 0 && data.endsWith(QStringLiteral("/data")),
                 qPrintable(line));
        QElapsedTimer timer;
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(server_processes(data).isEmpty() && !QFileInfo::exists(QFileInfo(data).path()),
                                 15000);
        qInfo("watchdog cleaned up %lld ms after the kill", qint64(timer.elapsed()));
    }
};

int main(int argc, char** argv) {
    if (argc == 2 && qstrcmp(argv[1], "--crash-child") == 0) return crash_child();
    QCoreApplication app(argc, argv);
    TestPostgresServer test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_postgres_server.moc"
