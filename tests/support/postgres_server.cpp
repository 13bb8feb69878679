#include "tests/support/postgres_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <cstdlib>
#include <mutex>

namespace frameline::test {

namespace {

constexpr int kStartAttempts = 3;  // a free port can be taken between our probe and the server's bind

// Postmasters still running, for the atexit hook. Plain array and a mutex with a trivial destructor, so the hook
// can use them at exit whatever the order of static destruction.
constexpr int kMaxLive = 16;
pid_t g_live[kMaxLive] = {};
std::mutex g_live_mutex;

void kill_live_servers() {
    std::lock_guard lock(g_live_mutex);
    for (pid_t& pid : g_live)
        if (pid > 0) ::kill(pid, SIGQUIT), pid = 0;  // SIGQUIT = immediate shutdown; children follow
}

void register_live(pid_t pid, bool add) {
    static std::once_flag once;
    std::call_once(once, [] { std::atexit(kill_live_servers); });
    std::lock_guard lock(g_live_mutex);
    for (pid_t& slot : g_live)
        if (add ? slot == 0 : slot == pid) {
            slot = add ? pid : 0;
            return;
        }
}

// A port that was free on 127.0.0.1 a moment ago (the kernel's pick for port 0).
int probe_free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

// True while `pid` is the postmaster of `data_dir` (pg_ctl starts it as `postgres -D DATA ...`), or its watchdog,
// which has the data dir among its arguments too. Checking that
// rather than the bare pid means a reused pid is never signalled. /proc/PID/cmdline, unlike /proc/PID/cwd, is
// readable for another user's process without CAP_SYS_PTRACE (containers).
bool is_server_of(qint64 pid, const QString& data_dir) {
    if (pid <= 0) return false;
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!f.open(QIODevice::ReadOnly)) return false;
    return f.readAll().split('\0').contains(QFile::encodeName(data_dir));
}

QString find_bin_dir() {
    const auto has_tools = [](const QString& dir) {
        for (const char* tool : {"initdb", "pg_ctl", "postgres", "createdb"})
            if (!QFileInfo(dir + "/" + tool).isExecutable()) return false;
        return true;
    };
    const QString debian = QStringLiteral("/usr/lib/postgresql/15/bin");
    if (has_tools(debian)) return debian;
    QProcess pg_config;
    pg_config.start(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
    if (pg_config.waitForFinished(5000) && pg_config.exitCode() == 0) {
        const QString dir = QString::fromLocal8Bit(pg_config.readAllStandardOutput()).trimmed();
        if (has_tools(dir)) return dir;
    }
    return {};
}

}  // namespace

PostgresServer::PostgresServer() {
    QElapsedTimer timer;
    timer.start();
    bin_dir_ = find_bin_dir();
    if (bin_dir_.isEmpty()) {
        why_ = QStringLiteral("PostgreSQL 15 server binaries not found in /usr/lib/postgresql/15/bin or "
                              "`pg_config --bindir`: install Debian's `postgresql` package");
        return;
    }
    available_ = true;
    if (!init()) return;
    for (int attempt = 1; attempt <= kStartAttempts && !running_; ++attempt) {
        running_ = start_once();
        if (!running_) why_ = QStringLiteral("attempt %1 of %2: %3").arg(attempt).arg(kStartAttempts).arg(why_);
    }
    if (!running_) return;
    start_watchdog();
    start_ms_ = timer.elapsed();
}

PostgresServer::~PostgresServer() {
    stop();
}  // dir_ then removes the data

bool PostgresServer::init() {
    // initdb and postgres refuse to run as root: then the temp dir belongs to the `postgres` OS user, which runs them.
    as_postgres_user_ = ::geteuid() == 0;
    const passwd* pg_user = as_postgres_user_ ? ::getpwnam("postgres") : nullptr;
    if (as_postgres_user_ && !pg_user) {
        why_ = QStringLiteral("running as root needs the `postgres` OS user (Debian's `postgresql` package makes it)");
        return false;
    }
    dir_ = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/frameline-pg-XXXXXX"));
    if (!dir_->isValid()) {
        why_ = QStringLiteral("cannot create a temp dir: ") + dir_->errorString();
        return false;
    }
    // Canonical, because it is compared with /proc/PID/cmdline.
    const QString root = QFileInfo(dir_->path()).canonicalFilePath();
    data_dir_ = root + QStringLiteral("/data");
    socket_dir_ = root + QStringLiteral("/sock");  // short: a Unix socket path has at most 107 bytes
    log_file_ = root + QStringLiteral("/server.log");
    QDir().mkdir(socket_dir_);
    if (as_postgres_user_) {
        for (const QString& path : {root, socket_dir_})
            if (::chown(QFile::encodeName(path).constData(), pg_user->pw_uid, pg_user->pw_gid) != 0) {
                why_ = QStringLiteral("cannot chown %1 to postgres: %2").arg(path, qt_error_string(errno));
                return false;
            }
    }
    // --no-sync: nothing here needs to survive a power cut, and it saves most of initdb's time.
    const Result r = run_server_tool(QStringLiteral("initdb"),
                                     {QStringLiteral("-D"), data_dir_, QStringLiteral("-A"), QStringLiteral("trust"),
                                      QStringLiteral("-U"), QStringLiteral("frameline"),
                                      QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C.UTF-8"),
                                      QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")},
                                     60000);
    if (r.code != 0) {
        why_ = QStringLiteral("initdb failed: ") + r.output;
        return false;
    }
    return true;
}

bool PostgresServer::start_once() {
    port_ = probe_free_port();
    if (port_ == 0) {
        why_ = QStringLiteral("cannot bind a socket on 127.0.0.1 to find a free port");
        return false;
    }
    // Durability off: a throwaway server, and commits become much cheaper for store tests.
    const QString options = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off "
                                           "-c synchronous_commit=off -c full_page_writes=off")
                                .arg(port_)
                                .arg(socket_dir_);
    const Result r = run_server_tool(QStringLiteral("pg_ctl"),
                                     {QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                                      QStringLiteral("-D"), data_dir_, QStringLiteral("-l"), log_file_,
                                      QStringLiteral("-o"), options, QStringLiteral("start")},
                                     70000);
    QFile pid_file(data_dir_ + QStringLiteral("/postmaster.pid"));  // first line: the postmaster's pid
    if (r.code == 0 && pid_file.open(QIODevice::ReadOnly))
        postmaster_pid_ = QString::fromLatin1(pid_file.readLine()).trimmed().toLongLong();
    if (r.code == 0 && is_server_of(postmaster_pid_, data_dir_)) {
        register_live(pid_t(postmaster_pid_), true);
        return true;
    }
    why_ = QStringLiteral("pg_ctl start on port %1 failed: %2\n--- %3, last lines:\n%4")
               .arg(port_)
               .arg(r.output.trimmed(), log_file_, log_tail());
    // pg_ctl -w can give up while a postmaster is still coming up: make sure none is left before retrying.
    run_server_tool(QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), data_dir_, QStringLiteral("-m"), QStringLiteral("immediate"),
                     QStringLiteral("-w"), QStringLiteral("stop")},
                    30000);
    postmaster_pid_ = 0;
    return false;
}

