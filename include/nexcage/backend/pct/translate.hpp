#pragma once
// OCI config.json -> `pct create` options + raw `lxc.*` config lines. A pure function: it reads
// nothing but its arguments, runs nothing and writes nothing, so it is tested by golden files
// (tests/data/bundles/pct/). The mapping and the policy for fields pct cannot express are in
// docs/backends/pct.md.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nexcage/backend/pct/settings.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/oci/spec.hpp"

namespace nexcage::backend::pct {

// What the caller found on the host for each bind-mount source, keyed by the source string as
// written in config.json. Translation cannot stat (it is pure), but a directory bind becomes an
// mpN and a file bind a raw mount entry, and pct wants symlink-free paths.
enum class PathKind { missing, directory, file, other };
struct HostPath {
  PathKind kind = PathKind::missing;
  std::string resolved;  // absolute, symlinks resolved; empty = same as the key
};
// What the caller found for each linux.devices path (stat(2), which follows symlinks as pct's
// own check does). pct binds the host's node at the same path, so a missing one fails inside
// `pct create` ("Device /dev/sdb does not exist"), and a different node is another device.
enum class DeviceKind { missing, char_device, block_device, other };
struct HostDevice {
  DeviceKind kind = DeviceKind::missing;
  uint32_t major = 0;  // st_rdev of a char or block device
  uint32_t minor = 0;
};
struct HostFacts {
  std::map<std::string, HostPath> paths;      // keyed by mounts[].source as written
  std::map<std::string, HostDevice> devices;  // keyed by linux.devices[].path as written
  // The installed pve-container's version; nullopt = not known, taken as the current one.
  std::optional<std::string> pve_container;
};
// The first pve-container that takes entrypoint, env, host-managed and lxc.init.uid/gid/groups,
// which every container nexcage makes uses some of.
inline constexpr const char* pve_container_oci = "6.1.0";
// pve-container mounts its own /dev/shm tmpfs in entrypoint containers from this version on.
inline constexpr const char* pve_container_adds_dev_shm = "6.1.10";

// One `--key value` pair of `pct create`, key without the dashes.
struct PctOption {
  std::string key;
  std::string value;
  bool operator==(const PctOption&) const = default;
};

// One raw line of /etc/pve/lxc/<vmid>.conf, written as "key: value" under pct's lock.
struct RawLine {
  std::string key;  // lxc.*
  std::string value;
  bool operator==(const RawLine&) const = default;
  std::string text() const { return key + ": " + value; }
};

// The oldest pve-container that understands everything a translation writes, and the first
// thing that needs it ("entrypoint"), for the message when the host's is older.
struct PveContainerNeed {
  std::string version;  // e.g. "6.1.0"; empty = any
  std::string what;
};

struct Translation {
  std::vector<PctOption> options;      // in the order they are passed
  std::vector<RawLine> raw;            // in the order they must appear in the config file
  std::vector<oci::Problem> warnings;  // fields dropped or changed, with their JSON path
  PveContainerNeed needs;

  // The options as argv elements: "--key", "value", ... (vmid and template are the caller's).
  std::vector<std::string> argv() const;
};

struct Outcome {
  Translation translation;            // meaningful only when `refused` is empty
  std::vector<oci::Problem> refused;  // every field pct cannot run as asked, with the fix
};

// Maps every field and collects every refusal; never throws.
Outcome examine(const oci::Spec& spec, const PctSettings& settings, const HostFacts& facts);

// Like examine(), but throws Error(invalid_input) listing every refusal, one
// "path: message" per line after "config.json cannot be run by the pct backend: N problem(s)".
Translation translate(const oci::Spec& spec, const PctSettings& settings, const HostFacts& facts);

// The `rootfs` option's value: "<storage>:<GiB>[,ro=1]", the size from the settings or, when they
// set none, rootfs_size_for(content_bytes). translate() knows no content size (it reads nothing),
// so the driver sets the value again once the rootfs has been measured.
std::string rootfs_option(const PctSettings& settings, bool readonly,
                          std::optional<uint64_t> content_bytes);

// `pct set` options for an OCI resources document (what `update` reads). Only memory and cpu
// can change on a running Proxmox container; anything else is refused naming its field.
std::vector<std::string> update_options(const nlohmann::json& resources);

// LXC's lxc.init.cmd word quoting (lxc_string_split_quoted has no escapes): bare, '...' or "...".
// Returns false (and leaves `out` alone) for an argument that cannot be quoted: one containing
// both quote kinds or a control character other than tab.
bool quote_entrypoint_arg(const std::string& arg, std::string& out);

// runc's cgroup v1 shares -> cgroup v2 weight (opencontainers/cgroups
// ConvertCPUSharesToCgroupV2Value). 0 means unset and stays 0.
uint64_t cpu_shares_to_weight(uint64_t shares);

// The --cpulimit text for a quota per period, as PVE reads it back: PVE writes
// cpu.max = int(1e5 * value), so the text is chosen so that this product, computed in doubles,
// equals ceil(quota * 100000 / period). Returns the number of 1/100000 CPU units in `units`.
std::string cpulimit_text(uint64_t quota, uint64_t period, uint64_t& units);

}  // namespace nexcage::backend::pct
