#pragma once
// The console-socket protocol seen from the receiving side, for a foreground `run` of a
// container with process.terminal: nexcage listens, the backend sends the pty master, and nexcage
// copies between the master and its own stdio (as `runc run` does with its own pty).
#include <string>

#include "nexcage/core/unique_fd.hpp"

namespace nexcage::process {

class ConsoleSocket {
 public:
  // Listens on a socket in a fresh private directory under /tmp (socket paths are limited to
  // 108 bytes, so it cannot live under a long --root).
  ConsoleSocket();
  ConsoleSocket(const ConsoleSocket&) = delete;
  ConsoleSocket& operator=(const ConsoleSocket&) = delete;
  ~ConsoleSocket();

  const std::string& path() const { return path_; }
  // Accepts the backend's connection and returns the pty master it sent (one SCM_RIGHTS fd).
  UniqueFd receive_master(int timeout_ms);

 private:
  std::string dir_;
  std::string path_;
  UniqueFd fd_;
};

// Puts a terminal in raw mode for the lifetime of the object; a no-op when fd is not a tty.
class RawTerminal {
 public:
  explicit RawTerminal(int fd);
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  ~RawTerminal();

 private:
  int fd_;
  bool active_ = false;
  unsigned char saved_[64] = {};  // struct termios, kept opaque here
};

// Copies the window size of `from` (a tty) to `to` (a pty master); ignored when `from` is no tty.
void copy_window_size(int from, int to);

}  // namespace nexcage::process
