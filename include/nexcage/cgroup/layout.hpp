#pragma once
// Where the cgroups of a process are on this host, whatever the layout: pure cgroup v2 (one
// hierarchy, e.g. Proxmox VE 7+), hybrid (v1 controllers plus a v2 hierarchy at
// /sys/fs/cgroup/unified, e.g. Debian with systemd's hybrid mode) or pure v1. The hierarchies come
// from the mount table, not from assumed paths, so a cgroup tree mounted elsewhere or bind-mounted
// from a sub-cgroup (a cgroup namespace) still resolves. Tests describe a fixture tree instead.
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nexcage::cgroup {

// One mounted cgroup hierarchy.
struct Mount {
  bool unified = false;           // cgroup2
  std::set<std::string> options;  // v1 super options: the controllers ("cpu", "name=systemd", ...)
  std::string root = "/";         // the cgroup this mount shows (field 4 of mountinfo)
  std::filesystem::path point;    // where it is mounted
};

// The directories of one process's (or one container's) cgroups.
struct Dirs {
  std::optional<std::filesystem::path> unified;     // the v2 directory
  std::map<std::string, std::filesystem::path> v1;  // controller -> v1 directory
  bool empty() const { return !unified && v1.empty(); }
};

// Where /proc/<pid>/cgroup is read and which hierarchies exist.
struct Host {
  std::filesystem::path proc = "/proc";
  std::vector<Mount> mounts;

  // The running system: /proc and the cgroup mounts of /proc/self/mountinfo, read once per process.
  static const Host& system();
  // A tree laid out as /sys/fs/cgroup conventionally is (tests, or an admin's copy): `base` itself
  // when it holds cgroup.controllers (pure v2), else each directory below it is a v1 hierarchy
  // named by its controllers ("cpu,cpuacct", "systemd" for name=systemd), and `unified` the v2 one.
  static Host under(const std::filesystem::path& base, const std::filesystem::path& proc);
};

// The cgroup mounts of a mountinfo text (/proc/self/mountinfo); other mounts are skipped.
std::vector<Mount> parse_mounts(const std::string& mountinfo);

// A cgroup path as /proc/<pid>/cgroup names one: absolute, not climbing with "..".
bool is_cgroup_path(const std::string& path);

// controller -> path, from the text of /proc/<pid>/cgroup ("" key: the v2 path). Lines whose path
// is not a cgroup path are skipped.
std::map<std::string, std::string> parse_proc_cgroup(const std::string& content);

// The directories of cgroups (controller -> path, as parse_proc_cgroup gives them), through
// `mounts`. A hierarchy that is not mounted, or whose cgroup lies outside what its mount shows, is
// left out.
Dirs resolve(const std::map<std::string, std::string>& paths, const std::vector<Mount>& mounts);

// /proc/<pid>/cgroup parsed; nullopt when it cannot be read (the process is gone).
std::optional<std::map<std::string, std::string>> paths_of(int pid, const Host& host);
// The cgroup directories of `pid`; nullopt when the process is gone.
std::optional<Dirs> dirs_of(int pid, const Host& host);

}  // namespace nexcage::cgroup
