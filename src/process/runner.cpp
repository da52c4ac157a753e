#include "nexcage/process/runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "nexcage/core/error.hpp"
#include "nexcage/core/operation.hpp"
#include "nexcage/core/unique_fd.hpp"

namespace nexcage::process {

bool Exit::exited() const {
  return WIFEXITED(status);
}
bool Exit::signaled() const {
  return WIFSIGNALED(status);
}
int Exit::code() const {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}
int Exit::signal() const {
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

Exit wait_for(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw system_error("waiting for process " + std::to_string(pid), errno);
  }
  return Exit{status};
}

std::string describe(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) {
    if (!out.empty()) out += ' ';
    if (word.empty() || word.find_first_of(" \t\n'\"\\") != std::string::npos) {
      out += '\'';
      for (char c : word) {
        if (c == '\'')
          out += "'\\''";
        else
          out += c;
      }
      out += '\'';
    } else {
      out += word;
    }
  }
  return out;
}

namespace {

// Owned pipe ends, closed on scope exit so an exception never leaks an fd.
using Fd = UniqueFd;

std::array<int, 2> new_pipe() {
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) < 0) throw system_error("creating a pipe", errno);
  return fds;
}

struct Pipe {
  Fd read, write;
  Pipe() : Pipe(new_pipe()) {}

 private:
  explicit Pipe(std::array<int, 2> fds) : read(fds[0]), write(fds[1]) {}
};

std::vector<char*> c_strings(const std::vector<std::string>& words) {
  std::vector<char*> out;
  out.reserve(words.size() + 1);
  for (const auto& w : words) out.push_back(const_cast<char*>(w.c_str()));
  out.push_back(nullptr);
  return out;
}

void check_command(const Command& cmd) {
  if (cmd.path.empty() || cmd.path.front() != '/')
    throw Error(ErrorKind::invalid_input,
                "refusing to run \"" + cmd.path + "\": binaries are started by absolute path only");
  if (cmd.argv.empty()) throw Error(ErrorKind::invalid_input, "empty argv for " + cmd.path);
}

// The fds 3 .. 3+preserve_fds-1 survive execve (they are usually not O_CLOEXEC already, but a
// caller's may be); returns the first fd that does not.
int keep_preserved_fds(const Command& cmd) {
  int first_closed = 3 + (cmd.preserve_fds > 0 ? cmd.preserve_fds : 0);
  for (int fd = 3; fd < first_closed; ++fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  return first_closed;
}

// cmd.env without its pid_env variable, which the caller sets to the child's pid.
std::vector<std::string> env_without_pid_env(const Command& cmd) {
  std::string prefix = cmd.pid_env + "=";
  std::vector<std::string> env = cmd.env;
  std::erase_if(env, [&](const std::string& var) { return var.rfind(prefix, 0) == 0; });
  return env;
}

// posix_spawn cannot put the child's own pid into its environment, so a command with a pid_env
// is forked: the child writes its pid into a slot reserved before the fork (nothing is allocated
// after it), resets what posix_spawn resets, and reports a failed execve through a close-on-exec
// pipe. The preserved fds have had their close-on-exec flag cleared by the caller.
int fork_with_own_pid(const Command& cmd, int first_closed) {
  std::string prefix = cmd.pid_env + "=";
  auto env = env_without_pid_env(cmd);
  env.push_back(prefix + std::string(20, '\0'));
  auto argv = c_strings(cmd.argv);
  auto envp = c_strings(env);
  char* slot = envp[env.size() - 1] + prefix.size();
  Pipe report;

  sigset_t all, previous;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &previous);  // no handler of ours may run in the child
  pid_t pid = ::fork();
  if (pid == 0) {
    char digits[20];
    int n = 0;
    for (pid_t own = ::getpid(); own > 0 && n < 20; own /= 10)
      digits[n++] = static_cast<char>('0' + own % 10);
    for (int i = 0; i < n; ++i) slot[i] = digits[n - 1 - i];
    slot[n] = '\0';
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int err = 0;
    if (!cmd.cwd.empty() && ::chdir(cmd.cwd.c_str()) < 0) err = errno;
    if (err == 0) {
      ::close_range(static_cast<unsigned>(first_closed), ~0U, CLOSE_RANGE_CLOEXEC);
      ::execve(cmd.path.c_str(), argv.data(), envp.data());
      err = errno;
    }
    [[maybe_unused]] auto w = ::write(report.write.get(), &err, sizeof err);
    ::_exit(127);
  }
  int fork_errno = errno;
  sigprocmask(SIG_SETMASK, &previous, nullptr);
  if (pid < 0) throw system_error("starting " + cmd.path, fork_errno);
  report.write.reset();
  int err = 0;
  ssize_t r;
  while ((r = ::read(report.read.get(), &err, sizeof err)) < 0 && errno == EINTR) {
  }
  if (r == sizeof err) {
    wait_for(pid);
    throw system_error("starting " + cmd.path, err);
  }
  return pid;
}

