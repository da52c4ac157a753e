#include "nexcage/backend/pct/cgroup_procs.hpp"

#include <algorithm>
#include <filesystem>

#include "nexcage/backend/pct/vmid_map.hpp"
#include "nexcage/cgroup/freezer.hpp"
#include "nexcage/cgroup/stats.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

namespace {

// Proxmox's lxc.cgroup.dir.container.inner: the CT's cgroup namespace root below its cgroup.
constexpr const char* proxmox_inner = "ns";
constexpr std::string_view payload_prefix = "lxc.payload.";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// LXC's payload name: "<name>", or "<name>-<n>" when a cgroup of that name already existed.
bool payload_names(std::string_view name, std::optional<uint32_t> vmid) {
  if (!vmid) return !name.empty();
  std::string id = std::to_string(*vmid);
  if (name == id) return true;
  return name.size() > id.size() + 1 && name.substr(0, id.size()) == id && name[id.size()] == '-' &&
         all_digits(name.substr(id.size() + 1));
}

void collect(const fsys::path& dir, std::vector<int>& pids) {
  // An unreadable cgroup.procs (a cgroup removed meanwhile) contributes nothing.
  std::string procs;
  if (fs::read_proc_file(dir / "cgroup.procs", procs, 16 * 1024 * 1024)) {
    std::size_t pos = 0;
    while (pos < procs.size()) {
      auto nl = procs.find('\n', pos);
      auto line = procs.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      if (auto pid = process::parse_pid(line)) pids.push_back(*pid);
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
  }
  std::error_code ec;
  for (const auto& entry : fsys::directory_iterator(dir, ec)) {
    // Symlinks are not cgroups; following one could leave the container's tree.
    if (fs::is_directory(entry.path(), fs::Links::refuse)) collect(entry.path(), pids);
  }
}

// The hierarchy to list processes from: v2 when the container has a directory there (Proxmox,
// and LXC also makes one on a hybrid host), else the v1 pids or freezer hierarchy, else any.
std::optional<fsys::path> listing_dir(const cgroup::Dirs& dirs) {
  if (dirs.unified && fs::is_directory(*dirs.unified, fs::Links::refuse)) return dirs.unified;
  for (const char* controller : {"pids", "freezer"}) {
    auto it = dirs.v1.find(controller);
    if (it != dirs.v1.end() && fs::is_directory(it->second, fs::Links::refuse)) return it->second;
  }
  for (const auto& [controller, dir] : dirs.v1)
    if (fs::is_directory(dir, fs::Links::refuse)) return dir;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> container_cgroup_path(const std::string& path,
                                                 std::optional<uint32_t> vmid) {
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    auto segment = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (!segment.empty()) segments.push_back(segment);
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  // The outermost match: a nested container inside this one is part of it.
  std::string prefix;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = segments[i];
    prefix += "/" + s;
    if (s.size() > payload_prefix.size() &&
        s.compare(0, payload_prefix.size(), payload_prefix) == 0 &&
        payload_names(std::string_view(s).substr(payload_prefix.size()), vmid))
      return prefix;
    if (s == "lxc" && i + 1 < segments.size() && all_digits(segments[i + 1]) &&
        (!vmid || segments[i + 1] == std::to_string(*vmid)))
      return prefix + "/" + segments[i + 1];
  }
  return std::nullopt;
}

cgroup::Dirs container_cgroups(int pid, std::optional<uint32_t> vmid, const cgroup::Host& host) {
  auto paths = cgroup::paths_of(pid, host);
  if (!paths) throw Error(ErrorKind::wrong_state, msg::not_running);
  std::map<std::string, std::string> container;
  std::string seen;
  for (const auto& [controller, path] : *paths) {
    if (auto top = container_cgroup_path(path, vmid)) container[controller] = *top;
    if (seen.empty()) seen = path;
  }
  auto dirs = cgroup::resolve(container, host.mounts);
  if (dirs.empty())
    throw Error(
        ErrorKind::invalid_input,
        "process " + std::to_string(pid) + " is in no cgroup of LXC container " +
            (vmid ? std::to_string(*vmid) : std::string("(lxc/<vmid> or lxc.payload.<name>)")) +
            (seen.empty() ? std::string(" (it has no cgroup)") : " (its cgroup is " + seen + ")"),
        "nothing was read or signalled; the state record's pid is not the container's init: "
        "compare it with `lxc-info -n <vmid> -p`");
  return dirs;
}

std::vector<int> container_processes(const cgroup::Dirs& dirs) {
  auto dir = listing_dir(dirs);
  if (!dir) throw Error(ErrorKind::wrong_state, msg::not_running);  // the CT's cgroup is gone
  std::vector<int> pids;
  collect(*dir, pids);
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  return pids;
}

std::vector<int> cgroup_processes(int init_pid, const cgroup::Host& host) {
  return container_processes(container_cgroups(init_pid, std::nullopt, host));
}

nlohmann::json container_stats(const cgroup::Dirs& dirs) {
  return cgroup::stats(dirs);
}

bool container_frozen(const cgroup::Dirs& dirs) {
  if (cgroup::is_frozen(dirs)) return true;
  // LXC freezes the cgroup its processes are in; with Proxmox's inner cgroup that is <ct>/ns,
  // and freezing a child leaves the parent's own state thawed.
  cgroup::Dirs inner;
  if (dirs.unified) inner.unified = *dirs.unified / proxmox_inner;
  for (const auto& [controller, dir] : dirs.v1) inner.v1[controller] = dir / proxmox_inner;
  return cgroup::is_frozen(inner);
}

StatsReader container_stats_reader(const state::Record& record, const cgroup::Host& host) {
  auto vmid = recorded_vmid(record);
  return
      [&record, &host, vmid] { return container_stats(container_cgroups(record.pid, vmid, host)); };
}

}  // namespace nexcage::backend::pct
