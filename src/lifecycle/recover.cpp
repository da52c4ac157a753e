#include <optional>
#include <set>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"

namespace nexcage::lifecycle::detail {

std::vector<state::Record> recovered_records(Context& ctx) {
  std::set<std::string> known;
  for (const auto& id : ctx.store().ids()) known.insert(id);
  std::vector<state::Record> out;
  for (const auto& [name, config] : ctx.config().backends) {
    try {
      auto driver = ctx.backend(name);
      const auto* outside = driver->outside_life();
      if (outside == nullptr) continue;
      for (auto& record : outside->recover())
        if (known.insert(record.id).second) out.push_back(std::move(record));
    } catch (...) {
      log::warn(
          to_error(std::current_exception(), "looking for " + name + " containers of this root")
              .what());
    }
  }
  return out;
}

std::optional<state::Record> recovered_record(Context& ctx, const std::string& id) {
  for (auto& record : recovered_records(ctx))
    if (record.id == id) return std::move(record);
  return std::nullopt;
}

void drop_stale(Context& ctx, const state::Record& stale) {
  // A claim an adopt left behind (it crashed): the container is Proxmox's and lives on; only
  // the half-written record goes.
  if (stale.backend_state.is_object() && stale.backend_state.value("recovered", false)) return;
  ctx.backend(stale.backend)->remove(stale, true);
}

state::Container open_or_adopt(Context& ctx, const std::string& id, fs::FileLock::Mode mode) {
  try {
    return ctx.store().open(id, mode);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    auto record = recovered_record(ctx, id);
    if (!record) throw;
    auto initial = *record;
    initial.status = state::Status::creating;
    std::optional<state::Container> container;
    try {
      container.emplace(
          ctx.store().claim(initial, [&](const state::Record& stale) { drop_stale(ctx, stale); }));
    } catch (const Error& claim_error) {
      // Another command adopted it meanwhile.
      if (claim_error.kind() == ErrorKind::exists) return ctx.store().open(id, mode);
      throw;
    }
    try {
      auto driver = ctx.backend(record->backend);
      if (const auto* outside = driver->outside_life()) outside->adopt(*record);
      container->record() = *record;
      ctx.store().save(*container);
    } catch (...) {
      detail::clean_up("removing the half-adopted record of " + id,
                       [&] { ctx.store().remove(std::move(*container)); });
      throw;
    }
    log::warn("container " + id + " was found in its backend and recorded again in " +
              ctx.store().root().string());
    return std::move(*container);
  }
}

}  // namespace nexcage::lifecycle::detail
