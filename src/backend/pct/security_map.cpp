// Confinement: capabilities, noNewPrivileges, AppArmor, SELinux, seccomp. Whatever pct cannot
// enforce here goes through Builder::weaker: refused unless the operator allowed the loss.
#include <algorithm>
#include <cctype>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

std::string lxc_cap_name(const std::string& oci) {
  std::string name = oci.rfind("CAP_", 0) == 0 ? oci.substr(4) : oci;
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string missing_from(const std::vector<std::string>& set,
                         const std::vector<std::string>& bounding) {
  std::string missing;
  for (const auto& cap : bounding)
    if (std::find(set.begin(), set.end(), cap) == set.end())
      missing += (missing.empty() ? "" : ", ") + cap;
  return missing;
}

void map_capabilities(Builder& b, const oci::Process& p) {
  if (!p.capabilities)
    return;  // runc then leaves root's capabilities alone; PVE's drop list applies
  const auto& c = *p.capabilities;
  const std::string cp = "process.capabilities.";
  // keep and drop are exclusive in LXC: an empty drop clears PVE's default list first.
  std::string keep;
  for (std::size_t i = 0; i < c.bounding.size(); ++i) {
    const auto name = lxc_cap_name(c.bounding[i]);
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char ch) {
          return std::islower(static_cast<unsigned char>(ch)) || ch == '_' ||
                 std::isdigit(static_cast<unsigned char>(ch));
        })) {
      b.refuse(cp + "bounding[" + std::to_string(i) + "]",
               quote_value(c.bounding[i]) + " is not a capability name such as CAP_CHOWN");
      continue;
    }
    keep += (keep.empty() ? "" : " ") + name;
  }
  b.raw("lxc.cap.drop", "");
  b.raw("lxc.cap.keep", keep.empty() ? "none" : keep);

  bool root = p.user.uid == 0;
  if (root) {
    // LXC starts a root init with every capability of its bounding set effective and permitted.
    for (const auto& [name, set] :
         {std::pair{"effective", &c.effective}, std::pair{"permitted", &c.permitted}}) {
      auto missing = missing_from(*set, c.bounding);
      if (!missing.empty())
        b.weaker(allow_capabilities, cp + name,
                 std::string("lacks ") + missing +
                     ", which the bounding set keeps; LXC gives a root init every bounding "
                     "capability, so it would hold them");
    }
  } else {
    for (const auto& [name, set] :
         {std::pair{"effective", &c.effective}, std::pair{"ambient", &c.ambient}}) {
      if (!set->empty())
        b.warn(cp + name,
               "LXC does not raise capabilities for a non-root init (lxc.init.uid); it runs "
               "without them");
    }
  }
}

void map_seccomp(Builder& b, const oci::Seccomp& s) {
  // A profile that allows everything asks for nothing pct would have to enforce.
  if (s.default_action == "SCMP_ACT_ALLOW" && s.syscalls.empty()) return;
  b.weaker(allow_seccomp, "linux.seccomp",
           "the pct backend does not convert OCI seccomp profiles to LXC's format yet, so the "
           "container would get only "
           "Proxmox's default filter");
}

void raw_label(Builder& b, const std::string& value, const char* key, const char* path) {
  if (value.empty()) return;
  if (has_control_char(value, false) || value.find(' ') != std::string::npos)
    return b.refuse(
        path, quote_value(value) + " is not a profile name (no spaces or control characters)");
  b.raw(key, value);
}

}  // namespace

void map_security(Builder& b) {
  if (b.spec.process) {
    const auto& p = *b.spec.process;
    map_capabilities(b, p);
    if (p.no_new_privileges)
      b.weaker(allow_no_new_privileges, "process.noNewPrivileges",
               "Proxmox drops lxc.no_new_privs from the config, so setuid programs in the "
               "container could gain privileges");
    // Replaces the profile PVE generates; runc would equally fail to start if it is not loaded.
    raw_label(b, p.apparmor_profile, "lxc.apparmor.profile", "process.apparmorProfile");
    raw_label(b, p.selinux_label, "lxc.selinux.context", "process.selinuxLabel");
  }
  if (b.spec.linux && b.spec.linux->seccomp) map_seccomp(b, *b.spec.linux->seccomp);
}

}  // namespace nexcage::backend::pct::detail
