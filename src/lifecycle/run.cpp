#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <csignal>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/unique_fd.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::lifecycle {

namespace {

// Signals a foreground `run` forwards to the container's init, as runc does: all but the ones
// that only make sense for nexcage itself.
sigset_t forwarded_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int sig : {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS})
    sigdelset(&set, sig);
  return set;
}

// Reaps every exited child; returns the init's wait status once it has been reaped.
std::optional<int> reap(int init_pid) {
  std::optional<int> init_status;
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) break;
    if (pid == init_pid) init_status = status;
  }
  return init_status;
}

// Copies what is readable on `from` to `to`; false at end of input (EOF, or EIO on a pty master
// whose slave side is closed).
bool pump(int from, int to) {
  std::array<char, 16384> buf{};
  ssize_t n = ::read(from, buf.data(), buf.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  const char* p = buf.data();
  while (n > 0) {
    ssize_t w = ::write(to, p, static_cast<std::size_t>(n));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return false;
    p += w;
    n -= w;
  }
  return true;
}

class ForegroundLoop {
 public:
  ForegroundLoop(int init_pid, const sigset_t& signals, int master)
      : init_pid_(init_pid), master_(master) {
    sigfd_ = signalfd(-1, &signals, SFD_CLOEXEC);
    if (sigfd_ < 0) throw system_error("watching signals", errno);
    if (master_ >= 0) process::copy_window_size(0, master_);
  }
  ForegroundLoop(const ForegroundLoop&) = delete;
  ForegroundLoop& operator=(const ForegroundLoop&) = delete;
  ~ForegroundLoop() {
    ::close(sigfd_);
    if (master_ >= 0) ::close(master_);
  }

  // Returns the init's exit code (128+signal when killed).
  int wait() {
    bool stdin_open = master_ >= 0;
    for (;;) {
      if (auto status = reap(init_pid_)) {
        drain_terminal();
        return process::Exit{*status}.code();
      }
      std::array<pollfd, 3> fds{};
      nfds_t n = 0;
      fds[n++] = pollfd{sigfd_, POLLIN, 0};
      if (master_ >= 0) fds[n++] = pollfd{master_, POLLIN, 0};
      if (master_ >= 0 && stdin_open) fds[n++] = pollfd{0, POLLIN, 0};
      if (::poll(fds.data(), n, -1) < 0) {
        if (errno == EINTR) continue;
        throw system_error("waiting for the container", errno);
      }
      for (nfds_t i = 0; i < n; ++i) {
        if (fds[i].revents == 0) continue;
        if (fds[i].fd == sigfd_)
          handle_signal();
        else if (fds[i].fd == master_ && !pump(master_, 1))
          close_master();
        else if (fds[i].fd == 0 && !pump(0, master_))
          stdin_open = false;
      }
    }
  }

 private:
  void handle_signal() {
    signalfd_siginfo info{};
    if (::read(sigfd_, &info, sizeof info) != sizeof info) return;
    int sig = static_cast<int>(info.ssi_signo);
    if (sig == SIGCHLD) return;
    if (sig == SIGWINCH && master_ >= 0) {
      process::copy_window_size(0, master_);
      return;
    }
    log::debug("forwarding signal " + std::to_string(sig) + " to " + std::to_string(init_pid_));
    if (::kill(init_pid_, sig) < 0 && errno != ESRCH)
      throw system_error("forwarding signal " + std::to_string(sig), errno);
  }

  void drain_terminal() {
    if (master_ < 0) return;
    for (;;) {
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0 || !pump(master_, 1)) break;
    }
  }

  void close_master() {
    ::close(master_);
    master_ = -1;
  }

  int init_pid_;
  int master_;
  int sigfd_ = -1;
};

int run_detached(Context& ctx, const RunRequest& request) {
  detail::create_container(ctx, request.create);
  try {
    start(ctx, request.create.id);
  } catch (...) {
    remove(ctx, request.create.id, true);
    throw;
  }
  return 0;
}

// How long a one-step run sleeps between looks for the backend's pid file. Polled rather than
// watched with inotify: closing an inotify instance waits for an SRCU grace period (measured
// 6-16 ms here, a third of a whole `runc run`), paid by every run at exit. A few stat calls
// while the backend works cost microseconds; the pid is recorded at most one interval late.
class PidFilePoll {
 public:
  int next_timeout_ms() {
    ++polls_;
    return polls_ <= kFastPolls ? kFastMs : kSlowMs;
  }

 private:
  static constexpr int kFastMs = 5;
  static constexpr int kFastPolls = 400;  // 2 s: covers the create of nearly every container
  static constexpr int kSlowMs = 100;
  int polls_ = 0;
};

std::optional<int> read_pid(const std::filesystem::path& file) {
  std::string text;
  if (!fs::read_proc_file(file, text, 64)) return std::nullopt;
  return process::parse_pid(text);
}

}  // namespace

