#pragma once
// A throwaway PostgreSQL 15 for one test program (DESIGN.md "Testing": tests start the services they need on
// loopback, on a free port, and stop them afterwards). It installs nothing: it uses the server binaries of Debian's
// `postgresql` package.
//
//     PostgresServer pg;                                    // initdb + start: about 1 s
//     if (!pg.available()) QSKIP(qPrintable(pg.why()));     // binaries not installed
//     QVERIFY2(pg.running(), qPrintable(pg.why()));         // installed but failed to start: a real failure
//     const QString url = pg.create_database();             // postgresql://frameline@127.0.0.1:PORT/db1
//
// Cleanup, and its limits:
//  - The destructor stops the server (pg_ctl stop -m fast, then -m immediate, then SIGKILL) and removes the temp
//    dir; it runs when a test fails (QVERIFY returns) or throws through a scope that owns the object.
//  - A std::atexit hook sends SIGQUIT (immediate shutdown) to every server still running when the program calls
//    exit() without destroying the object (e.g. a leaked `new PostgresServer`).
//  - A detached watchdog shell polls the test process once a second; when the test process is gone (crash, abort,
//    SIGKILL from a CTest timeout, Ctrl-C) it sends SIGQUIT to the postmaster and removes the temp dir. It checks
//    that the pid still runs a postgres for this data dir first, so a reused pid is never signalled. Limits: up to
//    ~1 s of delay; if the watchdog itself is killed (e.g. `kill -9` of the whole session) the postmaster stays.
//  Linux only (/proc, runuser), which is what the project targets.
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace frameline::test {

class PostgresServer {
public:
    // Finds the binaries, runs initdb and starts the server; never throws. Check available() and running().
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // False when the PostgreSQL 15 server binaries are missing (tests QSKIP with why()).
    bool available() const { return available_; }
    // True between a successful start and stop().
    bool running() const { return running_; }
    // Why !available() or !running(): the failing command's output, or the server log's last lines.
    QString why() const { return why_; }

    int port() const { return port_; }
    // postgresql://frameline@127.0.0.1:PORT/DB (superuser `frameline`, trust authentication, no password).
    QString url(const QString& db) const;
    // Creates database `name` (letters, digits, '_'; empty: db1, db2, ...) and returns its url(), or an empty
    // string with why() set.
    QString create_database(const QString& name = {});
    // Stops the server and waits for the postmaster to exit; idempotent.
    void stop();

    // For checks and diagnostics.
    QString bin_dir() const { return bin_dir_; }
    QString data_dir() const { return data_dir_; }
    qint64 postmaster_pid() const { return postmaster_pid_; }
    qint64 start_ms() const { return start_ms_; }  // initdb + start, wall clock

private:
    struct Result {
        int code = -1;  // exit code; -1 when it could not run or timed out
        QString output; // stdout and stderr together
    };
    // Runs a server binary; as the `postgres` OS user when we are root (initdb and postgres refuse to run as root).
    Result run_server_tool(const QString& tool, const QStringList& args, int timeout_ms) const;
    Result run(const QString& program, const QStringList& args, int timeout_ms) const;
    bool init();
    bool start_once();
    QString log_tail(int lines = 30) const;
    void start_watchdog();

    std::unique_ptr<QTemporaryDir> dir_;
    QString bin_dir_, data_dir_, socket_dir_, log_file_;
    QString why_;
    bool available_ = false, running_ = false, as_postgres_user_ = false;
    int port_ = 0, next_db_ = 1;
    qint64 postmaster_pid_ = 0, watchdog_pid_ = 0, start_ms_ = 0;
};

}  // namespace frameline::test
