#include "internal.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::lifecycle {

int events(Context& ctx, const std::string& id, bool stats, const std::string& interval) {
  auto record = detail::peek(ctx, id);
  if (!record) record = detail::recovered_record(ctx, id);
  if (!record) throw Error(ErrorKind::not_found, msg::does_not_exist);
  auto driver = ctx.backend_of(*record);
  auto view = observe(ctx, *record, *driver);
  if (view.status == state::Status::stopped) throw Error(ErrorKind::wrong_state, msg::not_running);
  return driver->events(*record, stats, interval);
}

}  // namespace nexcage::lifecycle
