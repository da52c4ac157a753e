// A pct container's cgroups over fixture trees of both layouts (cgroup_fixtures.hpp): Proxmox 9's
// pure v2 lxc/<vmid>/ns/... and the hybrid test hosts' lxc.payload.<vmid>. Covers what ps, kill
// --all, events and the paused state read.
#include <algorithm>
#include <functional>

#include <gtest/gtest.h>

#include "../cgroup_fixtures.hpp"
#include "nexcage/backend/cgroup_events.hpp"
#include "nexcage/backend/pct/cgroup_procs.hpp"
#include "nexcage/cgroup/freezer.hpp"
#include "nexcage/cgroup/stats.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/process/proc.hpp"

using namespace nexcage::backend::pct;
using nexcage::Error;
using nexcage::ErrorKind;
using nexcage::testing_support::CgroupFixture;
using nexcage::testing_support::write_file;
namespace cgroup = nexcage::cgroup;
namespace fsys = std::filesystem;

namespace {

ErrorKind kind_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no error";
  return ErrorKind::system;
}

}  // namespace

TEST(PctContainerCgroupPath, FindsTheOutermostLxcContainerSegment) {
  EXPECT_EQ(container_cgroup_path("/lxc/100/ns/init.scope", std::nullopt), "/lxc/100");
  EXPECT_EQ(container_cgroup_path("/lxc/100/ns/init.scope", 100), "/lxc/100");
  EXPECT_EQ(container_cgroup_path("/lxc/100", 100), "/lxc/100");
  EXPECT_EQ(container_cgroup_path("/lxc.payload.100", 100), "/lxc.payload.100");
  EXPECT_EQ(container_cgroup_path("/lxc.payload.100-1/sub", 100), "/lxc.payload.100-1");
  EXPECT_EQ(container_cgroup_path("/machine.slice/lxc.payload.7/x", std::nullopt),
            "/machine.slice/lxc.payload.7");
  // A container nested inside this one belongs to it.
  EXPECT_EQ(container_cgroup_path("/lxc/100/ns/lxc/5/ns", std::nullopt), "/lxc/100");
}

TEST(PctContainerCgroupPath, RefusesOtherContainersMonitorsAndHostCgroups) {
  EXPECT_EQ(container_cgroup_path("/lxc/100/ns", 101), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc.payload.100", 10), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc.payload.100-x", 100), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc.monitor/100", std::nullopt), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc.monitor.100", std::nullopt), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc/abc", std::nullopt), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc", std::nullopt), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/lxc.payload.", std::nullopt), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/system.slice/containerd.service", std::nullopt), std::nullopt);
  EXPECT_EQ(container_cgroup_path("/", std::nullopt), std::nullopt);
}

TEST(PctCgroupsProxmox9, ContainerCgroupIsLxcVmidAboveTheNamespaceRoot) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  auto dirs = container_cgroups(4001, 100, f.host());
  ASSERT_TRUE(dirs.unified);
  EXPECT_EQ(*dirs.unified, f.cg() / "lxc/100");
  EXPECT_TRUE(dirs.v1.empty());
}

TEST(PctCgroupsProxmox9, ProcessesOfEveryNestedCgroupButNotTheMonitor) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  // From the init, and from a service in a sibling cgroup of the init's: the same set.
  std::vector<int> expected{4001, 4002, 4003, 4004};
  EXPECT_EQ(cgroup_processes(4001, f.host()), expected);
  EXPECT_EQ(container_processes(container_cgroups(4002, 100, f.host())), expected);
}

