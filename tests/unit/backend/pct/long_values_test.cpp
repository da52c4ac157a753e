// Hostile lengths through the public translation: every value pct's checks used std::regex on
// (which recursed once per character and crashed near 200 KB) is refused with one short refusal
// naming its field. Only the public API is used, so this file also runs against old code.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/translate.hpp"

using namespace nexcage::backend::pct;
using nlohmann::json;

namespace {

const std::string huge(200 * 1024, 'a');

json base() {
  return json::parse(R"({
    "ociVersion": "1.0.2",
    "root": {"path": "rootfs"},
    "process": {"args": ["/bin/app"], "cwd": "/", "env": ["PATH=/bin"]},
    "hostname": "box",
    "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
  })");
}

Outcome run(const json& doc, const PctSettings& settings = {}) {
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  return examine(spec, with_annotations(settings, spec.annotations), {});
}

// Exactly one refusal at `path`, and a message short enough to read (the value is not in it).
void expect_one_short_refusal(const Outcome& o, const std::string& path, const std::string& words) {
  ASSERT_EQ(o.refused.size(), 1u) << (o.refused.empty() ? "nothing refused" : o.refused[0].path);
  EXPECT_EQ(o.refused[0].path, path);
  EXPECT_NE(o.refused[0].message.find(words), std::string::npos) << o.refused[0].message;
  EXPECT_LT(o.refused[0].message.size(), 300u) << o.refused[0].message.substr(0, 300);
}

}  // namespace

TEST(PctLongValues, EnvName) {
  auto doc = base();
  doc["process"]["env"] = {huge + "=1"};
  expect_one_short_refusal(run(doc), "process.env[0]",
                           "the name is 204800 bytes long; at most 1024");
}

TEST(PctLongValues, UnifiedKey) {
  auto doc = base();
  doc["linux"]["resources"]["unified"] = {{"memory." + huge, "1"}};
  expect_one_short_refusal(run(doc), "linux.resources.unified",
                           "a key is 204807 bytes long; at most 255");
}

TEST(PctLongValues, StorageAnnotation) {
  auto doc = base();
  doc["annotations"] = {{storage_annotation, huge}};
  expect_one_short_refusal(run(doc), "backends.pct.storage",
                           "the storage ID is 204800 bytes long; at most 255");
}

TEST(PctLongValues, BridgeFromTheNetAnnotation) {
  auto doc = base();
  doc["annotations"] = {{net_annotation, "bridge=" + huge}};
  expect_one_short_refusal(run(doc), "backends.pct.network.bridge",
                           "the bridge name is 204800 bytes long; at most 15");
}

TEST(PctLongValues, RdmaDevice) {
  auto doc = base();
  doc["linux"]["resources"]["rdma"] = {{huge, {{"hcaHandles", 1}}}};
  expect_one_short_refusal(run(doc), "linux.resources.rdma",
                           "a device name is 204800 bytes long; at most 63");
}

TEST(PctLongValues, HugepageSize) {
  auto doc = base();
  doc["linux"]["resources"]["hugepageLimits"] = {
      {{"pageSize", std::string(200 * 1024, '2') + "MB"}, {"limit", 1}}};
  expect_one_short_refusal(run(doc), "linux.resources.hugepageLimits[0].pageSize",
                           "the page size is 204802 bytes long; at most 32");
}

TEST(PctLongValues, CpuList) {
  // A valid list of 200 KB: what a regex walks character by character.
  std::string cpus = "0";
  while (cpus.size() < 200 * 1024) cpus += ",0";
  auto doc = base();
  doc["linux"]["resources"]["cpu"] = {{"cpus", cpus}};
  expect_one_short_refusal(run(doc), "linux.resources.cpu.cpus",
                           "the CPU list is 204801 bytes long; at most 65536");
}

TEST(PctLongValues, IpcSysctlKey) {
  auto doc = base();
  doc["linux"]["sysctl"] = {{"kernel." + huge, "1"}};
  expect_one_short_refusal(run(doc), "linux.sysctl", "a key is 204807 bytes long; at most 255");
}

TEST(PctLongValues, RlimitType) {
  auto doc = base();
  doc["process"]["rlimits"] = {
      {{"type", "RLIMIT_" + std::string(200 * 1024, 'A')}, {"soft", 1}, {"hard", 1}}};
  expect_one_short_refusal(run(doc), "process.rlimits[0].type",
                           "the type is 204807 bytes long; at most 32");
}

TEST(PctLongValues, LongValuesAreCutInMessages) {
  // A value just under a cap is still quoted, but never whole.
  auto doc = base();
  doc["process"]["env"] = {std::string(1000, '-') + "=1"};
  auto o = run(doc);
  ASSERT_EQ(o.refused.size(), 1u);
  EXPECT_NE(o.refused[0].message.find("...\" (1000 bytes)"), std::string::npos)
      << o.refused[0].message;
  EXPECT_LT(o.refused[0].message.size(), 400u);
}
