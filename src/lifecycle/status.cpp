#include "nexcage/lifecycle/status.hpp"

#include "nexcage/process/proc.hpp"

namespace nexcage::lifecycle {

View observe(const Context& ctx, const state::Record& record, const backend::Backend& backend) {
  using state::Status;
  if (record.status == Status::creating) {
    if (ctx.store().is_abandoned(record)) return View{Status::stopped, 0};
    return View{Status::creating, record.pid};
  }
  if (record.status == Status::stopped || record.pid <= 0 ||
      !process::is_same_live_process(record.pid, record.init_start_time))
    return View{Status::stopped, 0};
  switch (backend.live_status(record)) {
    case backend::LiveStatus::created: return View{Status::created, record.pid};
    case backend::LiveStatus::paused: return View{Status::paused, record.pid};
    case backend::LiveStatus::running: break;
  }
  return View{Status::running, record.pid};
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
