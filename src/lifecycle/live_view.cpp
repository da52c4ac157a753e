#include "nexcage/lifecycle/live_view.hpp"

#include "nexcage/process/proc.hpp"

namespace nexcage::lifecycle {

View observe(const Context& ctx, const state::Record& record, const backend::Backend& backend) {
  using state::Status;
  if (record.status == Status::creating) {
    // A handed-over run holds no lock while the backend creates the container (detail::settled).
    if (!record.handover && ctx.store().is_abandoned(record)) return View{Status::stopped, 0};
    return View{Status::creating, record.pid};
  }
  if (record.status == Status::stopped) return View{Status::stopped, 0};
  backend::Observed seen;
  if (const auto* outside = backend.outside_life()) {
    seen = outside->observe(record);
  } else if (record.pid > 0 && process::is_same_live_process(record.pid, record.init_start_time)) {
    seen = {backend.live_status(record), record.pid};
  }
  switch (seen.status) {
    case backend::LiveStatus::created:
      return View{Status::created, seen.pid};
    case backend::LiveStatus::paused:
      return View{Status::paused, seen.pid};
    case backend::LiveStatus::running:
      return View{Status::running, seen.pid};
    case backend::LiveStatus::stopped:
      break;
  }
  return View{Status::stopped, 0};
}

nlohmann::ordered_json state_object(const state::Record& record, const View& view,
                                    const std::string& owner) {
  nlohmann::ordered_json doc;
  doc["ociVersion"] = oci_spec_version;
  doc["id"] = record.id;
  doc["pid"] = view.pid;
  doc["status"] = state::to_string(view.status);
  doc["bundle"] = record.bundle;
  doc["rootfs"] = record.rootfs;
  doc["created"] = record.created;
  if (!record.annotations.empty()) doc["annotations"] = record.annotations;
  doc["owner"] = owner;
  return doc;
}

}  // namespace nexcage::lifecycle
