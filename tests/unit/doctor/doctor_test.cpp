#include "nexcage/doctor/checks.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "../lifecycle/fake_runner.hpp"
#include "../temp_dir.hpp"
#include "nexcage/process/proc.hpp"
#include "nexcage/state/state_store.hpp"

using namespace nexcage;
using namespace nexcage::doctor;
namespace fsys = std::filesystem;

namespace {

class DoctorTest : public ::testing::Test {
 protected:
  DoctorTest() {
    host_.mounts = base_ / "mounts";
    host_.cgroup_root = base_ / "cgroup";
    host_.pct.tools.pct = base_ / "pve/pct";
    host_.pct.tools.pvesh = base_ / "pve/pvesh";
    host_.pct.tools.lxc_info = base_ / "pve/lxc-info";
    host_.pct.files.template_dir = base_ / "pve/cache";
    host_.pct.tools.init = base_ / "pve/nexcage-init";
    host_.pct.tools.monitor = base_ / "pve/nexcage-monitor";
    host_.pct.tools.dpkg_query = "/usr/bin/dpkg-query";  // answered by the fake runner
    fsys::create_directories(base_ / "pve");
  }

  void mounts(const std::string& text) { std::ofstream(host_.mounts) << text; }

  std::string cg(const std::string& sub = "") const {
    return sub.empty() ? host_.cgroup_root.string() : (host_.cgroup_root / sub).string();
  }

  static const Finding* find(const Report& report, const std::string& check) {
    for (const auto& f : report.findings)
      if (f.check == check) return &f;
    return nullptr;
  }

  static void executable(const fsys::path& file) {
    std::ofstream(file) << "#!/bin/true\n";
    ::chmod(file.c_str(), 0755);
  }

  state::Record record(const std::string& id, state::Status status,
                       const fsys::path& backend_root) {
    state::Record r;
    r.id = id;
    r.status = status;
    r.bundle = "/b";
    r.rootfs = "/b/rootfs";
    r.created = "2026-11-29T08:10:53.575759158Z";
    r.backend = "runc";
    r.backend_state = {{"root", backend_root.string()}};
    return r;
  }

  testing_support::TempDir tmp_{"nexcage-doctor"};
  fsys::path base_ = tmp_.path();
  Host host_;
  Report report_;
  fakes::FakeRunner runner_;
};

}  // namespace

TEST_F(DoctorTest, HybridCgroupsHoldingAControllerAreAProblemForCrunWithTheFix) {
  fsys::create_directories(cg("unified"));
  std::ofstream(cg("unified") + "/cgroup.controllers") << "hugetlb\n";
  mounts("tmpfs " + cg() + " tmpfs rw 0 0\ncgroup2 " + cg("unified") + " cgroup2 rw 0 0\n" +
         "cgroup " + cg("memory") + " cgroup rw,memory 0 0\n");
  check_cgroups(router::default_config(), host_, report_);
  const auto* f = find(report_, "cgroups");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::problem);
  EXPECT_NE(f->message.find("holding hugetlb"), std::string::npos) << f->message;
  EXPECT_NE(f->fix.find("echo -hugetlb > " + cg("unified") + "/cgroup.subtree_control"),
            std::string::npos)
      << f->fix;
  EXPECT_FALSE(report_.healthy());
}

TEST_F(DoctorTest, HybridCgroupsWithoutCrunConfiguredAreOnlyInformation) {
  fsys::create_directories(cg("unified"));
  std::ofstream(cg("unified") + "/cgroup.controllers") << "hugetlb\n";
  mounts("cgroup2 " + cg("unified") + " cgroup2 rw 0 0\ncgroup " + cg("memory") +
         " cgroup rw 0 0\n");
  auto config = router::default_config();
  config.backends.erase("crun");
  check_cgroups(config, host_, report_);
  EXPECT_EQ(find(report_, "cgroups")->severity, Severity::info);
  EXPECT_TRUE(report_.healthy());
}

