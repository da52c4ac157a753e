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
  // The id of a command handed to its backend is free again once it has ended leaving nothing
  // (run, delete, a failed create); a create that died half-way is cleaned up below.
  if (auto existing = ctx.store().peek(prepared.initial.id); existing && existing->handover)
    settle_ended(ctx, prepared.initial.id);
  // And the records that handed-over commands of other ids left, which nobody else may meet.
  settle_noted_handovers(ctx);
  return ctx.store().claim(prepared.initial,
                           [&](const state::Record& stale) { drop_stale(ctx, stale); });
}

void name_init(const backend::Backend& driver, state::Record& record, int pid,
               uint64_t start_time) {
  record.pid = pid;
  record.init_start_time = start_time;
  driver.note_init(record);
}

void record_started(Context& ctx, state::Container& container, const backend::Backend& driver,
                    int pid, state::Status status, const std::string& pid_file) {
  operation::Step step("record");
  auto stat = process::read_proc_stat(pid);
  if (!stat)
    throw Error(ErrorKind::backend, container.record().backend + " reported init pid " +
                                        std::to_string(pid) + ", but no such process exists");
  auto& record = container.record();
  name_init(driver, record, pid, stat->start_time);
  record.status = status;
  ctx.store().save(container);
  write_pid_file(pid_file, pid);
}

namespace {

backend::CreateCall create_call(const CreateRequest& request, const Prepared& prepared,
                                const std::filesystem::path& dir,
                                const std::string& console_socket) {
  backend::CreateCall call;
  call.bundle = prepared.bundle.dir;
  call.loaded = &prepared.bundle;
  call.work_dir = dir;
  call.pid_file = dir / init_pid_file;
  call.console_socket =
      console_socket.empty() ? std::string() : fs::absolute_path(console_socket).string();
  call.preserve_fds = request.preserve_fds;
  call.no_pivot = request.no_pivot;
  call.no_new_keyring = request.no_new_keyring;
  call.caller_stdio = request.caller_stdio;
  call.output_file = request.output_file;
  return call;
}

Created create_prepared(Context& ctx, const CreateRequest& request, Prepared prepared,
                        process::ConsoleSocket* own_console) {
  const auto& spec = prepared.bundle.spec;
  CreateRequest effective = request;
  bool own_terminal = own_console != nullptr && request.console_socket.empty() && spec.process &&
                      spec.process->terminal;
  if (own_terminal) effective.console_socket = own_console->path();
  check_terminal(spec, effective);

  auto container = claim(ctx, prepared);
  auto& driver = *prepared.driver;
  try {
    auto call = create_call(request, prepared, container.dir(), effective.console_socket);
    int pid = 0;
    {
      operation::Step step("backend");
      pid = driver.create(container.record(), call);
    }
    if (const auto* life = driver.outside_life())
      if (auto vmid = life->outside_id(container.record())) operation::note_vmid(*vmid);
    record_started(ctx, container, driver, pid, state::Status::created, request.pid_file);
    return Created{container.record(), own_terminal};
  } catch (...) {
    clean_up("cleaning up after a failed create",
             [&] { destroy(ctx, std::move(container), driver, true); });
    throw;
  }
}

// With the caller's stdio, all that is left for nexcage once it has checked the bundle and
// claimed the id is the backend's create: nexcage executes it in its place, and the backend
// writes the init's pid to the caller's --pid-file itself, as runc does. Not waiting for it saves a
// process and the record's second write: the next command settles the record (detail::settled),
// reading the init's pid from that file.
[[noreturn]] void hand_over_create(Context& ctx, const CreateRequest& request, Prepared prepared,
                                   backend::InPlace& replacing) {
  check_terminal(prepared.bundle.spec, request);
  auto handover = handover_by_this_process(state::Handover::Command::create);
  if (!request.pid_file.empty()) handover.pid_file = fs::absolute_path(request.pid_file).string();
  // "created" and not "creating": StateStore::claim takes a "creating" record whose lock is free
  // for one abandoned by a dead create, and this one holds no lock.
  prepared.initial.status = state::Status::created;
  prepared.initial.handover = handover;
  auto container = claim(ctx, prepared);
  ctx.store().note_handover(request.id);
  auto call = create_call(request, prepared, container.dir(), request.console_socket);
  if (!handover.pid_file.empty()) call.pid_file = handover.pid_file;
  try {
    operation::Step step("backend");
    replacing.create_in_place(container.record(), call);
  } catch (...) {
    clean_up("removing the record of " + request.id,
             [&] { ctx.store().remove(std::move(container)); });
    throw;
  }
  // create_in_place returns only by throwing; a virtual call does not carry [[noreturn]] for GCC.
  throw Error(ErrorKind::system, "the backend's create did not replace this process");
}

}  // namespace

Created create_container(Context& ctx, const CreateRequest& request,
                         process::ConsoleSocket* own_console) {
  return create_prepared(ctx, request, prepare_create(ctx, request), own_console);
}

}  // namespace detail

void create(Context& ctx, const CreateRequest& request) {
  auto prepared = detail::prepare_create(ctx, request);
  if (auto* replacing = prepared.driver->in_place(); replacing != nullptr && request.caller_stdio)
    detail::hand_over_create(ctx, request, std::move(prepared), *replacing);
  detail::create_prepared(ctx, request, std::move(prepared), nullptr);
}

}  // namespace nexcage::lifecycle