void PostgresServer::start_watchdog() {
    // Runs detached (its own session, so neither Ctrl-C nor CTest's kill of our process tree reaches it) and
    // outlives a crashed test: when the test process is gone and the postmaster still serves this data dir, it shuts
    // it down immediately and removes the temp dir. It exits by itself once the server is stopped normally.
    static const QString script = QStringLiteral(R"sh(
test_pid=$1 pm_pid=$2 data=$3 root=$4
ours() { tr '\0' '\n' < /proc/$pm_pid/cmdline 2>/dev/null | grep -qxF -- "$data"; }
while kill -0 "$test_pid" 2>/dev/null; do
  ours || exit 0
  sleep 1
done
ours || exit 0
kill -QUIT "$pm_pid"
i=0; while ours && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
ours && kill -KILL "$pm_pid"
rm -rf "$root"
)sh");
    QProcess watchdog;
    watchdog.setProgram(QStringLiteral("setsid"));
    watchdog.setArguments({QStringLiteral("/bin/sh"), QStringLiteral("-c"), script,
                           QStringLiteral("frameline-pg-watchdog"), QString::number(::getpid()),
                           QString::number(postmaster_pid_), data_dir_, QFileInfo(data_dir_).path()});
    // Not our stdout/stderr: CTest waits for every holder of the test's pipes to close them.
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    if (!watchdog.startDetached(&watchdog_pid_))
        qWarning("PostgresServer: watchdog did not start; a crash would leak the server");
}

