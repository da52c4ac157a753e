#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"

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
        if (fds[i].fd == sigfd_) handle_signal();
        else if (fds[i].fd == master_ && !pump(master_, 1)) close_master();
        else if (fds[i].fd == 0 && !pump(0, master_)) stdin_open = false;
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

}  // namespace

int run(Context& ctx, const RunRequest& request) {
  if (request.detach) return run_detached(ctx, request);
  // The backend starts the init and exits; as a subreaper nexcage inherits the init and learns
  // its exit status through wait(), like `runc run`.
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) throw system_error("becoming a subreaper", errno);
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
