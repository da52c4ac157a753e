#include <filesystem>

#include "internal.hpp"
#include "nexcage/core/clock.hpp"
#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/operation.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/process/proc.hpp"
#include "nexcage/router/router.hpp"

namespace nexcage::lifecycle {

namespace detail {

void write_pid_file(const std::string& path, int pid) {
  if (path.empty()) return;
  process::write_pid_file(fs::absolute_path(path), pid);
}

void destroy(Context& ctx, state::Container&& container, backend::Backend& backend, bool force) {
  {
    operation::Step step("backend");
    backend.remove(container.record(), force);
  }
  operation::Step step("record");
  auto record = container.record();
  ctx.store().remove(std::move(container));
  remove_generated_bundle(ctx, record);
}

namespace {

void check_terminal(const oci::Spec& spec, const CreateRequest& request) {
  bool terminal = spec.process && spec.process->terminal;
  if (terminal && request.console_socket.empty())
    throw Error(ErrorKind::usage,
                "cannot allocate tty if runc will detach without setting console socket",
                "pass --console-socket, or set process.terminal to false");
  if (!terminal && !request.console_socket.empty())
    throw Error(ErrorKind::usage,
                "cannot use console socket if runc will not detach or allocate tty",
                "drop --console-socket, or set process.terminal to true");
}

}  // namespace

Prepared prepare_create(Context& ctx, const CreateRequest& request) {
  operation::Step step("validate");
  operation::note_id(request.id);
  check_container_id(request.id);
  if (request.preserve_fds < 0)
    throw Error(ErrorKind::usage, "--preserve-fds must not be negative");
  auto bundle = oci::load_bundle(fs::absolute_path(request.bundle));
  for (const auto& name : oci::unknown_syscalls(bundle.spec))
    log::debug("seccomp: syscall \"" + name + "\" is unknown to libseccomp and is skipped");
  router::RouteRequest wanted{request.id, bundle.spec.annotations, ctx.backend_flag()};
  if (!request.backend_chosen_by.empty()) wanted.annotation_origin = request.backend_chosen_by;
  auto route = router::route(ctx.config(), wanted, [&](const router::BackendConfig& b) {
    return ctx.backend(b.name)->available();
  });
  log::debug("container " + request.id + " routed to " + route.backend + " (" + route.reason + ")");
  operation::note_backend(route.backend);
  auto driver = ctx.backend(route.backend);
  // Before the claim: a refused bundle must not leave a `creating` record to clean up.
  driver->check_bundle(bundle);

  state::Record initial;
  initial.id = request.id;
  initial.status = state::Status::creating;
  initial.bundle = bundle.dir.string();
  initial.rootfs = bundle.rootfs.string();
  initial.created = rfc3339_nano(now_realtime());
  initial.annotations = bundle.spec.annotations;
  initial.backend = route.backend;
  initial.backend_state = driver->initial_state(request.id);
  return Prepared{std::move(bundle), std::move(driver), std::move(initial)};
}

state::Container claim(Context& ctx, const Prepared& prepared) {
  operation::Step step("claim");
  // After a reboot wiped the root, the id may still name a container its backend keeps (pct).
  if (recovered_record(ctx, prepared.initial.id))
    throw Error(ErrorKind::exists, msg::already_exists,
                "the container is still in its backend (`nexcage list` shows it); delete it first");
  // The id of a run handed to its backend is free again once that run has ended.
  if (auto existing = ctx.store().peek(prepared.initial.id); existing && existing->handover)
    drop_ended_run(ctx, prepared.initial.id);
  return ctx.store().claim(prepared.initial,
                           [&](const state::Record& stale) { drop_stale(ctx, stale); });
}

void record_started(Context& ctx, state::Container& container, int pid, state::Status status,
                    const std::string& pid_file) {
  operation::Step step("record");
  auto stat = process::read_proc_stat(pid);
  if (!stat)
    throw Error(ErrorKind::backend, container.record().backend + " reported init pid " +
                                        std::to_string(pid) + ", but no such process exists");
  auto& record = container.record();
  record.pid = pid;
  record.init_start_time = stat->start_time;
  record.status = status;
  ctx.store().save(container);
  write_pid_file(pid_file, pid);
}

Created create_container(Context& ctx, const CreateRequest& request,
                         process::ConsoleSocket* own_console) {
  auto prepared = prepare_create(ctx, request);
  const auto& spec = prepared.bundle.spec;
  CreateRequest effective = request;
  bool own_terminal = own_console != nullptr && request.console_socket.empty() && spec.process &&
                      spec.process->terminal;
  if (own_terminal) effective.console_socket = own_console->path();
  check_terminal(spec, effective);

  auto container = claim(ctx, prepared);
  auto& driver = *prepared.driver;
  try {
    backend::CreateCall call;
    call.bundle = prepared.bundle.dir;
    call.loaded = &prepared.bundle;
    call.work_dir = container.dir();
    call.pid_file = container.dir() / init_pid_file;
    call.console_socket = effective.console_socket.empty()
                              ? std::string()
                              : fs::absolute_path(effective.console_socket).string();
    call.preserve_fds = request.preserve_fds;
    call.no_pivot = request.no_pivot;
    call.no_new_keyring = request.no_new_keyring;
    call.caller_stdio = request.caller_stdio;
    call.output_file = request.output_file;
    int pid = 0;
    {
      operation::Step step("backend");
      pid = driver.create(container.record(), call);
    }
    if (const auto* life = driver.outside_life())
      if (auto vmid = life->outside_id(container.record())) operation::note_vmid(*vmid);
    record_started(ctx, container, pid, state::Status::created, request.pid_file);
    return Created{container.record(), own_terminal};
  } catch (...) {
    clean_up("cleaning up after a failed create",
             [&] { destroy(ctx, std::move(container), driver, true); });
    throw;
  }
}

}  // namespace detail

void create(Context& ctx, const CreateRequest& request) {
  detail::create_container(ctx, request);
}

}  // namespace nexcage::lifecycle