TEST(PctCgroupsProxmox9, StatsAreTheContainerCgroupsWhereTheLimitIs) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  auto stats = container_stats(container_cgroups(4001, 100, f.host()));
  EXPECT_EQ(stats["memory"]["usage"]["limit"], 536870912u);
  EXPECT_EQ(stats["memory"]["usage"]["usage"], 12345678u);
  EXPECT_EQ(stats["memory"]["usage"]["max"], 23456789u);
  EXPECT_EQ(stats["memory"]["usage"]["failcnt"], 3u);
  EXPECT_EQ(stats["memory"]["raw"]["file"], 2000u);
  EXPECT_EQ(stats["cpu"]["usage"]["total"], 1500000u);
  EXPECT_EQ(stats["cpu"]["usage"]["user"], 1000000u);
  EXPECT_EQ(stats["cpu"]["usage"]["kernel"], 500000u);
  EXPECT_EQ(stats["cpu"]["throttling"]["throttled_periods"], 2u);
  EXPECT_EQ(stats["cpu"]["throttling"]["throttled_time"], 30000u);
  EXPECT_EQ(stats["pids"]["current"], 4u);
  EXPECT_EQ(stats["pids"]["limit"], 512u);
}

TEST(PctCgroupsProxmox9, EventsOfAPctRecordReadTheContainerCgroupNotTheInits) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  auto host = f.host();
  nexcage::state::Record record;
  record.id = "web";
  record.pid = 4001;
  record.backend = "pct";
  record.backend_state = {{"vmid", 100}};
  EXPECT_EQ(container_stats_reader(record, host)()["memory"]["usage"]["limit"], 536870912u);
  // Another VMID in the record: the init is not that container's, nothing is read.
  record.backend_state = {{"vmid", 101}};
  EXPECT_EQ(kind_of([&] { container_stats_reader(record, host)(); }), ErrorKind::invalid_input);
  // runc and crun read the init's own cgroup (where they put the limits).
  record.backend = "crun";
  auto own = nexcage::backend::init_cgroup_stats(record, host)();
  EXPECT_EQ(own["memory"]["usage"]["usage"], 1111u);
  EXPECT_EQ(own["memory"]["usage"]["limit"], 0u);  // "max"
}

TEST(PctCgroupsProxmox9, FrozenWhenTheNamespaceRootIsFrozen) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  auto host = f.host();
  auto dirs = container_cgroups(4001, 100, host);
  EXPECT_FALSE(container_frozen(dirs));
  EXPECT_FALSE(cgroup::is_frozen(4001, host));
  // LXC freezes the cgroup its processes are in (lxc/100/ns); the init's own cgroup.freeze stays
  // 0, only cgroup.events says it is frozen.
  freeze_v2(f, "lxc/100/ns");
  EXPECT_TRUE(container_frozen(dirs));
  EXPECT_TRUE(cgroup::is_frozen(4001, host));
  EXPECT_TRUE(cgroup::is_frozen(4002, host));
  EXPECT_FALSE(cgroup::is_frozen(3999, host));  // the monitor is not frozen with it
}

TEST(PctCgroupsProxmox9, FrozenWhenTheWholeContainerCgroupIsFrozen) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  freeze_v2(f, "lxc/100");
  EXPECT_TRUE(container_frozen(container_cgroups(4001, 100, f.host())));
  EXPECT_TRUE(cgroup::is_frozen(4001, f.host()));
}

TEST(PctCgroupsProxmox9, FreezeRequestedButNotYetFrozenIsNotPaused) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  f.file("lxc/100/ns/cgroup.freeze", "1\n");  // cgroup.events still says frozen 0
  EXPECT_FALSE(container_frozen(container_cgroups(4001, 100, f.host())));
  EXPECT_FALSE(cgroup::is_frozen(4001, f.host()));
}

TEST(PctCgroupsProxmox9, AProcessOutsideAnyContainerIsRefusedNotListed) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  // kill --all must never reach the monitor's or the host's cgroup.
  EXPECT_EQ(kind_of([&] { cgroup_processes(3999, f.host()); }), ErrorKind::invalid_input);
  EXPECT_EQ(kind_of([&] { cgroup_processes(1, f.host()); }), ErrorKind::invalid_input);
  EXPECT_EQ(kind_of([&] { container_cgroups(4001, 101, f.host()); }), ErrorKind::invalid_input);
  try {
    container_cgroups(3999, 100, f.host());
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("process 3999 is in no cgroup of LXC container 100"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("/lxc.monitor/100"), std::string::npos) << e.what();
  }
}

