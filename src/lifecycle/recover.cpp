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
      for (auto& record : ctx.backend(name)->recover())
        if (known.insert(record.id).second) out.push_back(std::move(record));
    } catch (const Error& e) {
      log::warn("looking for " + name + " containers of this root: " + e.what());
    }
  }
  return out;
}

std::optional<state::Record> recovered_record(Context& ctx, const std::string& id) {
  for (auto& record : recovered_records(ctx))
    if (record.id == id) return std::move(record);
  return std::nullopt;
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
    // A claim that finds a stale record of this id cleans it up like create does.
    auto container = ctx.store().claim(initial, [&](const state::Record& stale) {
      ctx.backend(stale.backend)->remove(stale, true);
    });
    ctx.backend(record->backend)->adopt(*record);
    container.record() = *record;
    ctx.store().save(container);
    log::warn("container " + id + " was found in its backend and recorded again in " + ctx.store().root().string());
    return container;
  }
}

}  // namespace nexcage::lifecycle::detail