// Spawn attributes shared by all modes: default signal dispositions and an unblocked mask, so a
// child never inherits nexcage's signal forwarding setup; every fd above the preserved range is
// closed in the child (glibc >= 2.34 closefrom action).
class SpawnSetup {
 public:
  explicit SpawnSetup(const Command& cmd) {
    posix_spawnattr_init(&attr_);
    posix_spawn_file_actions_init(&actions_);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr_, &all);
    posix_spawnattr_setsigmask(&attr_, &none);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (!cmd.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions_, cmd.cwd.c_str());
  }
  ~SpawnSetup() {
    posix_spawnattr_destroy(&attr_);
    posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  void dup_to(int fd, int target) { posix_spawn_file_actions_adddup2(&actions_, fd, target); }
  void open_to(int target, const char* path, int flags, mode_t mode = 0) {
    posix_spawn_file_actions_addopen(&actions_, target, path, flags, mode);
  }

  int spawn(const Command& cmd) {
    int first_closed = keep_preserved_fds(cmd);
    if (!cmd.pid_env.empty()) return fork_with_own_pid(cmd, first_closed);
    posix_spawn_file_actions_addclosefrom_np(&actions_, first_closed);
    auto argv = c_strings(cmd.argv);
    auto envp = c_strings(cmd.env);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, cmd.path.c_str(), &actions_, &attr_, argv.data(), envp.data());
    if (rc != 0) throw system_error("starting " + cmd.path, rc);
    return pid;
  }

 private:
  posix_spawnattr_t attr_{};
  posix_spawn_file_actions_t actions_{};
};

// Reads stdout and stderr together (and feeds stdin) so a child filling one pipe never deadlocks.
void pump(Fd& in, const std::string& in_data, Fd& out, std::string& out_data, Fd& err,
          std::string& err_data) {
  std::size_t written = 0;
  if (in.get() >= 0 && in_data.empty()) in.reset();
  std::array<char, 16384> buf{};
  while (out.get() >= 0 || err.get() >= 0 || in.get() >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    auto add = [&](Fd& fd, short events) {
      if (fd.get() >= 0) fds[n++] = pollfd{fd.get(), events, 0};
    };
    add(out, POLLIN);
    add(err, POLLIN);
    add(in, POLLOUT);
    if (poll(fds.data(), n, -1) < 0) {
      if (errno == EINTR) continue;
      throw system_error("waiting for process output", errno);
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.get()) {
        ssize_t w = ::write(in.get(), in_data.data() + written, in_data.size() - written);
        if (w < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (w < 0) {
          in.reset();  // the child closed its stdin: it does not want the rest
          continue;
        }
        written += static_cast<std::size_t>(w);
        if (written == in_data.size()) in.reset();
        continue;
      }
      Fd& src = fds[i].fd == out.get() ? out : err;
      std::string& dst = fds[i].fd == out.get() ? out_data : err_data;
      ssize_t r = ::read(src.get(), buf.data(), buf.size());
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        src.reset();
        continue;
      }
      dst.append(buf.data(), static_cast<std::size_t>(r));
    }
  }
}

class SystemRunner final : public Runner {
 public:
  Captured capture(const Command& cmd) override {
    check_command(cmd);
    if (!cmd.pid_env.empty())
      throw Error(ErrorKind::invalid_input,
                  "a captured command cannot be given its own pid (" + cmd.pid_env + ")");
    Pipe out, err;
    std::optional<Pipe> in;
    SpawnSetup setup(cmd);
    if (cmd.stdin_data) {
      in.emplace();
      // Non-blocking: a blocking write larger than the pipe's free space would stall while the
      // child waits for us to read its output.
      fcntl(in->write.get(), F_SETFL, O_NONBLOCK);
      setup.dup_to(in->read.get(), 0);
    } else {
      setup.open_to(0, "/dev/null", O_RDONLY);
    }
    // In this order: fd 1 becomes nexcage's stderr before fd 2 becomes the pipe.
    setup.dup_to(cmd.stdout_on_stderr ? 2 : out.write.get(), 1);
    setup.dup_to(err.write.get(), 2);
    int pid = setup.spawn(cmd);
    out.write.reset();
    err.write.reset();
    Captured result;
    Fd no_input;
    if (in) in->read.reset();
    pump(in ? in->write : no_input, cmd.stdin_data.value_or(""), out.read, result.out, err.read,
         result.err);
    result.exit = wait_for(pid);
    return result;
  }

  Exit inherit(const Command& cmd) override { return wait_for(spawn(cmd)); }

  int spawn(const Command& cmd) override {
    check_command(cmd);
    SpawnSetup setup(cmd);
    if (!cmd.output_file.empty()) {
      setup.open_to(0, "/dev/null", O_RDONLY, 0);
      setup.open_to(1, cmd.output_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600);
      setup.dup_to(1, 2);
    }
    return setup.spawn(cmd);
  }

  void exec_replacing(const Command& cmd) override {
    check_command(cmd);
    int first_closed = keep_preserved_fds(cmd);
    // Mark rather than close: if execve fails we still need our own fds (the --log file).
    close_range(static_cast<unsigned>(first_closed), ~0U, CLOSE_RANGE_CLOEXEC);
    if (!cmd.cwd.empty() && chdir(cmd.cwd.c_str()) < 0)
      throw system_error("changing directory to " + cmd.cwd, errno);
    auto env = cmd.env;
    if (!cmd.pid_env.empty()) {
      env = env_without_pid_env(cmd);
      env.push_back(cmd.pid_env + "=" + std::to_string(::getpid()));  // execve keeps the pid
    }
    auto argv = c_strings(cmd.argv);
    auto envp = c_strings(env);
    execve(cmd.path.c_str(), argv.data(), envp.data());
    throw system_error("executing " + cmd.path, errno);
  }
};

}  // namespace

void Runner::replace(const Command& cmd) {
  // The backend takes the process over: this command's record is written now or never (the
  // exit status is the backend's to report).
  operation::finish(operation::Outcome{});
  exec_replacing(cmd);
  throw Error(ErrorKind::system, "exec: " + cmd.path + " did not replace this process");
}

Runner& system_runner() {
  static SystemRunner runner;
  return runner;
}

}  // namespace nexcage::process
