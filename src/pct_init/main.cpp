// nexcage-init: the first process of a container created through the pct backend, and the
// helper that gives `nexcage exec` a working directory. Statically linked, because it runs inside
// the container's rootfs, which may hold no C library at all. The protocol is described in
// include/nexcage/backend/pct/init_protocol.hpp. Deliberately tiny: no allocation after start,
// no output except one line on failure.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "nexcage/backend/pct/init_protocol.hpp"
#include "nexcage/backend/pct/stdio_protocol.hpp"

namespace pct = nexcage::backend::pct;

namespace {

constexpr const char* fallback_path =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

int fail(int status, const char* what, const char* arg) {
  std::fprintf(stderr, "nexcage-init: %s %s: %s\n", what, arg, std::strerror(errno));
  return status;
}

// execvp's lookup, done before waiting, so a missing program fails `create` as it does with runc
// instead of a `start` that seems to work and a container that is gone a moment later.
bool executable_found(const char* file) {
  if (std::strchr(file, '/') != nullptr) return ::access(file, X_OK) == 0;
  const char* path = std::getenv("PATH");
  if (path == nullptr || *path == '\0') path = fallback_path;
  char candidate[4096];
  for (const char* dir = path;;) {
    const char* end = std::strchr(dir, ':');
    std::size_t len = end != nullptr ? static_cast<std::size_t>(end - dir) : std::strlen(dir);
    int n = std::snprintf(candidate, sizeof candidate, "%.*s/%s", static_cast<int>(len),
                          len == 0 ? "." : dir, file);
    if (n > 0 && static_cast<std::size_t>(n) < sizeof candidate && ::access(candidate, X_OK) == 0)
      return true;
    if (end == nullptr) return false;
    dir = end + 1;
  }
}

// Reads a small /proc file into `buf` (NUL-terminated); false when it cannot be read.
bool read_small(const char* file, char* buf, std::size_t size) {
  int fd = ::open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::size_t used = 0;
  while (used + 1 < size) {
    ssize_t n = ::read(fd, buf + used, size - 1 - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  buf[used] = '\0';
  return used > 0;
}

// Host root's uid as this user namespace sees it; what si_uid holds for `nexcage start`.
// LXC mounts /proc before it runs the init. Without it, host root is assumed unmapped.
uid_t expected_sender_uid() {
  char overflow[32], map[4096];
  uid_t overflow_uid = 65534;
  if (read_small("/proc/sys/kernel/overflowuid", overflow, sizeof overflow))
    overflow_uid = static_cast<uid_t>(std::strtoul(overflow, nullptr, 10));
  if (!read_small("/proc/self/uid_map", map, sizeof map)) return overflow_uid;
  return pct::host_root_uid(map, overflow_uid);
}

int run(char** args) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execvp(args[0], args);
  return fail(errno == ENOENT ? pct::init_exit_not_found : pct::init_exit_cannot_run, "exec",
              args[0]);
}

// Takes the caller's stdin, stdout and stderr from `create` over the socket at `path` and puts
// them in place of LXC's console (stdio_protocol.hpp).
bool take_stdio(const char* path) {
  int sock = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (std::strlen(path) >= sizeof addr.sun_path) return false;
  std::strcpy(addr.sun_path, path);
  if (::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) return false;
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * pct::stdio_fd_count)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  ::close(sock);
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (n != 1 || byte != pct::stdio_message_byte || cmsg == nullptr ||
      cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int) * pct::stdio_fd_count)) {
    errno = EPROTO;
    return false;
  }
  int fds[pct::stdio_fd_count];
  std::memcpy(fds, CMSG_DATA(cmsg), sizeof fds);
  for (int i = 0; i < static_cast<int>(pct::stdio_fd_count); ++i) {
    if (::dup2(fds[i], i) < 0) return false;  // dup2 clears FD_CLOEXEC on the copy
  }
  for (int fd : fds) ::close(fd);
  return true;
}

int wait_then_run(const char* stdio, char** args) {
  sigset_t start;
  sigemptyset(&start);
  sigaddset(&start, pct::start_signal());
  // Blocked before anything else: a start signal sent from now on is queued, never lost.
  sigprocmask(SIG_BLOCK, &start, nullptr);
  if (stdio != nullptr && !take_stdio(stdio))
    return fail(pct::init_exit_cannot_run, "taking stdio from", stdio);
  if (!executable_found(args[0])) {
    errno = ENOENT;
    return fail(pct::init_exit_not_found, "executable file not found in $PATH:", args[0]);
  }
  uid_t host_root = expected_sender_uid();
  prctl(PR_SET_NAME, pct::init_waiting_comm, 0, 0, 0);
  for (;;) {
    siginfo_t info{};
    if (sigwaitinfo(&start, &info) < 0) {
      if (errno == EINTR) continue;
      return fail(pct::init_exit_cannot_run, "waiting for", "the start signal");
    }
    // Anything else was sent from inside the container (or by a host user other than root):
    // ignored, the init keeps waiting.
    if (pct::is_host_start_signal(info, host_root)) break;
  }
  return run(args);
}

int usage() {
  std::fprintf(stderr,
               "usage: nexcage-init wait [--stdio SOCKET] -- PROGRAM [ARG...]\n"
               "       nexcage-init exec [--cwd DIR] -- PROGRAM [ARG...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  bool wait = std::strcmp(argv[1], pct::init_verb_wait) == 0;
  if (!wait && std::strcmp(argv[1], pct::init_verb_exec) != 0) return usage();
  int i = 2;
  const char* cwd = nullptr;
  const char* stdio = nullptr;
  if (!wait && i + 1 < argc && std::strcmp(argv[i], "--cwd") == 0) {
    cwd = argv[i + 1];
    i += 2;
  }
  if (wait && i + 1 < argc && std::strcmp(argv[i], pct::init_option_stdio) == 0) {
    stdio = argv[i + 1];
    i += 2;
  }
  if (i >= argc || std::strcmp(argv[i], "--") != 0 || i + 1 >= argc) return usage();
  char** args = argv + i + 1;
  if (cwd != nullptr && ::chdir(cwd) < 0) return fail(pct::init_exit_cannot_run, "chdir to", cwd);
  return wait ? wait_then_run(stdio, args) : run(args);
}
