// What pve-container's own code (Config.pm, the create_vm schema, parse/write_pct_config) said
// about the confs and `pct create` options nexcage wrote (issue 12): each test pins one finding,
// so the translation never again writes something Proxmox drops, rewrites or fails on.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"

using namespace nexcage::backend::pct;
using nlohmann::json;

namespace {

json base() {
  return json::parse(R"({
    "ociVersion": "1.0.2",
    "root": {"path": "rootfs"},
    "process": {"args": ["/bin/app"], "cwd": "/"},
    "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
  })");
}

Outcome run(const json& doc, const PctSettings& settings = {}, const HostFacts& facts = {}) {
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  EXPECT_TRUE(problems.empty()) << nexcage::oci::describe_problems("doc", problems);
  return examine(spec, settings, facts);
}

PctSettings allowing(const char* allowance) {
  PctSettings s;
  s.allow_weaker_isolation.insert(allowance);
  return s;
}

bool any_raw_key_starts_with(const Outcome& o, const std::string& prefix) {
  for (const auto& r : o.translation.raw)
    if (r.key.rfind(prefix, 0) == 0) return true;
  return false;
}

std::string joined_refusals(const Outcome& o) {
  std::string out;
  for (const auto& r : o.refused) out += r.path + ": " + r.message + "\n";
  return out;
}

}  // namespace

// Proxmox drops lxc.cgroup2.hugetlb.2MB.max (raw keys must be lowercase), so the limit is lost:
// rule 2, refused unless resource_limits is allowed, and never written either way.
TEST(PctFidelity, HugepageLimitsAreRefusedWithoutTheAllowance) {
  auto doc = base();
  doc["linux"]["resources"]["hugepageLimits"] = {{{"pageSize", "2MB"}, {"limit", 1 << 30}}};
  auto o = run(doc);
  ASSERT_EQ(o.refused.size(), 1u) << joined_refusals(o);
  EXPECT_EQ(o.refused[0].path, "linux.resources.hugepageLimits[0]");
  EXPECT_NE(o.refused[0].message.find("hugetlb.2MB.max"), std::string::npos);
  EXPECT_NE(o.refused[0].message.find("\"resource_limits\""), std::string::npos);
  EXPECT_FALSE(any_raw_key_starts_with(o, "lxc.cgroup2.hugetlb"));
}

TEST(PctFidelity, HugepageLimitsAllowedBecomeAWarningAndNoLine) {
  auto doc = base();
  doc["linux"]["resources"]["hugepageLimits"] = {{{"pageSize", "2MB"}, {"limit", 1 << 30}},
                                                 {{"pageSize", "1GB"}, {"limit", 0}}};
  auto o = run(doc, allowing(allow_resource_limits));
  ASSERT_TRUE(o.refused.empty()) << joined_refusals(o);
  EXPECT_FALSE(any_raw_key_starts_with(o, "lxc.cgroup2.hugetlb"));
  int warned = 0;
  for (const auto& w : o.translation.warnings)
    if (w.path.rfind("linux.resources.hugepageLimits[", 0) == 0) {
      ++warned;
      EXPECT_NE(w.message.find("allowed by allow_weaker_isolation \"resource_limits\""),
                std::string::npos)
          << w.message;
    }
  EXPECT_EQ(warned, 2);
}

// The same limit through `unified` would be a lowercase key that names no kernel file.
TEST(PctFidelity, UnifiedHugetlbKeysFollowTheSamePolicy) {
  auto doc = base();
  doc["linux"]["resources"]["unified"] = {{"hugetlb.2mb.max", "1073741824"}};
  auto o = run(doc);
  ASSERT_EQ(o.refused.size(), 1u) << joined_refusals(o);
  EXPECT_EQ(o.refused[0].path, "linux.resources.unified.hugetlb.2mb.max");
  o = run(doc, allowing(allow_resource_limits));
  EXPECT_TRUE(o.refused.empty()) << joined_refusals(o);
  EXPECT_FALSE(any_raw_key_starts_with(o, "lxc.cgroup2.hugetlb"));
}

// Proxmox mounts its own /dev/shm tmpfs for an entrypoint: a second one from config.json is
// dropped, silently when it asks for nothing more, with a warning naming what is not applied.
TEST(PctFidelity, PlainDevShmTmpfsIsDroppedSilently) {
  auto doc = base();
  doc["mounts"] = {{{"destination", "/dev/shm"},
                    {"type", "tmpfs"},
                    {"source", "shm"},
                    {"options", {"nosuid", "nodev", "mode=1777"}}}};
  auto o = run(doc);
  ASSERT_TRUE(o.refused.empty()) << joined_refusals(o);
  for (const auto& r : o.translation.raw)
    EXPECT_EQ(r.value.find("dev/shm"), std::string::npos) << r.text();
  for (const auto& w : o.translation.warnings) EXPECT_NE(w.path, "mounts[0]") << w.message;
}

