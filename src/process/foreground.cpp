#include "nexcage/process/foreground.hpp"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

#include "nexcage/core/error.hpp"
#include "nexcage/core/io.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/process/console.hpp"

namespace nexcage::process {

sigset_t forwarded_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int sig : {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS})
    sigdelset(&set, sig);
  return set;
}

BlockedSignals::BlockedSignals(const sigset_t& signals) {
  if (int err = pthread_sigmask(SIG_BLOCK, &signals, &previous_); err != 0)
    throw system_error("blocking signals", err);
  fd_ = UniqueFd(signalfd(-1, &signals, SFD_CLOEXEC));
  if (!fd_) {
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    throw system_error("watching signals", err);
  }
}

BlockedSignals::~BlockedSignals() {
  fd_.reset();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

std::optional<int> BlockedSignals::take() {
  signalfd_siginfo info{};
  if (::read(fd_.get(), &info, sizeof info) != sizeof info) return std::nullopt;
  return static_cast<int>(info.ssi_signo);
}

namespace {

// Copies what is readable on `from` to `to`; false at end of input (EOF, or EIO on a pty master
// whose slave side is closed) or when `to` is gone.
bool pump(int from, int to) {
  std::array<char, 16384> buf{};
  ssize_t n = ::read(from, buf.data(), buf.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  return write_fully(to, std::string_view(buf.data(), static_cast<std::size_t>(n)));
}

class Waiter {
 public:
  Waiter(int pid, BlockedSignals& signals, ForegroundOptions options)
      : pid_(pid), signals_(signals), o_(std::move(options)), stdin_open_(bool(o_.pty_master)) {
    if (o_.pty_master) copy_window_size(o_.in_fd, o_.pty_master.get());
  }

  int wait(const std::function<int()>& between) {
    for (;;) {
      if (auto status = reap()) {
        drain_terminal();
        return *status;
      }
      int timeout = between ? between() : -1;
      std::array<pollfd, 3> fds{};
      nfds_t n = 0;
      fds[n++] = pollfd{signals_.fd(), POLLIN, 0};
      if (o_.pty_master) fds[n++] = pollfd{o_.pty_master.get(), POLLIN, 0};
      if (o_.pty_master && stdin_open_) fds[n++] = pollfd{o_.in_fd, POLLIN, 0};
      int ready = ::poll(fds.data(), n, timeout);
      if (ready < 0 && errno != EINTR) throw system_error("waiting for the container", errno);
      if (ready <= 0) continue;
      for (nfds_t i = 0; i < n; ++i) {
        if (fds[i].revents == 0) continue;
        if (fds[i].fd == signals_.fd())
          handle_signal();
        else if (o_.pty_master && fds[i].fd == o_.pty_master.get() &&
                 !pump(o_.pty_master.get(), o_.out_fd))
          o_.pty_master.reset();
        else if (fds[i].fd == o_.in_fd && o_.pty_master && !pump(o_.in_fd, o_.pty_master.get()))
          stdin_open_ = false;
      }
    }
  }

 private:
  // The target's wait status once it has been reaped (with every other exited child, as a
  // subreaper).
  std::optional<int> reap() {
    std::optional<int> target;
    for (;;) {
      int status = 0;
      pid_t pid = waitpid(o_.reaping == Reaping::all_children ? -1 : pid_, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid == pid_) target = status;
    }
    return target;
  }

  void handle_signal() {
    auto sig = signals_.take();
    if (!sig || *sig == SIGCHLD) return;  // children are reaped at the top of the loop
    if (*sig == SIGWINCH && o_.pty_master) {
      copy_window_size(o_.in_fd, o_.pty_master.get());
      return;
    }
    log::debug("forwarding signal " + std::to_string(*sig) + " to " + std::to_string(pid_));
    if (::kill(pid_, *sig) < 0 && errno != ESRCH)
      throw system_error("forwarding signal " + std::to_string(*sig), errno);
  }

  void drain_terminal() {
    while (o_.pty_master) {
      pollfd p{o_.pty_master.get(), POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0 || !pump(o_.pty_master.get(), o_.out_fd)) break;
    }
  }

  int pid_;
  BlockedSignals& signals_;
  ForegroundOptions o_;
  bool stdin_open_;
};

}  // namespace

int wait_in_foreground(int pid, BlockedSignals& signals, ForegroundOptions options,
                       const std::function<int()>& between) {
  return Waiter(pid, signals, std::move(options)).wait(between);
}

}  // namespace nexcage::process
