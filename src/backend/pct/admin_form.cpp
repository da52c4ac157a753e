#include "nexcage/backend/pct/admin_form.hpp"

#include <algorithm>
#include <set>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/volid.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/oci/kernel_names.hpp"
#include "nexcage/oci/spec_template.hpp"

namespace nexcage::backend::pct {

namespace {

// What Proxmox gives a system container from a template: all capabilities but the ones LXC's
// common.conf drops (lxc.cap.drop = mac_admin mac_override sys_time sys_module sys_rawio).
nlohmann::json proxmox_capabilities() {
  static const std::set<std::string> dropped{"CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_SYS_TIME",
                                             "CAP_SYS_MODULE", "CAP_SYS_RAWIO"};
  nlohmann::json caps = nlohmann::json::array();
  for (const auto& name : oci::capability_names())
    if (!dropped.count(name)) caps.push_back(name);
  return caps;
}

// Proxmox's id map for unprivileged containers: root in the container is 100000 on the host.
constexpr int64_t unprivileged_host_id = 100000;
constexpr int64_t unprivileged_ids = 65536;

}  // namespace

bool AdminForm::is_template(const std::string& image) const {
  if (image.find(":vztmpl/") == std::string::npos) return false;
  if (image.size() > max_template_volid)
    throw Error(ErrorKind::usage,
                "--image is " + std::to_string(image.size()) +
                    " bytes long; a Proxmox template volid has at most " +
                    std::to_string(max_template_volid),
                template_volid_hint);
  if (!is_template_volid(image))
    throw Error(ErrorKind::usage, "--image " + image + " is not a Proxmox template volid",
                template_volid_hint);
  return true;
}

nlohmann::ordered_json AdminForm::template_spec(const std::string& volid) const {
  auto spec = oci::default_spec(false, 0, 0);
  spec["root"]["readonly"] = false;
  spec["process"]["args"] = nlohmann::json::array({"/sbin/init"});
  spec["process"]["terminal"] = false;
  spec["process"].erase("rlimits");
  auto caps = proxmox_capabilities();
  for (const char* set : {"bounding", "effective", "permitted"})
    spec["process"]["capabilities"][set] = caps;
  spec["process"]["capabilities"].erase("inheritable");
  spec["process"]["capabilities"].erase("ambient");
  spec["linux"].erase("maskedPaths");
  spec["linux"].erase("readonlyPaths");
  spec["annotations"][template_annotation] = volid;
  return spec;
}

void AdminForm::apply(nlohmann::json& doc, const AdminKnobs& knobs) const {
  auto& linux = doc["linux"];
  if (!linux.is_object()) linux = nlohmann::json::object();
  if (!linux.contains("namespaces") || !linux["namespaces"].is_array())
    linux["namespaces"] = nlohmann::json::array();
  bool has_userns = std::any_of(
      linux["namespaces"].begin(), linux["namespaces"].end(), [](const nlohmann::json& ns) {
        return ns.is_object() && ns.contains("type") && ns["type"] == "user";
      });
  if (!has_userns) {
    linux["namespaces"].push_back({{"type", "user"}});
    nlohmann::json map = nlohmann::json::array(
        {{{"containerID", 0}, {"hostID", unprivileged_host_id}, {"size", unprivileged_ids}}});
    linux["uidMappings"] = map;
    linux["gidMappings"] = map;
  }
  if (doc.contains("process") && doc["process"].is_object())
    doc["process"]["noNewPrivileges"] = false;
  auto& annotations = doc["annotations"];
  if (!annotations.is_object()) annotations = nlohmann::json::object();
  if (!knobs.storage.empty()) annotations[storage_annotation] = knobs.storage;
  if (!knobs.net.empty()) annotations[net_annotation] = knobs.net;
  if (knobs.disk_gib) annotations[disk_annotation] = std::to_string(*knobs.disk_gib);
  if (knobs.onboot) annotations[onboot_annotation] = "1";
}

}  // namespace nexcage::backend::pct