TEST(PctCgroupsProxmox9, AGoneProcessIsNotRunningAndNotFrozen) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  try {
    cgroup_processes(4242, f.host());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::wrong_state);
    EXPECT_EQ(std::string(e.what()), nexcage::msg::not_running);
  }
  EXPECT_FALSE(cgroup::is_frozen(4242, f.host()));
  EXPECT_EQ(kind_of([&] { cgroup::stats(4242, f.host()); }), ErrorKind::wrong_state);
}

TEST(PctCgroupsProxmox9, ARemovedContainerCgroupIsNotRunning) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  auto dirs = container_cgroups(4001, 100, f.host());
  fsys::remove_all(f.cg() / "lxc/100");
  EXPECT_EQ(kind_of([&] { container_processes(dirs); }), ErrorKind::wrong_state);
  EXPECT_FALSE(container_frozen(dirs));
}

TEST(PctCgroupsProxmox9, MissingAndUnreadableStatFilesReadAsZero) {
  CgroupFixture f("pct-cg");
  build_proxmox9(f);
  fsys::remove(f.cg() / "lxc/100/memory.peak");  // Linux before 5.19 has none
  fsys::remove(f.cg() / "lxc/100/cpu.stat");
  fsys::remove(f.cg() / "lxc/100/memory.max");
  fsys::create_directory(f.cg() / "lxc/100/memory.max");  // read fails with EISDIR
  write_file(f.cg() / "lxc/100/pids.max", "max\n");
  write_file(f.cg() / "lxc/100/memory.stat", "anon notanumber\n");
  auto stats = container_stats(container_cgroups(4001, 100, f.host()));
  EXPECT_EQ(stats["memory"]["usage"]["max"], 0u);
  EXPECT_EQ(stats["memory"]["usage"]["limit"], 0u);
  EXPECT_EQ(stats["memory"]["usage"]["usage"], 12345678u);
  EXPECT_EQ(stats["cpu"]["usage"]["total"], 0u);
  EXPECT_EQ(stats["pids"]["limit"], 0u);
  EXPECT_TRUE(stats["memory"]["raw"].empty());
}

TEST(PctCgroupsHybrid, ContainerCgroupIsLxcPayloadInEveryHierarchy) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  auto dirs = container_cgroups(5003, 100, f.host());  // from a nested cgroup, too
  ASSERT_TRUE(dirs.unified);
  EXPECT_EQ(*dirs.unified, f.cg() / "unified/lxc.payload.100");
  EXPECT_EQ(dirs.v1.at("memory"), f.cg() / "memory/lxc.payload.100");
  EXPECT_EQ(dirs.v1.at("freezer"), f.cg() / "freezer/lxc.payload.100");
  EXPECT_EQ(dirs.v1.at("name=systemd"), f.cg() / "systemd/lxc.payload.100");
}

TEST(PctCgroupsHybrid, ProcessesIncludingNestedCgroupsFromV2OrV1) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  std::vector<int> expected{5001, 5002, 5003};
  EXPECT_EQ(cgroup_processes(5001, f.host()), expected);
  // No v2 directory for the container (LXC without a unified hierarchy): the v1 pids one.
  write_file(f.cg() / "pids/lxc.payload.100/sub/deeper/cgroup.procs", "5004\n");
  fsys::remove_all(f.cg() / "unified/lxc.payload.100");
  EXPECT_EQ(cgroup_processes(5001, f.host()), (std::vector<int>{5001, 5002, 5003, 5004}));
  EXPECT_EQ(kind_of([&] { cgroup_processes(3998, f.host()); }), ErrorKind::invalid_input);
}

TEST(PctCgroupsHybrid, SecondContainerOfTheSameNameGetsASuffix) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  write_file(f.cg() / "pids/lxc.payload.100-1/cgroup.procs", "6001\n");
  f.process(6001, "8:pids:/lxc.payload.100-1\n");
  EXPECT_EQ(container_processes(container_cgroups(6001, 100, f.host())), std::vector<int>{6001});
}

