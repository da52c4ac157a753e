#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/operation.hpp"

namespace nexcage::lifecycle {

void detail::start_container(Context& ctx, const std::string& id, bool in_place) {
  auto container = detail::open_or_adopt(ctx, id, fs::FileLock::Mode::exclusive);
  auto driver = ctx.backend_of(container.record());
  auto view = observe(ctx, container.record(), *driver);
  switch (view.status) {
    case state::Status::created:
      break;
    case state::Status::stopped:
      // pct: Proxmox starts the application again, as after a reboot or `pct stop`.
      if (const auto* outside = driver->outside_life();
          outside != nullptr && outside->starts_stopped())
        break;
      throw Error(ErrorKind::wrong_state, "cannot start a container that has stopped");
    case state::Status::creating:
      throw Error(ErrorKind::wrong_state, "cannot start a container that is still being created");
    default:
      throw Error(ErrorKind::wrong_state, "cannot start an already running container");
  }
  // runc and crun know a started container by its exec.fifo being gone (Backend::live_status):
  // nothing is left for nexcage to record.
  if (auto* replacing = in_place ? driver->in_place() : nullptr)
    replacing->start_in_place(container.record());
  {
    operation::Step step("backend");
    driver->start(container.record());
  }
  operation::Step step("record");
  container.record().status = state::Status::running;
  ctx.store().save(container);
}

void start(Context& ctx, const std::string& id) {
  detail::start_container(ctx, id, true);
}

}  // namespace nexcage::lifecycle
