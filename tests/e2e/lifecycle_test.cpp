// create -> state -> start -> state -> kill -> state -> delete, with real runc and crun.
#include <regex>
#include <set>

#include "harness.hpp"

namespace e2e {

using Lifecycle = BackendTest;

namespace {

// RFC 3339, as runc prints `created` (nanoseconds, UTC) but allowing any fraction and offset.
bool is_rfc3339(const std::string& text) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
  return std::regex_match(text, re);
}

}  // namespace

TEST_P(Lifecycle, CreateStartKillDelete) {
  auto b = ws.bundle("life", {"sleep", "300"}, [](auto& spec) {
    spec["annotations"] = {{"org.example.k", "v1"}};
  });
  auto c = id("life");
  auto pid_file = ws.dir() / "init.pid";

  auto r = create(b, c, {"--pid-file", pid_file.string()});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "") << "stdout carries only command output";
  EXPECT_EQ(r.err, "");

  // state: exactly the OCI state fields plus owner, as runc prints them.
  r = ws.nx({"state", c});
  ASSERT_EQ(r.code, 0) << r;
  auto st = nlohmann::json::parse(r.out);
  ASSERT_TRUE(st.is_object()) << r.out;
  std::set<std::string> keys;
  for (const auto& [key, value] : st.items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"ociVersion", "id", "pid", "status", "bundle", "rootfs",
                                         "created", "owner", "annotations"}))
      << r.out;
  EXPECT_TRUE(st["ociVersion"].is_string() && !st["ociVersion"].get<std::string>().empty())
      << r.out;
  EXPECT_EQ(st["id"], c);
  EXPECT_EQ(st["status"], "created");
  ASSERT_TRUE(st["pid"].is_number_integer()) << r.out;
  int pid = st["pid"];
  EXPECT_GT(pid, 0);
  EXPECT_TRUE(process_exists(pid));
  EXPECT_EQ(st["bundle"], b.string());
  EXPECT_EQ(st["rootfs"], busybox_rootfs().string());
  EXPECT_TRUE(is_rfc3339(st["created"].get<std::string>())) << st["created"];
  EXPECT_EQ(st["owner"], "") << "runc's state leaves owner empty (list fills it)";
  EXPECT_EQ(st["annotations"], (nlohmann::json{{"org.example.k", "v1"}}));
  // --pid-file: the host pid of the init, no trailing newline.
  EXPECT_EQ(read_file(pid_file), std::to_string(pid));

  r = ws.nx({"start", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  st = ws.state(c);
  EXPECT_EQ(st["status"], "running");
  EXPECT_EQ(st["pid"], pid);

  r = ws.nx({"kill", c, "KILL"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  st = ws.state(c);
  EXPECT_EQ(st["pid"], 0);
  EXPECT_EQ(st["bundle"], b.string());

  r = ws.nx({"delete", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  r = ws.nx({"state", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(ws.ids().empty());
  // The backend's own state is gone too.
  EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
}

// With runc and crun, create and delete end by executing the backend's own command in nexcage's
// place (docs/architecture.md, "Handed over"): later commands settle what they leave in the
// root, so nothing piles up for a caller that, like containerd, never reuses an id nor lists.
TEST_P(Lifecycle, HandedOverCreatesAndDeletesLeaveNothingBehind) {
  auto b = ws.bundle("handed", {"sleep", "300"});
  auto record_dirs = [&] {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(ws.root()))
      if (entry.path().filename().string()[0] != '.') ++n;
    return n;
  };
  for (int i = 0; i < 3; ++i) {
    auto c = id("handed" + std::to_string(i));
    auto pid_file = ws.dir() / (c + ".pid");
    auto r = create(b, c, {"--pid-file", pid_file.string()});
    ASSERT_EQ(r.code, 0) << r;
    // The backend wrote the caller's pid file; nexcage takes the init from there.
    auto st = ws.state(c);
    EXPECT_EQ(st["status"], "created");
    EXPECT_EQ(std::to_string(st["pid"].get<int>()), read_file(pid_file));
    ASSERT_EQ(ws.nx({"start", c}).code, 0);
    EXPECT_EQ(ws.state(c)["status"], "running");
    r = ws.nx({"delete", "--force", c});
    ASSERT_EQ(r.code, 0) << r;
    EXPECT_EQ(r.err, "");
    EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
    r = ws.nx({"state", c});
    EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
    // Each create settled what the delete before it left.
    EXPECT_LE(record_dirs(), 1u);
  }
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_EQ(record_dirs(), 0u);
}

TEST_P(Lifecycle, InitExitingOnItsOwnReadsStopped) {
  auto b = ws.bundle("exits", {"sh", "-c", "exit 5"});
  auto c = id("exits");
  ASSERT_EQ(create(b, c).code, 0);
  auto r = ws.nx({"start", c});
  ASSERT_EQ(r.code, 0) << r;
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  EXPECT_EQ(ws.state(c)["pid"], 0);
  r = ws.nx({"kill", c, "TERM"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container not running")) << r;
  r = ws.nx({"start", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "cannot start a container that has stopped")) << r;
  r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
}

TEST_P(Lifecycle, StartTwiceFails) {
  auto b = ws.bundle("twice", {"sleep", "300"});
  auto c = id("twice");
  ASSERT_EQ(create(b, c).code, 0);
  ASSERT_EQ(ws.nx({"start", c}).code, 0);
  auto r = ws.nx({"start", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "cannot start an already running container")) << r;
  EXPECT_EQ(ws.state(c)["status"], "running");
}

TEST_P(Lifecycle, DeleteOfACreatedContainerKillsItsInit) {
  auto b = ws.bundle("created", {"sleep", "300"});
  auto c = id("created");
  ASSERT_EQ(create(b, c).code, 0);
  int pid = ws.state(c)["pid"];
  ASSERT_TRUE(process_exists(pid));
  auto r = ws.nx({"delete", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }))
      << "init " << pid << " survived delete";
  EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
}

TEST_P(Lifecycle, RunningContainerNeedsForceToDelete) {
  auto b = ws.bundle("force", {"sleep", "300"});
  auto c = id("force");
  ASSERT_EQ(run(b, c, {"--detach"}).code, 0);
  int pid = ws.state(c)["pid"];
  EXPECT_EQ(ws.state(c)["status"], "running");
  auto r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "cannot delete container " + c + " that is not stopped: running"))
      << r;
  EXPECT_EQ(ws.state(c)["status"], "running");
  r = ws.nx({"delete", "--force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }));
}

TEST_P(Lifecycle, UpdateFromStdinAndFile) {
  auto b = ws.bundle("update", {"sleep", "300"});
  auto c = id("update");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  auto r = ws.nx({"update", "--resources", "-", c}, std::string(R"({"pids":{"limit":42}})"));
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  r = ws.nx({"events", "--stats", c});
  ASSERT_EQ(r.code, 0) << r;
  auto event = nlohmann::json::parse(r.out);
  EXPECT_EQ(event["type"], "stats");
  EXPECT_EQ(event["id"], c);
  EXPECT_EQ(event["data"]["pids"]["limit"], 42) << r.out;
  write_file(ws.dir() / "res.json", R"({"pids":{"limit":77}})");
  r = ws.nx({"update", "-r", (ws.dir() / "res.json").string(), c});
  ASSERT_EQ(r.code, 0) << r;
  r = ws.nx({"events", "--stats", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(nlohmann::json::parse(r.out)["data"]["pids"]["limit"], 77) << r.out;
  r = ws.nx({"update", "--resources=-", c}, std::string(R"({"pids":{"limit":"lots"}})"));
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "pids.limit")) << r;
}

// A uts namespace joined by path with a hostname: runc and crun set the hostname in it.
TEST_P(Lifecycle, HostnameInAJoinedUtsNamespace) {
  auto owner = id("utsowner");
  ASSERT_EQ(run(ws.bundle("utsowner", {"sleep", "300"}), owner, {"-d"}).code, 0);
  std::string ns = "/proc/" + std::to_string(ws.state(owner)["pid"].get<int>()) + "/ns/uts";
  auto joiner = id("utsjoiner");
  auto b = ws.bundle("utsjoiner", {"hostname"}, [&](nlohmann::json& spec) {
    spec["hostname"] = "joined";
    for (auto& n : spec["linux"]["namespaces"])
      if (n["type"] == "uts") n["path"] = ns;
  });
  auto r = run(b, joiner, {});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "joined\n") << r;
  auto seen = ws.nx({"exec", owner, "hostname"});
  EXPECT_EQ(seen.out, "joined\n") << seen;
}

// Hooks without an `env` inherit the caller's environment through nexcage, as through runc; only
// nexcage's own variables stay behind.
TEST_P(Lifecycle, HooksInheritTheCallersEnvironment) {
  auto seen = ws.dir() / "hook-env";
  auto b = ws.bundle("hookenv", {"true"}, [&](nlohmann::json& spec) {
    spec["hooks"] = {{"createRuntime",
                      {{{"path", "/bin/busybox"},
                        {"args", {"busybox", "sh", "-c", "env > " + seen.string()}}}}}};
  });
  auto args = ws.nx_args({"--backend", backend(), "run", "--bundle", b.string(), id("hookenv")});
  args.insert(args.begin(),
              {"LISTEN_FDS=0", "GREETING=from the caller", "NEXCAGE_PRIVATE=x", nexcage_binary()});
  auto r = run_command("/usr/bin/env", args);
  ASSERT_EQ(r.code, 0) << r;
  auto env = read_file(seen);
  EXPECT_TRUE(contains(env, "GREETING=from the caller\n")) << env;
  EXPECT_TRUE(contains(env, "LISTEN_FDS=0\n")) << env;
  EXPECT_TRUE(contains(env, "PATH=")) << env;
  EXPECT_FALSE(contains(env, "NEXCAGE_PRIVATE")) << env;
}

// runc's own flag spellings and size units: --cpu-share, --memory 50M.
TEST_P(Lifecycle, UpdateFlagsTakeRuncsSpellingsAndUnits) {
  auto b = ws.bundle("updflags", {"sleep", "300"});
  auto c = id("updflags");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  auto r = ws.nx({"update", "--memory", "50M", "--memory-swap", "-1", "--cpu-share", "512", c});
  ASSERT_EQ(r.code, 0) << r;
  r = ws.nx({"events", "--stats", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(nlohmann::json::parse(r.out)["data"]["memory"]["usage"]["limit"], 50 * 1024 * 1024)
      << r.out;
  r = ws.nx({"update", "--memory", "1.5g", "--cpu-shares", "256", c});
  ASSERT_EQ(r.code, 0) << r;
  r = ws.nx({"events", "--stats", c});
  EXPECT_EQ(nlohmann::json::parse(r.out)["data"]["memory"]["usage"]["limit"], 1536LL * 1024 * 1024)
      << r.out;
  r = ws.nx({"update", "--memory", "50X", c});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_TRUE(contains(r.err, "\"50X\" is not a size")) << r;
}

// After a reboot emptied /run, a caller starts many containers at once: every first create
// makes and marks the same new state root, and none may take another's half-written marker for
// a stranger's file ("state root ... is not nexcage's").
TEST_P(Lifecycle, FirstCreatesInANewRootRaceSafely) {
  auto b = ws.bundle("b", {"sleep", "30"});
  std::vector<int> pids;
  for (int i = 0; i < 6; ++i) {
    auto n = std::to_string(i);
    pids.push_back(spawn_nexcage_with_files(
        ws.nx_args({"--backend", backend(), "create", "--bundle", b.string(), id("race" + n)}),
        "/dev/null", ws.dir() / ("race" + n + ".out"), ws.dir() / ("race" + n + ".err")));
  }
  for (std::size_t i = 0; i < pids.size(); ++i)
    EXPECT_EQ(wait_child(pids[i]), 0)
        << read_file(ws.dir() / ("race" + std::to_string(i) + ".err"));
  EXPECT_EQ(ws.ids().size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Lifecycle, ::testing::Values("runc", "crun"));

}  // namespace e2e
