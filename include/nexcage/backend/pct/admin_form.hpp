#pragma once
// The admin form's Proxmox policy: what `pct create` would give a container (docs/backends/pct.md,
// "Admin form").
#include "nexcage/backend/admin_form.hpp"

namespace nexcage::backend::pct {

class AdminForm final : public backend::AdminForm {
 public:
  // STORAGE:vztmpl/FILE, as `pveam list STORAGE` shows it.
  bool is_template(const std::string& image) const override;
  // A system container as `pct create` makes one from a template: a writable rootfs, Proxmox's
  // capabilities, /sbin/init as pid 1 with no rlimits and no paths masked or read-only beyond
  // what LXC's proc:mixed and sys:mixed do.
  nlohmann::ordered_json template_spec(const std::string& volid) const override;
  // Unprivileged with Proxmox's id map unless config.json has a user namespace of its own, no
  // no_new_privs (Proxmox cannot set it), and the knobs as org.nexcage.pct.* annotations.
  void apply(nlohmann::json& doc, const AdminKnobs& knobs) const override;
};

}  // namespace nexcage::backend::pct
