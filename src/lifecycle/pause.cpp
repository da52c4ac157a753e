#include "internal.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::lifecycle {

void pause(Context& ctx, const std::string& id) {
  auto container = detail::open_or_adopt(ctx, id, fs::FileLock::Mode::exclusive);
  auto driver = ctx.backend_of(container.record());
  if (observe(ctx, container.record(), *driver).status != state::Status::running)
    throw Error(ErrorKind::wrong_state, msg::not_running);
  driver->pause(container.record());
  container.record().status = state::Status::paused;
  ctx.store().save(container);
}

void resume(Context& ctx, const std::string& id) {
  auto container = detail::open_or_adopt(ctx, id, fs::FileLock::Mode::exclusive);
  auto driver = ctx.backend_of(container.record());
  if (observe(ctx, container.record(), *driver).status != state::Status::paused)
    throw Error(ErrorKind::wrong_state, msg::not_paused);
  driver->resume(container.record());
  container.record().status = state::Status::running;
  ctx.store().save(container);
}

}  // namespace nexcage::lifecycle
