#include "internal.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::lifecycle::detail {

std::optional<state::Record> settled(const Context& ctx, state::Record record) {
  if (!record.handover) return record;
  const auto& run = *record.handover;
  if (process::is_same_live_process(run.pid, run.start_time)) {
    // The backend's run is on. Its init is its own child, reaped by it, so while the run lives the
    // pid in the backend's pid file names that init and no other process.
    auto pid = process::read_pid_file(ctx.store().dir_of(record.id) / init_pid_file);
    auto stat = pid ? process::read_proc_stat(*pid) : std::nullopt;
    if (stat) {
      record.pid = *pid;
      record.init_start_time = stat->start_time;
      return record;
    }
    // No pid yet: the backend is still creating it. A pid and no process: the init has ended
    // and the backend is deleting the container.
    record.status = pid ? state::Status::stopped : state::Status::creating;
    record.pid = 0;
    return record;
  }
  // The run has ended. The backend deleted the container at its end unless told to keep it
  // (`run --keep`) or killed before it could; then the container is a stopped one.
  auto driver = ctx.backend_of(record);
  const auto* one_step = driver->one_step_run();
  if (one_step == nullptr || !one_step->keeps(record)) return std::nullopt;
  record.status = state::Status::stopped;
  record.pid = 0;
  return record;
}

std::optional<state::Record> peek(const Context& ctx, const std::string& id) {
  auto record = ctx.store().peek(id);
  if (!record || !record->handover) return record;
  return settled(ctx, std::move(*record));
}

void drop_ended_run(const Context& ctx, const std::string& id) {
  try {
    auto container = ctx.store().open(id, fs::FileLock::Mode::exclusive);
    if (!container.record().handover || settled(ctx, container.record())) return;
    log::debug("removing the record of " + id + ", whose run has ended");
    ctx.store().remove(std::move(container));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;  // another command removed it first
  }
}

}  // namespace nexcage::lifecycle::detail
