// A create killed mid-way must leave nothing that blocks reusing the id.
#include <csignal>
#include <thread>

#include "harness.hpp"

namespace e2e {

class Crash : public BackendTest {
 protected:
  // Starts `create` of a bundle whose createRuntime hook sleeps `hook_seconds` (hooks run on the
  // host while the backend creates the container) and SIGKILLs nexcage about 0.5 s in, in the
  // middle of the backend's create.
  void kill_create_midway(const std::string& c, const std::string& bundle_name, int hook_seconds) {
    auto slow = ws.bundle(bundle_name, {"sleep", "300"}, [&](auto& spec) {
      spec["hooks"] = {{"createRuntime",
                        {{{"path", "/bin/busybox"},
                          {"args", {"busybox", "sleep", std::to_string(hook_seconds)}}}}}};
    });
    int pid =
        spawn_nexcage(ws.nx_args({"--backend", backend(), "create", "--bundle", slow.string(), c}));
    std::this_thread::sleep_for(500ms);
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    EXPECT_EQ(wait_child(pid), 128 + SIGKILL) << "create finished before it was killed";
  }
};

// While another process creates it, the container does not exist yet (runc's answer), neither
// for state nor for list; then it appears whole.
TEST_P(Crash, AContainerBeingCreatedDoesNotExistYet) {
  auto c = id("inprogress");
  auto slow = ws.bundle("inprogress", {"sleep", "300"}, [&](auto& spec) {
    spec["hooks"] = {
        {"createRuntime", {{{"path", "/bin/busybox"}, {"args", {"busybox", "sleep", "2"}}}}}};
  });
  int pid =
      spawn_nexcage(ws.nx_args({"--backend", backend(), "create", "--bundle", slow.string(), c}));
  std::this_thread::sleep_for(500ms);
  auto r = ws.nx({"state", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(contains(ws.nx({"list"}).out, c));
  EXPECT_EQ(wait_child(pid), 0);
  EXPECT_EQ(ws.state(c)["status"], "created");
  EXPECT_EQ(ws.nx({"list", "-q"}).out, c + "\n");
}

TEST_P(Crash, KilledCreateDoesNotBlockTheId) {
  auto c = id("crash");
  kill_create_midway(c, "slow", 2);
  // Whatever is left reads as a dead container, not as a live one.
  auto st = ws.state(c);
  if (st.is_object()) {
    EXPECT_EQ(st["status"], "stopped") << st.dump();
  }

  // Let the orphaned hook (and the backend waiting for it) finish, then reuse the id.
  std::this_thread::sleep_for(2500ms);
  auto fast = ws.bundle("fast", {"sleep", "300"});
  auto r = create(fast, c);
  ASSERT_EQ(r.code, 0) << r;
  st = ws.state(c);
  EXPECT_EQ(st["status"], "created");
  EXPECT_EQ(st["bundle"], fast.string());
  int pid = st["pid"];
  EXPECT_TRUE(process_exists(pid));
  ASSERT_EQ(ws.nx({"start", c}).code, 0);
  EXPECT_EQ(ws.state(c)["status"], "running");

  r = ws.nx({"delete", "--force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }));
}

TEST_P(Crash, DeleteCleansAnAbandonedCreate) {
  auto c = id("abandon");
  kill_create_midway(c, "slow2", 1);
  std::this_thread::sleep_for(1500ms);
  auto r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / c));
  r = ws.nx({"state", c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
}

INSTANTIATE_TEST_SUITE_P(Backends, Crash, ::testing::Values("runc", "crun"));

}  // namespace e2e
