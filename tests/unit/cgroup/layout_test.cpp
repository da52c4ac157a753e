// Where a process's cgroups are: the cgroup mounts of mountinfo, /proc/<pid>/cgroup resolved
// through them (mount roots of a cgroup namespace included), and fixture trees read as a host.
#include <unistd.h>

#include <gtest/gtest.h>

#include "../backend/cgroup_fixtures.hpp"
#include "nexcage/cgroup/layout.hpp"

using namespace nexcage::cgroup;
namespace cgroup = nexcage::cgroup;
using nexcage::testing_support::CgroupFixture;
namespace fsys = std::filesystem;

namespace {

// This test host's hybrid table (trimmed), and a cgroup mount point holding a space.
const char* hybrid_mountinfo =
    "22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime shared:5 - cgroup cgroup rw,freezer\n"
    "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "41 30 0:38 / /srv/cg\\040x rw - cgroup cgroup rw,pids\n";

}  // namespace

TEST(CgroupLayout, ParsesCgroupMountsOnly) {
  auto mounts = cgroup::parse_mounts(hybrid_mountinfo);
  ASSERT_EQ(mounts.size(), 7u);
  EXPECT_EQ(mounts[0].point, "/sys/fs/cgroup/cpu");
  EXPECT_FALSE(mounts[0].unified);
  EXPECT_TRUE(mounts[0].options.count("cpu"));
  EXPECT_TRUE(mounts[4].options.count("name=systemd"));
  EXPECT_TRUE(mounts[5].unified);
  EXPECT_EQ(mounts[5].point, "/sys/fs/cgroup/unified");
  EXPECT_EQ(mounts[6].point, "/srv/cg x");
  EXPECT_TRUE(cgroup::parse_mounts("garbage\n\n1 2 3\n").empty());
}

TEST(CgroupLayout, ResolvesHybridPathsPerHierarchy) {
  auto mounts = cgroup::parse_mounts(hybrid_mountinfo);
  auto dirs = cgroup::resolve(
      cgroup::parse_proc_cgroup("4:memory:/lxc.payload.100\n6:freezer:/lxc.payload.100/sub\n"
                                "9:name=systemd:/x\n8:pids:/p\n7:blkio:/b\n0::/lxc.payload.100\n"),
      mounts);
  EXPECT_EQ(dirs.v1.at("memory"), "/sys/fs/cgroup/memory/lxc.payload.100");
  EXPECT_EQ(dirs.v1.at("freezer"), "/sys/fs/cgroup/freezer/lxc.payload.100/sub");
  EXPECT_EQ(dirs.v1.at("name=systemd"), "/sys/fs/cgroup/systemd/x");
  EXPECT_EQ(dirs.v1.at("pids"), "/srv/cg x/p");
  EXPECT_FALSE(dirs.v1.count("blkio"));  // not mounted here: left out
  EXPECT_EQ(*dirs.unified, "/sys/fs/cgroup/unified/lxc.payload.100");
}