TEST(PctFidelity, DevShmTmpfsWithOtherOptionsIsDroppedWithAWarning) {
  auto doc = base();
  // The runc/containerd default mount.
  doc["mounts"] = {{{"destination", "/dev/shm"},
                    {"type", "tmpfs"},
                    {"source", "shm"},
                    {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}}};
  auto o = run(doc);
  ASSERT_TRUE(o.refused.empty()) << joined_refusals(o);
  for (const auto& r : o.translation.raw)
    EXPECT_EQ(r.value.find("dev/shm"), std::string::npos) << r.text();
  std::vector<std::string> about_the_mount;
  for (const auto& w : o.translation.warnings)
    if (w.path == "mounts[0]") about_the_mount.push_back(w.message);
  ASSERT_EQ(about_the_mount.size(), 1u);
  EXPECT_NE(about_the_mount[0].find("\"noexec\", \"size=65536k\" are not applied"),
            std::string::npos)
      << about_the_mount[0];
}

// A bind on /dev/shm (podman's and CRI's shared shm) is not Proxmox's tmpfs and stays.
TEST(PctFidelity, DevShmBindStays) {
  auto doc = base();
  doc["mounts"] = {{{"destination", "/dev/shm"},
                    {"type", "bind"},
                    {"source", "/run/shm-1"},
                    {"options", {"rbind", "rprivate"}}}};
  HostFacts facts;
  facts.paths["/run/shm-1"] = {PathKind::directory, ""};
  auto o = run(doc, {}, facts);
  ASSERT_TRUE(o.refused.empty()) << joined_refusals(o);
  bool found = false;
  for (const auto& r : o.translation.raw)
    found = found || (r.key == "lxc.mount.entry" && r.value.find(" dev/shm ") != std::string::npos);
  EXPECT_TRUE(found);
}

// pct binds the host's device node: a missing one fails inside `pct create` ("Device /dev/sdb
// does not exist"), so it is refused first, naming the field and the fix.
TEST(PctFidelity, DeviceMissingOnTheHostIsRefused) {
  auto doc = base();
  doc["linux"]["devices"] = {{{"path", "/dev/sdb"}, {"type", "b"}, {"major", 8}, {"minor", 16}}};
  auto o = run(doc);  // no fact: missing
  ASSERT_EQ(o.refused.size(), 1u) << joined_refusals(o);
  EXPECT_EQ(o.refused[0].path, "linux.devices[0].path");
  EXPECT_NE(o.refused[0].message.find("does not exist on the host"), std::string::npos);
  EXPECT_NE(o.refused[0].message.find("Device /dev/sdb does not exist"), std::string::npos);
}

TEST(PctFidelity, DeviceOfAnotherKindOrNumberIsRefused) {
  auto doc = base();
  doc["linux"]["devices"] = {{{"path", "/dev/fuse"}, {"type", "b"}}};
  HostFacts facts;
  facts.devices["/dev/fuse"] = {DeviceKind::char_device, 10, 229};
  auto o = run(doc, {}, facts);
  ASSERT_EQ(o.refused.size(), 1u) << joined_refusals(o);
  EXPECT_EQ(o.refused[0].path, "linux.devices[0].type");
  EXPECT_NE(o.refused[0].message.find("character device on the host"), std::string::npos);

  doc["linux"]["devices"] = {{{"path", "/dev/fuse"}, {"type", "c"}, {"major", 10}, {"minor", 228}}};
  o = run(doc, {}, facts);
  ASSERT_EQ(o.refused.size(), 1u) << joined_refusals(o);
  EXPECT_EQ(o.refused[0].path, "linux.devices[0]");
  EXPECT_NE(
      o.refused[0].message.find("asks for device 10:228 but \"/dev/fuse\" on the host is 10:229"),
      std::string::npos)
      << o.refused[0].message;

  facts.devices["/dev/fuse"] = {DeviceKind::other, 0, 0};
  doc["linux"]["devices"] = {{{"path", "/dev/fuse"}, {"type", "c"}}};
  o = run(doc, {}, facts);
  ASSERT_EQ(o.refused.size(), 1u) << joined_refusals(o);
  EXPECT_EQ(o.refused[0].path, "linux.devices[0].path");
  EXPECT_NE(o.refused[0].message.find("is not a device node on the host"), std::string::npos);
}

TEST(PctFidelity, DevicePresentOnTheHostBecomesDevN) {
  auto doc = base();
  doc["linux"]["devices"] = {
      {{"path", "/dev/fuse"}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"fileMode", 0666}},
      {{"path", "/dev/ttyS0"}, {"type", "u"}}};
  HostFacts facts;
  facts.devices["/dev/fuse"] = {DeviceKind::char_device, 10, 229};
  facts.devices["/dev/ttyS0"] = {DeviceKind::char_device, 4, 64};
  auto o = run(doc, {}, facts);
  ASSERT_TRUE(o.refused.empty()) << joined_refusals(o);
  std::vector<std::string> devs;
  for (const auto& opt : o.translation.options)
    if (opt.key.rfind("dev", 0) == 0) devs.push_back(opt.key + "=" + opt.value);
  EXPECT_EQ(devs, (std::vector<std::string>{"dev0=/dev/fuse,mode=0666", "dev1=/dev/ttyS0"}));
}
