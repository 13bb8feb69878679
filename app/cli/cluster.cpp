#include "app/cli/cluster.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>

namespace frameline::cli {

std::string worker_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "unknown-host");
    std::string name = std::string(host) + ":" + std::to_string(getpid());
    const char* array_job = std::getenv("SLURM_ARRAY_JOB_ID");
    const char* array_task = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* job = std::getenv("SLURM_JOB_ID");
    if (array_job && *array_job && array_task && *array_task)
        name += std::string(" slurm:") + array_job + "_" + array_task;
    else if (job && *job)
        name += std::string(" slurm:") + job;
    return name;
}

std::string slurm_id_of_worker(const std::string& worker) {
    const auto at = worker.find(" slurm:");
    if (at == std::string::npos) return {};
    std::string id = worker.substr(at + 7);
    const auto end = id.find(' ');
    return end == std::string::npos ? id : id.substr(0, end);
}

std::string self_executable() {
    std::error_code ec;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("frameline-cli") : path.string();
}

std::string ProgramRun::how_it_ended() const {
    if (!started) return "could not start: " + error;
    if (signal > 0) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "exit code " + std::to_string(exit_code);
}

bool on_path(const std::string& program) {
    if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    return false;
}

std::string last_line(const std::string& text) {
    std::string line;
    std::stringstream lines(text);
    std::string l;
    while (std::getline(lines, l)) {
        while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
        const auto cr = l.rfind('\r');  // a progress bar's last state
        if (cr != std::string::npos) l = l.substr(cr + 1);
        if (!l.empty()) line = l;
    }
    for (const char* prefix : {"frameline-cli: error: ", "frameline-cli: "})
        if (line.rfind(prefix, 0) == 0) return line.substr(std::strlen(prefix));
    return line;
}

ProgramRun run_program(const std::vector<std::string>& argv, const std::string& input,
                       const std::function<int()>& on_tick, std::chrono::milliseconds tick) {
    ProgramRun run;
    if (argv.empty()) {
        run.error = "no program given";
        return run;
    }
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        run.error = std::string("pipe: ") + std::strerror(errno);
        return run;
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    // fork + exec rather than posix_spawn: the child also asks to be killed when this process dies (a worker killed
    // by the OOM killer must not leave an ingest running on that its requeued job's next worker would race).
    const pid_t parent = getpid();
    int exec_error[2];
    if (pipe2(exec_error, O_CLOEXEC) != 0) {
        run.error = std::string("pipe: ") + std::strerror(errno);
        return run;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        // Only async-signal-safe calls from here to exec.
        dup2(in_pipe[0], STDIN_FILENO);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
        execvp(args[0], args.data());
        const int e = errno;
        (void)!write(exec_error[1], &e, sizeof e);
        _exit(127);
    }
    close(exec_error[1]);
    int rc = pid < 0 ? errno : 0;
    if (pid > 0) {
        int e = 0;
        if (read(exec_error[0], &e, sizeof e) == static_cast<ssize_t>(sizeof e)) {
            rc = e;  // exec failed: reap the child
            waitpid(pid, nullptr, 0);
        }
    }
    close(exec_error[0]);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        run.error = argv[0] + ": " + std::strerror(rc);
        return run;
    }
    run.started = true;
    // Small inputs (a batch script) fit the pipe buffer; a program that does not read them gets EPIPE, not a hang.
    signal(SIGPIPE, SIG_IGN);
    if (!input.empty()) {
        size_t written = 0;
        while (written < input.size()) {
            const ssize_t n = write(in_pipe[1], input.data() + written, input.size() - written);
            if (n <= 0) break;
            written += static_cast<size_t>(n);
        }
    }
    close(in_pipe[1]);

    std::set<int> sent;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    auto last_tick = std::chrono::steady_clock::now();
    auto maybe_tick = [&] {
        if (!on_tick) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_tick < tick) return;
        last_tick = now;
        const int sig = on_tick();
        if (sig > 0 && sent.insert(sig).second) kill(pid, sig);
    };
    while (open_fds > 0) {
        const int n = poll(fds, 2, static_cast<int>(tick.count()));
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[65536];
            const ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                (i == 0 ? run.out : run.err).append(buf, static_cast<size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
        maybe_tick();
    }
    // Output closed: the program is ending (or handed its pipes to a grandchild); keep ticking while waiting.
    int status = 0;
    for (;;) {
        const pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        usleep(20000);
        maybe_tick();
    }
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
    return run;
}

}  // namespace frameline::cli
