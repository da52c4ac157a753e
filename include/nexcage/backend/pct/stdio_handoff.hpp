#pragma once
// The host side of the stdio handoff (stdio_protocol.hpp): `create` listens on a unix socket
// that only the container's root may connect to, and hands the first connection from the
// container's init the caller's fds 0, 1 and 2.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "nexcage/core/unique_fd.hpp"

namespace nexcage::backend::pct {

class StdioListener {
 public:
  // Binds `path` (which must not exist), owned by `owner_uid`/`owner_gid` (the container
  // process's user as the host sees it) with mode 0600, so no other host user and no process
  // of another id can connect. Throws Error(backend).
  StdioListener(std::filesystem::path path, uid_t owner_uid, gid_t owner_gid);
  ~StdioListener();
  StdioListener(const StdioListener&) = delete;
  StdioListener& operator=(const StdioListener&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Waits until `deadline` for a connection whose peer (SO_PEERCRED: the owner's uid, and a pid
  // `is_init` accepts) is the container's init, calling `still_starting` every 20 ms (it throws
  // when the container stopped), and sends it this process's fds 0, 1 and 2. Any other peer is
  // disconnected before anything is sent. Returns the init's host pid.
  pid_t hand_over(std::chrono::steady_clock::time_point deadline,
                  const std::function<void()>& still_starting,
                  const std::function<bool(pid_t)>& is_init);

 private:
  std::filesystem::path path_;
  uid_t owner_uid_;
  UniqueFd fd_;
};

}  // namespace nexcage::backend::pct
