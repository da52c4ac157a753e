#pragma once
// `nexcage doctor`: checks the host and nexcage's own state, and says what to fix. Each check
// lives in its own file under src/doctor/ and adds findings to a Report; nothing is changed
// unless repair is asked for, and then only nexcage's own stale records are removed.
#include <filesystem>
#include <optional>
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
};

struct Options {
  std::optional<std::string> config_file;  // --config
  const char* config_env = nullptr;        // $NEXCAGE_CONFIG
  std::string root;                        // --root; empty: the config's root or the default
  bool repair = false;
};

// Runs every check. Never throws for what it finds; it reports it.
Report examine(const Options& options, const Host& host, process::Runner& runner);

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
void check_records(const std::filesystem::path& root, const router::Config& config, bool repair,
                   Report& report);
void check_proxmox(const Host& host, Report& report);

// The mount table entry that holds `path` (longest mount point prefix): {mount point, fstype}.
struct Mount {
  std::string point;
  std::string type;
  std::string options;
};
std::vector<Mount> read_mounts(const std::filesystem::path& mounts_file);
std::optional<Mount> mount_of(const std::vector<Mount>& mounts, const std::filesystem::path& path);

}  // namespace nexcage::doctor
