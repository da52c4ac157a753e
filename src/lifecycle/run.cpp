#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/operation.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/process/foreground.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::lifecycle {

namespace {

int run_detached(Context& ctx, const RunRequest& request) {
  detail::create_container(ctx, request.create);
  try {
    detail::start_container(ctx, request.create.id, false);
  } catch (...) {
    detail::clean_up("cleaning up after a failed run",
                     [&] { detail::remove_container(ctx, request.create.id, true, false); });
    throw;
  }
  return 0;
}

// How long a one-step run sleeps between looks for the backend's pid file. Polled rather than
// watched with inotify: closing an inotify instance waits for an SRCU grace period (measured
// 6-16 ms here, a third of a whole `runc run`), paid by every run at exit. A few stat calls
// while the backend works cost microseconds; the pid is recorded at most one interval late.
class PidFilePoll {
 public:
  int next_timeout_ms() {
    ++polls_;
    return polls_ <= kFastPolls ? kFastMs : kSlowMs;
  }

 private:
  static constexpr int kFastMs = 5;
  static constexpr int kFastPolls = 400;  // 2 s: covers the create of nearly every container
  static constexpr int kSlowMs = 100;
  int polls_ = 0;
};

backend::RunCall run_call(const RunRequest& request, const detail::Prepared& prepared,
                          const std::filesystem::path& dir,
                          const backend::RestoreOptions* restore) {
  backend::RunCall call;
  call.create.bundle = prepared.bundle.dir;
  call.create.loaded = &prepared.bundle;
  call.create.work_dir = dir;
  call.create.pid_file = dir / detail::init_pid_file;
  call.create.console_socket = request.create.console_socket.empty()
                                   ? std::string()
                                   : fs::absolute_path(request.create.console_socket).string();
  call.create.preserve_fds = request.create.preserve_fds;
  call.create.no_pivot = request.create.no_pivot;
  call.create.no_new_keyring = request.create.no_new_keyring;
  call.detach = request.detach;
  call.keep = request.keep;
  call.restore = restore;
  return call;
}

// What is left once the backend's run has ended with `code`: with --keep the record stays (an init
// that exited before it could be recorded must not stay "creating"); otherwise the backend has
// deleted its container, or failed to create it, and the record goes too.
void after_one_step(Context& ctx, const RunRequest& request, backend::Backend& driver,
                    std::optional<state::Container>& container, bool recorded, int code) {
  const auto& id = request.create.id;
  if (request.keep && !request.detach) {
    if (!recorded && container) {
      container->record().status = state::Status::stopped;
      container->record().pid = 0;
      ctx.store().save(*container);
    }
    return;
  }
  // Whatever happens here, the caller gets the container's exit status.
  detail::clean_up("removing the record of " + id, [&] {
    auto gone =
        container ? std::move(*container) : ctx.store().open(id, fs::FileLock::Mode::exclusive);
    container.reset();
    if (code != 0 && !recorded) driver.remove(gone.record(), true);
    ctx.store().remove(std::move(gone));
  });
}

// A foreground run with nothing for nexcage to do while the container lives: the caller's pid file
// is the only thing the backend's run cannot write besides nexcage's own (its --pid-file names
// the one in the container's directory), and a detached run's init is recorded at once.
bool can_hand_over(const RunRequest& request) {
  return !request.detach && request.create.pid_file.empty();
}

// nexcage claims the id, recording itself as the process that becomes the backend's run, and
// executes that run in its place: the caller waits for the backend itself, which forwards
// signals, deletes the container at its end and exits with its status. Nothing polls for the
// init's pid or waits to drop the record: later commands read the pid from the backend's pid
// file, and the record of a run that has ended is dropped by the next command that meets it
// (detail::settled).
[[noreturn]] void hand_over(Context& ctx, const RunRequest& request, detail::Prepared prepared) {
  prepared.initial.status = state::Status::running;
  prepared.initial.handover = detail::handover_by_this_process(state::Handover::Command::run);
  auto container = detail::claim(ctx, prepared);
  ctx.store().note_handover(request.create.id);
  auto call = run_call(request, prepared, container.dir(), nullptr);
  try {
    operation::Step step("backend");
    prepared.driver->one_step_run()->exec_run(container.record(), call);
  } catch (...) {
    detail::clean_up("removing the record of " + request.create.id,
                     [&] { ctx.store().remove(std::move(container)); });
    throw;
  }
  // exec_run returns only by throwing; a virtual call does not carry [[noreturn]] for GCC.
  throw Error(ErrorKind::system, "the backend's run did not replace this process");
}

}  // namespace

