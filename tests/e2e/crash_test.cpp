// A create killed mid-way must leave nothing that blocks reusing the id.
#include <sys/wait.h>

#include <thread>

#include "harness.hpp"

namespace e2e {

class Crash : public BackendTest {
 protected:
  // Starts `create` of a bundle whose createRuntime hook sleeps `hook_seconds` (hooks run on the
  // host while the backend creates the container) and SIGKILLs nexcage in the middle of it.
  void kill_create_midway(const std::string& c, const std::string& bundle_name, int hook_seconds) {
    auto slow = ws.bundle(bundle_name, {"sleep", "300"}, [&](auto& spec) {
      spec["hooks"] = {{"createRuntime",
                        {{{"path", "/bin/busybox"}, {"args", {"busybox", "sleep", std::to_string(hook_seconds)}}}}}};
    });
    int pid = spawn_nexcage({"--root", ws.root().string(), "--config", ws.config().string(), "--backend",
                             backend(), "create", "--bundle", slow.string(), c});
    // Wait until nexcage has claimed the id, then kill it mid-create.
    for (int i = 0; i < 200 && !std::filesystem::exists(ws.root() / c / "state.json"); ++i) usleep(10000);
    usleep(300000);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

TEST_P(Crash, KilledCreateDoesNotBlockTheId) {
  auto c = id("crash");
  kill_create_midway(c, "slow", 2);
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
  auto c = id("abandon");
  kill_create_midway(c, "slow2", 1);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.root() / backend() / c));
}

INSTANTIATE_TEST_SUITE_P(Backends, Crash, ::testing::Values("runc", "crun"));

}  // namespace e2e