TEST_F(DoctorTest, CgroupModesThatWorkAreOk) {
  fsys::create_directories(cg("unified"));
  std::ofstream(cg("unified") + "/cgroup.controllers") << "";
  mounts("cgroup2 " + cg("unified") + " cgroup2 rw 0 0\ncgroup " + cg("memory") +
         " cgroup rw 0 0\n");
  check_cgroups(router::default_config(), host_, report_);
  mounts("cgroup2 " + cg() + " cgroup2 rw 0 0\n");
  check_cgroups(router::default_config(), host_, report_);
  mounts("cgroup " + cg("memory") + " cgroup rw 0 0\n");
  check_cgroups(router::default_config(), host_, report_);
  ASSERT_EQ(report_.findings.size(), 3u);
  for (const auto& f : report_.findings) EXPECT_EQ(f.severity, Severity::ok) << f.message;
  EXPECT_NE(report_.findings[1].message.find("cgroup v2"), std::string::npos);
  EXPECT_NE(report_.findings[2].message.find("cgroup v1"), std::string::npos);
}

TEST_F(DoctorTest, NoCgroupMountIsAProblem) {
  mounts("proc /proc proc rw 0 0\n");
  check_cgroups(router::default_config(), host_, report_);
  EXPECT_EQ(find(report_, "cgroups")->severity, Severity::problem);
}

TEST_F(DoctorTest, ImageStoreSkopeoAndInsecureRegistries) {
  auto config = router::default_config();
  config.images.store = (base_ / "images").string();
  config.images.skopeo = (base_ / "no-skopeo").string();
  config.images.insecure_registries = {"registry.lan:5000"};
  check_images(config, report_);
  ASSERT_EQ(report_.findings.size(), 3u);
  EXPECT_EQ(report_.findings[0].fix, "apt-get install skopeo");
  EXPECT_NE(report_.findings[1].message.find("registry.lan:5000"), std::string::npos);
  EXPECT_EQ(report_.findings[2].severity, Severity::ok);  // nothing pulled yet
  EXPECT_TRUE(report_.healthy());

  fsys::create_directories(base_ / "images");
  std::ofstream(base_ / "images/oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
  std::ofstream(base_ / "images/index.json") << R"({"manifests":{}})";
  Report broken;
  check_images(config, broken);
  EXPECT_EQ(broken.findings.back().severity, Severity::problem);
  EXPECT_NE(broken.findings.back().message.find("manifests must be an array"), std::string::npos);

  std::ofstream(base_ / "images/index.json") << R"({"schemaVersion":2,"manifests":[]})";
  Report empty;
  check_images(config, empty);
  EXPECT_EQ(empty.findings.back().severity, Severity::ok);
  EXPECT_NE(empty.findings.back().message.find("0 image(s)"), std::string::npos);
}

TEST_F(DoctorTest, StateRootPermissionsAndFilesystem) {
  auto root = base_ / "root";
  check_state_root(root, host_, report_);
  EXPECT_EQ(find(report_, "state root")->severity, Severity::info);  // made by the first create

  fsys::create_directories(root);
  ::chmod(root.c_str(), 0755);
  mounts("/dev/vda / ext4 rw 0 0\ntmpfs " + base_.string() + " tmpfs rw 0 0\n");
  Report wide;
  check_state_root(root, host_, wide);
  ASSERT_EQ(wide.findings.size(), 1u);
  EXPECT_EQ(wide.findings[0].severity, Severity::problem);
  EXPECT_EQ(wide.findings[0].fix, "chmod 0700 " + root.string());

  ::chmod(root.c_str(), 0700);
  Report good;
  check_state_root(root, host_, good);
  ASSERT_EQ(good.findings.size(), 1u);
  EXPECT_EQ(good.findings[0].severity, Severity::ok) << good.findings[0].message;

  mounts("/dev/vda / ext4 rw 0 0\n");
  Report disk;
  check_state_root(root, host_, disk);
  EXPECT_EQ(disk.findings.at(0).severity, Severity::warning);
  EXPECT_NE(disk.findings[0].message.find("on ext4"), std::string::npos);

  auto link = base_ / "link";
  fsys::create_directory_symlink(root, link);
  Report symlinked;
  check_state_root(link, host_, symlinked);
  EXPECT_EQ(symlinked.findings.at(0).severity, Severity::problem);
}

TEST_F(DoctorTest, RecordWhoseBackendContainerIsGoneIsStaleAndRepairRemovesOnlyIt) {
  auto root = base_ / "root";
  auto backend_root = root / ".backends" / "runc";
  state::StateStore store(root);
  auto noop = [](const state::Record&) {};
  {
    auto gone = store.claim(record("gone", state::Status::running, backend_root), noop);
    auto alive = store.claim(record("alive", state::Status::running, backend_root), noop);
  }
  fsys::create_directories(backend_root / "alive");

  check_records(root, router::default_config(), host_, runner_, false, report_);
  const auto* f = find(report_, "record gone");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::problem);
  EXPECT_NE(f->message.find("container is gone"), std::string::npos) << f->message;
  EXPECT_EQ(find(report_, "record alive"), nullptr);
  EXPECT_TRUE(fsys::exists(root / "gone"));  // without --repair nothing changes

  Report repaired;
  check_records(root, router::default_config(), host_, runner_, true, repaired);
  EXPECT_FALSE(fsys::exists(root / "gone"));
  EXPECT_TRUE(fsys::exists(root / "alive" / "state.json"));
  EXPECT_TRUE(repaired.healthy());
}

