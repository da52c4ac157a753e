#pragma once
// A process waited for in the foreground, as `runc run` waits for its container: the caller's
// signals are forwarded to it, its terminal is copied to the caller's, and its wait status ends
// the wait. Used by `run` and `restore`, for the backend's own one-step run and for an init
// nexcage inherits as a subreaper.
#include <csignal>
#include <functional>
#include <optional>

#include "nexcage/core/unique_fd.hpp"

namespace nexcage::process {

// The signals a foreground run forwards, as runc's: all but those that only make sense for
// nexcage itself (SIGKILL, SIGSTOP and the synchronous faults).
sigset_t forwarded_signals();

// Blocks `signals` in this thread and receives them through a signalfd instead. The previous mask
// comes back when the object goes, also when an exception leaves the scope.
class BlockedSignals {
 public:
  explicit BlockedSignals(const sigset_t& signals);
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
  ~BlockedSignals();
  int fd() const { return fd_.get(); }
  // The next pending signal, read from the signalfd (call it when fd() is readable).
  std::optional<int> take();

 private:
  sigset_t previous_;
  UniqueFd fd_;
};

enum class Reaping {
  target_only,   // only `pid`, a child of this process (the backend's one-step run)
  all_children,  // every child, as a subreaper must: `pid` is an init re-parented to us
};

struct ForegroundOptions {
  Reaping reaping = Reaping::target_only;
  // The container's pty master: its output is copied to out_fd and in_fd's input to it, and the
  // caller's window size follows SIGWINCH. Empty: no terminal, SIGWINCH is forwarded like any
  // signal.
  UniqueFd pty_master;
  int in_fd = 0;
  int out_fd = 1;
};

// Waits for `pid` with `signals` blocked and received, forwarding each signal but SIGCHLD to it.
// `between`, when set, runs before every wait and returns how long that wait may last in ms (-1:
// until something happens), so a caller can look for something meanwhile (a pid file). Returns the
// raw wait status; after it, whatever the pty still holds has been copied out.
int wait_in_foreground(int pid, BlockedSignals& signals, ForegroundOptions options,
                       const std::function<int()>& between = {});

}  // namespace nexcage::process
