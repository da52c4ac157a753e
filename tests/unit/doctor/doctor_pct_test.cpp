// doctor and the pct backend, over fixture state roots and a fake Proxmox (config_dir with
// <vmid>.conf, storage.cfg, template directory, host_dir): a live pct container is never stale
// whatever its pid says, the backend root's own files are not lost containers, containers gone
// from Proxmox are forgotten on --repair, and no Proxmox guest is ever deleted or offered for it.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "../lifecycle/fake_runner.hpp"
#include "../temp_dir.hpp"
#include "nexcage/backend/pct/ownership.hpp"
#include "nexcage/backend/pct/template_cache.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/state/state_store.hpp"

using namespace nexcage;
using namespace nexcage::doctor;
namespace fsys = std::filesystem;
namespace pct = nexcage::backend::pct;

namespace {

const std::string digest_a(64, 'a');
const std::string digest_b(64, 'b');

class DoctorPctTest : public ::testing::Test {
 protected:
  DoctorPctTest() {
    host_.pct.tools.pct = base_ / "pve/pct";
    host_.pct.tools.pvesh = base_ / "pve/pvesh";
    host_.pct.tools.lxc_info = base_ / "pve/lxc-info";
    host_.pct.tools.init = base_ / "pve/nexcage-init";
    host_.pct.tools.monitor = base_ / "pve/nexcage-monitor";
    host_.pct.tools.dpkg_query = "/usr/bin/dpkg-query";  // answered by the fake runner
    host_.pct.files.template_dir = base_ / "pve/cache";
    host_.pct.files.config_dir = base_ / "pve/etc/lxc";
    host_.storage_cfg = base_ / "pve/etc/storage.cfg";
    host_.pct.host_dir = base_ / "host";
    fsys::create_directories(host_.pct.files.config_dir);
    fsys::create_directories(host_.pct.files.template_dir);
  }

  static void write(const fsys::path& file, const std::string& text) {
    fsys::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }

  // A pct record as the driver writes it: backend_state.root and vmid; the pid is deliberately
  // one that is not running, as a pid in the caller's tree that has exited would be.
  void add_record(const std::string& id, state::Status status = state::Status::running,
                  uint32_t vmid = 0) {
    state::Record r;
    r.id = id;
    r.status = status;
    r.pid = 4194000;
    r.bundle = "/b";
    r.rootfs = "/b/rootfs";
    r.created = "2026-11-29T08:10:53.575759158Z";
    r.backend = "pct";
    r.backend_state = {{"root", pct_root_.string()}};
    if (vmid != 0) r.backend_state["vmid"] = vmid;
    state::StateStore(root_).claim(r, [](const state::Record&) {});
  }

  void map(const std::string& json) { write(pct_root_ / "vmids.json", json); }

  // <vmid>.conf with nexcage's mark for `id` (as Proxmox writes a description: '#' lines).
  void marked_conf(uint32_t vmid, const std::string& id) {
    std::string text;
    std::istringstream mark(pct::owner_mark(id, pct_root_));
    std::string line;
    while (std::getline(mark, line)) text += "#" + line + "\n";
    write(fsys::path(host_.pct.files.config_dir) / (std::to_string(vmid) + ".conf"),
          text + "arch: amd64\nhostname: " + id + "\n");
  }

  void template_user(const std::string& digest, const std::string& id) {
    pct::ContainerRef user{pct_root_, id};
    write(fsys::path(host_.pct.host_dir) / "templates" / digest / pct::file_key(user),
          "{\"root\":\"" + pct_root_.string() + "\",\"id\":\"" + id + "\"}\n");
  }
  fsys::path template_file(const std::string& digest) const {
    return fsys::path(host_.pct.files.template_dir) / ("nexcage-" + digest + ".tar");
  }

  void run(bool repair) {
    report_ = Report{};
    check_records(root_, router::default_config(), host_, runner_, repair, report_);
  }

  const Finding* find(const std::string& check) const {
    for (const auto& f : report_.findings)
      if (f.check == check) return &f;
    return nullptr;
  }

  std::string all_text() const {
    std::string out;
    for (const auto& f : report_.findings)
      out += f.check + " | " + f.message + " | " + f.fix + "\n";
    return out;
  }

  testing_support::TempDir tmp_{"nexcage-doctor-pct"};
  fsys::path base_ = tmp_.path();
  fsys::path root_ = base_ / "root";
  fsys::path pct_root_ = root_ / ".backends" / "pct";
  Host host_;
  Report report_;
  fakes::FakeRunner runner_;
};

}  // namespace