TEST_F(DoctorTest, AbandonedCreateIsStale) {
  auto root = base_ / "root";
  state::StateStore store(root);
  {
    auto c = store.claim(record("half", state::Status::creating, root / ".backends" / "runc"),
                         [](const state::Record&) {});
  }
  check_records(root, router::default_config(), host_, runner_, false, report_);
  const auto* f = find(report_, "record half");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("died half-way"), std::string::npos);
}

TEST_F(DoctorTest, BackendContainerWithoutARecordIsReportedNotRemoved) {
  auto root = base_ / "root";
  fsys::create_directories(root / ".backends" / "crun" / "orphan");
  check_records(root, router::default_config(), host_, runner_, true, report_);
  const auto* f = find(report_, "backend crun container orphan");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::problem);
  EXPECT_EQ(f->fix, "/usr/bin/crun --root " + (root / ".backends" / "crun").string() +
                        " delete --force orphan");
  EXPECT_TRUE(
      fsys::exists(root / ".backends" / "crun" / "orphan"));  // not nexcage's record to repair
}

TEST_F(DoctorTest, HealthyRecordsSaySo) {
  check_records(base_ / "empty-root", router::default_config(), host_, runner_, false, report_);
  EXPECT_EQ(find(report_, "records")->severity, Severity::ok);
}

TEST_F(DoctorTest, ProxmoxToolsAbsentPartialOrComplete) {
  check_proxmox(host_, runner_, report_);
  EXPECT_EQ(find(report_, "proxmox")->severity, Severity::info);

  executable(host_.pct.tools.lxc_info);  // Debian's LXC without Proxmox: still not a Proxmox host
  Report lxc_only;
  check_proxmox(host_, runner_, lxc_only);
  EXPECT_EQ(find(lxc_only, "proxmox")->severity, Severity::info);
  ::unlink(host_.pct.tools.lxc_info.c_str());

  executable(host_.pct.tools.pct);
  Report partial;
  check_proxmox(host_, runner_, partial);
  EXPECT_EQ(find(partial, "proxmox")->severity, Severity::problem);
  EXPECT_NE(find(partial, "proxmox")->message.find(host_.pct.tools.pvesh), std::string::npos);

  executable(host_.pct.tools.pvesh);
  executable(host_.pct.tools.lxc_info);
  Report no_cache;
  check_proxmox(host_, runner_, no_cache);
  EXPECT_EQ(find(no_cache, "proxmox")->severity, Severity::ok);
  EXPECT_EQ(find(no_cache, "proxmox templates")->severity, Severity::problem);

  fsys::create_directories(host_.pct.files.template_dir);
  Report no_init;
  check_proxmox(host_, runner_, no_init);
  EXPECT_EQ(find(no_init, "proxmox init")->severity, Severity::problem);
  EXPECT_NE(find(no_init, "proxmox init")->fix.find("backends.pct.init"), std::string::npos);

  executable(host_.pct.tools.init);
  executable(host_.pct.tools.monitor);
  runner_.replies["-W"] = {1, "", ""};  // dpkg-query: no packages found matching pve-container
  Report not_installed;
  check_proxmox(host_, runner_, not_installed);
  EXPECT_EQ(find(not_installed, "proxmox version")->severity, Severity::problem);
  EXPECT_NE(find(not_installed, "proxmox version")->message.find("pve-container is not installed"),
            std::string::npos);

  // pve-container's version, as dpkg records it: too old, without Proxmox's /dev/shm, current.
  auto with_version = [&](const std::string& version) {
    runner_.replies["-W"] = {0, "installed " + version + "\n", ""};
    Report report;
    check_proxmox(host_, runner_, report);
    return report;
  };
  auto old = with_version("6.0.15");
  EXPECT_EQ(find(old, "proxmox version")->severity, Severity::problem);
  EXPECT_NE(find(old, "proxmox version")->message.find("6.0.15 is too old"), std::string::npos);
  EXPECT_EQ(find(with_version("6.1.4"), "proxmox version")->severity, Severity::info);
  auto complete = with_version("6.1.10");
  EXPECT_TRUE(complete.healthy());
  EXPECT_EQ(find(complete, "proxmox version")->message, "pve-container 6.1.10");
}

