#include "nexcage/backend/pct/monitor_launch.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "nexcage/backend/pct/stdio_protocol.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::backend::pct {

namespace {

struct SpawnActions {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnActions() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnActions() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

int launch_monitor(const std::string& monitor, const std::string& id, int init_pid,
                   uint64_t init_start_time) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) throw system_error("starting nexcage-monitor", errno);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);

  SpawnActions s;
  for (int fd = 0; fd < 3; ++fd)
    posix_spawn_file_actions_addopen(&s.actions, fd, "/dev/null", O_RDWR, 0);
  posix_spawn_file_actions_adddup2(&s.actions, write_end.get(), monitor_ready_fd);
  posix_spawn_file_actions_addclosefrom_np(&s.actions, monitor_ready_fd + 1);
  // Its own session: a terminal's ^C for the caller's process group must not reach it.
  posix_spawnattr_setflags(&s.attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setsigdefault(&s.attr, &all);

  std::vector<std::string> args{monitor, id, std::to_string(init_pid),
                                std::to_string(init_start_time)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  char* envp[] = {nullptr};
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, monitor.c_str(), &s.actions, &s.attr, argv.data(), envp);
  if (err != 0) throw system_error("starting " + monitor, err);
  write_end.reset();

  // The ready line, or why it could not trace the init (a line; more is cut off).
  std::string said;
  try {
    fs::read_fd_bounded(read_end.get(), 512, 4096, said);
  } catch (const Error& e) {
    said = e.what();
  }
  if (said == monitor_ready) return pid;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  while (!said.empty() && said.back() == '\n') said.pop_back();
  throw Error(
      ErrorKind::backend,
      said.empty() ? monitor + " ended before it traced the container's init" : printable(said),
      "the pid a caller waits for cannot be provided; see man nexcage-pct (nexcage-monitor)");
}

}  // namespace nexcage::backend::pct