// The backend's own `run` does create, start, wait and delete in one process: nexcage only claims
// the id, records the init once the backend has written its pid, forwards signals to the backend
// (which forwards them to the container) and passes its exit status on. `restore` is the same.
int detail::run_in_one_step(Context& ctx, const RunRequest& request, detail::Prepared prepared,
                            const backend::RestoreOptions* restore) {
  auto container = std::make_optional(detail::claim(ctx, prepared));
  const auto dir = container->dir();
  const auto pid_file = dir / "init.pid";
  const auto& id = request.create.id;

  sigset_t signals = forwarded_signals();
  sigset_t previous;
  sigprocmask(SIG_BLOCK, &signals, &previous);
  struct RestoreMask {
    sigset_t mask;
    ~RestoreMask() { sigprocmask(SIG_SETMASK, &mask, nullptr); }
  } restore_mask{previous};

  backend::RunCall call;
  call.create.bundle = prepared.bundle.dir;
  call.create.loaded = &prepared.bundle;
  call.create.work_dir = dir;
  call.create.pid_file = pid_file;
  call.create.console_socket = request.create.console_socket.empty()
                                   ? std::string()
                                   : fs::absolute_path(request.create.console_socket).string();
  call.create.preserve_fds = request.create.preserve_fds;
  call.create.no_pivot = request.create.no_pivot;
  call.create.no_new_keyring = request.create.no_new_keyring;
  call.detach = request.detach;
  call.keep = request.keep;
  call.restore = restore;

  fs::UniqueFd sigfd(signalfd(-1, &signals, SFD_CLOEXEC));
  if (sigfd.get() < 0) {
    int err = errno;
    ctx.store().remove(std::move(*container));
    throw system_error("watching for the container's start", err);
  }

  int child = -1;
  try {
    child = prepared.driver->spawn_run(container->record(), call);
  } catch (...) {
    ctx.store().remove(std::move(*container));
    throw;
  }

  std::optional<int> exit_status;
  bool recorded = false;
  std::optional<int> known_pid;
  auto try_record = [&] {
    if (recorded) return;
    auto pid = read_pid(pid_file);
    if (!pid) return;
    known_pid = pid;
    try {
      detail::record_started(ctx, *container, *pid, state::Status::running,
                             request.create.pid_file);
      recorded = true;
      container.reset();  // release the lock: kill, exec, pause... may now run
    } catch (const Error& e) {
      log::debug(std::string("recording the started container: ") + e.what());
    }
  };
  PidFilePoll pid_poll;
  while (!exit_status) {
    try_record();
    pollfd fd{sigfd.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, recorded ? -1 : pid_poll.next_timeout_ms());
    if (ready < 0 && errno != EINTR) throw system_error("waiting for the container", errno);
    if (ready <= 0) continue;
    signalfd_siginfo info{};
    if (::read(sigfd.get(), &info, sizeof info) != sizeof info) continue;
    int sig = static_cast<int>(info.ssi_signo);
    if (sig == SIGCHLD) {
      int status = 0;
      if (waitpid(child, &status, WNOHANG) == child) exit_status = status;
      continue;
    }
    if (::kill(child, sig) < 0 && errno != ESRCH) throw system_error("forwarding signal", errno);
  }
  try_record();
  // An init that ended before it could be recorded still had its pid, which runc writes before
  // the process runs: the caller's --pid-file gets it all the same, as from runc itself.
  if (!recorded && known_pid) detail::write_pid_file(request.create.pid_file, *known_pid);
  int code = process::Exit{*exit_status}.code();

  if (request.detach && recorded && code == 0) return 0;
  if (request.keep && !request.detach) {
    // The record stays. An init that exited before its pid could be recorded must not leave a
    // record that still says "creating".
    if (!recorded && container) {
      container->record().status = state::Status::stopped;
      container->record().pid = 0;
      ctx.store().save(*container);
    }
    return code;
  }
  // The backend has deleted its container (or failed to create it): drop the record too.
  try {
    auto gone =
        container ? std::move(*container) : ctx.store().open(id, fs::FileLock::Mode::exclusive);
    container.reset();
    if (code != 0 && !recorded) prepared.driver->remove(gone.record(), true);
    ctx.store().remove(std::move(gone));
  } catch (const Error& e) {
    log::warn("removing the record of " + id + ": " + e.what());
  }
  return code;
}

int run(Context& ctx, const RunRequest& request) {
  {
    auto prepared = detail::prepare_create(ctx, request.create);
    if (prepared.driver->runs_in_one_step(request.keep))
      return detail::run_in_one_step(ctx, request, std::move(prepared));
  }
  if (request.detach) return run_detached(ctx, request);
  // The backend starts the init and exits; as a subreaper nexcage inherits the init and learns
  // its exit status through wait(), like `runc run`. (pct: the recorded pid is nexcage-monitor,
  // nexcage's own child, which exits with the application's status.)
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    throw system_error("becoming a subreaper", errno);
  sigset_t signals = forwarded_signals();
  sigset_t previous;
  sigprocmask(SIG_BLOCK, &signals, &previous);

  process::ConsoleSocket console;
  auto created = detail::create_container(ctx, request.create, &console);
  int code = 0;
  try {
    int master = created.terminal_on_own_console ? console.receive_master(10000) : -1;
    process::RawTerminal raw(master >= 0 ? 0 : -1);
    ForegroundLoop loop(created.record.pid, signals, master);
    start(ctx, request.create.id);
    code = loop.wait();
  } catch (...) {
    try {
      remove(ctx, request.create.id, true);
    } catch (const Error& e) {
      log::warn(std::string("cleaning up after a failed run: ") + e.what());
    }
    throw;
  }
  if (!request.keep) remove(ctx, request.create.id, true);
  sigprocmask(SIG_SETMASK, &previous, nullptr);
  return code;
}

}  // namespace nexcage::lifecycle
