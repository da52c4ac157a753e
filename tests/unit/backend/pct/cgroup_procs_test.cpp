// cgroup_processes() over a fake cgroup root laid out like this test process's /proc/self/cgroup:
// the pids of the init's cgroup and of every cgroup below it, sorted and without duplicates.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/cgroup_procs.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nexcage::testing_support::TempDir;
namespace fsys = std::filesystem;

namespace {

// controller -> path of this process, read independently of the code under test ("" = v2).
std::map<std::string, std::string> own_cgroups() {
  std::map<std::string, std::string> out;
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      out[""] = path;
      continue;
    }
    std::stringstream names(controllers);
    std::string name;
    while (std::getline(names, name, ',')) out[name] = path;
  }
  return out;
}

void write_procs(const fsys::path& dir, const std::string& content) {
  fsys::create_directories(dir);
  std::ofstream(dir / "cgroup.procs") << content;
}

// Fills the cgroup `dir` (this process's, in the fake hierarchy) with two levels of children.
void populate(const fsys::path& dir) {
  int self = getpid();
  write_procs(dir, std::to_string(self) + "\n900001\n");
  write_procs(dir / "init.scope", "900003\n900001\n");  // 900001 also listed above: kept once
  write_procs(dir / "system.slice" / "svc.service", "900002\n");
  fsys::create_directories(dir / "empty.slice");         // no cgroup.procs: nothing, no error
  write_procs(dir / "junk", "\nnot-a-pid\n0\n-4\n900004");  // only 900004 counts
}

std::vector<int> expected_pids() {
  std::vector<int> v{getpid(), 900001, 900002, 900003, 900004};
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST(PctCgroupProcs, PidsControllerCollectsNestedCgroupsSortedAndUnique) {
  auto own = own_cgroups();
  if (!own.count("pids")) GTEST_SKIP() << "this process has no cgroup v1 pids controller";
  TempDir tmp("pct-cgroup");
  auto root = tmp.path();
  auto dir = root / "pids" / fsys::path(own["pids"]).relative_path();
  populate(dir);
  // A cgroup that is not below the init's own must not be read; a decoy v2 tree neither.
  if (own["pids"] != "/") write_procs(root / "pids" / "elsewhere", "900100\n");
  write_procs(root / "unified" / fsys::path(own.count("") ? own[""] : "/").relative_path(),
              "900200\n");
  EXPECT_EQ(cgroup_processes(getpid(), root.string()), expected_pids());
}

TEST(PctCgroupProcs, FreezerWhenThereIsNoPidsHierarchy) {
  auto own = own_cgroups();
  if (!own.count("freezer")) GTEST_SKIP() << "this process has no cgroup v1 freezer controller";
  TempDir tmp("pct-cgroup");
  populate(tmp.path() / "freezer" / fsys::path(own["freezer"]).relative_path());
  EXPECT_EQ(cgroup_processes(getpid(), tmp.path().string()), expected_pids());
}

TEST(PctCgroupProcs, UnifiedHierarchyAtTheRoot) {
  auto own = own_cgroups();
  if (!own.count("")) GTEST_SKIP() << "this process has no cgroup v2 entry";
  TempDir tmp("pct-cgroup");
  // cgroup.controllers marks the root as the v2 mount, so unified/ is not used.
  std::ofstream(tmp.path() / "cgroup.controllers") << "cpu memory pids\n";
  populate(tmp.path() / fsys::path(own[""]).relative_path());
  write_procs(tmp.path() / "unified" / "decoy", "900300\n");
  auto pids = cgroup_processes(getpid(), tmp.path().string());
  if (own[""] == "/") {
    // The whole root is the cgroup: the unified/ directory is just another child below it.
    auto expected = expected_pids();
    expected.push_back(900300);
    EXPECT_EQ(pids, expected);
  } else {
    EXPECT_EQ(pids, expected_pids());
  }
}

TEST(PctCgroupProcs, UnifiedHierarchyInHybridLayout) {
  auto own = own_cgroups();
  if (!own.count("")) GTEST_SKIP() << "this process has no cgroup v2 entry";
  TempDir tmp("pct-cgroup");
  // No pids/freezer directories and no cgroup.controllers at the root: v2 is under unified/.
  populate(tmp.path() / "unified" / fsys::path(own[""]).relative_path());
  EXPECT_EQ(cgroup_processes(getpid(), tmp.path().string()), expected_pids());
}

TEST(PctCgroupProcs, SymlinkedChildIsNotFollowed) {
  auto own = own_cgroups();
  if (!own.count("pids")) GTEST_SKIP() << "this process has no cgroup v1 pids controller";
  TempDir tmp("pct-cgroup");
  auto dir = tmp.path() / "pids" / fsys::path(own["pids"]).relative_path();
  write_procs(dir, std::to_string(getpid()) + "\n");
  write_procs(tmp.path() / "outside", "900500\n");
  fsys::create_directory_symlink(tmp.path() / "outside", dir / "link");
  EXPECT_EQ(cgroup_processes(getpid(), tmp.path().string()), std::vector<int>{getpid()});
}

TEST(PctCgroupProcs, EmptyCgroupGivesNoPids) {
  auto own = own_cgroups();
  if (!own.count("pids")) GTEST_SKIP() << "this process has no cgroup v1 pids controller";
  TempDir tmp("pct-cgroup");
  fsys::create_directories(tmp.path() / "pids" / fsys::path(own["pids"]).relative_path());
  EXPECT_TRUE(cgroup_processes(getpid(), tmp.path().string()).empty());
}

TEST(PctCgroupProcs, ProcessThatDoesNotExistIsNotRunning) {
  TempDir tmp("pct-cgroup");
  try {
    cgroup_processes(2147483647, tmp.path().string());
    ADD_FAILURE() << "no error";
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(e.kind(), nexcage::ErrorKind::wrong_state);
    EXPECT_EQ(std::string(e.what()), nexcage::msg::not_running);
  }
}
