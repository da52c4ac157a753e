// Who the container is: user namespace (unprivileged + idmap), hostname, and the other
// namespaces. Every Proxmox container gets fresh pid, net, ipc, uts and mount namespaces, so a
// config.json that shares or joins one cannot be honoured and is refused (docs/backends/pct.md).
#include <map>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

const oci::Linux& linux_of(const oci::Spec& spec) {
  static const oci::Linux empty;
  return spec.linux ? *spec.linux : empty;
}

bool is_pve_default_map(const std::vector<oci::IdMapping>& m) {
  return m.size() == 1 && m[0].container_id == 0 && m[0].host_id == 100000 && m[0].size == 65536;
}

void map_idmap(Builder& b, const oci::Linux& l) {
  if (l.uid_mappings.empty() && l.gid_mappings.empty()) return;  // PVE's default map
  if (is_pve_default_map(l.uid_mappings) && is_pve_default_map(l.gid_mappings)) return;
  if (l.uid_mappings.empty() || l.gid_mappings.empty()) {
    b.refuse(l.uid_mappings.empty() ? "linux.uidMappings" : "linux.gidMappings",
             "is empty while the other list is not; LXC needs both uid and gid mappings (add e.g. "
             "{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536})");
    return;
  }
  auto line = [](char kind, const oci::IdMapping& m) {
    return std::string(1, kind) + " " + std::to_string(m.container_id) + " " +
           std::to_string(m.host_id) + " " + std::to_string(m.size);
  };
  for (const auto& m : l.uid_mappings) b.raw("lxc.idmap", line('u', m));
  for (const auto& m : l.gid_mappings) b.raw("lxc.idmap", line('g', m));
}

}  // namespace

void map_identity(Builder& b) {
  const auto& l = linux_of(b.spec);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < l.namespaces.size(); ++i) index.emplace(l.namespaces[i].type, i);
  auto path_of = [&](const std::string& type) {
    return "linux.namespaces[" + std::to_string(index.at(type)) + "]";
  };

  for (const char* type : {"pid", "network", "ipc", "uts", "mount"}) {
    auto it = index.find(type);
    if (it == index.end()) {
      std::string what = std::string(type) == "network"
                             ? "host networking"
                             : std::string("the host's ") + type + " namespace";
      b.refuse("linux.namespaces",
               "has no " + std::string(type) + " namespace, which asks for " + what +
                   "; every Proxmox container has its own: add {\"type\": \"" + type + "\"}");
    }
  }
  for (std::size_t i = 0; i < l.namespaces.size(); ++i) {
    const auto& ns = l.namespaces[i];
    if (!ns.path.empty())
      b.refuse("linux.namespaces[" + std::to_string(i) + "].path",
               "joining an existing " + ns.type +
                   " namespace is not possible with pct; remove \"path\" to get a new one");
  }
  if (index.count("time") && l.namespaces[index.at("time")].path.empty())
    b.warn(path_of("time"),
           "Proxmox containers have no time namespace; the container shares the host's clocks");

  bool userns = index.count("user") != 0;
  if (!userns && b.settings.always_unprivileged)
    b.warn("linux.namespaces",
           "has no user namespace, but always_unprivileged is set: root in the container is uid "
           "100000 on the host");
  b.unprivileged = userns || b.settings.always_unprivileged;
  b.option("unprivileged", b.unprivileged ? "1" : "0");
  if (userns) map_idmap(b, l);

  if (!b.spec.hostname.empty()) {
    const auto& h = b.spec.hostname;
    if (is_dns_name(h))
      b.option("hostname", h);
    else if (h.size() > max_hostname)
      b.refuse("hostname", quote_value(h) + " is " + std::to_string(h.size()) +
                               " bytes long; the kernel sets at most " +
                               std::to_string(max_hostname) +
                               " (HOST_NAME_MAX), so the container would not start; shorten it");
    else
      b.refuse("hostname",
               quote_value(h) +
                   " is not a hostname pct accepts: dot-separated labels of letters, digits and "
                   "'-' (no '_', no leading or trailing '-' or '.')");
  }
  if (!b.spec.domainname.empty())
    b.warn("domainname", "pct sets only the hostname; the NIS domain name stays unset");
}

}  // namespace nexcage::backend::pct::detail
