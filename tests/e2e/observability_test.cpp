// What operators see: one log record per command, the settings and where each came from, and
// Prometheus metrics, checked by promtool and scraped through Debian's node_exporter.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace e2e {

namespace fsys = std::filesystem;

namespace {

std::vector<nlohmann::json> json_lines(const fsys::path& file) {
  std::vector<nlohmann::json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    auto doc = nlohmann::json::parse(line, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << "not one JSON object: " << line;
    out.push_back(doc);
  }
  return out;
}

// nexcage's own records (backends' lines have no "op").
std::vector<nlohmann::json> records(const fsys::path& file) {
  std::vector<nlohmann::json> out;
  for (auto& line : json_lines(file))
    if (line.contains("op")) out.push_back(line);
  return out;
}

// The value of one series of an exposition ("NAME{LABELS}"), or nullopt.
std::optional<double> value_of(const std::string& page, const std::string& series) {
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

// promtool's verdict on an exposition: "" when it has nothing to say.
std::string promtool_check(const std::string& page) {
  auto r = run_command("/usr/bin/promtool", {"check", "metrics"}, page);
  return r.code == 0 && r.out.empty() && r.err.empty() ? "" : r.out + r.err;
}

class ObservabilityTest : public BackendTest {};

}  // namespace

TEST_P(ObservabilityTest, EachCommandLeavesOneRecordWithItsFields) {
  auto log = ws.dir() / "admin.json";
  auto bundle = ws.bundle("b", {"sleep", "60"});
  auto c = id("rec");
  std::vector<std::string> env{"NEXCAGE_LOG=" + log.string(), "NEXCAGE_LOG_FORMAT=json"};
  ASSERT_EQ(ws.nx_env(env, {"--backend", backend(), "create", "--bundle", bundle.string(), c}).code,
            0);
  ASSERT_EQ(ws.nx_env(env, {"start", c}).code, 0);
  ASSERT_EQ(ws.nx_env(env, {"state", c}).code, 0);
  ASSERT_EQ(ws.nx_env(env, {"kill", c, "KILL"}).code, 0);
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  ASSERT_EQ(ws.nx_env(env, {"delete", c}).code, 0);
  auto missing = ws.nx_env(env, {"state", c});
  ASSERT_NE(missing.code, 0);

  auto lines = records(log);
  std::vector<std::string> ops;
  for (const auto& r : lines) ops.push_back(r["op"]);
  EXPECT_EQ(ops, (std::vector<std::string>{"create", "start", "state", "kill", "delete", "state"}))
      << "an admin's own log (NEXCAGE_LOG) gets every command at info level";
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const auto& r = lines[i];
    EXPECT_EQ(r["level"], "info") << r;
    EXPECT_EQ(r["id"], c) << r;
    EXPECT_EQ(r["backend"], backend()) << r;
    EXPECT_EQ(r["result"], "ok") << r;
    // runc and crun replace nexcage for create, start, kill and delete: their exit status is
    // the caller's.
    if (r["op"] != "state")
      EXPECT_FALSE(r.contains("exit_status")) << r;
    else
      EXPECT_EQ(r["exit_status"], 0) << r;
    EXPECT_TRUE(r["duration_ms"].is_number() && r["duration_ms"].get<double>() > 0) << r;
    EXPECT_TRUE(r["time"].is_string()) << r;
  }
  const auto& failed = lines.back();
  EXPECT_EQ(failed["level"], "error");
  EXPECT_EQ(failed["msg"], "container does not exist");
  EXPECT_EQ(failed["result"], "not_found");
  EXPECT_EQ(failed["id"], c);
  EXPECT_EQ(failed["exit_status"], 1);
}

// containerd's and podman's --log: nothing on success, exactly one error line on failure, as runc.
TEST_P(ObservabilityTest, TheCallersLogStaysAsRuncWritesIt) {
  auto log = ws.dir() / "log.json";
  auto bundle = ws.bundle("b", {"true"});
  auto c = id("caller");
  ASSERT_EQ(ws.nx({"--log", log.string(), "--log-format", "json", "--backend", backend(), "run",
                   "--bundle", bundle.string(), c})
                .code,
            0);
  EXPECT_FALSE(fsys::exists(log) && fsys::file_size(log) > 0) << read_file(log);
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "start", c + "x"});
  ASSERT_NE(r.code, 0);
  auto lines = json_lines(log);
  ASSERT_EQ(lines.size(), 1u) << read_file(log);
  EXPECT_EQ(lines[0]["level"], "error");
  EXPECT_EQ(lines[0]["msg"], "container does not exist");
  EXPECT_EQ(lines[0]["op"], "start");
  EXPECT_EQ(lines[0]["result"], "not_found");
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
}

