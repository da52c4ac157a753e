#pragma once
// The doctor's checks, one file each under src/doctor/, and the host layout they look at: for
// the doctor itself and its tests. The CLI sees only doctor.hpp.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/doctor/doctor.hpp"
#include "nexcage/process/runner.hpp"
#include "nexcage/router/config.hpp"

namespace nexcage::doctor {

// Where the checks look. Production uses the defaults; tests point them at fake layouts.
struct Host {
  std::filesystem::path mounts = "/proc/self/mounts";
  std::filesystem::path cgroup_root = "/sys/fs/cgroup";
  // Proxmox VE's tools, files and storages, as the pct backend sees them: the defaults, or the
  // config file's backends.pct (examine() applies it).
  backend::pct::DriverConfig pct;
  // Proxmox's storage definitions: beside config_dir's parent (/etc/pve/lxc -> /etc/pve).
  std::filesystem::path storage_cfg = "/etc/pve/storage.cfg";
};

// examine() over `host` with `runner`.
Report examine(const Options& options, const Host& host, process::Runner& runner);

// The individual checks (one file each), exposed for their tests.
router::Config check_config(const Options& options, Report& report);
void check_backends(const router::Config& config, process::Runner& runner, Report& report);
void check_cgroups(const router::Config& config, const Host& host, Report& report);
void check_state_root(const std::filesystem::path& root, const Host& host, Report& report);
// `runner` is only handed to the pct template cache when a repair releases a template user; no
// process is started.
void check_records(const std::filesystem::path& root, const router::Config& config,
                   const Host& host, process::Runner& runner, bool repair, Report& report);
void check_proxmox(const Host& host, process::Runner& runner, Report& report);
// The image store (readable, its size), skopeo, and the registries reached without TLS checks.
void check_images(const router::Config& config, Report& report);
// Proxmox storages: the rootfs storage has rootdir content, the template storage vztmpl.
void check_pve_storages(const Host& host, Report& report);
// nexcage's templates: a template with users but no file is a problem, a file nobody uses info.
void check_pct_templates(const Host& host, Report& report);

// What Proxmox says about the pct container of one record (check_pct_records.cpp). A pct record
// is known by the VMID map of its backend root (<root>/.backends/pct/vmids.json) and by the
// description of <config_dir>/<vmid>.conf carrying nexcage's mark (ownership.hpp); never by its
// pid, which need not be the container's init.
enum class PctPresence {
  marked,       // the VMID's config carries the mark: the container exists and is this record's
  no_vmid,      // the VMID map has no entry for the id
  config_gone,  // the VMID's config does not exist (destroyed outside nexcage)
  unmarked,     // the VMID's config lacks the mark: another guest has the VMID now
  unknown,      // the map or the config could not be read: never treat it as stale
};
struct PctLookup {
  PctPresence presence = PctPresence::unknown;
  uint32_t vmid = 0;
  std::string error;  // for unknown
};
PctLookup pct_presence(const std::filesystem::path& backend_root, const std::string& id,
                       const Host& host);
// The VMID map entries of `backend_root` that no record in `recorded` accounts for: a marked
// container is reported and left alone; an entry whose container is gone is dropped on repair.
// Returns the number of findings that are not ok.
int check_pct_map(const std::filesystem::path& backend_root, const std::set<std::string>& recorded,
                  const Host& host, process::Runner& runner, bool repair, Report& report);
// What --repair does for a pct id whose container is gone: forget its VMID and release its
// template use, as `nexcage delete` would without pct destroy. Returns an error text, or "".
std::string forget_pct_container(const std::filesystem::path& backend_root, const std::string& id,
                                 const Host& host, process::Runner& runner);

// The mount table entry that holds `path` (longest mount point prefix): {mount point, fstype}.
struct Mount {
  std::string point;
  std::string type;
  std::string options;
};
std::vector<Mount> read_mounts(const std::filesystem::path& mounts_file);
std::optional<Mount> mount_of(const std::vector<Mount>& mounts, const std::filesystem::path& path);

}  // namespace nexcage::doctor
