#include <sys/stat.h>

#include <fmt/format.h>

#include "nexcage/core/error.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/state/state_root.hpp"

namespace nexcage::doctor {

void check_state_root(const std::filesystem::path& root, const Host& host, Report& report) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) < 0) {
    report.add("state root", Severity::info,
               root.string() + " does not exist yet; the first create makes it (0700)");
    return;
  }
  if (S_ISLNK(st.st_mode)) {
    report.add("state root", Severity::problem,
               root.string() + " is a symlink; nexcage refuses to follow it",
               "replace it with a directory (mkdir -m 0700) or point --root / the config's root at "
               "the real one");
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    report.add("state root", Severity::problem, root.string() + " is not a directory",
               "remove it; the next create makes the directory");
    return;
  }
  bool problem = false;
  try {
    if (state::inspect_root(root) == state::RootKind::legacy)
      report.add("state root", Severity::info,
                 root.string() + " was made by an older nexcage (no " + state::root_marker +
                     "); the next create or delete marks it");
  } catch (const Error& e) {
    report.add("state root", Severity::problem, e.what(), e.hint());
    return;
  }
  if (st.st_uid != 0) {
    problem = true;
    report.add("state root", Severity::problem,
               fmt::format("{} is owned by uid {}, not root", root.string(), st.st_uid),
               "chown root:root " + root.string());
  }
  if ((st.st_mode & 077) != 0) {
    problem = true;
    report.add("state root", Severity::problem,
               fmt::format("{} has mode {:04o}; other users can read container records",
                           root.string(), st.st_mode & 07777),
               "chmod 0700 " + root.string());
  }
  auto mount = mount_of(read_mounts(host.mounts), root);
  if (mount && mount->type != "tmpfs") {
    report.add("state root", Severity::warning,
               root.string() + " is on " + mount->type +
                   ", not tmpfs: records outlive a reboot, and "
                   "containers that did not survive it then read as stopped until deleted",
               "keep the root under /run (tmpfs), or delete stopped containers after a reboot");
  } else if (!problem) {
    report.add(
        "state root", Severity::ok,
        root.string() + ": 0700, owned by root" + (mount ? ", on " + mount->type : std::string()));
  }
}

}  // namespace nexcage::doctor