TEST_F(DoctorPctTest, LiveContainerIsNotStaleAndTheBackendRootsFilesAreNotContainers) {
  add_record("web", state::Status::running, 100);
  map(R"({"web": 100})");
  marked_conf(100, "web");
  // What the pct backend root holds besides the map: none of it is a container.
  write(pct_root_ / "vmids.lock", "");
  write(pct_root_ / ".vmids.json.tmp", "{");
  fsys::create_directories(pct_root_ / "templates" / digest_a);
  fsys::create_directories(pct_root_ / "web");  // even a directory named like the record
  for (bool repair : {false, true}) {
    run(repair);
    EXPECT_TRUE(report_.healthy()) << all_text();
    ASSERT_NE(find("records"), nullptr) << all_text();
    EXPECT_EQ(find("records")->severity, Severity::ok);
    EXPECT_EQ(report_.findings.size(), 1u) << all_text();
  }
  EXPECT_TRUE(fsys::exists(root_ / "web" / "state.json"));
  EXPECT_NE(std::ifstream(pct_root_ / "vmids.json").peek(), EOF);
  EXPECT_TRUE(runner_.commands.empty());
}

TEST_F(DoctorPctTest, ContainerGoneFromProxmoxIsStaleAndRepairForgetsVmidAndTemplate) {
  add_record("gone", state::Status::stopped, 101);
  add_record("web", state::Status::running, 100);
  map(R"({"gone": 101, "web": 100})");
  marked_conf(100, "web");
  template_user(digest_a, "gone");
  template_user(digest_b, "gone");
  template_user(digest_b, "web");
  write(template_file(digest_a), "tar");
  write(template_file(digest_b), "tar");

  run(false);
  const auto* f = find("record gone");
  ASSERT_NE(f, nullptr) << all_text();
  EXPECT_EQ(f->severity, Severity::problem);
  EXPECT_NE(f->message.find("Proxmox container 101 is gone"), std::string::npos) << f->message;
  EXPECT_EQ(find("record web"), nullptr) << all_text();
  EXPECT_TRUE(fsys::exists(root_ / "gone"));  // nothing changes without --repair

  run(true);
  EXPECT_TRUE(report_.healthy()) << all_text();
  EXPECT_FALSE(fsys::exists(root_ / "gone"));
  EXPECT_TRUE(fsys::exists(root_ / "web" / "state.json"));
  std::ifstream in(pct_root_ / "vmids.json");
  auto doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc, nlohmann::json({{"web", 100}}));
  EXPECT_FALSE(fsys::exists(template_file(digest_a)));  // its last user was the gone container
  EXPECT_TRUE(fsys::exists(template_file(digest_b)));   // still used by web
  EXPECT_TRUE(fsys::exists(fsys::path(host_.pct.files.config_dir) / "100.conf"));
}

TEST_F(DoctorPctTest, VmidTakenByAnotherGuestIsStaleButTheGuestIsNeverTouched) {
  add_record("web", state::Status::running, 102);
  map(R"({"web": 102})");
  write(fsys::path(host_.pct.files.config_dir) / "102.conf", "#someone else's VM\narch: amd64\n");
  run(false);
  const auto* f = find("record web");
  ASSERT_NE(f, nullptr) << all_text();
  EXPECT_NE(f->message.find("another guest"), std::string::npos) << f->message;
  run(true);
  EXPECT_FALSE(fsys::exists(root_ / "web"));
  EXPECT_EQ(std::ifstream(fsys::path(host_.pct.files.config_dir) / "102.conf").peek(), '#');
  EXPECT_TRUE(runner_.commands.empty());
}

TEST_F(DoctorPctTest, RecordWithoutVmidEntryIsStale) {
  add_record("lost", state::Status::running);
  run(false);
  const auto* f = find("record lost");
  ASSERT_NE(f, nullptr) << all_text();
  EXPECT_NE(f->message.find("has no entry for it"), std::string::npos) << f->message;
  EXPECT_FALSE(fsys::exists(pct_root_));  // checking creates nothing
}

TEST_F(DoctorPctTest, MarkedContainerWithoutRecordIsReportedNeverOfferedForDeletion) {
  map(R"({"orphan": 103, "old": 104})");
  marked_conf(103, "orphan");
  run(false);
  const auto* orphan = find("backend pct container orphan");
  ASSERT_NE(orphan, nullptr) << all_text();
  EXPECT_EQ(orphan->severity, Severity::warning);
  for (const auto& f : report_.findings) {
    EXPECT_EQ(f.fix.find("destroy"), std::string::npos) << f.fix;
    EXPECT_EQ(f.fix.find("delete"), std::string::npos) << f.fix;
  }
  const auto* old = find("backend pct container old");
  ASSERT_NE(old, nullptr) << all_text();
  EXPECT_EQ(old->severity, Severity::problem);
  EXPECT_NE(old->message.find("no longer exists"), std::string::npos) << old->message;

  run(true);
  std::ifstream in(pct_root_ / "vmids.json");
  EXPECT_EQ(nlohmann::json::parse(in),
            nlohmann::json({{"orphan", 103}}));  // only the gone one forgotten
  EXPECT_EQ(find("backend pct container orphan")->severity, Severity::warning);
  EXPECT_TRUE(fsys::exists(fsys::path(host_.pct.files.config_dir) / "103.conf"));
}

