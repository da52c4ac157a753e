#include "nexcage/backend/pct/stdio_handoff.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "nexcage/backend/pct/stdio_protocol.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::backend::pct {

StdioListener::StdioListener(std::filesystem::path path, uid_t owner_uid, gid_t owner_gid)
    : path_(std::move(path)), owner_uid_(owner_uid) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.string().size() >= sizeof addr.sun_path)
    throw Error(
        ErrorKind::invalid_input,
        "the stdio socket path " + path_.string() + " is longer than a unix socket path may be",
        "use a shorter backends.pct.host_dir");
  std::strcpy(addr.sun_path, path_.c_str());
  fd_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd_) throw system_error("creating the stdio socket", errno);
  // Created 0600 from the start: nobody may connect before the owner is the container's root.
  mode_t old = ::umask(0177);
  int bound = ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int bind_errno = errno;
  ::umask(old);
  if (bound < 0) throw system_error("binding the stdio socket " + path_.string(), bind_errno);
  if (::chown(path_.c_str(), owner_uid, owner_gid) < 0 || ::listen(fd_.get(), 1) < 0) {
    int err = errno;
    ::unlink(path_.c_str());
    throw system_error("preparing the stdio socket " + path_.string(), err);
  }
}

StdioListener::~StdioListener() {
  ::unlink(path_.c_str());
}

pid_t StdioListener::hand_over(std::chrono::steady_clock::time_point deadline,
                               const std::function<void()>& still_starting,
                               const std::function<bool(pid_t)>& is_init) {
  UniqueFd conn;
  ucred peer{};
  while (!conn) {
    pollfd p{fd_.get(), POLLIN, 0};
    int ready = ::poll(&p, 1, 20);
    if (ready < 0 && errno != EINTR) throw system_error("waiting on the stdio socket", errno);
    if (ready > 0) {
      conn = UniqueFd(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!conn) {
        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
          throw system_error("accepting on the stdio socket", errno);
        continue;
      }
      socklen_t len = sizeof peer;
      if (::getsockopt(conn.get(), SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0)
        throw system_error("reading the stdio socket's peer", errno);
      if (peer.uid != owner_uid_ || !is_init(peer.pid)) conn.reset();  // not the init: nothing sent
      continue;
    }
    still_starting();
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(ErrorKind::backend, "the container's init did not ask for its stdio in time",
                  "see `pct status` and the console log in the container's state directory");
  }

  char byte = stdio_message_byte;
  iovec iov{&byte, 1};
  int fds[stdio_fd_count] = {0, 1, 2};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof fds);
  std::memcpy(CMSG_DATA(cmsg), fds, sizeof fds);
  ssize_t sent;
  do sent = ::sendmsg(conn.get(), &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent != 1) throw system_error("handing stdio to the container's init", errno);
  return peer.pid;
}

}  // namespace nexcage::backend::pct
