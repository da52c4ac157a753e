// Commands that need no container: features, --version, spec, usage errors.
#include <algorithm>

#include "harness.hpp"

namespace e2e {

using Features = BackendTest;

TEST_P(Features, DescribesTheBackend) {
  auto r = ws.nx({"--backend", backend(), "features"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  ASSERT_TRUE(doc["ociVersionMin"].is_string()) << r.out;
  ASSERT_TRUE(doc["ociVersionMax"].is_string()) << r.out;
  EXPECT_EQ(doc["ociVersionMin"].get<std::string>().rfind("1.", 0), 0u) << r.out;
  EXPECT_EQ(doc["ociVersionMax"].get<std::string>().rfind("1.", 0), 0u) << r.out;
  EXPECT_EQ(doc["annotations"]["org.nexcage.backend"], backend()) << r.out;
  ASSERT_TRUE(doc["hooks"].is_array()) << r.out;
  EXPECT_NE(std::find(doc["hooks"].begin(), doc["hooks"].end(), "createRuntime"),
            doc["hooks"].end());
  for (const auto& cap : doc["linux"]["capabilities"])
    EXPECT_EQ(cap.get<std::string>().rfind("CAP_", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Features, ::testing::Values("runc", "crun"));

using Commands = NoBackendTest;

TEST_F(Commands, Version) {
  auto r = ws.nx({"--version"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  auto first = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(first.rfind("nexcage version ", 0), 0u) << r;
  auto version = first.substr(std::string("nexcage version ").size());
  EXPECT_EQ(std::count(version.begin(), version.end(), '.'), 2) << "X.Y.Z: " << version;
  EXPECT_TRUE(contains(r.out, "\ncommit: ")) << r;
  EXPECT_TRUE(contains(r.out, "\nspec: 1.")) << r;
  EXPECT_EQ(ws.nx({"-v"}).out, r.out);
}

TEST_F(Commands, SpecWritesConfigJsonOnce) {
  auto dir = ws.dir() / "spec";
  std::filesystem::create_directories(dir);
  auto r = ws.nx({"spec", "--bundle", dir.string()});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  auto spec = nlohmann::json::parse(read_file(dir / "config.json"));
  EXPECT_EQ(spec["process"]["args"], nlohmann::json::array({"sh"}));
  EXPECT_EQ(spec["process"]["terminal"], true);
  EXPECT_EQ(spec["root"]["path"], "rootfs");
  EXPECT_TRUE(spec["ociVersion"].is_string());
  const auto before = read_file(dir / "config.json");
  r = ws.nx({"spec", "-b", dir.string()});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "config.json")) << r;
  EXPECT_TRUE(contains(r.err, "exists")) << r;
  EXPECT_EQ(read_file(dir / "config.json"), before) << "an existing config.json is left alone";

  auto rootless = ws.dir() / "rootless";
  std::filesystem::create_directories(rootless);
  r = ws.nx({"spec", "--rootless", "--bundle", rootless.string()});
  ASSERT_EQ(r.code, 0) << r;
  auto doc = nlohmann::json::parse(read_file(rootless / "config.json"));
  auto& ns = doc["linux"]["namespaces"];
  EXPECT_NE(std::find_if(ns.begin(), ns.end(), [](const auto& n) { return n["type"] == "user"; }),
            ns.end())
      << doc["linux"].dump();
  EXPECT_TRUE(doc["linux"]["uidMappings"].is_array());
}

TEST_F(Commands, UsageErrors) {
  auto r = ws.nx({"frobnicate"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "frobnicate")) << r;
  EXPECT_EQ(r.out, "");
  r = ws.nx({"state"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.out, "");
  r = ws.nx({"list", "--no-such-flag"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "no-such-flag")) << r;
}

TEST_F(Commands, RuncGlobalsAreAccepted) {
  // Options containerd and others pass to runc.
  auto r = ws.raw({"--rootless=false", "--criu", "/usr/sbin/criu", "-root", ws.root().string(),
                   "--config", ws.config().string(), "--log-format=text", "list", "-q"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
}

}  // namespace e2e
