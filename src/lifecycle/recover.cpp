#include <optional>
#include <set>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"

namespace nexcage::lifecycle::detail {

std::vector<state::Record> recovered_records(Context& ctx) {
  // The root's ids are read only when a backend finds anything: create, and state of an unknown
  // id, come here, and must not cost more in a root of a thousand containers.
  std::optional<std::set<std::string>> known;
  std::vector<state::Record> out;
  for (const auto& [name, config] : ctx.config().backends) {
    try {
      auto driver = ctx.backend(name);
      const auto* outside = driver->outside_life();
      if (outside == nullptr) continue;
      auto found = outside->recover();
      if (found.empty()) continue;
      if (!known) {
        auto ids = ctx.store().ids();
        known.emplace(ids.begin(), ids.end());
      }
      for (auto& record : found)
        if (known->insert(record.id).second) out.push_back(std::move(record));
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

namespace {

// A record handed over to its backend as it stands (detail::settled): one whose command has
// ended leaving nothing does not exist (and goes, when held exclusively), nor does one the
// backend is still creating.
state::Container settle(Context& ctx, state::Container container, fs::FileLock::Mode mode) {
  if (!container.record().handover) return container;
  auto now = settle_held(ctx, std::move(container), mode);
  if (!now) throw Error(ErrorKind::not_found, msg::does_not_exist);
  if (now->record().handover && now->record().status == state::Status::creating)
    throw Error(ErrorKind::not_found, msg::does_not_exist);
  return std::move(*now);
}

}  // namespace

state::Container open_or_adopt(Context& ctx, const std::string& id, fs::FileLock::Mode mode) {
  try {
    return settle(ctx, ctx.store().open(id, mode), mode);
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