TEST_F(DoctorPctTest, AbandonedCreateThatMadeAContainerIsLeftAlone) {
  add_record("half", state::Status::creating);
  map(R"({"half": 105})");
  marked_conf(105, "half");
  run(true);
  EXPECT_TRUE(fsys::exists(root_ / "half" / "state.json"));
  const auto* f = find("record half");
  ASSERT_NE(f, nullptr) << all_text();
  EXPECT_EQ(f->severity, Severity::warning);
  EXPECT_NE(f->message.find("leaves both alone"), std::string::npos);
  EXPECT_EQ(find("records"), nullptr);  // not "all matching"
}

TEST_F(DoctorPctTest, UnreadableMapRemovesNothing) {
  add_record("web", state::Status::running, 100);
  map("not json");
  run(true);
  EXPECT_TRUE(fsys::exists(root_ / "web" / "state.json"));
  EXPECT_FALSE(report_.healthy());
  const auto* f = find("record web");
  ASSERT_NE(f, nullptr) << all_text();
  EXPECT_NE(f->message.find("cannot tell"), std::string::npos) << f->message;
}

TEST_F(DoctorPctTest, PctIsNotProbedWithVersion) {
  auto config = router::default_config();
  std::ofstream(host_.pct.tools.pct) << "#!/bin/true\n";
  ::chmod(host_.pct.tools.pct.c_str(), 0755);
  config.backends["pct"].path = host_.pct.tools.pct;
  check_backends(config, runner_, report_);
  for (const auto& c : runner_.commands) EXPECT_NE(c.path, host_.pct.tools.pct);
  ASSERT_NE(find("backend pct"), nullptr);
  EXPECT_EQ(find("backend pct")->severity, Severity::ok);
}

TEST_F(DoctorPctTest, StoragesNeedRootdirAndVztmplContent) {
  auto cfg = [&](const std::string& text) {
    write(host_.storage_cfg, text);
    report_ = Report{};
    check_pve_storages(host_, report_);
  };
  const std::string local =
      "dir: local\n\tpath " + (base_ / "pve").string() + "\n\tcontent iso,vztmpl,backup\n\n";
  host_.pct.files.template_dir = base_ / "pve/template/cache";
  cfg(local + "lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n");
  EXPECT_TRUE(report_.healthy()) << all_text();
  EXPECT_EQ(find("proxmox storage local-lvm")->severity, Severity::ok);

  cfg(local + "lvmthin: local-lvm\n\tthinpool data\n\tcontent images\n");
  EXPECT_EQ(find("proxmox storage local-lvm")->severity, Severity::problem);
  EXPECT_NE(find("proxmox storage local-lvm")->message.find("no rootdir content"),
            std::string::npos);

  cfg(local);
  EXPECT_NE(find("proxmox storage local-lvm")->message.find("is not defined"), std::string::npos);
  EXPECT_NE(find("proxmox storage local-lvm")->fix.find("backends.pct.storage"), std::string::npos);

  cfg("dir: local\n\tpath /var/lib/vz\n\tcontent vztmpl\n\tdisable\nzfspool: local-lvm\n\tcontent "
      "rootdir\n");
  EXPECT_NE(find("proxmox storage local")->message.find("disabled"), std::string::npos);

  // Templates written where the storage does not look for them.
  cfg("dir: local\n\tpath /var/lib/vz\n\tcontent vztmpl\nzfspool: local-lvm\n\tcontent rootdir\n");
  ASSERT_FALSE(report_.healthy());
  EXPECT_NE(all_text().find("set backends.pct.template_dir to /var/lib/vz/template/cache"),
            std::string::npos)
      << all_text();

  fsys::remove(host_.storage_cfg);
  report_ = Report{};
  check_pve_storages(host_, report_);
  EXPECT_EQ(find("proxmox storages")->severity, Severity::warning);
}

TEST_F(DoctorPctTest, TemplatesInUseMustExistUnusedOnesAreInformation) {
  template_user(digest_a, "web");
  template_user(digest_b, "db");
  write(template_file(digest_a), "tar");
  write(template_file(std::string(64, 'c')), "tar");  // nobody uses it
  write(fsys::path(host_.pct.files.template_dir) / "debian-12-standard.tar.zst",
        "x");  // not nexcage's
  write(fsys::path(host_.pct.host_dir) / "templates" / digest_a / ".partial.tmp", "");
  check_pct_templates(host_, report_);
  const auto* missing = find("pct template " + digest_b.substr(0, 12));
  ASSERT_NE(missing, nullptr) << all_text();
  EXPECT_EQ(missing->severity, Severity::problem);
  EXPECT_NE(missing->message.find("db (root " + pct_root_.string() + ")"), std::string::npos)
      << missing->message;
  const auto* unused = find("pct template cccccccccccc");
  ASSERT_NE(unused, nullptr) << all_text();
  EXPECT_EQ(unused->severity, Severity::info);
  EXPECT_EQ(find("pct template " + digest_a.substr(0, 12)), nullptr) << all_text();
  EXPECT_EQ(report_.findings.size(), 2u) << all_text();

  write(template_file(digest_b), "tar");
  report_ = Report{};
  check_pct_templates(host_, report_);
  EXPECT_TRUE(report_.healthy());
  EXPECT_NE(find("pct templates")->message.find("2 template(s) in use, all present, 1 unused"),
            std::string::npos)
      << all_text();
}
