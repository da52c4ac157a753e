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

