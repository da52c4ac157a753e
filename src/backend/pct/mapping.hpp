#pragma once
// Shared state of one translation, filled by the mappers (one file per area of config.json).
// Each mapper reads the Spec and appends options, raw lines, warnings or refusals; none of them
// throws or touches the host.
#include <initializer_list>
#include <optional>
#include <string>

#include "nexcage/backend/pct/translate.hpp"

namespace nexcage::backend::pct::detail {

struct Builder {
  const oci::Spec& spec;
  const PctSettings& settings;
  const HostFacts& facts;
  Outcome out;
  int next_mp = 0;            // mp0..mp255
  int next_dev = 0;           // dev0..dev255
  bool unprivileged = false;  // decided by map_identity, read by later mappers

  void option(std::string key, std::string value) {
    out.translation.options.push_back({std::move(key), std::move(value)});
  }
  void raw(std::string key, std::string value) {
    out.translation.raw.push_back({std::move(key), std::move(value)});
  }
  void warn(std::string path, std::string message) {
    out.translation.warnings.push_back({std::move(path), std::move(message)});
  }
  void refuse(std::string path, std::string message) {
    out.refused.push_back({std::move(path), std::move(message)});
  }
  // What is written needs pve-container `version` or later (compared as dotted numbers).
  void need_pve_container(const std::string& version, std::string what);
  // The one policy for a field pct cannot enforce and whose loss leaves the container less
  // confined: refused unless the operator listed `allowance` in allow_weaker_isolation, then a
  // warning that names the allowance so the loss stays visible in logs.
  void weaker(const char* allowance, std::string path, const std::string& message) {
    if (settings.allows(allowance))
      warn(std::move(path), message + " (allowed by allow_weaker_isolation \"" + allowance + "\")");
    else
      refuse(std::move(path), message + "; remove it from config.json, or add \"" + allowance +
                                  "\" to allow_weaker_isolation in the pct backend options");
  }
};

// Mappers, in the order translate() calls them.
void map_settings(Builder& b);   // settings_map.cpp: ostype, arch, rootfs
void map_identity(Builder& b);   // identity_map.cpp: unprivileged, hostname, namespaces, idmap
void map_resources(Builder& b);  // resources_map.cpp: memory, swap, cpu, pids, io, hugetlb, unified
void map_network(Builder& b);    // settings_map.cpp: net0
void map_mounts(Builder& b);     // mounts_map.cpp: mounts, maskedPaths, readonlyPaths
void map_devices(Builder& b);    // devices_map.cpp: linux.devices, device cgroup rules
void map_process(Builder& b);    // process_map.cpp: entrypoint, env, cwd, user, rlimits, terminal
void map_stop_signal(Builder& b);  // stop_signal_map.cpp: lxc.signal.halt
void map_security(Builder& b);  // security_map.cpp: capabilities, nnp, apparmor, selinux, seccomp
void map_annotations(Builder& b);  // annotations_map.cpp: tags, description
void map_leftovers(Builder& b);    // leftovers_map.cpp: hooks, sysctl, and fields with no pct form
// For `update`: only the memory and cpu fields present, as `pct set` can change them live.
void map_resources_update(Builder& b, const oci::Resources& r);

// Fields oci::Spec does not type (devices, hooks, blockIO details, ...) are read from the raw
// document: nullptr when absent or null.
const nlohmann::json* raw_at(const nlohmann::json& doc, std::initializer_list<const char*> keys);
// A JSON integer in [min, max], or nullopt.
std::optional<int64_t> json_int(const nlohmann::json& v, int64_t min, int64_t max);

// pct-side value checks (pct_values.cpp), mirroring pct's schema ($confdesc in
// pve-container's src/PVE/LXC/Config.pm).
bool is_dns_name(const std::string& name);  // pct's dns-name, at most max_hostname bytes
bool is_storage_id(const std::string& id);  // pve-storage-id
bool is_ipv4(const std::string& s);
bool is_ipv6(const std::string& s);
bool is_cidr4(const std::string& s);             // prefix 8..32
bool is_cidr6(const std::string& s);             // prefix 8..128
bool is_net_name(const std::string& s);          // [-_.\w\d]+
bool is_env_name(const std::string& s);          // \w+ (ASCII letters, digits, '_')
bool is_hugepage_size(const std::string& s);     // [0-9]+[KMG]B
bool is_cgroup_file_name(const std::string& s);  // [a-z0-9_]+\.[a-z0-9_.]+
bool is_ipc_sysctl(const std::string& s);        // kernel.msg*, sem, shm* (the ones PVE keeps)
bool is_rlimit_type(const std::string& s);       // RLIMIT_[A-Z]+
// Refuses `path` ("<what> is N bytes long; at most MAX are accepted") and returns true when
// size > max. The caps keep hostile values out of messages and argv, whatever their length.
bool too_long(Builder& b, const std::string& path, const std::string& what, std::size_t size,
              std::size_t max);
// Caps on names that have no (or no useful) limit in pct's schema.
inline constexpr std::size_t max_env_name = 1024;
// The kernel's HOST_NAME_MAX: sethostname(2) at start refuses longer names (pct allows 255).
inline constexpr std::size_t max_hostname = 64;
inline constexpr std::size_t max_storage_id = 255;
inline constexpr std::size_t max_bridge_name = 15;   // IFNAMSIZ - 1
inline constexpr std::size_t max_rdma_device = 63;   // IB_DEVICE_NAME_MAX - 1
inline constexpr std::size_t max_cgroup_file = 255;  // NAME_MAX
inline constexpr std::size_t max_hugepage_size = 32;
inline constexpr std::size_t max_cpu_list = 65536;
inline constexpr std::size_t max_rlimit_type = 32;
inline constexpr std::size_t max_sysctl_key = 255;
bool has_control_char(const std::string& s, bool allow_tab);
// pve-lxc-mp-string: no "/./", "/../", trailing "/." or "/..", leading "../".
bool has_dot_segments(const std::string& path);
// A tag made acceptable to pve-tag: lowercased, other characters -> '_'; empty if nothing is left.
std::string sanitize_tag(const std::string& raw);
// "a b" -> "a\040b": fstab escaping for lxc.mount.entry paths (space, tab, backslash).
std::string fstab_escape(const std::string& path);
// Quoted for messages: "\"/a,b\"" with control characters as \xNN; values over 256 bytes are cut
// ("\"aaa...\" (200000 bytes)").
std::string quote_value(const std::string& value);

}  // namespace nexcage::backend::pct::detail
