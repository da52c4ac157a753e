#pragma once
// What a backend adds to the bundle of the admin form (`nexcage create --image ... --name ...`),
// beyond the image's own config.json: its defaults for a container an admin asks for, its own
// kind of template, and the Proxmox-style knobs. lifecycle/ unpacks images and writes the bundle;
// the backend's policy lives here, behind the registry (backend/registry.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nexcage::backend {

// The admin's knobs that only the backend understands (`create --image` flags).
struct AdminKnobs {
  std::string storage;
  std::string net;
  std::optional<uint32_t> disk_gib;
  bool onboot = false;
};

class AdminForm {
 public:
  virtual ~AdminForm() = default;
  // True when `image` names one of the backend's own templates rather than a path; throws
  // Error(usage) for one that is malformed.
  virtual bool is_template(const std::string& image) const = 0;
  // The config.json of a container made from such a template.
  virtual nlohmann::ordered_json template_spec(const std::string& image) const = 0;
  // The backend's defaults and the knobs, applied to a config.json object.
  virtual void apply(nlohmann::json& doc, const AdminKnobs& knobs) const = 0;
};

}  // namespace nexcage::backend
