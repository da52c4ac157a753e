#pragma once
// Where the pct driver finds Proxmox's tools and files, and which VMIDs it may use. Read from
// `backends.pct` in nexcage's config file (docs/configuration.md); every path is absolute and
// defaults to where Proxmox VE puts it. The test suite points them at the stand-in (tests/pve/).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "nexcage/backend/backend_config.hpp"
#include "nexcage/backend/pct/settings.hpp"
#include "nexcage/core/search_path.hpp"

namespace nexcage::backend::pct {

struct ToolPaths {
  std::string pct = tool_paths::pct;  // backends.pct.path
  std::string pvesh = tool_paths::pvesh;
  std::string lxc_info = tool_paths::lxc_info;
  std::string lxc_attach = tool_paths::lxc_attach;
  std::string lxc_freeze = tool_paths::lxc_freeze;
  std::string lxc_unfreeze = tool_paths::lxc_unfreeze;
  std::string tar = tool_paths::tar;
  std::string dpkg_query = tool_paths::dpkg_query;  // pve-container's version (pve_version.hpp)
  std::string init = NEXCAGE_LIBEXEC_DIR "/nexcage-init";
  // backends.pct.monitor: the pid OCI callers wait for (stdio_protocol.hpp).
  std::string monitor = NEXCAGE_LIBEXEC_DIR "/nexcage-monitor";
};

struct PveFiles {
  std::string config_dir = "/etc/pve/lxc";                  // <vmid>.conf
  std::string lock_dir = "/run/lock/lxc";                   // pve-config-<vmid>.lock
  std::string template_storage = "local";                   // storage holding nexcage's templates
  std::string template_dir = "/var/lib/vz/template/cache";  // that storage's vztmpl directory
};

// A container's config, /etc/pve/lxc/<vmid>.conf, and the lock Proxmox takes to change it. A CT
// config is a few KiB; more is not one.
inline constexpr std::size_t max_ct_config_bytes = 1024 * 1024;
inline std::filesystem::path ct_config_file(const std::filesystem::path& config_dir,
                                            uint32_t vmid) {
  return config_dir / (std::to_string(vmid) + ".conf");
}
inline std::filesystem::path ct_config_lock(const std::filesystem::path& lock_dir, uint32_t vmid) {
  return lock_dir / ("pve-config-" + std::to_string(vmid) + ".lock");
}

struct VmidRange {
  uint32_t lower = 100;      // first VMID nexcage may use
  uint32_t upper = 1000000;  // one past the last, as Proxmox's next-id range
};

// host_dir's mode: traversable by every user, listable by none. A container's root (uid 100000)
// walks through it to the stdio socket LXC bind-mounts at a first start (stdio_protocol.hpp);
// what lies below is 0700 or owned by that container's root.
inline constexpr unsigned host_dir_mode = 0711;

struct DriverConfig {
  ToolPaths tools;
  PveFiles files;
  // backends.pct.host_dir: the backend's host-wide state, seen by every state root (template
  // users; the persistent place for more such state). Persistent, because Proxmox's templates
  // and containers outlive a reboot, unlike /run.
  std::string host_dir = "/var/lib/nexcage/pct";
  VmidRange vmids;
  PctSettings settings;  // the translation's options (storage, network, allowances, ...)
};

// Validates every key of `backends.pct`; problems are reported together, each with its key.
DriverConfig parse_driver_config(const BackendConfig& config);

// Annotations an admin (or `create --image`) may set to choose per container what the config file
// otherwise decides: org.nexcage.pct.storage (the rootfs storage) and org.nexcage.pct.net
// ("none", or bridge=NAME[,ip=dhcp|manual|CIDR][,gw=IP][,ip6=...][,gw6=IP][,tag=N][,mtu=N]
// [,firewall=0|1]). Values are checked by translate() like the config file's.
inline constexpr const char* storage_annotation = "org.nexcage.pct.storage";
inline constexpr const char* net_annotation = "org.nexcage.pct.net";
// The rootfs volume's size in GiB (whole number; 0 = unlimited subvol on a directory storage);
// `create --image ... --disk GIB` sets it. Without it, the size comes from the rootfs's.
inline constexpr const char* disk_annotation = "org.nexcage.pct.disk";
// A Proxmox template volid (STORAGE:vztmpl/FILE) to create the container from instead of packing
// the bundle's rootfs; `create --image STORAGE:vztmpl/FILE` sets it.
inline constexpr const char* template_annotation = "org.nexcage.pct.template";
// "1": Proxmox starts the container at boot (`--onboot 1`); `create --image ... --onboot` sets it.
inline constexpr const char* onboot_annotation = "org.nexcage.pct.onboot";
PctSettings with_annotations(PctSettings settings,
                             const std::map<std::string, std::string>& annotations);

}  // namespace nexcage::backend::pct
