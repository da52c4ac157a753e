// The options that come from the operator's settings rather than config.json: ostype, arch, rootfs
// and the network. Their values are checked here as pct would, so a bad setting is reported
// before pct runs, named by its key in nexcage's config.
#include <set>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

const std::string prefix = "backends.pct.";

bool valid_ip4_config(const std::string& v) {
  return v == "dhcp" || v == "manual" || is_cidr4(v);
}
bool valid_ip6_config(const std::string& v) {
  return v == "auto" || v == "dhcp" || v == "manual" || is_cidr6(v);
}

}  // namespace

void map_settings(Builder& b) {
  const auto& s = b.settings;
  static const std::set<std::string> arches{"amd64", "i386",    "arm64",
                                            "armhf", "riscv32", "riscv64"};
  if (!arches.count(s.arch))
    b.refuse(prefix + "arch",
             quote_value(s.arch) +
                 " is not a Proxmox architecture (amd64, i386, arm64, armhf, riscv32, riscv64)");
  if (too_long(b, prefix + "storage", "the storage ID", s.storage.size(), max_storage_id)) {
  } else if (!is_storage_id(s.storage)) {
    b.refuse(prefix + "storage", quote_value(s.storage) +
                                     " is not a storage ID (letters, digits, '-', '_', '.'; starts "
                                     "with a letter; e.g. local-lvm)");
  }
  // OCI images are not a distribution PVE knows: `unmanaged` keeps pct from editing files in the
  // rootfs, and the arch is explicit because an unmanaged CT would otherwise fall back to amd64.
  b.option("ostype", "unmanaged");
  b.option("arch", s.arch);
  b.option("rootfs", rootfs_option(s, b.spec.root.readonly, std::nullopt));
}

void map_network(Builder& b) {
  const auto& n = b.settings.network;
  if (!n.enabled) return;  // no netN: loopback only
  const std::string p = prefix + "network.";
  if (too_long(b, p + "bridge", "the bridge name", n.bridge.size(), max_bridge_name)) {
  } else if (!is_net_name(n.bridge)) {
    b.refuse(p + "bridge",
             quote_value(n.bridge) +
                 " is not a bridge name (letters, digits, '-', '_', '.'), e.g. vmbr0");
  }
  if (!valid_ip4_config(n.ip))
    b.refuse(p + "ip",
             quote_value(n.ip) +
                 " must be dhcp, manual or an IPv4 CIDR such as 10.0.0.5/24 (prefix 8-32)");
  if (!n.gw.empty() && !is_ipv4(n.gw))
    b.refuse(p + "gw", quote_value(n.gw) + " is not an IPv4 address");
  if (!n.ip6.empty() && !valid_ip6_config(n.ip6))
    b.refuse(p + "ip6",
             quote_value(n.ip6) +
                 " must be auto, dhcp, manual or an IPv6 CIDR such as fd00::5/64 (prefix 8-128)");
  if (!n.gw6.empty() && !is_ipv6(n.gw6))
    b.refuse(p + "gw6", quote_value(n.gw6) + " is not an IPv6 address");
  if (n.host_managed && n.ip6 == "auto")
    b.refuse(p + "ip6",
             "\"auto\" (SLAAC) cannot be combined with host_managed; use dhcp or a CIDR, or set "
             "host_managed to false");
  if (n.tag && (*n.tag < 1 || *n.tag > 4094)) b.refuse(p + "tag", "must be between 1 and 4094");
  if (n.mtu && (*n.mtu < 64 || *n.mtu > 65535)) b.refuse(p + "mtu", "must be between 64 and 65535");

  std::string v = "name=eth0,bridge=" + n.bridge + ",ip=" + n.ip;
  if (!n.gw.empty()) v += ",gw=" + n.gw;
  if (!n.ip6.empty()) v += ",ip6=" + n.ip6;
  if (!n.gw6.empty()) v += ",gw6=" + n.gw6;
  if (n.tag) v += ",tag=" + std::to_string(*n.tag);
  if (n.mtu) v += ",mtu=" + std::to_string(*n.mtu);
  if (n.firewall) v += ",firewall=1";
  if (n.host_managed) {
    v += ",host-managed=1";
    b.need_pve_container(pve_container_oci, "network.host_managed (host-managed=1)");
  }
  b.option("net0", v);
}

}  // namespace nexcage::backend::pct::detail

namespace nexcage::backend::pct {

std::string rootfs_option(const PctSettings& settings, bool readonly,
                          std::optional<uint64_t> content_bytes) {
  auto gib = settings.rootfs_size_gib ? *settings.rootfs_size_gib : rootfs_size_for(content_bytes);
  return settings.storage + ":" + std::to_string(gib) + (readonly ? ",ro=1" : "");
}

}  // namespace nexcage::backend::pct
