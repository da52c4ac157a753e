#include "internal.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::lifecycle {

// No lock: records are replaced atomically, and `state` must stay cheap (CRI-O calls it after
// every lifecycle step).
std::string state(Context& ctx, const std::string& id) {
  auto record = detail::peek(ctx, id);
  if (!record) record = detail::recovered_record(ctx, id);
  if (!record) throw Error(ErrorKind::not_found, msg::does_not_exist);
  auto driver = ctx.backend_of(*record);
  auto view = observe(ctx, *record, *driver);
  // A container whose create is still running does not exist yet, as runc says: clients that
  // poll `state` while another process creates it wait for a complete one.
  if (view.status == state::Status::creating)
    throw Error(ErrorKind::not_found, msg::does_not_exist);
  // runc: two-space indent and no trailing newline.
  return state_object(*record, view, "").dump(2);
}

}  // namespace nexcage::lifecycle
