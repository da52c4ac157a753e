#pragma once
// Fixture cgroup trees of the two layouts a pct container meets, built in a temp dir with a fake
// /proc beside them (<tmp>/proc/<pid>/cgroup), for cgroup::Host::under().
//
// Proxmox VE 9 (pure v2): <tmp>/cg/lxc/100 holds the limits, the processes are below
//   lxc/100/ns (init.scope, system.slice/cron.service); lxc.monitor/100 and user.slice are decoys.
// Hybrid (LXC 5's defaults, what tests/pve's stand-in produces on the test hosts): every v1
//   hierarchy and unified/ hold lxc.payload.100; lxc.monitor.100 is the decoy.
#include <filesystem>
#include <fstream>
#include <string>

#include "../temp_dir.hpp"
#include "nexcage/cgroup/layout.hpp"

namespace nexcage::testing_support {

inline void write_file(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << content;
}

class CgroupFixture {
 public:
  explicit CgroupFixture(const std::string& prefix) : tmp_(prefix) {}

  std::filesystem::path cg() const { return tmp_.path() / "cg"; }
  std::filesystem::path proc() const { return tmp_.path() / "proc"; }
  void process(int pid, const std::string& cgroup_text) const {
    write_file(proc() / std::to_string(pid) / "cgroup", cgroup_text);
  }
  void file(const std::filesystem::path& rel, const std::string& content) const {
    write_file(cg() / rel, content);
  }
  cgroup::Host host() const { return cgroup::Host::under(cg(), proc()); }