TEST_F(DoctorTest, BackendsMissingOrWorking) {
  auto config = router::default_config();
  config.backends["runc"].path = (base_ / "runc").string();
  config.backends["crun"].path = (base_ / "crun").string();
  config.default_backend = "crun";
  executable(base_ / "runc");
  fakes::FakeRunner runner;
  runner.replies["--version"] = {0, "runc version 1.1.5+ds1\ncommit: x\n", ""};
  check_backends(config, runner, report_);
  EXPECT_EQ(find(report_, "backend runc")->severity, Severity::ok);
  EXPECT_NE(find(report_, "backend runc")->message.find("runc version 1.1.5+ds1"),
            std::string::npos);
  EXPECT_EQ(find(report_, "backend crun")->severity,
            Severity::problem);  // the default, and missing
  ASSERT_EQ(runner.commands.size(), 1u);
  EXPECT_EQ(runner.commands[0].argv,
            (std::vector<std::string>{(base_ / "runc").string(), "--version"}));
}

TEST_F(DoctorTest, BrokenConfigIsAProblemAndTheDefaultsAreUsed) {
  std::ofstream(base_ / "bad.json") << R"({"default_backend": "kata"})";
  Options options;
  options.config_file = (base_ / "bad.json").string();
  auto config = check_config(options, report_);
  EXPECT_EQ(find(report_, "config")->severity, Severity::problem);
  EXPECT_NE(find(report_, "config")->message.find("kata"), std::string::npos);
  EXPECT_TRUE(config.backends.count("runc"));
}

TEST_F(DoctorTest, TextAndJsonRendering) {
  report_.add("cgroups", Severity::problem, "hybrid", "move hugetlb");
  report_.add("config", Severity::ok, "valid");
  auto text = render_text(report_, false);
  EXPECT_EQ(text,
            "problem cgroups  hybrid\n"
            "                 fix: move hugetlb\n"
            "ok      config   valid\n"
            "problems found: 1 problem, 0 warnings\n");
  EXPECT_EQ(render_text(report_, true).find("\033[31;1mproblem"), 0u);
  auto json = nlohmann::json::parse(render_json(report_));
  EXPECT_FALSE(json["healthy"].get<bool>());
  EXPECT_EQ(json["findings"][0]["severity"], "problem");
  EXPECT_EQ(json["findings"][1]["fix"], "");
}

// A foreground run hands its record to the backend's run: neither a run in progress (even before
// the backend has made its container) nor the record an ended one leaves is a problem.
TEST_F(DoctorTest, HandedOverRunsAreNeitherStaleNorProblems) {
  auto root = base_ / "root";
  auto backend_root = root / ".backends" / "runc";
  state::StateStore store(root);
  auto self = process::read_proc_stat(getpid());
  ASSERT_TRUE(self);
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  {
    auto live = record("live", state::Status::running, backend_root);
    live.handover = state::Handover{getpid(), self->start_time};
    auto ended = record("ended", state::Status::running, backend_root);
    ended.handover = state::Handover{child, 1};
    store.claim(live, [](const state::Record&) {});
    store.claim(ended, [](const state::Record&) {});
  }
  check_records(root, router::default_config(), host_, runner_, false, report_);
  EXPECT_EQ(find(report_, "record live"), nullptr);
  EXPECT_EQ(find(report_, "record ended"), nullptr);
  EXPECT_TRUE(fsys::exists(root / "ended"));
  Report repaired;
  check_records(root, router::default_config(), host_, runner_, true, repaired);
  EXPECT_FALSE(fsys::exists(root / "ended"));
  EXPECT_TRUE(fsys::exists(root / "live" / "state.json"));
}