// The backend's own `run` does create, start, wait and delete in one process: nexcage only claims
// the id, records the init once the backend has written its pid, forwards signals to the backend
// (which forwards them to the container) and passes its exit status on. `restore` is the same.
int detail::run_in_one_step(Context& ctx, const RunRequest& request, detail::Prepared prepared,
                            const backend::RestoreOptions* restore) {
  auto container = std::make_optional(detail::claim(ctx, prepared));
  auto call = run_call(request, prepared, container->dir(), restore);
  int child = -1;
  std::optional<process::BlockedSignals> signals;
  // The backend's whole run: create, start, the container's life and delete.
  std::optional<operation::Step> backend_step;
  try {
    signals.emplace(process::forwarded_signals());
    backend_step.emplace("backend");
    child = prepared.driver->one_step_run()->spawn_run(container->record(), call);
  } catch (...) {
    detail::clean_up("removing the record of " + request.create.id,
                     [&] { ctx.store().remove(std::move(*container)); });
    throw;
  }

  bool recorded = false;
  std::optional<int> known_pid;
  // Looked for between signals: the record is written (and the lock released, so kill, exec,
  // pause... may run) as soon as the backend has written the init's pid.
  auto try_record = [&] {
    if (recorded) return;
    auto pid = process::read_pid_file(call.create.pid_file);
    if (!pid) return;
    known_pid = pid;
    try {
      detail::record_started(ctx, *container, *prepared.driver, *pid, state::Status::running,
                             request.create.pid_file);
      recorded = true;
      container.reset();
    } catch (...) {
      // Tried again at the next look; the wait for the backend must go on.
      log::debug(to_error(std::current_exception(), "recording the started container").what());
    }
  };
  PidFilePoll pid_poll;
  int status = process::wait_in_foreground(child, *signals, {}, [&] {
    try_record();
    return recorded ? -1 : pid_poll.next_timeout_ms();
  });
  backend_step.reset();
  try_record();
  // An init that ended before it could be recorded still had its pid, which runc writes before
  // the process runs: the caller's --pid-file gets it all the same, as from runc itself.
  if (!recorded && known_pid) detail::write_pid_file(request.create.pid_file, *known_pid);
  int code = process::Exit{status}.code();
  if (request.detach && recorded && code == 0) return 0;
  after_one_step(ctx, request, *prepared.driver, container, recorded, code);
  return code;
}

int run(Context& ctx, const RunRequest& request) {
  {
    auto prepared = detail::prepare_create(ctx, request.create);
    if (auto* one_step = prepared.driver->one_step_run();
        one_step != nullptr && one_step->serves(request.keep)) {
      if (can_hand_over(request)) hand_over(ctx, request, std::move(prepared));
      return detail::run_in_one_step(ctx, request, std::move(prepared));
    }
  }
  if (request.detach) return run_detached(ctx, request);
  // The backend starts the init and exits; as a subreaper nexcage inherits the init and learns
  // its exit status through wait(), like `runc run`. (pct: the recorded pid is nexcage-monitor,
  // nexcage's own child, which exits with the application's status.)
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    throw system_error("becoming a subreaper", errno);
  process::BlockedSignals signals(process::forwarded_signals());
  process::ConsoleSocket console;
  auto created = detail::create_container(ctx, request.create, &console);
  int code = 0;
  try {
    process::ForegroundOptions options;
    options.reaping = process::Reaping::all_children;
    if (created.terminal_on_own_console) options.pty_master = console.receive_master(10000);
    process::RawTerminal raw(options.pty_master ? 0 : -1);
    detail::start_container(ctx, request.create.id, false);
    code =
        process::Exit{process::wait_in_foreground(created.record.pid, signals, std::move(options))}
            .code();
  } catch (...) {
    detail::clean_up("cleaning up after a failed run",
                     [&] { detail::remove_container(ctx, request.create.id, true, false); });
    throw;
  }
  if (!request.keep) detail::remove_container(ctx, request.create.id, true, false);
  return code;
}

}  // namespace nexcage::lifecycle
