#include "nexcage/cgroup/layout.hpp"

#include <algorithm>
#include <sstream>

#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::cgroup {

namespace fsys = std::filesystem;

namespace {

constexpr std::size_t max_mountinfo_bytes = 4 * 1024 * 1024;
constexpr std::size_t max_proc_cgroup_bytes = 65536;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, separator))
    if (!part.empty()) out.push_back(part);
  return out;
}

// `path` (as /proc/<pid>/cgroup names it) seen through a mount of the cgroup `root`, or nullopt
// when the mount does not show it.
std::optional<fsys::path> through(const Mount& mount, const std::string& path) {
  std::string rel;
  if (mount.root == "/") {
    rel = path;
  } else if (path == mount.root) {
    rel = "/";
  } else if (path.size() > mount.root.size() &&
             path.compare(0, mount.root.size(), mount.root) == 0 &&
             path[mount.root.size()] == '/') {
    rel = path.substr(mount.root.size());
  } else {
    return std::nullopt;
  }
  auto below = fsys::path(rel).relative_path();
  return below.empty() ? mount.point : mount.point / below;  // no trailing '/' for the root
}

}  // namespace

std::vector<Mount> parse_mounts(const std::string& mountinfo) {
  std::vector<Mount> out;
  std::istringstream lines(mountinfo);
  std::string line;
  while (std::getline(lines, line)) {
    // "id parent major:minor root point options [optional...] - type source super-options"
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream before(line.substr(0, dash));
    std::istringstream after(line.substr(dash + 3));
    std::string id, parent, dev, root, point, type, source, super;
    if (!(before >> id >> parent >> dev >> root >> point) || !(after >> type >> source)) continue;
    after >> super;
    if (type != "cgroup" && type != "cgroup2") continue;
    Mount mount;
    mount.unified = type == "cgroup2";
    mount.root = unescape_octal(root);
    mount.point = unescape_octal(point);
    if (!mount.unified)
      for (auto& option : split(super, ',')) mount.options.insert(option);
    out.push_back(std::move(mount));
  }
  return out;
}

bool is_cgroup_path(const std::string& path) {
  return !path.empty() && path.front() == '/' && path.find("/..") == std::string::npos;
}

std::map<std::string, std::string> parse_proc_cgroup(const std::string& content) {
  std::map<std::string, std::string> out;
  std::istringstream lines(content);
  std::string line;
  while (std::getline(lines, line)) {
    // "hierarchy-id:controllers:path"
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string path = line.substr(second + 1);
    if (!is_cgroup_path(path)) continue;
    auto names = split(line.substr(first + 1, second - first - 1), ',');
    if (names.empty()) out[""] = path;
    for (auto& name : names) out[name] = path;
  }
  return out;
}

Dirs resolve(const std::map<std::string, std::string>& paths, const std::vector<Mount>& mounts) {
  Dirs dirs;
  for (const auto& [controller, path] : paths) {
    for (const auto& mount : mounts) {
      bool match =
          controller.empty() ? mount.unified : !mount.unified && mount.options.count(controller);
      if (!match) continue;
      auto dir = through(mount, path);
      if (!dir) continue;  // another mount of the same hierarchy may show it
      if (controller.empty())
        dirs.unified = *dir;
      else
        dirs.v1[controller] = *dir;
      break;
    }
  }
  return dirs;
}

std::optional<std::map<std::string, std::string>> paths_of(int pid, const Host& host) {
  std::string content;
  if (pid <= 0 || !fs::read_proc_file(host.proc / std::to_string(pid) / "cgroup", content,
                                      max_proc_cgroup_bytes))
    return std::nullopt;
  return parse_proc_cgroup(content);
}

std::optional<Dirs> dirs_of(int pid, const Host& host) {
  auto paths = paths_of(pid, host);
  if (!paths) return std::nullopt;
  return resolve(*paths, host.mounts);
}

const Host& Host::system() {
  // Read once per process: the cgroup mounts do not change while a command runs, and `list`
  // and `metrics` look up the cgroups of every container of the root.
  static const Host host = [] {
    Host h;
    std::string mountinfo;
    if (fs::read_proc_file("/proc/self/mountinfo", mountinfo, max_mountinfo_bytes))
      h.mounts = parse_mounts(mountinfo);
    return h;
  }();
  return host;
}

Host Host::under(const fsys::path& base, const fsys::path& proc) {
  Host host;
  host.proc = proc;
  std::error_code ec;
  if (fsys::exists(base / "cgroup.controllers", ec)) {
    host.mounts.push_back({true, {}, "/", base});
    return host;
  }
  std::vector<fsys::path> dirs;
  for (const auto& entry : fsys::directory_iterator(base, ec))
    if (fs::is_directory(entry.path(), fs::Links::refuse)) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    std::string name = dir.filename().string();
    Mount mount;
    mount.point = dir;
    if (name == "unified") {
      mount.unified = true;
    } else {
      for (auto& option : split(name, ','))
        mount.options.insert(option == "systemd" ? "name=systemd" : option);
    }
    host.mounts.push_back(std::move(mount));
  }
  return host;
}

}  // namespace nexcage::cgroup
