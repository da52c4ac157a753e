// Exact exit codes and messages for the failures callers match on, and what failures leave behind.
#include <algorithm>
#include <regex>

#include "harness.hpp"

namespace e2e {

using Errors = BackendTest;

TEST_P(Errors, DuplicateId) {
  auto b = ws.bundle("dup", {"sleep", "300"});
  auto c = id("dup");
  ASSERT_EQ(create(b, c).code, 0);
  int pid = ws.state(c)["pid"];
  auto r = create(b, c);
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container with given ID already exists")) << r;
  EXPECT_EQ(r.out, "");
  // The original is untouched.
  auto st = ws.state(c);
  EXPECT_EQ(st["status"], "created");
  EXPECT_EQ(st["pid"], pid);
  EXPECT_TRUE(process_exists(pid));
  // Same through run.
  r = run(b, c, {"-d"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container with given ID already exists")) << r;
  EXPECT_EQ(ws.state(c)["status"], "created");
}

TEST_P(Errors, UnknownId) {
  for (const std::vector<std::string>& cmd :
       std::vector<std::vector<std::string>>{{"state", "nope"},
                                             {"start", "nope"},
                                             {"kill", "nope"},
                                             {"kill", "nope", "9"},
                                             {"delete", "nope"},
                                             {"pause", "nope"},
                                             {"resume", "nope"},
                                             {"ps", "nope"}}) {
    auto r = ws.nx(cmd);
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
    EXPECT_EQ(r.out, "") << r;
  }
  // exec fails with 255, like runc's.
  auto r = ws.nx({"exec", "nope", "true"});
  EXPECT_EQ(r.code, 255) << r;
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
  // delete --force of an unknown id succeeds silently.
  r = ws.nx({"delete", "--force", "nope"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
}

TEST_P(Errors, RelativeCwdIsRefusedBeforeAnythingIsCreated) {
  auto b =
      ws.bundle("cwd", {"sleep", "1"}, [](auto& spec) { spec["process"]["cwd"] = "relative/dir"; });
  auto c = id("cwd");
  auto r = create(b, c);
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "process.cwd")) << r;
  EXPECT_TRUE(contains(r.err, "relative/dir")) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
  EXPECT_EQ(ws.nx({"state", c}).code, 1);
  // The id is free: a valid bundle can use it.
  auto good = ws.bundle("cwd-good", {"sleep", "300"});
  r = create(good, c);
  EXPECT_EQ(r.code, 0) << r;
}

TEST_P(Errors, EmptyArgsAreRefusedBeforeAnythingIsCreated) {
  auto b = ws.bundle("noargs", {});
  auto c = id("noargs");
  for (const char* command : {"create", "run"}) {
    auto r = ws.nx({"--backend", backend(), command, "--bundle", b.string(), c});
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, "process.args")) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(ws.nx({"list", "-q"}).out, "") << command;
    EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
  }
}

TEST_P(Errors, EveryProblemIsNamedByItsPath) {
  auto b = ws.bundle("two", {"sleep", "1"}, [](auto& spec) {
    spec["process"]["cwd"] = "rel";
    spec["process"]["capabilities"]["bounding"].push_back("CAP_NOT_REAL");
  });
  auto r = create(b, id("two"));
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "process.cwd")) << r;
  EXPECT_TRUE(contains(r.err, "process.capabilities.bounding[3]")) << r;
  EXPECT_TRUE(contains(r.err, "CAP_NOT_REAL")) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST_P(Errors, MissingOrHostileConfigJson) {
  auto dir = ws.dir() / "empty-bundle";
  std::filesystem::create_directories(dir);
  auto r = create(dir, id("missing"));
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "config.json")) << r;

  auto b = ws.bundle("hostile", {"true"});
  write_file(b / "config.json", std::string(100000, '['));
  r = create(b, id("hostile"));
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "config.json")) << r;
  write_file(b / "config.json", "{\"ociVersion\":\"\xc3\x28\"}");  // invalid UTF-8
  r = create(b, id("hostile"));
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "config.json")) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST_P(Errors, IdsThatAreNotNamesAreRefused) {
  auto b = ws.bundle("badid", {"sleep", "300"});
  for (const std::string bad : {"../escape", "a/b", ".", ""}) {
    auto r = create(b, bad);
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_FALSE(std::filesystem::exists(ws.root().parent_path() / "escape"));
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST_P(Errors, KillOfAStoppedContainer) {
  auto b = ws.bundle("stopped", {"true"});
  auto c = id("stopped");
  ASSERT_EQ(create(b, c).code, 0);
  ASSERT_EQ(ws.nx({"start", c}).code, 0);
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  auto r = ws.nx({"kill", c, "9"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container not running")) << r;
  EXPECT_EQ(r.out, "");
  r = ws.nx({"kill", "--all", c, "9"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  r = ws.nx({"kill", "-a", c, "KILL"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.state(c)["status"], "stopped");
}

TEST_P(Errors, LogFileGetsExactlyOneJsonLinePerError) {
  auto log = ws.dir() / "log.json";
  write_file(log, "{\"level\":\"info\",\"msg\":\"earlier\",\"time\":\"2024-01-01T00:00:00Z\"}\n");
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "kill", "nope", "9"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.out, "");
  // Text on stderr too.
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
  EXPECT_EQ(r.err.find('{'), std::string::npos) << "stderr is text, not JSON" << r;

  auto text = read_file(log);
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  EXPECT_EQ(text.rfind("{\"level\":\"info\",\"msg\":\"earlier\"", 0), 0u)
      << "appended, not truncated: " << text;
  auto line = nlohmann::json::parse(text.substr(text.find('\n') + 1));
  EXPECT_EQ(line["level"], "error") << line.dump();
  EXPECT_TRUE(contains(line["msg"].get<std::string>(), "container does not exist")) << line.dump();
  static const std::regex rfc3339(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
  EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(), rfc3339)) << line.dump();
}

TEST_P(Errors, BackendFailureIsReportedAndLoggedOnce) {
  auto b = ws.bundle("nobin", {"/no/such/binary"});
  auto log = ws.dir() / "log.json";
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "--backend", backend(), "run",
                  "--bundle", b.string(), id("nobin")});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  auto text = read_file(log);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  auto line = nlohmann::json::parse(text.substr(0, text.find('\n')), nullptr, false);
  ASSERT_TRUE(line.is_object()) << text;
  EXPECT_EQ(line["level"], "error");
  auto msg = line["msg"].get<std::string>();
  std::transform(msg.begin(), msg.end(), msg.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  EXPECT_TRUE(contains(msg, "no such file or directory")) << line.dump();
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

// The backend prints its error to the caller's stderr (create inherits it) and logs it: the caller
// gets that line once, in the backend's own words, and the log line as the backend wrote it.
TEST_P(Errors, ABackendsCreateErrorIsItsOwnLineOnce) {
  auto b = ws.bundle("nobin-create", {"/no/such/binary"});
  auto log = ws.dir() / "create-log.json";
  auto c = id("nobincreate");
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "--backend", backend(), "create",
                  "--bundle", b.string(), c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.out, "");
  auto text = read_file(log);
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  auto line = text.substr(0, text.size() - 1);
  auto doc = nlohmann::json::parse(line, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << text;
  auto msg = doc["msg"].get<std::string>();
  // crun writes msg before level and a fractional time; runc level first. Either is kept as
  // written.
  if (backend() == "crun") EXPECT_EQ(line.rfind("{\"msg\":", 0), 0u) << line;
  if (backend() == "runc") EXPECT_EQ(line.rfind("{\"level\":\"error\",\"msg\":", 0), 0u) << line;
  EXPECT_EQ(r.err, msg + "\n") << "one line, the backend's: " << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

// A failing backend call whose stderr nexcage captures (start, kill, update...) shows that stderr
// verbatim, without nexcage's prefix or a second copy.
TEST_P(Errors, ACapturedBackendErrorIsShownAsTheBackendPrintedIt) {
  auto b = ws.bundle("cpuset", {"sleep", "300"});
  auto c = id("cpuset");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  auto log = ws.dir() / "update-log.json";
  auto r =
      ws.nx({"--log", log.string(), "--log-format", "json", "update", "--cpuset-cpus", "999", c});
  EXPECT_EQ(r.code, 1) << r;
  auto text = read_file(log);
  ASSERT_FALSE(text.empty());
  text.pop_back();
  auto doc = nlohmann::json::parse(text.substr(text.rfind('\n') + 1), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << text;
  EXPECT_EQ(doc["level"], "error") << text;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
  EXPECT_TRUE(contains(r.err, doc["msg"].get<std::string>())) << r;
  EXPECT_FALSE(contains(r.err, "nexcage:")) << r;
  ws.nx({"delete", "-f", c});
}

INSTANTIATE_TEST_SUITE_P(Backends, Errors, ::testing::Values("runc", "crun"));

using BackendWarnings = BackendTest;

// runc warns when a container joins a cgroup that has processes; its own caller sees that in the
// --log file, or on stderr without one.
TEST_P(BackendWarnings, ReachTheCallersLogOrStderr) {
  auto cgroup = "/nexcage-e2e-shared-" + id("cg");
  auto shared = [&](auto& spec) { spec["linux"]["cgroupsPath"] = cgroup; };
  auto b = ws.bundle("shared-cg", {"sleep", "300"}, shared);
  auto first = id("cgfirst"), second = id("cgsecond"), third = id("cgthird");
  ASSERT_EQ(run(b, first, {"-d"}).code, 0);
  auto log = ws.dir() / "warn-log.json";
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "--backend", backend(), "create",
                  "--bundle", b.string(), second});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "") << "with --log, warnings go to the log only: " << r;
  auto text = read_file(log);
  auto doc = nlohmann::json::parse(text.substr(0, text.find('\n')), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << text;
  EXPECT_EQ(doc["level"], "warning") << text;
  EXPECT_TRUE(contains(doc["msg"].get<std::string>(), "container's cgroup is not empty")) << text;

  // The backend's create replaces nexcage: its caller reads runc's own words.
  r = create(b, third);
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(contains(r.err, "level=warning msg=\"container's cgroup is not empty")) << r;
  for (const auto& c : {third, second, first}) ws.nx({"delete", "-f", c});
}

// crun does not warn about a non-empty cgroup.
INSTANTIATE_TEST_SUITE_P(Runc, BackendWarnings, ::testing::Values("runc"));

using ErrorsNoBackend = NoBackendTest;

TEST_F(ErrorsNoBackend, UnknownBackend) {
  auto b = ws.bundle("nosuch", {"true"});
  for (const char* command : {"create", "run"}) {
    auto r = ws.nx({"--backend", "nosuch", command, "--bundle", b.string(), "x1"});
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, "unknown backend \"nosuch\"")) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  }
}

TEST_F(ErrorsNoBackend, InvalidConfigFile) {
  auto b = ws.bundle("badcfg", {"true"});
  for (const char* text : {R"({"default_backend":"kata"})", "{not json"}) {
    write_file(ws.config(), text);
    for (const char* command : {"create", "run"}) {
      auto r = ws.nx({command, "--bundle", b.string(), "x1"});
      EXPECT_EQ(r.code, 1) << r;
      EXPECT_TRUE(contains(r.err, ws.config().string())) << r;
    }
    // Commands on existing containers warn and go on (see hostile_test.cpp).
    auto r = ws.nx({"list"});
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_TRUE(contains(r.err, "warn")) << r;
    EXPECT_TRUE(contains(r.err, ws.config().string())) << r;
  }
}

}  // namespace e2e