 private:
  TempDir tmp_;
};

// Pids: 4001 the init (lxc/100/ns/init.scope), 4002 and 4003 a service, 4004 in ns itself,
// 3999 LXC's monitor, 1 the host's systemd.
inline void build_proxmox9(const CgroupFixture& f) {
  f.file("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
  f.file("cgroup.procs", "1\n");
  f.file("user.slice/cgroup.procs", "700\n");
  f.file("lxc.monitor/100/cgroup.procs", "3999\n");
  const std::string ct = "lxc/100/";
  f.file(ct + "cgroup.procs", "");
  f.file(ct + "cgroup.events", "populated 1\nfrozen 0\n");
  f.file(ct + "cgroup.freeze", "0\n");
  f.file(ct + "memory.max", "536870912\n");
  f.file(ct + "memory.current", "12345678\n");
  f.file(ct + "memory.peak", "23456789\n");
  f.file(ct + "memory.swap.max", "0\n");
  f.file(ct + "memory.swap.current", "0\n");
  f.file(ct + "memory.events", "low 0\nhigh 1\nmax 3\noom 0\noom_kill 0\n");
  f.file(ct + "memory.stat", "anon 1000\nfile 2000\n");
  f.file(ct + "cpu.stat",
         "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 10\nnr_throttled "
         "2\nthrottled_usec 30\n");
  f.file(ct + "pids.current", "4\n");
  f.file(ct + "pids.max", "512\n");
  for (const std::string inner :
       {"ns/", "ns/init.scope/", "ns/system.slice/", "ns/system.slice/cron.service/"}) {
    f.file(ct + inner + "cgroup.events", "populated 1\nfrozen 0\n");
    f.file(ct + inner + "cgroup.freeze", "0\n");
    f.file(ct + inner + "memory.max", "max\n");  // Proxmox sets limits only on lxc/<vmid>
  }
  f.file(ct + "ns/cgroup.procs", "4004\n");
  f.file(ct + "ns/init.scope/cgroup.procs", "4001\n");
  f.file(ct + "ns/system.slice/cgroup.procs", "");
  f.file(ct + "ns/system.slice/cron.service/cgroup.procs", "4002\n4003\n");
  f.file(ct + "ns/init.scope/memory.current", "1111\n");
  f.process(4001, "0::/lxc/100/ns/init.scope\n");
  f.process(4002, "0::/lxc/100/ns/system.slice/cron.service\n");
  f.process(3999, "0::/lxc.monitor/100\n");
  f.process(1, "0::/init.scope\n");
}

// Freezes the v2 fixture as the kernel shows it when `frozen_dir` (relative to cg) was frozen:
// its cgroup.freeze 1, and "frozen 1" in cgroup.events of it and every cgroup below.
inline void freeze_v2(const CgroupFixture& f, const std::filesystem::path& frozen_dir) {
  f.file(frozen_dir / "cgroup.freeze", "1\n");
  for (auto it = std::filesystem::recursive_directory_iterator(f.cg() / frozen_dir);
       it != std::filesystem::recursive_directory_iterator(); ++it)
    if (it->path().filename() == "cgroup.events") write_file(it->path(), "populated 1\nfrozen 1\n");
  write_file(f.cg() / frozen_dir / "cgroup.events", "populated 1\nfrozen 1\n");
}

inline std::string hybrid_proc_cgroup(const std::string& name) {
  return "10:hugetlb:/" + name + "\n9:name=systemd:/" + name + "\n8:pids:/" + name + "\n7:blkio:/" +
         name + "\n6:freezer:/" + name + "\n5:devices:/" + name + "\n4:memory:/" + name +
         "\n3:cpuset:/" + name + "\n2:cpuacct:/" + name + "\n1:cpu:/" + name + "\n0::/" + name +
         "\n";
}

// Pids: 5001 the init, 5002 its child, 5003 in a nested cgroup, 3998 the monitor.
inline void build_hybrid(const CgroupFixture& f) {
  const std::string ct = "lxc.payload.100";
  for (const char* h : {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                        "hugetlb", "systemd", "unified"}) {
    const std::string dir = std::string(h) + "/";
    f.file(dir + "cgroup.procs", "1\n");
    f.file(dir + "lxc.monitor.100/cgroup.procs", "3998\n");
    f.file(dir + ct + "/cgroup.procs", "5001\n5002\n");
    f.file(dir + ct + "/sub/cgroup.procs", "5003\n");
  }
  f.file("unified/cgroup.controllers", "");  // v2 holds no controller on this host
  f.file("unified/" + ct + "/cgroup.freeze", "0\n");
  f.file("unified/" + ct + "/cgroup.events", "populated 1\nfrozen 0\n");
  f.file("freezer/" + ct + "/freezer.state", "THAWED\n");
  f.file("freezer/" + ct + "/sub/freezer.state", "THAWED\n");
  f.file("memory/" + ct + "/memory.limit_in_bytes", "268435456\n");
  f.file("memory/" + ct + "/memory.usage_in_bytes", "1000\n");
  f.file("memory/" + ct + "/memory.max_usage_in_bytes", "2000\n");
  f.file("memory/" + ct + "/memory.failcnt", "1\n");
  f.file("memory/" + ct + "/memory.memsw.limit_in_bytes", "536870912\n");
  f.file("memory/" + ct + "/memory.memsw.usage_in_bytes", "1500\n");
  f.file("memory/" + ct + "/memory.stat", "cache 300\nrss 700\n");
  f.file("cpuacct/" + ct + "/cpuacct.usage", "5000\n");
  f.file("cpuacct/" + ct + "/cpuacct.usage_percpu", "3000 2000\n");
  f.file("cpuacct/" + ct + "/cpuacct.stat", "user 3\nsystem 1\n");
  f.file("cpu/" + ct + "/cpu.stat", "nr_periods 5\nnr_throttled 1\nthrottled_time 77\n");
  f.file("pids/" + ct + "/pids.current", "3\n");
  f.file("pids/" + ct + "/pids.max", "max\n");
  f.file("blkio/" + ct + "/blkio.throttle.io_service_bytes_recursive",
         "8:0 Read 4096\n8:0 Write 8192\nTotal 12288\n");
  f.process(5001, hybrid_proc_cgroup(ct));
  f.process(5003, hybrid_proc_cgroup(ct + "/sub"));
  f.process(3998, hybrid_proc_cgroup("lxc.monitor.100"));
}

}  // namespace nexcage::testing_support
