#pragma once
// `nexcage doctor`: checks the host and nexcage's own state, and says what to fix. Each check
// lives in its own file under src/doctor/ and adds findings to a Report; nothing is changed
// unless repair is asked for, and then only nexcage's own stale records are removed.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nexcage/process/runner.hpp"
#include "nexcage/router/config.hpp"

namespace nexcage::doctor {

enum class Severity { ok, info, warning, problem };
const char* to_string(Severity severity);

struct Finding {
  std::string check;  // "config", "backend runc", "cgroups", ...
  Severity severity = Severity::ok;
  std::string message;
  std::string fix;  // what to do about it; empty when nothing is to be done
};

struct Report {
  std::vector<Finding> findings;
  void add(std::string check, Severity severity, std::string message, std::string fix = "");
  // No finding of severity problem.
  bool healthy() const;
};

// Where the checks look. Production uses the defaults; tests point them at fake layouts.
struct Host {
  std::filesystem::path mounts = "/proc/self/mounts";
  std::filesystem::path cgroup_root = "/sys/fs/cgroup";
  // Proxmox VE's tools and template storage.
  std::filesystem::path pct = "/usr/sbin/pct";
  std::filesystem::path pvesh = "/usr/bin/pvesh";
  std::filesystem::path lxc_info = "/usr/bin/lxc-info";
  std::filesystem::path template_cache = "/var/lib/vz/template/cache";
  std::filesystem::path init = NEXCAGE_LIBEXEC_DIR "/nexcage-init";  // the pct containers' init
  std::filesystem::path monitor = NEXCAGE_LIBEXEC_DIR "/nexcage-monitor";  // OCI callers' pid
  std::filesystem::path dpkg_query = "/usr/bin/dpkg-query";  // pve-container's version
  std::filesystem::path config_dir = "/etc/pve/lxc";         // <vmid>.conf, carrying nexcage's mark
  // Proxmox's storage definitions: beside config_dir's parent (/etc/pve/lxc -> /etc/pve).
  std::filesystem::path storage_cfg = "/etc/pve/storage.cfg";
  std::filesystem::path host_dir = "/var/lib/nexcage/pct";  // templates/<digest>/<user>
  std::string template_storage = "local";                   // needs vztmpl content
  std::string rootfs_storage = "local-lvm";                 // needs rootdir content
};

struct Options {
  std::optional<std::string> config_file;  // --config
  const char* config_env = nullptr;        // $NEXCAGE_CONFIG
  std::string root;                        // --root; empty: the config's root or the default
  bool repair = false;
};

// Runs every check. Never throws for what it finds; it reports it.
Report examine(const Options& options, const Host& host, process::Runner& runner);
// The same on this host, with the system's runner.
Report examine(const Options& options);

// One line per finding ("ok", "info", "warning", "problem" in a column), fixes indented below,
// then a summary line. Colour (severity words only) when `colour` is set.
std::string render_text(const Report& report, bool colour);
// {"healthy": bool, "findings": [{"check", "severity", "message", "fix"}]}
std::string render_json(const Report& report);

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