TEST(CgroupLayout, ResolvesPureV2AndJoinedControllers) {
  auto mounts = cgroup::parse_mounts(
      "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
      "rw,nsdelegate,memory_recursiveprot\n"
      "50 24 0:40 / /v1/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
  auto dirs = cgroup::resolve(
      cgroup::parse_proc_cgroup("1:cpu,cpuacct:/a\n0::/lxc/100/ns/init.scope\n"), mounts);
  EXPECT_EQ(*dirs.unified, "/sys/fs/cgroup/lxc/100/ns/init.scope");
  EXPECT_EQ(dirs.v1.at("cpu"), "/v1/cpu,cpuacct/a");
  EXPECT_EQ(dirs.v1.at("cpuacct"), "/v1/cpu,cpuacct/a");
}

TEST(CgroupLayout, MountOfASubCgroupShowsOnlyWhatIsBelowIt) {
  // Inside a container: the cgroup2 mount shows /lxc/100/ns; a second mount shows the whole tree.
  std::vector<cgroup::Mount> mounts{{true, {}, "/lxc/100/ns", "/sys/fs/cgroup"}};
  auto dirs = cgroup::resolve({{"", "/lxc/100/ns/app"}}, mounts);
  EXPECT_EQ(*dirs.unified, "/sys/fs/cgroup/app");
  EXPECT_EQ(*cgroup::resolve({{"", "/lxc/100/ns"}}, mounts).unified, "/sys/fs/cgroup");
  EXPECT_FALSE(cgroup::resolve({{"", "/lxc/100/nsx"}}, mounts).unified);
  EXPECT_FALSE(cgroup::resolve({{"", "/user.slice"}}, mounts).unified);
  mounts.push_back({true, {}, "/", "/host/cgroup"});
  EXPECT_EQ(*cgroup::resolve({{"", "/user.slice"}}, mounts).unified, "/host/cgroup/user.slice");
}

TEST(CgroupLayout, ProcCgroupSkipsRelativeAndClimbingPaths) {
  auto paths =
      cgroup::parse_proc_cgroup("1:cpu:/../../x\n2:memory:relative\n3:pids:/ok\nnonsense\n0::/\n");
  EXPECT_FALSE(paths.count("cpu"));
  EXPECT_FALSE(paths.count("memory"));
  EXPECT_EQ(paths.at("pids"), "/ok");
  EXPECT_EQ(paths.at(""), "/");
}

TEST(CgroupLayout, FixtureTreeAsAHost) {
  CgroupFixture v2("cg-layout");
  v2.file("cgroup.controllers", "memory pids\n");
  v2.file("lxc/100/cgroup.procs", "");
  v2.process(7, "0::/lxc/100\n");
  auto host = v2.host();
  ASSERT_EQ(host.mounts.size(), 1u);
  EXPECT_TRUE(host.mounts[0].unified);
  EXPECT_EQ(*cgroup::dirs_of(7, host)->unified, v2.cg() / "lxc/100");
  EXPECT_FALSE(cgroup::dirs_of(8, host));  // no /proc/8/cgroup: gone

  CgroupFixture hybrid("cg-layout");
  hybrid.file("cpu,cpuacct/cgroup.procs", "");
  hybrid.file("systemd/cgroup.procs", "");
  hybrid.file("unified/cgroup.controllers", "");
  hybrid.process(7, "2:cpu,cpuacct:/a\n1:name=systemd:/b\n0::/c\n");
  auto dirs = *cgroup::dirs_of(7, hybrid.host());
  EXPECT_EQ(dirs.v1.at("cpuacct"), hybrid.cg() / "cpu,cpuacct/a");
  EXPECT_EQ(dirs.v1.at("name=systemd"), hybrid.cg() / "systemd/b");
  EXPECT_EQ(*dirs.unified, hybrid.cg() / "unified/c");
}

TEST(CgroupLayout, SystemHostResolvesThisProcess) {
  // The running system's mount table: whatever the layout, this process has some cgroup.
  auto host = cgroup::Host::system();
  if (host.mounts.empty()) GTEST_SKIP() << "no cgroup mounted here";
  auto dirs = cgroup::dirs_of(getpid(), host);
  ASSERT_TRUE(dirs);
  EXPECT_FALSE(dirs->empty());
}

TEST(CgroupLayout, ACgroupPathIsAbsoluteAndNeverClimbs) {
  EXPECT_TRUE(cgroup::is_cgroup_path("/"));
  EXPECT_TRUE(cgroup::is_cgroup_path("/system.slice/crun-c1.scope"));
  EXPECT_TRUE(cgroup::is_cgroup_path("/a..b"));
  EXPECT_FALSE(cgroup::is_cgroup_path(""));
  EXPECT_FALSE(cgroup::is_cgroup_path("c1"));
  EXPECT_FALSE(cgroup::is_cgroup_path("/c1/../.."));
}
