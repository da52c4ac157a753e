// create -> state -> start -> state -> kill -> state -> delete, with real runc and crun.
#include <sys/stat.h>

#include <fstream>

#include "harness.hpp"

namespace e2e {

using Lifecycle = BackendTest;

TEST_P(Lifecycle, CreateStartKillDelete) {
  auto b = ws.bundle("life", {"sleep", "300"}, [](auto& spec) { spec["annotations"] = {{"org.example.k", "v1"}}; });
  auto c = id("life");
  auto pid_file = ws.dir() / "init.pid";

  auto r = ws.nx({"--backend", backend(), "create", "--bundle", b.string(), "--pid-file", pid_file.string(), c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");  // stdout carries only command output
  EXPECT_EQ(r.err, "");

  auto st = ws.state(c);
  ASSERT_TRUE(st.is_object());
  EXPECT_EQ(st["status"], "created");
  EXPECT_GT(st["pid"].get<int>(), 0);
  EXPECT_EQ(st["id"], c);
  EXPECT_EQ(st["bundle"], b.string());
  EXPECT_EQ(st["annotations"]["org.example.k"], "v1");
  // The pid file holds the host pid with no newline, and it is a live process.
  EXPECT_EQ(read_file(pid_file), std::to_string(st["pid"].get<int>()));
  struct stat proc{};
  EXPECT_EQ(stat(("/proc/" + read_file(pid_file)).c_str(), &proc), 0);

  r = ws.nx({"start", c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ws.state(c)["status"], "running");

  r = ws.nx({"kill", c, "KILL"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  EXPECT_EQ(ws.state(c)["pid"], 0);

  r = ws.nx({"delete", c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  r = ws.nx({"state", c});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("container does not exist"), std::string::npos) << r.err;
  // The backend's own state is gone too.
  EXPECT_FALSE(std::filesystem::exists(ws.root() / backend() / c));
}

TEST_P(Lifecycle, DeleteOfACreatedContainerKillsIt) {
  auto b = ws.bundle("created", {"sleep", "300"});
  auto c = id("created");
  ASSERT_EQ(ws.nx({"--backend", backend(), "create", "--bundle", b.string(), c}).code, 0);
  int pid = ws.state(c)["pid"];
  auto r = ws.nx({"delete", c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(ws.wait_for_status(c, "gone"));
  // Give the reaper a moment; the init must not survive.
  for (int i = 0; i < 100 && std::filesystem::exists("/proc/" + std::to_string(pid) + "/exe"); ++i)
    usleep(50000);
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(pid) + "/exe"));
}

TEST_P(Lifecycle, RunningContainerNeedsForceToDelete) {
  auto b = ws.bundle("force", {"sleep", "300"});
  auto c = id("force");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "--detach", "--bundle", b.string(), c}).code, 0);
  EXPECT_EQ(ws.state(c)["status"], "running");
  auto r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot delete container " + c + " that is not stopped: running"), std::string::npos) << r.err;
  r = ws.nx({"delete", "--force", c});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(ws.wait_for_status(c, "gone"));
}

TEST_P(Lifecycle, PauseAndResume) {
  auto b = ws.bundle("pause", {"sleep", "300"});
  auto c = id("pause");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"pause", c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ws.state(c)["status"], "paused");
  r = ws.nx({"pause", c});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("container not running"), std::string::npos) << r.err;
  r = ws.nx({"resume", c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ws.state(c)["status"], "running");
  r = ws.nx({"resume", c});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("container not paused"), std::string::npos) << r.err;
}

TEST_P(Lifecycle, PsListsHostPids) {
  auto b = ws.bundle("ps", {"sh", "-c", "sleep 300 & exec sleep 301"});
  auto c = id("ps");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  int init = ws.state(c)["pid"];
  nlohmann::json pids;
  for (int i = 0; i < 100; ++i) {  // the child sleep may take a moment to appear
    auto r = ws.nx({"ps", "--format", "json", c});
    ASSERT_EQ(r.code, 0) << r.err;
    pids = nlohmann::json::parse(r.out);
    if (pids.size() == 2) break;
    usleep(20000);
  }
  ASSERT_TRUE(pids.is_array());
  EXPECT_EQ(pids.size(), 2u) << pids.dump();
  EXPECT_NE(std::find(pids.begin(), pids.end(), init), pids.end()) << pids.dump();
  auto table = ws.nx({"ps", c});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("UID", 0), 0u) << table.out;
  EXPECT_NE(table.out.find(" " + std::to_string(init) + " "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("sleep 301"), std::string::npos) << table.out;
}

TEST_P(Lifecycle, ListTableAndJson) {
  auto b = ws.bundle("list", {"sleep", "300"});
  auto c = id("list");
  ASSERT_EQ(ws.nx({"--backend", backend(), "create", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ID", 0), 0u);
  for (const char* column : {"PID", "STATUS", "BUNDLE", "CREATED", "OWNER", "BACKEND"})
    EXPECT_NE(r.out.find(column), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(c), std::string::npos);
  EXPECT_NE(r.out.find("created"), std::string::npos);
  EXPECT_NE(r.out.find(backend()), std::string::npos);
  r = ws.nx({"list", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["id"], c);
  EXPECT_EQ(doc[0]["status"], "created");
  EXPECT_EQ(doc[0]["owner"], "root");
  EXPECT_EQ(ws.nx({"list", "-q"}).out, c + "\n");
}

TEST_P(Lifecycle, UpdateFromStdinAndFile) {
  auto b = ws.bundle("update", {"sleep", "300"});
  auto c = id("update");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"update", "--resources=-", c}, std::string(R"({"pids":{"limit":42}})"));
  ASSERT_EQ(r.code, 0) << r.err;
  auto stats = ws.nx({"events", "--stats", c});
  ASSERT_EQ(stats.code, 0) << stats.err;
  auto event = nlohmann::json::parse(stats.out);
  EXPECT_EQ(event["type"], "stats");
  EXPECT_EQ(event["id"], c);
  EXPECT_EQ(event["data"]["pids"]["limit"], 42);
  std::ofstream(ws.dir() / "res.json") << R"({"pids":{"limit":77}})";
  r = ws.nx({"update", "-r", (ws.dir() / "res.json").string(), c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(ws.nx({"events", "--stats", c}).out)["data"]["pids"]["limit"], 77);
  r = ws.nx({"update", "--resources=-", c}, std::string(R"({"pids":{"limit":"lots"}})"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("resources.pids.limit: must be a 64-bit integer"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, Lifecycle, ::testing::Values("runc", "crun"));

}  // namespace e2e
