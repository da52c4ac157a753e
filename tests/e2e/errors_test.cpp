// Exact exit codes and messages for the failures callers match on.
#include <algorithm>
#include <fstream>
#include <regex>

#include "harness.hpp"

namespace e2e {

using Errors = BackendTest;

TEST_P(Errors, DuplicateId) {
  auto b = ws.bundle("dup", {"sleep", "300"});
  auto c = id("dup");
  ASSERT_EQ(ws.nx({"--backend", backend(), "create", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"--backend", backend(), "create", "--bundle", b.string(), c});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "nexcage: container with given ID already exists\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ws.state(c)["status"], "created");  // the original is untouched
}

TEST_P(Errors, UnknownId) {
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"state", "nope"}, {"start", "nope"}, {"kill", "nope"}, {"delete", "nope"},
           {"pause", "nope"}, {"resume", "nope"}, {"ps", "nope"}}) {
    auto r = ws.nx(cmd);
    EXPECT_EQ(r.code, 1) << cmd[0];
    EXPECT_EQ(r.err, "nexcage: container does not exist\n") << cmd[0];
    EXPECT_EQ(r.out, "") << cmd[0];
  }
  auto r = ws.nx({"exec", "nope", "true"});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err, "nexcage: container does not exist\n");
  r = ws.nx({"delete", "--force", "nope"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST_P(Errors, InvalidConfigIsRefusedBeforeAnythingIsCreated) {
  auto b = ws.bundle("invalid", {"sleep", "1"}, [](auto& spec) {
    spec["process"]["cwd"] = "relative/dir";
    spec["process"]["capabilities"]["bounding"].push_back("CAP_NOT_REAL");
  });
  auto c = id("invalid");
  auto r = ws.nx({"--backend", backend(), "create", "--bundle", b.string(), c});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("invalid " + (b / "config.json").string() + ": 2 problems"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  process.cwd: must be an absolute path, got \"relative/dir\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  process.capabilities.bounding[3]: unknown capability \"CAP_NOT_REAL\""), std::string::npos) << r.err;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.root() / backend() / c));
}

TEST_P(Errors, HostileConfigGetsAClearError) {
  auto b = ws.bundle("hostile", {"true"});
  std::ofstream(b / "config.json", std::ios::trunc) << std::string(100000, '[');
  auto r = ws.nx({"--backend", backend(), "create", "--bundle", b.string(), id("hostile")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("nested deeper than 64 levels"), std::string::npos) << r.err;
  std::ofstream(b / "config.json", std::ios::trunc) << "{\"ociVersion\":\"\xc3\x28\"}";
  r = ws.nx({"--backend", backend(), "create", "--bundle", b.string(), id("hostile")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("invalid JSON at byte"), std::string::npos) << r.err;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST_P(Errors, KillOfAStoppedContainer) {
  auto b = ws.bundle("stopped", {"true"});
  auto c = id("stopped");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "--keep", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"kill", c, "9"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "nexcage: container not running\n");
  r = ws.nx({"kill", "--all", c, "9"});
  EXPECT_EQ(r.code, 0) << r.err;
  r = ws.nx({"start", c});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "nexcage: cannot start a container that has stopped\n");
}

TEST_P(Errors, LogFileGetsExactlyOneJsonErrorLine) {
  auto log = ws.dir() / "log.json";
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "kill", "nope", "9"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "nexcage: container does not exist\n");
  auto text = read_file(log);
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  auto line = nlohmann::json::parse(text);
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["msg"], "container does not exist");
  // RFC 3339 UTC.
  EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(),
                               std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")));
}

TEST_P(Errors, BackendErrorsReachTheLogOnce) {
  // A rootfs path the backend cannot use: nexcage validates the directory exists, the backend
  // fails on the missing binary.
  auto b = ws.bundle("nobin", {"/no/such/binary"});
  auto log = ws.dir() / "log.json";
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "--backend", backend(), "run",
                  "--bundle", b.string(), id("nobin")});
  EXPECT_NE(r.code, 0);
  auto text = read_file(log);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  auto line = nlohmann::json::parse(text);
  auto msg = line["msg"].get<std::string>();
  std::transform(msg.begin(), msg.end(), msg.begin(), [](unsigned char ch) { return std::tolower(ch); });
  EXPECT_NE(msg.find("no such file or directory"), std::string::npos) << line.dump();
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, Errors, ::testing::Values("runc", "crun"));

TEST(ErrorsNoBackend, UnknownBackend) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  Workspace ws;
  auto b = ws.bundle("nosuch", {"true"});
  auto r = ws.nx({"--backend", "nosuch", "create", "--bundle", b.string(), "x1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "nexcage: unknown backend \"nosuch\" (from --backend)\nhint: configured backends: crun, runc\n");
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST(ErrorsNoBackend, InvalidConfigFile) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  Workspace ws;
  std::ofstream(ws.config(), std::ios::trunc) << R"({"default_backend":"kata"})";
  auto r = ws.nx({"list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "nexcage: " + ws.config().string() + ": default_backend: names unconfigured backend \"kata\"");
}

}  // namespace e2e
