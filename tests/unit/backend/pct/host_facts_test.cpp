// host_facts_for() looks at the real host: these use nodes every Linux host has.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/host_facts.hpp"

using namespace nexcage::backend::pct;

namespace {

nexcage::oci::Spec spec_with_devices(const nlohmann::json& devices) {
  nlohmann::json doc = {{"ociVersion", "1.0.2"},
                        {"root", {{"path", "rootfs"}}},
                        {"process", {{"args", {"/bin/app"}}, {"cwd", "/"}}},
                        {"linux", {{"devices", devices}}}};
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  EXPECT_TRUE(problems.empty()) << nexcage::oci::describe_problems("doc", problems);
  return spec;
}

}  // namespace

TEST(PctHostFacts, DevicesGetTheirKindAndNumbers) {
  auto facts =
      host_facts_for(spec_with_devices({{{"path", "/dev/null"}, {"type", "c"}},
                                        {{"path", "/dev/nexcage-no-such-device"}, {"type", "b"}},
                                        {{"path", "/"}, {"type", "c"}}}));
  ASSERT_EQ(facts.devices.size(), 3u);
  const auto& null = facts.devices.at("/dev/null");
  EXPECT_EQ(null.kind, DeviceKind::char_device);
  EXPECT_EQ(null.major, 1u);
  EXPECT_EQ(null.minor, 3u);
  EXPECT_EQ(facts.devices.at("/dev/nexcage-no-such-device").kind, DeviceKind::missing);
  EXPECT_EQ(facts.devices.at("/").kind, DeviceKind::other);
}

TEST(PctHostFacts, NoDevicesNoFacts) {
  EXPECT_TRUE(host_facts_for(spec_with_devices(nlohmann::json::array())).devices.empty());
}
