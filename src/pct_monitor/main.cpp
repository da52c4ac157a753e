// nexcage-monitor: the process whose pid `nexcage create` reports for a pct container, so that a
// caller that waits for that pid (containerd's shim, conmon: both subreapers) learns when the
// container's init ends and with which status. The init is a child of Proxmox's supervisor, so
// this process traces it instead (PTRACE_SEIZE): a tracer is told of its tracee's exit like a
// parent. The protocol is in include/nexcage/backend/pct/stdio_protocol.hpp.
//
// It exits with the init's exit code, or 128+N when signal N ended it; signals sent to it are
// passed on to the init; and PTRACE_O_EXITKILL kills the init when this process dies, so the
// pid the caller holds and the container live exactly as long as each other. It lives in the
// init's mount namespace, so what looks at the container through this pid (podman top reads
// /proc there) sees the container's processes. Statically linked
// and allocation-light: one of these runs per container created by an OCI caller.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "nexcage/backend/pct/stdio_protocol.hpp"

namespace pct = nexcage::backend::pct;

namespace {

constexpr int exit_usage = 2;
constexpr int exit_cannot_trace = 125;
// The init ended while untraced (see keep_traced), so its status is unknown.
constexpr int exit_status_lost = 255;

void say(int fd, const char* text) {
  std::size_t len = std::strlen(text);
  while (len > 0) {
    ssize_t n = ::write(fd, text, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text += n;
    len -= static_cast<std::size_t>(n);
  }
}

int refuse(const char* why, int err) {
  char line[512];
  std::snprintf(line, sizeof line, "%s%s%s\n", why, err != 0 ? ": " : "",
                err != 0 ? std::strerror(err) : "");
  say(pct::monitor_ready_fd, line);
  return exit_cannot_trace;
}

// The host's /proc, opened before this process joins the container's mount namespace (whose
// /proc is the container's pid namespace's): every /proc read goes through it.
int host_proc = -1;

int open_proc_file(pid_t pid, const char* name) {
  char path[64];
  std::snprintf(path, sizeof path, "%d/%s", static_cast<int>(pid), name);
  return ::openat(host_proc, path, O_RDONLY | O_CLOEXEC);
}

// Field 22 of /proc/<pid>/stat: tells the init from a process that reused its pid.
unsigned long long start_time_of(pid_t pid) {
  char buf[1024];
  int fd = open_proc_file(pid, "stat");
  if (fd < 0) return 0;
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // comm may hold spaces and parentheses
  if (p == nullptr) return 0;
  for (int field = 2; field < 22; ++field) {
    p = std::strchr(p + 1, ' ');
    if (p == nullptr) return 0;
  }
  return std::strtoull(p + 1, nullptr, 10);
}

bool parse_number(const char* text, unsigned long long& out) {
  if (text == nullptr || *text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoull(text, &end, 10);
  return errno == 0 && *end == '\0';
}

// TracerPid from /proc/<pid>/status: 0 when untraced, -1 when it cannot be read (gone).
long tracer_of(pid_t pid) {
  char buf[4096];
  int fd = open_proc_file(pid, "status");
  if (fd < 0) return -1;
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  const char* line = std::strstr(buf, "\nTracerPid:");
  return line != nullptr ? std::strtol(line + 11, nullptr, 10) : -1;
}

bool has_ended(int pidfd) {
  pollfd p{pidfd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

bool is_group_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Resumes the tracee from a ptrace stop, handing a signal-delivery stop its signal back.
void resume(pid_t pid, int status) {
  int sig = WSTOPSIG(status);
  int event = status >> 16;
  if (event == PTRACE_EVENT_STOP) {
    // Group stop (SIGSTOP and friends): LISTEN keeps it stopped as without a tracer.
    if (is_group_stop_signal(sig))
      ::ptrace(PTRACE_LISTEN, pid, nullptr, nullptr);
    else
      ::ptrace(PTRACE_CONT, pid, nullptr, nullptr);
    return;
  }
  if (event != 0) sig = 0;
  ::ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(static_cast<long>(sig)));
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long long pid_number = 0, start_time = 0;
  if (argc != 4 || !parse_number(argv[2], pid_number) || !parse_number(argv[3], start_time) ||
      pid_number == 0 || pid_number > 4194304) {
    std::fprintf(
        stderr,
        "usage: nexcage-monitor CONTAINER-ID INIT-PID INIT-START-TIME (run by nexcage create)\n");
    return exit_usage;
  }
  auto pid = static_cast<pid_t>(pid_number);

  // Every signal that can be caught is taken through a signalfd: SIGCHLD says the tracee changed
  // state, anything else is for the init.
  sigset_t all;
  sigfillset(&all);
  sigdelset(&all, SIGSEGV);
  sigdelset(&all, SIGBUS);
  sigdelset(&all, SIGFPE);
  sigdelset(&all, SIGILL);
  sigprocmask(SIG_BLOCK, &all, nullptr);
  int sfd = ::signalfd(-1, &all, SFD_CLOEXEC);
  if (sfd < 0) return refuse("nexcage-monitor: signalfd", errno);
  host_proc = ::open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (host_proc < 0) return refuse("nexcage-monitor: /proc", errno);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return refuse("nexcage-monitor: the container's init is gone", errno);
  if (::ptrace(PTRACE_SEIZE, pid, nullptr, reinterpret_cast<void*>(PTRACE_O_EXITKILL)) < 0)
    return refuse(
        "nexcage-monitor: cannot trace the container's init (is kernel.yama.ptrace_scope 3, "
        "or is it traced already?)",
        errno);
  // Checked after the seize: a pid reused before it would fail here, one reused after cannot be.
  if (start_time_of(pid) != start_time) {
    ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    return refuse(
        "nexcage-monitor: the container's init is gone (its pid now names another process)", 0);
  }
  // Callers look at the container through this pid: podman top reads the processes of its
  // mount namespace's /proc. Joining the init's makes that the container's /proc, as with runc,
  // where the pid is the init itself; this process keeps using the host's through host_proc.
  int mnt = open_proc_file(pid, "ns/mnt");
  if (mnt < 0 || ::setns(mnt, CLONE_NEWNS) < 0) {
    int err = errno;
    ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    return refuse("nexcage-monitor: cannot join the mount namespace of the container's init", err);
  }
  ::close(mnt);
  say(pct::monitor_ready_fd, pct::monitor_ready);
  ::close(pct::monitor_ready_fd);

  // The trace is lost without a word when a thread other than the init's main one calls
  // execve: the kernel releases the old leader, and the exec'ing thread, untraced, takes its pid
  // (and start time). Checked once a second and on ECHILD; the init is then seized again.
  auto keep_traced = [&]() -> int {
    if (has_ended(pidfd)) {
      // Still traced at its end: its status is there to reap (a SIGCHLD on its way).
      int status = 0;
      if (::waitpid(pid, &status, __WALL | WNOHANG) == pid) {
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      }
      return tracer_of(pid) == static_cast<long>(::getpid()) ? -1 : exit_status_lost;
    }
    long tracer = tracer_of(pid);
    if (tracer == 0 && start_time_of(pid) == start_time)
      ::ptrace(PTRACE_SEIZE, pid, nullptr, reinterpret_cast<void*>(PTRACE_O_EXITKILL));
    return -1;
  };
  for (;;) {
    pollfd p{sfd, POLLIN, 0};
    int ready = ::poll(&p, 1, 1000);
    if (ready < 0 && errno != EINTR) return exit_cannot_trace;
    if (ready <= 0) {
      if (int lost = keep_traced(); lost >= 0) return lost;
      continue;
    }
    signalfd_siginfo info{};
    ssize_t n = ::read(sfd, &info, sizeof info);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n != static_cast<ssize_t>(sizeof info)) return exit_cannot_trace;
    if (info.ssi_signo != SIGCHLD) {
      // A signal for the container: pidfd, so a reused pid can never receive it.
      ::syscall(SYS_pidfd_send_signal, pidfd, static_cast<int>(info.ssi_signo), nullptr, 0);
      continue;
    }
    for (;;) {
      int status = 0;
      pid_t got = ::waitpid(pid, &status, __WALL | WNOHANG);
      if (got < 0 && errno == ECHILD) {
        if (int lost = keep_traced(); lost >= 0) return lost;
      }
      if (got <= 0) break;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      if (WIFSTOPPED(status)) resume(pid, status);
    }
  }
}
