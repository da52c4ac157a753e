#include "nexcage/process/console.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nexcage/core/error.hpp"

namespace nexcage::process {

static_assert(sizeof(termios) <= 64, "RawTerminal::saved_ too small for struct termios");

ConsoleSocket::ConsoleSocket() {
  char tmpl[] = "/tmp/nexcage-console-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw system_error("creating a console socket directory", errno);
  dir_ = tmpl;
  path_ = dir_ + "/console.sock";
  fd_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd_) {
    int err = errno;
    ::rmdir(dir_.c_str());
    throw system_error("creating the console socket", err);
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
      ::listen(fd_.get(), 1) < 0) {
    int err = errno;
    fd_.reset();
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
    throw system_error("listening on " + path_, err);
  }
}

ConsoleSocket::~ConsoleSocket() {
  fd_.reset();
  ::unlink(path_.c_str());
  ::rmdir(dir_.c_str());
}

UniqueFd ConsoleSocket::receive_master(int timeout_ms) {
  pollfd p{fd_.get(), POLLIN, 0};
  int ready = ::poll(&p, 1, timeout_ms);
  if (ready <= 0)
    throw Error(ErrorKind::backend, "the backend did not send the container's terminal");
  UniqueFd conn(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) throw system_error("accepting on the console socket", errno);
  char data[4096];
  iovec iov{data, sizeof data};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC);
  if (n < 0) throw system_error("receiving the terminal", errno);
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (cmsg == nullptr || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
    throw Error(ErrorKind::backend, "the backend sent no terminal on the console socket");
  int master = -1;
  std::memcpy(&master, CMSG_DATA(cmsg), sizeof master);
  return UniqueFd(master);
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  termios t{};
  if (!::isatty(fd) || ::tcgetattr(fd, &t) < 0) return;
  std::memcpy(saved_, &t, sizeof t);
  ::cfmakeraw(&t);
  if (::tcsetattr(fd, TCSANOW, &t) == 0) active_ = true;
}

RawTerminal::~RawTerminal() {
  if (!active_) return;
  termios t{};
  std::memcpy(&t, saved_, sizeof t);
  ::tcsetattr(fd_, TCSANOW, &t);
}

void copy_window_size(int from, int to) {
  winsize ws{};
  if (::ioctl(from, TIOCGWINSZ, &ws) == 0) ::ioctl(to, TIOCSWINSZ, &ws);
}

}  // namespace nexcage::process
