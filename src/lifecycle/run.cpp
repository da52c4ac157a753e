#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"

namespace nexcage::lifecycle {

namespace {

// Signals the foreground `run` forwards to the container's init, as runc does (all but the ones
// that only make sense for nexcage itself).
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

int wait_forwarding_signals(int init_pid, const sigset_t& signals) {
  for (;;) {
    if (auto status = reap(init_pid)) return process::Exit{*status}.code();
    siginfo_t info{};
    int sig = sigwaitinfo(&signals, &info);
    if (sig < 0) {
      if (errno == EINTR) continue;
      throw system_error("waiting for signals", errno);
    }
    if (sig == SIGCHLD) continue;
    log::debug("forwarding signal " + std::to_string(sig) + " to " + std::to_string(init_pid));
    if (::kill(init_pid, sig) < 0 && errno != ESRCH)
      throw system_error("forwarding signal " + std::to_string(sig), errno);
  }
}

}  // namespace

int run(Context& ctx, const RunRequest& request) {
  if (request.detach) {
    auto created = detail::create_container(ctx, request.create);
    try {
      start(ctx, request.create.id);
    } catch (...) {
      remove(ctx, request.create.id, true);
      throw;
    }
    return 0;
  }
  // The init is started by the backend, which exits; as a subreaper nexcage inherits the init and
  // learns its exit status through wait(), like `runc run`.
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) throw system_error("becoming a subreaper", errno);
  sigset_t signals = forwarded_signals();
  sigset_t previous;
  sigprocmask(SIG_BLOCK, &signals, &previous);

  auto created = detail::create_container(ctx, request.create);
  int code = 0;
  try {
    start(ctx, request.create.id);
    code = wait_forwarding_signals(created.record.pid, signals);
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
