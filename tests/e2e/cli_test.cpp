// runc's accepted spellings and the commands that need no container.
#include <fstream>

#include "harness.hpp"

namespace e2e {

using Cli = BackendTest;

TEST_P(Cli, GoStyleAndEqualsSpellings) {
  auto b = ws.bundle("spell", {"sh", "-c", "trap 'exit 0' USR1; while :; do sleep 0.1; done"});
  auto c = id("spell");
  auto r = ws.raw({"-root", ws.root().string(), "--config=" + ws.config().string(), "--backend=" + backend(),
                   "run", "-detach", "-bundle=" + b.string(), c});
  ASSERT_EQ(r.code, 0) << r.err;
  r = ws.raw({"--root=" + ws.root().string(), "--config", ws.config().string(), "state", c});
  ASSERT_EQ(r.code, 0) << r.err;
  // The init is a shell that exits on SIGUSR1; every spelling of the signal must reach it.
  for (const char* sig : {"sigusr1", "USR1", "SIGUSR1", "10"}) {
    usleep(200000);  // let the shell install its trap
    r = ws.nx({"kill", c, sig});
    EXPECT_EQ(r.code, 0) << sig << ": " << r.err;
    ASSERT_TRUE(ws.wait_for_status(c, "stopped")) << sig;
    ws.nx({"delete", c});
    ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  }
  // A boolean flag given twice, Go-style -force, --rootless=false and --criu are accepted.
  r = ws.raw({"--rootless=false", "--criu", "/usr/sbin/criu", "-root", ws.root().string(), "--config",
              ws.config().string(), "delete", "-force", "--force", c});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(ws.wait_for_status(c, "gone"));
}

TEST_P(Cli, Features) {
  auto r = ws.nx({"--backend", backend(), "features"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["ociVersionMin"].is_string());
  EXPECT_TRUE(doc["ociVersionMax"].is_string());
  EXPECT_EQ(doc["annotations"]["org.nexcage.backend"], backend());
  // Never claims a capability libcap does not know.
  for (const auto& cap : doc["linux"]["capabilities"]) EXPECT_EQ(cap.get<std::string>().rfind("CAP_", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Cli, ::testing::Values("runc", "crun"));

TEST(CliNoContainer, VersionSpecAndUsage) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  Workspace ws;
  auto r = ws.nx({"--version"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("nexcage version ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\ncommit: "), std::string::npos);
  EXPECT_NE(r.out.find("\nspec: 1.2.0\n"), std::string::npos);
  EXPECT_NE(r.out.find("runc: runc version"), std::string::npos) << r.out;

  auto dir = ws.dir() / "spec";
  std::filesystem::create_directories(dir);
  r = ws.nx({"spec", "--bundle", dir.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto spec = nlohmann::json::parse(read_file(dir / "config.json"));
  EXPECT_EQ(spec["process"]["args"], nlohmann::json::array({"sh"}));
  EXPECT_EQ(spec["root"]["path"], "rootfs");
  r = ws.nx({"spec", "--bundle", dir.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("config.json exists"), std::string::npos) << r.err;

  r = ws.nx({"frobnicate"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "nexcage: unknown command \"frobnicate\"");
  EXPECT_EQ(r.out, "");
}

}  // namespace e2e
