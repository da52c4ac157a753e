#include "nexcage/backend/pct/cgroup_procs.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/process/cgroup_stats.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

namespace {

bool is_dir(const fsys::path& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The directory of the init's cgroup: the pids or freezer hierarchy on cgroup v1 (every task is
// in exactly one cgroup there), else the v2 hierarchy.
fsys::path cgroup_dir(int pid, const fsys::path& root) {
  std::string content;
  if (!fs::read_proc_file("/proc/" + std::to_string(pid) + "/cgroup", content, 65536))
    throw Error(ErrorKind::wrong_state, msg::not_running);
  auto paths = process::parse_proc_cgroup(content);
  for (const char* controller : {"pids", "freezer"}) {
    auto it = paths.find(controller);
    if (it != paths.end() && is_dir(root / controller)) return root / controller / fsys::path(it->second).relative_path();
  }
  auto v2 = paths.find("");
  if (v2 != paths.end()) {
    auto base = is_dir(root / "unified") && !fsys::exists(root / "cgroup.controllers") ? root / "unified" : root;
    return base / fsys::path(v2->second).relative_path();
  }
  throw Error(ErrorKind::system, "no pids, freezer or cgroup v2 hierarchy holds process " + std::to_string(pid));
}

void collect(const fsys::path& dir, std::vector<int>& pids) {
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
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) collect(entry.path(), pids);
  }
}

}  // namespace

std::vector<int> cgroup_processes(int init_pid, const std::string& cgroup_root) {
  std::vector<int> pids;
  collect(cgroup_dir(init_pid, cgroup_root), pids);
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  return pids;
}

}  // namespace nexcage::backend::pct