TEST_P(ObservabilityTest, DebugAddsTheStepsAndABackendsLinesStayObjects) {
  auto log = ws.dir() / "debug.json";
  auto bundle = ws.bundle("b", {"sleep", "60"});
  auto c = id("debug");
  // A detached run waits for the backend and records the init: every step.
  ASSERT_EQ(ws.nx({"--log", log.string(), "--log-format", "json", "--debug", "--backend", backend(),
                   "run", "--detach", "--bundle", bundle.string(), c})
                .code,
            0);
  auto all = json_lines(log);
  auto mine = records(log);
  ASSERT_EQ(mine.size(), 1u);
  for (const char* step : {"validate", "claim", "backend", "record"})
    EXPECT_TRUE(mine[0]["steps"].contains(step)) << step << ": " << mine[0];
  // A create handed to the backend has the steps before it.
  ASSERT_EQ(ws.nx({"--log", log.string(), "--log-format", "json", "--debug", "--backend", backend(),
                   "create", "--bundle", bundle.string(), c + "c"})
                .code,
            0);
  mine = records(log);
  ASSERT_EQ(mine.size(), 2u);
  for (const char* step : {"validate", "claim"})
    EXPECT_TRUE(mine[1]["steps"].contains(step)) << step << ": " << mine[1];
  // The backend's own debug lines arrive as its JSON objects, not as strings inside ours.
  all = json_lines(log);
  EXPECT_GT(all.size(), mine.size() + 4) << "the backend's debug lines are in the log too";
  for (const auto& line : all)
    EXPECT_FALSE(line["msg"].is_string() && contains(line["msg"].get<std::string>(), "{\""))
        << "an escaped backend line: " << line;
}

// A foreground exec becomes the backend: its record is written before that.
TEST_P(ObservabilityTest, AForegroundExecIsRecordedBeforeTheBackendTakesOver) {
  auto log = ws.dir() / "exec.json";
  auto bundle = ws.bundle("b", {"sleep", "60"});
  auto c = id("exec");
  ASSERT_EQ(run(bundle, c, {"--detach"}).code, 0);
  auto r = ws.nx({"--log", log.string(), "--log-format", "json", "--log-level", "info", "exec", c,
                  "/bin/sh", "-c", "exit 3"});
  EXPECT_EQ(r.code, 3) << r;
  auto mine = records(log);
  ASSERT_EQ(mine.size(), 1u) << read_file(log);
  EXPECT_EQ(mine[0]["op"], "exec");
  EXPECT_EQ(mine[0]["id"], c);
  EXPECT_EQ(mine[0]["result"], "ok");
  EXPECT_FALSE(mine[0].contains("exit_status")) << "the exit status is the backend's to give";
}

