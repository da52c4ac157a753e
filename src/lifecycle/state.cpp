#include "internal.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::lifecycle {

// No lock: records are replaced atomically, and `state` must stay cheap (CRI-O calls it after
// every lifecycle step).
std::string state(Context& ctx, const std::string& id) {
  auto record = ctx.store().peek(id);
  if (!record) record = detail::recovered_record(ctx, id);
  if (!record) throw Error(ErrorKind::not_found, msg::does_not_exist);
  auto driver = ctx.backend_of(*record);
  // runc: two-space indent and no trailing newline.
  return state_object(*record, observe(ctx, *record, *driver), "").dump(2);
}

}  // namespace nexcage::lifecycle
