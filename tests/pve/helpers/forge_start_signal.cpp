// A hostile process inside a created pct container: it tries to start the container without
// `nexcage start` by forging nexcage-init's start signal. The e2e test (tests/e2e/pct_test.cpp)
// runs it with `nexcage exec` and checks that the container is still created. Statically linked,
// because the test rootfs is busybox with no C library.
//
// Forgeries, each sent to pid 1 (nexcage-init):
// 1. rt_sigqueueinfo(2) with si_code SI_QUEUE, si_pid 0 (what the kernel writes for the host) and
//    si_uid = host root as this user namespace sees it: every field the host's signal has,
//    except the code, which userspace cannot set to SI_USER for another process.
// 2. kill(2): a genuine SI_USER, but the kernel writes this process's pid, not 0.
#include <sys/syscall.h>
#include <unistd.h>

#include <fcntl.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "nexcage/backend/pct/init_protocol.hpp"

namespace pct = nexcage::backend::pct;

namespace {

uid_t host_root_as_seen_here() {
  char map[4096] = {};
  int fd = ::open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : ::read(fd, map, sizeof map - 1);
  if (fd >= 0) ::close(fd);
  return pct::host_root_uid(n > 0 ? map : "", 65534);
}

}  // namespace

int main() {
  int sig = pct::start_signal();
  siginfo_t info;
  std::memset(&info, 0, sizeof info);
  info.si_signo = sig;
  info.si_code = SI_QUEUE;
  info.si_pid = 0;
  info.si_uid = host_root_as_seen_here();
  int failures = 0;
  if (::syscall(SYS_rt_sigqueueinfo, 1, sig, &info) < 0) {
    std::fprintf(stderr, "rt_sigqueueinfo: %s\n", std::strerror(errno));
    ++failures;
  }
  if (::kill(1, sig) < 0) {
    std::fprintf(stderr, "kill: %s\n", std::strerror(errno));
    ++failures;
  }
  // The test needs both to have been delivered: otherwise it would prove nothing.
  std::printf("forged %d start signal(s)\n", 2 - failures);
  return failures;
}
