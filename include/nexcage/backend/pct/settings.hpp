#pragma once
// The operator's choices for the pct backend: where the rootfs goes, which network the container
// joins, and which isolation losses are acceptable. They come from the `options` object of the pct
// backend in nexcage's config file (docs/backends/pct.md), never from config.json.
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "nexcage/core/json_reader.hpp"

namespace nexcage::backend::pct {

struct NetworkSettings {
  bool enabled = true;  // false: no net0, the container has loopback only
  std::string bridge = "vmbr0";
  // manual: the NIC joins the bridge with no address, so a start never waits for a DHCP lease
  // (with host_managed, Proxmox runs the DHCP client at start and waits for its timeout).
  std::string ip = "manual";  // dhcp | manual | IPv4 CIDR
  std::string gw;             // IPv4 gateway, with a CIDR ip
  std::string ip6;            // empty (not set) | auto | dhcp | manual | IPv6 CIDR
  std::string gw6;
  std::optional<uint32_t> tag;  // VLAN 1-4094
  std::optional<uint32_t> mtu;  // 64-65535
  bool firewall = false;
  bool host_managed = true;  // the host runs DHCP / sets static IPs (PVE 9.1+)
};

// Names accepted in `allow_weaker_isolation`: each lets one field that pct cannot enforce be
// dropped with a warning instead of refusing the container.
inline constexpr const char* allow_seccomp = "seccomp";
inline constexpr const char* allow_no_new_privileges = "no_new_privileges";
inline constexpr const char* allow_capabilities = "capabilities";
inline constexpr const char* allow_masked_paths = "masked_paths";
inline constexpr const char* allow_readonly_paths = "readonly_paths";
inline constexpr const char* allow_resource_limits = "resource_limits";

// Every name above, for validation and messages.
const std::set<std::string>& weaker_isolation_names();

struct PctSettings {
  std::string storage = "local-lvm";  // pve-storage-id with the rootdir content type
  // Unset: from the rootfs's size (rootfs_size_for). 0 = unlimited subvol on a dir storage.
  std::optional<uint32_t> rootfs_size_gib;
  std::string arch = "amd64";         // amd64 i386 arm64 armhf riscv32 riscv64
  bool always_unprivileged = false;   // true: --unprivileged 1 even without a user namespace
  uint32_t default_memory_mib = 512;  // pct always has a limit; used when config.json sets none
  NetworkSettings network;
  std::set<std::string> allow_weaker_isolation;

  bool allows(const char* name) const { return allow_weaker_isolation.count(name) != 0; }
};

// The rootfs volume's size when the operator set none: room for the image's files half again
// over (ext4 blocks, inodes, what the application writes) plus 1 GiB, in whole GiB. Without a
// size (a Proxmox template, packed elsewhere) it is Proxmox's own default, 8 GiB.
uint32_t rootfs_size_for(std::optional<uint64_t> content_bytes);
inline constexpr uint32_t template_rootfs_gib = 8;

// Parses the pct backend's options (the keys of `backends.pct` in nexcage's config besides
// `path`). Keys that other parts of the driver own (tool paths, VMID range) are named in
// `other_keys` and skipped; any other unknown key or wrong type throws Error(invalid_input) listing
// every problem as "<prefix>.<key>: message", e.g. "backends.pct.network.tag: ...". Value checks
// that pct would make (storage id, bridge name, IP formats, ranges) happen in translate(), so
// settings built in code get them too.
PctSettings settings_from_json(const nlohmann::json& options,
                               const std::string& prefix = "backends.pct",
                               const std::set<std::string>& other_keys = {});
// The same, adding its problems to `problems` instead of throwing (parse_driver_config reports
// them with its own).
PctSettings read_settings(const nlohmann::json& options, const std::string& prefix,
                          const std::set<std::string>& other_keys, std::vector<Problem>& problems);

}  // namespace nexcage::backend::pct
