#include <unistd.h>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::lifecycle::detail {

namespace {

using Command = state::Handover::Command;

bool backend_keeps(backend::Backend& driver, const state::Record& record) {
  const auto* in_place = driver.in_place();
  return in_place != nullptr && in_place->keeps(record);
}

std::filesystem::path handover_pid_file(const Context& ctx, const state::Record& record) {
  const auto& named = record.handover->pid_file;
  return named.empty() ? ctx.store().dir_of(record.id) / init_pid_file
                       : std::filesystem::path(named);
}

// The pid in the pid file the backend wrote. Only a regular file is read: a create's may be the
// caller's, in a directory others can write to, where a symlink or a FIFO could stand instead.
std::optional<int> backends_pid(const std::filesystem::path& file) {
  try {
    return process::parse_pid(fs::read_regular_file(file, 64));
  } catch (const Error&) {
    return std::nullopt;
  }
}

state::Record running_run(const Context& ctx, const backend::Backend& driver,
                          state::Record record) {
  // The backend's run is on. Its init is its own child, reaped by it, so while the run lives the
  // pid in the backend's pid file names that init and no other process.
  auto pid = backends_pid(handover_pid_file(ctx, record));
  auto stat = pid ? process::read_proc_stat(*pid) : std::nullopt;
  if (stat) {
    name_init(driver, record, *pid, stat->start_time);
    return record;
  }
  // No pid yet: the backend is still creating it. A pid and no process: the init has ended
  // and the backend is deleting the container.
  record.status = pid ? state::Status::stopped : state::Status::creating;
  record.pid = 0;
  return record;
}

// What a create left in the backend once it has ended. The pid file may be the caller's, so the
// pid in it counts only for a live process started after the create began: the init is the
// backend's child, forked after nexcage executed the backend.
state::Record created(const Context& ctx, const backend::Backend& driver, state::Record record) {
  auto pid_file = handover_pid_file(ctx, record);
  auto began = record.handover->start_time;
  record.handover.reset();
  record.pid = 0;
  record.init_start_time = 0;
  auto pid = backends_pid(pid_file);
  if (!pid) {
    // The backend ended before it wrote the pid: a create that died half-way, as if nexcage
    // had died in it (StateStore::is_abandoned), which delete and the next create clean up.
    record.status = state::Status::creating;
    return record;
  }
  auto stat = process::read_proc_stat(*pid);
  if (!stat || !stat->alive() || stat->start_time < began) {
    record.status = state::Status::stopped;
    return record;
  }
  record.status = state::Status::created;
  name_init(driver, record, *pid, stat->start_time);
  return record;
}

}  // namespace

std::optional<state::Record> settled(const Context& ctx, state::Record record) {
  if (!record.handover) return record;
  const auto& handover = *record.handover;
  bool on = process::is_same_live_process(handover.pid, handover.start_time);
  // Not backend_of: settling one of the records a list or a claim meets says nothing of the
  // command's own container (operation::note_backend).
  switch (handover.command) {
    case Command::run:
      if (on) {
        auto driver = ctx.backend(record.backend);
        return running_run(ctx, *driver, std::move(record));
      }
      break;
    case Command::create:
      if (on) {
        record.status = state::Status::creating;
        record.pid = 0;
        return record;
      }
      break;
    case Command::remove:
      // Until the backend's delete has ended, the container is what it was.
      if (on) return record;
      break;
  }
  // The command has ended. A run's backend deleted the container at its end unless told to keep
  // it (`run --keep`) or killed before it could; a delete's did unless it failed; a create's made
  // it unless it failed.
  auto driver = ctx.backend(record.backend);
  if (!backend_keeps(*driver, record)) return std::nullopt;
  switch (handover.command) {
    case Command::run:
      record.status = state::Status::stopped;
      record.pid = 0;
      break;
    case Command::create:
      return created(ctx, *driver, std::move(record));
    case Command::remove:
      break;
  }
  record.handover.reset();
  return record;
}

std::optional<state::Record> peek(const Context& ctx, const std::string& id) {
  auto record = ctx.store().peek(id);
  if (!record || !record->handover) return record;
  return settled(ctx, std::move(*record));
}

std::optional<state::Container> settle_held(const Context& ctx, state::Container container,
                                            fs::FileLock::Mode mode) {
  if (!container.record().handover) return container;
  auto now = settled(ctx, container.record());
  bool exclusive = mode == fs::FileLock::Mode::exclusive;
  if (!now) {
    if (exclusive) {
      ctx.store().forget_handover(container.record().id);
      log::debug("removing the record of " + container.record().id + ", whose " +
                 state::to_string(container.record().handover->command) + " has ended");
      ctx.store().remove(std::move(container));
    }
    return std::nullopt;
  }
  bool ended = !now->handover;
  container.record() = std::move(*now);
  // Written down once, so that later commands need not settle it again (nor read a pid file
  // that is the caller's, which may be gone by then).
  if (ended && exclusive) {
    ctx.store().save(container, fs::Durability::unsynced);
    ctx.store().forget_handover(container.record().id);
  }
  return container;
}

void settle_noted_handovers(const Context& ctx) {
  for (const auto& id : ctx.store().noted_handovers()) {
    clean_up("settling the record of " + id, [&] {
      // Never waits: a record another command holds is settled by a later claim.
      auto held = ctx.store().try_open(id);
      if (!held) {
        if (!ctx.store().peek(id)) ctx.store().forget_handover(id);
        return;
      }
      if (!held->record().handover) {
        ctx.store().forget_handover(id);
        return;
      }
      // One in progress stays as it is, noted (settle_held writes down only an ended one).
      settle_held(ctx, std::move(*held), fs::FileLock::Mode::exclusive);
    });
  }
}

state::Handover handover_by_this_process(state::Handover::Command command) {
  auto self = process::read_proc_stat(::getpid());
  if (!self) throw Error(ErrorKind::system, "cannot read this process's own /proc/self/stat");
  state::Handover handover;
  handover.pid = ::getpid();
  handover.start_time = self->start_time;
  handover.command = command;
  return handover;
}

void settle_ended(const Context& ctx, const std::string& id) {
  try {
    auto container = ctx.store().open(id, fs::FileLock::Mode::exclusive);
    if (container.record().handover)
      settle_held(ctx, std::move(container), fs::FileLock::Mode::exclusive);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;  // another command removed it first
  }
}

}  // namespace nexcage::lifecycle::detail
