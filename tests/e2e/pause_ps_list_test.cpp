// pause/resume, ps and list, with real runc and crun.
#include <algorithm>

#include "harness.hpp"

namespace e2e {

using PausePsList = BackendTest;

TEST_P(PausePsList, PauseAndResume) {
  auto b = ws.bundle("pause", {"sleep", "300"});
  auto c = id("pause");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  int pid = ws.state(c)["pid"];
  auto r = ws.nx({"pause", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(ws.state(c)["status"], "paused");
  EXPECT_EQ(ws.state(c)["pid"], pid);
  r = ws.nx({"pause", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container not running")) << r;
  r = ws.nx({"resume", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ws.state(c)["status"], "running");
  r = ws.nx({"resume", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container not paused")) << r;
  // A paused container can be force-deleted.
  ASSERT_EQ(ws.nx({"pause", c}).code, 0);
  r = ws.nx({"delete", "--force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }));
}

namespace {

// The v1 freezer and v2 cgroup of a process, as the record notes them (backend_state.init_cgroups).
nlohmann::json cgroups_of(int pid) {
  auto noted = nlohmann::json::object();
  std::istringstream lines(read_file("/proc/" + std::to_string(pid) + "/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    auto path = line.substr(line.rfind(':') + 1);
    if (line.find(":freezer:") != std::string::npos) noted["freezer"] = path;
    if (line.rfind("0::", 0) == 0) noted["unified"] = path;
  }
  return noted;
}

}  // namespace

// `list` and `state` find the freezer where the record noted the init's cgroups, once, rather than
// through /proc/<pid>/cgroup every time; a record of an older nexcage, without the note, is still
// read through /proc. Both forms of create: the one nexcage sees through (`run -d`) and the
// callers' one handed to the backend, noted when `start` settles it.
TEST_P(PausePsList, PausedIsSeenThroughTheNotedCgroupsAndWithout) {
  auto b = ws.bundle("noted", {"sleep", "300"});
  auto detached = id("noted-d");
  ASSERT_EQ(run(b, detached, {"-d"}).code, 0);
  auto handed = id("noted-h");
  auto r = create(b, handed);
  ASSERT_EQ(r.code, 0) << r;
  ASSERT_EQ(ws.nx({"start", handed}).code, 0);
  for (const auto& c : {detached, handed}) {
    SCOPED_TRACE(c);
    auto record = ws.root() / c / "state.json";
    int pid = ws.state(c)["pid"];
    auto saved = nlohmann::json::parse(read_file(record));
    EXPECT_EQ(saved["backend_state"]["init_cgroups"], cgroups_of(pid)) << saved.dump();
    ASSERT_EQ(ws.nx({"pause", c}).code, 0);
    EXPECT_EQ(ws.state(c)["status"], "paused");
    auto listed = nlohmann::json::parse(ws.nx({"list", "--format", "json"}).out);
    auto entry = std::find_if(listed.begin(), listed.end(), [&](auto& e) { return e["id"] == c; });
    ASSERT_NE(entry, listed.end());
    EXPECT_EQ((*entry)["status"], "paused");

    // The note is what is read: a damaged one is named, and /proc read instead.
    auto damaged = saved;
    damaged["backend_state"]["init_cgroups"]["freezer"] = "not/absolute";
    write_file(record, damaged.dump());
    r = ws.nx({"state", c});
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_EQ(nlohmann::json::parse(r.out)["status"], "paused") << r;
    EXPECT_TRUE(
        contains(r.err, "backend_state.init_cgroups.freezer must be an absolute cgroup path"))
        << r;

    saved["backend_state"].erase("init_cgroups");
    write_file(record, saved.dump());
    EXPECT_EQ(ws.state(c)["status"], "paused");
    ASSERT_EQ(ws.nx({"resume", c}).code, 0);
    EXPECT_EQ(ws.state(c)["status"], "running");
    // Nor does a damaged note stop the delete that ends the container.
    write_file(record, damaged.dump());
    r = ws.nx({"delete", "--force", c});
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_TRUE(eventually([&] { return !process_exists(pid); }));
  }
}

// Frozen behind nexcage's back (a v1 freezer written by hand, as an admin or a client might):
// delete --force still ends it at once, as runc's own delete --force does. (An init frozen in a
// freezer sub-cgroup of its own cgroup makes runc alone wait 10 s and fail; nexcage does the same.)
TEST_P(PausePsList, AContainerFrozenByHandIsForceDeleted) {
  auto b = ws.bundle("frozen", {"sleep", "300"});
  auto c = id("frozen");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  int pid = ws.state(c)["pid"];
  std::string cgroup;
  std::istringstream lines(read_file("/proc/" + std::to_string(pid) + "/cgroup"));
  for (std::string line; std::getline(lines, line);)
    if (line.find(":freezer:") != std::string::npos) cgroup = line.substr(line.rfind(':') + 1);
  auto state = std::filesystem::path("/sys/fs/cgroup/freezer") / cgroup.substr(1) / "freezer.state";
  if (cgroup.empty() || !std::filesystem::exists(state))
    GTEST_SKIP() << "no v1 freezer for the container";
  write_file(state, "FROZEN");
  ASSERT_TRUE(eventually([&] { return read_file(state) == "FROZEN\n"; })) << read_file(state);
  auto r = ws.nx({"delete", "--force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }));
}

TEST_P(PausePsList, PsListsHostPids) {
  auto b = ws.bundle("ps", {"sh", "-c", "sleep 300 & exec sleep 301"});
  auto c = id("ps");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  int init = ws.state(c)["pid"];
  nlohmann::json pids;
  Result r;
  // The background sleep may take a moment to appear.
  EXPECT_TRUE(eventually([&] {
    r = ws.nx({"ps", "--format", "json", c});
    pids = nlohmann::json::parse(r.out, nullptr, false);
    return r.code == 0 && pids.is_array() && pids.size() == 2;
  })) << r;
  ASSERT_TRUE(pids.is_array()) << r;
  for (const auto& p : pids) {
    ASSERT_TRUE(p.is_number_integer()) << r.out;
    EXPECT_TRUE(process_exists(p)) << p;
  }
  EXPECT_NE(std::find(pids.begin(), pids.end(), init), pids.end()) << r.out;

  // The default table is ps -ef's, limited to the container's processes.
  auto table = ws.nx({"ps", c});
  ASSERT_EQ(table.code, 0) << table;
  EXPECT_EQ(table.out.rfind("UID", 0), 0u) << table;
  EXPECT_TRUE(contains(table.out, " " + std::to_string(init) + " ")) << table;
  EXPECT_TRUE(contains(table.out, "sleep 301")) << table;
  EXPECT_TRUE(contains(table.out, "sleep 300")) << table;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 3) << table;
}

// runc 1.1 answers ps on a stopped container with the bare table (json: null) and exit 0.
TEST_P(PausePsList, PsOfAStoppedContainerIsEmpty) {
  auto b = ws.bundle("psstopped", {"true"});
  auto c = id("psstopped");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  auto table = ws.nx({"ps", c});
  EXPECT_EQ(table.code, 0) << table;
  EXPECT_EQ(table.out.rfind("UID", 0), 0u) << table;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 1) << table;
  auto json = ws.nx({"ps", "--format", "json", c});
  EXPECT_EQ(json.code, 0) << json;
  EXPECT_EQ(json.out, "null\n") << json;
}

// Signal 0 only checks that the process exists: a liveness probe runc passes on.
TEST_P(PausePsList, KillWithSignalZeroProbesTheContainer) {
  auto b = ws.bundle("probe", {"sleep", "300"});
  auto c = id("probe");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"kill", c, "0"}, std::vector<std::string>{"kill", "-a", c, "0"}}) {
    auto r = ws.nx(args);
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_EQ(r.err, "") << r;
  }
  EXPECT_EQ(ws.state(c)["status"], "running");
}

TEST_P(PausePsList, ListTableAndJson) {
  auto b = ws.bundle("list", {"sleep", "300"});
  auto created = id("list-a");
  auto running = id("list-b");
  ASSERT_EQ(create(b, created).code, 0);
  ASSERT_EQ(run(b, running, {"-d"}).code, 0);

  auto r = ws.nx({"list"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out.rfind("ID", 0), 0u) << r;
  for (const char* column : {"PID", "STATUS", "BUNDLE", "CREATED", "OWNER"})
    EXPECT_TRUE(contains(r.out, column)) << r;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r;
  EXPECT_TRUE(contains(r.out, created)) << r;
  EXPECT_TRUE(contains(r.out, "created")) << r;
  EXPECT_TRUE(contains(r.out, "running")) << r;
  EXPECT_TRUE(contains(r.out, b.string())) << r;

  r = ws.nx({"list", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_TRUE(doc.is_array()) << r.out;
  ASSERT_EQ(doc.size(), 2u) << r.out;
  for (const auto& entry : doc) {
    EXPECT_EQ(entry["bundle"], b.string());
    EXPECT_EQ(entry["owner"], "root");
    EXPECT_EQ(entry["backend"], backend());
    EXPECT_GT(entry["pid"].get<int>(), 0);
    EXPECT_EQ(entry["status"], entry["id"] == created ? "created" : "running") << entry.dump();
  }

  std::vector<std::string> ids = ws.ids();
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{created, running}));
  r = ws.nx({"list", "-q"});
  EXPECT_EQ(r.err, "");

  // Once deleted, neither is listed.
  ASSERT_EQ(ws.nx({"delete", "--force", created}).code, 0);
  ASSERT_EQ(ws.nx({"delete", "--force", running}).code, 0);
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, PausePsList, ::testing::Values("runc", "crun"));

}  // namespace e2e