TEST(PctCgroupsHybrid, StatsFromV1ControllerFiles) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  auto stats = container_stats(container_cgroups(5001, 100, f.host()));
  EXPECT_EQ(stats["memory"]["usage"]["limit"], 268435456u);
  EXPECT_EQ(stats["memory"]["usage"]["usage"], 1000u);
  EXPECT_EQ(stats["memory"]["usage"]["max"], 2000u);
  EXPECT_EQ(stats["memory"]["usage"]["failcnt"], 1u);
  EXPECT_EQ(stats["memory"]["swap"]["limit"], 536870912u);
  EXPECT_EQ(stats["memory"]["swap"]["usage"], 1500u);
  EXPECT_EQ(stats["memory"]["cache"], 300u);
  EXPECT_EQ(stats["cpu"]["usage"]["total"], 5000u);
  EXPECT_EQ(stats["cpu"]["usage"]["percpu"].get<std::vector<uint64_t>>(),
            (std::vector<uint64_t>{3000, 2000}));
  EXPECT_EQ(stats["cpu"]["usage"]["user"], 30000000u);
  EXPECT_EQ(stats["cpu"]["usage"]["kernel"], 10000000u);
  EXPECT_EQ(stats["cpu"]["throttling"]["periods"], 5u);
  EXPECT_EQ(stats["cpu"]["throttling"]["throttled_time"], 77u);
  EXPECT_EQ(stats["pids"]["current"], 3u);
  EXPECT_EQ(stats["pids"]["limit"], 0u);  // "max"
  auto io = stats["blkio"]["ioServiceBytesRecursive"];
  ASSERT_EQ(io.size(), 2u);
  EXPECT_EQ(io[0]["major"], 8u);
  EXPECT_EQ(io[0]["op"], "Read");
  EXPECT_EQ(io[1]["value"], 8192u);
}

TEST(PctCgroupsHybrid, MalformedAndMissingV1FilesDoNotThrow) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  write_file(f.cg() / "blkio/lxc.payload.100/blkio.throttle.io_service_bytes_recursive",
             "x:y Read 1\n99999999999999999999999:0 Write 2\n8:16 Write 4\n");
  fsys::remove(f.cg() / "memory/lxc.payload.100/memory.limit_in_bytes");
  auto stats = container_stats(container_cgroups(5001, 100, f.host()));
  auto io = stats["blkio"]["ioServiceBytesRecursive"];
  ASSERT_EQ(io.size(), 1u);
  EXPECT_EQ(io[0]["minor"], 16u);
  EXPECT_EQ(stats["memory"]["usage"]["limit"], 0u);
}

TEST(PctCgroupsHybrid, FrozenIsTheV1FreezerNotTheIdleV2One) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  auto host = f.host();
  auto dirs = container_cgroups(5001, 100, host);
  EXPECT_FALSE(container_frozen(dirs));
  EXPECT_FALSE(cgroup::is_frozen(5003, host));
  // What lxc-freeze did on the test host: v1 FROZEN, v2 untouched.
  write_file(f.cg() / "freezer/lxc.payload.100/freezer.state", "FROZEN\n");
  write_file(f.cg() / "freezer/lxc.payload.100/sub/freezer.state", "FROZEN\n");
  EXPECT_TRUE(container_frozen(dirs));
  EXPECT_TRUE(cgroup::is_frozen(5001, host));
  EXPECT_TRUE(cgroup::is_frozen(5003, host));
  write_file(f.cg() / "freezer/lxc.payload.100/freezer.state", "FREEZING\n");
  EXPECT_FALSE(container_frozen(dirs));
}

TEST(PctCgroupsHybrid, SymlinkedChildIsNotFollowed) {
  CgroupFixture f("pct-cg");
  build_hybrid(f);
  auto outside = f.proc().parent_path() / "outside";
  write_file(outside / "cgroup.procs", "900500\n");
  fsys::create_directory_symlink(outside, f.cg() / "unified/lxc.payload.100/link");
  EXPECT_EQ(cgroup_processes(5001, f.host()), (std::vector<int>{5001, 5002, 5003}));
}