void PostgresServer::stop() {
    if (postmaster_pid_ == 0) return;
    running_ = false;
    // fast: ends sessions and shuts down cleanly (a checkpoint is cheap with fsync off); immediate if that hangs.
    for (const char* mode : {"fast", "immediate"}) {
        if (!is_server_of(postmaster_pid_, data_dir_)) break;
        run_server_tool(QStringLiteral("pg_ctl"),
                        {QStringLiteral("-D"), data_dir_, QStringLiteral("-m"), QString::fromLatin1(mode),
                         QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("stop")},
                        35000);
    }
    if (is_server_of(postmaster_pid_, data_dir_)) {
        ::kill(pid_t(postmaster_pid_), SIGKILL);  // its children exit when they notice the postmaster is gone
        for (int i = 0; i < 100 && is_server_of(postmaster_pid_, data_dir_); ++i) QThread::msleep(50);
    }
    register_live(pid_t(postmaster_pid_), false);
    postmaster_pid_ = 0;
    // The watchdog would notice within a second; end it now so that nothing naming the data dir outlives stop().
    // Its command line names the data dir too, so a reused pid is not signalled. kill() is asynchronous: wait.
    if (is_server_of(watchdog_pid_, data_dir_)) ::kill(pid_t(watchdog_pid_), SIGKILL);
    for (int i = 0; i < 100 && is_server_of(watchdog_pid_, data_dir_); ++i) QThread::msleep(10);
    watchdog_pid_ = 0;
}

QString PostgresServer::url(const QString& db) const {
    return QStringLiteral("postgresql://frameline@127.0.0.1:%1/%2").arg(port_).arg(db);
}

QString PostgresServer::create_database(const QString& name) {
    const QString db = name.isEmpty() ? QStringLiteral("db%1").arg(next_db_++) : name;
    // Only names that need neither SQL quoting nor URL encoding.
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,62}$"));
    if (!plain.match(db).hasMatch()) {
        why_ = QStringLiteral("database name '%1' must be letters, digits and '_'").arg(db);
        return {};
    }
    if (!running_) {
        why_ = QStringLiteral("create_database(%1): the server is not running: %2").arg(db, why_);
        return {};
    }
    const Result r = run(bin_dir_ + QStringLiteral("/createdb"),
                         {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                          QString::number(port_), QStringLiteral("-U"), QStringLiteral("frameline"), db},
                         30000);
    if (r.code != 0) {
        why_ = QStringLiteral("createdb %1 failed: %2").arg(db, r.output.trimmed());
        return {};
    }
    return url(db);
}

PostgresServer::Result PostgresServer::run_server_tool(const QString& tool, const QStringList& args,
                                                       int timeout_ms) const {
    const QString program = bin_dir_ + QLatin1Char('/') + tool;
    if (!as_postgres_user_) return run(program, args, timeout_ms);
    return run(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                                      QStringLiteral("--"), program} + args,
               timeout_ms);
}

PostgresServer::Result PostgresServer::run(const QString& program, const QStringList& args, int timeout_ms) const {
    QProcess p;
    // The developer's PG* settings (PGHOST, PGSSLMODE, PGDATA, ...) must not redirect or change these commands.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QLatin1String("PG"))) env.remove(key);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    // The postgres user may not be able to enter the test's cwd (e.g. under /root); it owns the temp dir.
    if (dir_) p.setWorkingDirectory(dir_->path());
    p.start(program, args);
    Result r;
    if (!p.waitForStarted(10000)) {
        r.output = program + QStringLiteral(": ") + p.errorString();
        return r;
    }
    if (!p.waitForFinished(timeout_ms)) {
        p.kill();
        p.waitForFinished(2000);
        r.output = QStringLiteral("%1 timed out after %2 s\n").arg(program).arg(timeout_ms / 1000) +
                   QString::fromLocal8Bit(p.readAll());
        return r;
    }
    r.output = QString::fromLocal8Bit(p.readAll());
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

QString PostgresServer::log_tail(int lines) const {
    QFile f(log_file_);
    if (!f.open(QIODevice::ReadOnly)) return QStringLiteral("(no log: %1)").arg(f.errorString());
    QStringList all = QString::fromLocal8Bit(f.readAll()).split(QLatin1Char('\n'));
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join(QLatin1Char('\n'));
}

}  // namespace frameline::test
