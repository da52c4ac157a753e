// A create killed mid-way must leave nothing that blocks reusing the id.
#include <sys/wait.h>

#include <thread>

#include "harness.hpp"

namespace e2e {

using Crash = BackendTest;

TEST_P(Crash, KilledCreateDoesNotBlockTheId) {
  // createRuntime hooks run on the host while the backend creates the container: the hook holds
  // the create long enough to kill nexcage in the middle of it.
  auto slow = ws.bundle("slow", {"sleep", "300"}, [](auto& spec) {
    spec["hooks"] = {{"createRuntime", {{{"path", "/bin/busybox"}, {"args", {"busybox", "sleep", "2"}}}}}};
  });
  auto c = id("crash");
  int pid = spawn_nexcage({"--root", ws.root().string(), "--config", ws.config().string(), "--backend",
                           backend(), "create", "--bundle", slow.string(), c});
  // Wait until nexcage has claimed the id, then kill it mid-create.
  for (int i = 0; i < 200 && !std::filesystem::exists(ws.root() / c / "state.json"); ++i) usleep(10000);
  usleep(300000);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  auto st = ws.state(c);
  ASSERT_TRUE(st.is_object()) << "the abandoned record should be visible";
  EXPECT_EQ(st["status"], "stopped");

  // Let the orphaned backend finish (or fail) its create, then reuse the id.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  auto fast = ws.bundle("fast", {"sleep", "300"});
  auto r = ws.nx({"--backend", backend(), "create", "--bundle", fast.string(), c});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ws.state(c)["status"], "created");
  EXPECT_EQ(ws.state(c)["bundle"], fast.string());
  r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.root() / backend() / c));
}

TEST_P(Crash, DeleteCleansAnAbandonedCreate) {
  auto slow = ws.bundle("slow2", {"sleep", "300"}, [](auto& spec) {
    spec["hooks"] = {{"createRuntime", {{{"path", "/bin/busybox"}, {"args", {"busybox", "sleep", "1"}}}}}};
  });
  auto c = id("abandon");
  int pid = spawn_nexcage({"--root", ws.root().string(), "--config", ws.config().string(), "--backend",
                           backend(), "create", "--bundle", slow.string(), c});
  for (int i = 0; i < 200 && !std::filesystem::exists(ws.root() / c / "state.json"); ++i) usleep(10000);
  usleep(200000);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.root() / backend() / c));
}

INSTANTIATE_TEST_SUITE_P(Backends, Crash, ::testing::Values("runc", "crun"));

}  // namespace e2e