TEST_P(ObservabilityTest, MetricsCountContainersAndOperationsAndPassPromtool) {
  auto bundle = ws.bundle("b", {"sleep", "60"});
  auto running = id("run");
  auto created = id("made");
  ASSERT_EQ(run(bundle, running, {"--detach"}).code, 0);
  ASSERT_EQ(create(bundle, created).code, 0);
  EXPECT_NE(ws.nx({"state", id("nope")}).code, 0);

  auto r = ws.nx({"metrics"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(promtool_check(r.out), "") << r.out;
  const auto& page = r.out;
  auto b = backend();
  EXPECT_EQ(value_of(page, "nexcage_containers{backend=\"" + b + "\",status=\"running\"}"), 1);
  EXPECT_EQ(value_of(page, "nexcage_containers{backend=\"" + b + "\",status=\"created\"}"), 1);
  auto labels = "{id=\"" + running + "\",backend=\"" + b + "\"}";
  EXPECT_GE(value_of(page, "nexcage_container_pids" + labels).value_or(0), 1);
  EXPECT_GT(value_of(page, "nexcage_container_memory_bytes" + labels).value_or(0), 0);
  EXPECT_TRUE(value_of(page, "nexcage_container_cpu_seconds_total" + labels)) << page;
  EXPECT_EQ(value_of(page, "nexcage_operations_total{operation=\"create\",backend=\"" + b +
                               "\",result=\"ok\"}"),
            1);
  EXPECT_EQ(value_of(page, "nexcage_operations_total{operation=\"run\",backend=\"" + b +
                               "\",result=\"ok\"}"),
            1);
  EXPECT_EQ(
      value_of(page,
               "nexcage_operations_total{operation=\"state\",backend=\"\",result=\"not_found\"}"),
      1);
  EXPECT_EQ(
      value_of(page, "nexcage_operation_duration_seconds_count{operation=\"create\",backend=\"" +
                         b + "\"}"),
      1);
  EXPECT_TRUE(contains(page, "nexcage_build_info{version=\""));
  // The metrics command itself is counted for the next look.
  auto again = ws.nx({"metrics"});
  EXPECT_EQ(value_of(again.out,
                     "nexcage_operations_total{operation=\"metrics\",backend=\"\",result=\"ok\"}"),
            1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ObservabilityTest, ::testing::Values("runc", "crun"));

class ObservabilityRootTest : public NoBackendTest {};

// Many nexcage processes at once: every command counted once.
TEST_F(ObservabilityRootTest, ConcurrentCommandsLoseNoCount) {
  auto bundle = ws.bundle("b", {"true"});
  ASSERT_EQ(ws.nx({"--backend", "runc", "create", "--bundle", bundle.string(), "one"}).code, 0);
  constexpr int processes = 8;
  constexpr int each = 25;
  std::vector<int> pids;
  for (int p = 0; p < processes; ++p) {
    pids.push_back(::fork());
    if (pids.back() == 0) {
      int failures = 0;
      for (int i = 0; i < each; ++i) failures += ws.nx({"state", "one"}).code != 0;
      ::_exit(failures);
    }
  }
  for (int pid : pids) EXPECT_EQ(wait_child(pid, 120s), 0);
  auto r = ws.nx({"metrics"});
  EXPECT_EQ(
      value_of(r.out,
               "nexcage_operations_total{operation=\"state\",backend=\"runc\",result=\"ok\"}"),
      processes * each)
      << r.out;
}

TEST_F(ObservabilityRootTest, ConfigShowsEachSettingAndItsSource) {
  auto config = nlohmann::json::parse(read_file(ws.config()));
  config["log"] = {{"file", (ws.dir() / "from-config.log").string()}, {"format", "json"}};
  config["metrics"] = {{"enabled", false}};
  write_file(ws.config(), config.dump());
  auto r = ws.nx_env({"NEXCAGE_LOG_LEVEL=debug", "NEXCAGE_DEFAULT_BACKEND=crun"},
                     {"--log-format", "text", "config", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r;
  std::map<std::string, nlohmann::json> rows;
  for (const auto& row : nlohmann::json::parse(r.out)) rows[row["setting"]] = row;
  EXPECT_EQ(rows["root"]["value"], ws.root().string());
  EXPECT_EQ(rows["root"]["source"], "flag");
  EXPECT_EQ(rows["config"]["value"], ws.config().string());
  EXPECT_EQ(rows["config"]["origin"], "--config");
  EXPECT_EQ(rows["default_backend"]["value"], "crun");
  EXPECT_EQ(rows["default_backend"]["source"], "environment");
  EXPECT_EQ(rows["log.file"]["value"], (ws.dir() / "from-config.log").string());
  EXPECT_EQ(rows["log.file"]["source"], "config file");
  EXPECT_EQ(rows["log.format"]["value"], "text");
  EXPECT_EQ(rows["log.format"]["source"], "flag");
  EXPECT_EQ(rows["log.level"]["value"], "debug");
  EXPECT_EQ(rows["log.level"]["origin"], "NEXCAGE_LOG_LEVEL");
  EXPECT_EQ(rows["metrics.enabled"]["value"], false);

  auto table = ws.nx({"config"});
  ASSERT_EQ(table.code, 0) << table;
  EXPECT_TRUE(contains(table.out, "SETTING")) << table.out;
  EXPECT_TRUE(contains(table.out, "log.file")) << table.out;
}

TEST_F(ObservabilityRootTest, EnvironmentChoosesTheRootAndTheDefaultBackend) {
  auto root = ws.dir() / "env-root";
  auto bundle = ws.bundle("b", {"true"});
  std::vector<std::string> env{"NEXCAGE_ROOT=" + root.string(), "NEXCAGE_DEFAULT_BACKEND=crun"};
  auto r = run_command(
      nexcage_binary(),
      {"--config", ws.config().string(), "create", "--bundle", bundle.string(), "envroot"}, {},
      command_timeout, env);
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(fsys::exists(root / "envroot")) << "the container lives in NEXCAGE_ROOT";
  auto state = run_command(nexcage_binary(), {"--root", root.string(), "list", "--format", "json"});
  ASSERT_EQ(state.code, 0) << state;
  EXPECT_EQ(nlohmann::json::parse(state.out).at(0)["backend"], "crun");
  // A value nexcage cannot use stops a create, which routes by it, naming the variable.
  auto bad = run_command(
      nexcage_binary(),
      {"--config", ws.config().string(), "create", "--bundle", bundle.string(), "bad"}, {},
      command_timeout, {"NEXCAGE_ROOT=" + root.string(), "NEXCAGE_DEFAULT_BACKEND=docker"});
  EXPECT_NE(bad.code, 0);
  EXPECT_TRUE(contains(bad.err, "NEXCAGE_DEFAULT_BACKEND=\"docker\"")) << bad;
  EXPECT_FALSE(fsys::exists(root / "bad"));
  run_command(nexcage_binary(), {"--root", root.string(), "delete", "--force", "envroot"});
}

TEST_F(ObservabilityRootTest, MetricsOffLeavesNoJournal) {
  auto config = nlohmann::json::parse(read_file(ws.config()));
  config["metrics"] = {{"enabled", false}};
  write_file(ws.config(), config.dump());
  auto bundle = ws.bundle("b", {"true"});
  ASSERT_EQ(ws.nx({"create", "--bundle", bundle.string(), "quiet"}).code, 0);
  EXPECT_FALSE(fsys::exists(ws.root() / ".metrics"));
}

// An empty directory given as --root is taken over by the first create; counting the commands
// before it must not put a file there that would make nexcage refuse it.
TEST_F(ObservabilityRootTest, CountingNeverClaimsADirectoryBeforeACreateDoes) {
  auto root = ws.dir() / "empty-root";
  fsys::create_directory(root);
  fsys::permissions(root, fsys::perms::owner_all);
  std::vector<std::string> at{"--root", root.string(), "--config", ws.config().string()};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), at.begin(), at.end());
    return run_command(nexcage_binary(), args);
  };
  EXPECT_EQ(with({"list"}).code, 0);
  EXPECT_NE(with({"state", "nothing"}).code, 0);
  EXPECT_EQ(with({"metrics"}).code, 0);
  EXPECT_TRUE(fsys::is_empty(root));
  auto bundle = ws.bundle("b", {"true"});
  auto r = with({"create", "--bundle", bundle.string(), "first"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(with({"delete", "first"}).code, 0);
  EXPECT_TRUE(fsys::exists(root / ".metrics" / "journal")) << "counted once the root is nexcage's";
}

// Debian's node_exporter reads the file `metrics --output` writes, as the .deb's timer does.
TEST_F(ObservabilityRootTest, NodeExporterServesTheTextfile) {
  const std::string exporter = "/usr/bin/prometheus-node-exporter";
  if (::access(exporter.c_str(), X_OK) != 0) GTEST_SKIP() << exporter << " is not installed";
  auto bundle = ws.bundle("b", {"sleep", "60"});
  ASSERT_EQ(ws.nx({"run", "--detach", "--bundle", bundle.string(), "scraped"}).code, 0);
  auto textfiles = ws.dir() / "textfile";
  fsys::create_directories(textfiles);
  auto r = ws.nx({"metrics", "--output", (textfiles / "nexcage.prom").string()});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "") << "--output writes nothing on stdout";
  EXPECT_EQ(fsys::status(textfiles / "nexcage.prom").permissions() & fsys::perms::all,
            fsys::perms::owner_read | fsys::perms::owner_write | fsys::perms::group_read |
                fsys::perms::others_read);

  int port = free_port();
  auto log = ws.dir() / "node_exporter.log";
  int pid = spawn_program(
      exporter,
      {"prometheus-node-exporter", "--collector.disable-defaults", "--collector.textfile",
       "--collector.textfile.directory=" + textfiles.string(), "--web.disable-exporter-metrics",
       "--web.listen-address=127.0.0.1:" + std::to_string(port)},
      "/dev/null", log, log);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(eventually([&] { return accepts(port); }, 10s)) << read_file(log);
  auto page = http_get(port, "/metrics");
  ::kill(pid, SIGTERM);
  wait_child(pid, 10s);
  EXPECT_EQ(value_of(page, "nexcage_containers{backend=\"runc\",status=\"running\"}"), 1) << page;
  EXPECT_GE(value_of(page, "nexcage_container_pids{backend=\"runc\",id=\"scraped\"}").value_or(0),
            1)
      << page;
  EXPECT_EQ(value_of(page,
                     "nexcage_operations_total{backend=\"runc\",operation=\"run\",result="
                     "\"ok\"}"),
            1)
      << page;
  EXPECT_EQ(value_of(page, "node_textfile_scrape_error"), 0) << page;
  EXPECT_FALSE(contains(read_file(log), "level=error")) << read_file(log);
}

}  // namespace e2e
